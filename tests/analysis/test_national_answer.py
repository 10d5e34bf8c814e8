"""The answer a population run's report leads with (sim/analysis/national_answer.py): the
sentence per pool arm (incl. "no clear difference"), the national totals of a run without a
pool, the key-outcome table and, over a posterior, the parameter share of the spread. Hand-made
rows of national_outcomes.csv, so every figure is known."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.national_answer import (
    answer_section,
    arm_sentence,
    references_in,
    totals_sentence,
)

NAN = float("nan")


def _rows(arm: str, values: dict[str, tuple[float, float, float]]) -> list[dict[str, object]]:
    return [
        {"arm": arm, "outcome": o, "mean": m, "sd": NAN, "ci_low": lo, "ci_high": hi, "n": 4}
        for o, (m, lo, hi) in values.items()
    ]


def _outcomes(
    avoided: tuple[float, float, float], extra: tuple[float, float, float]
) -> pd.DataFrame:
    base = {"la_years_inadequate": (40.0, 30.0, 50.0), "cost_gbp_m": (900.0, 880.0, 920.0)}
    pool = {
        "la_years_inadequate": (40.0 - avoided[0], 20.0, 40.0),
        "cost_gbp_m": (900.0 + extra[0], 900.0, 960.0),
        "pool_salary_gbp_m": (30.0, 30.0, 30.0),
        "cost_per_la_year_avoided_gbp_m (against none)": (extra[0] / avoided[0], NAN, NAN),
        "la_years_inadequate_avoided (against none)": avoided,
        "extra_cost_gbp_m (against none)": extra,
    }
    return pd.DataFrame(_rows("none", base) + _rows("ten teams", pool))


def test_a_clear_answer_names_the_avoided_years_the_cost_and_the_ratio() -> None:
    outcomes = _outcomes((12.3, 4.1, 20.5), (35.2, 20.0, 50.4))
    assert references_in(outcomes) == {"ten teams": "none"}
    assert arm_sentence(outcomes, "ten teams", "none") == (
        "With ten teams (against none): 12.3 LA-years inadequate avoided (95% interval 4.10 to "
        "20.5) for £35.2m more (95% interval £20.0m to £50.4m), £2.86m per LA-year avoided."
    )


def test_an_interval_spanning_zero_is_no_clear_difference_and_has_no_ratio() -> None:
    outcomes = _outcomes((1.5, -2.0, 5.0), (-3.0, -8.0, 2.0))
    text = arm_sentence(outcomes, "ten teams", "none")
    assert text == (
        "With ten teams (against none): no clear difference in LA-years inadequate (1.50 "
        "avoided; 95% interval of the LA-years avoided −2.00 to 5.00) and no clear difference "
        "in national cost (£3.00m less; 95% interval of the extra cost −£8.00m to £2.00m)."
    )
    assert "per LA-year avoided" not in text


def test_a_pool_that_adds_years_and_saves_money_says_so() -> None:
    outcomes = _outcomes((-6.0, -9.0, -3.0), (-12.0, -15.0, -10.0))
    assert arm_sentence(outcomes, "ten teams", "none") == (
        "With ten teams (against none): 6.00 more LA-years inadequate (95% interval 3.00 to "
        "9.00 more) for £12.0m less (95% interval £10.0m to £15.0m less)."
    )


def test_without_a_pool_arm_the_answer_gives_the_national_totals() -> None:
    outcomes = _outcomes((12.3, 4.1, 20.5), (35.2, 20.0, 50.4))
    backcast = outcomes[outcomes["arm"] == "none"]
    assert references_in(backcast) == {}
    expected = (
        "No arm with a pool is compared with one without, so these are the national totals "
        "over the whole run: none: 40.0 LA-years inadequate (95% interval 30.0 to 50.0) and a national cost of £900m (95% "
        "interval £880m to £920m)."
    )
    assert totals_sentence(backcast, ["none"]) == expected
    html = answer_section(backcast, ["none"])
    assert html.startswith('<section id="answer"><h2>The answer</h2>') and expected in html


def test_the_section_has_the_key_table_and_the_parameter_share_over_draws() -> None:
    outcomes = _outcomes((12.3, 4.1, 20.5), (35.2, 20.0, 50.4))
    # variances 4 (share 0.25) and 12 (share 0.75): the pooled share is (1 + 9) / 16 = 62.5%
    uncertainty = pd.DataFrame(
        {
            "kind": ["difference", "difference"],
            "arm": ["ten teams"] * 2,
            "reference": ["none"] * 2,
            "window": ["whole_run"] * 2,
            "outcome": ["la_years_inadequate", "cost_gbp_m"],
            "sd_total": [2.0, np.sqrt(12.0)],
            "parameter_share": [0.25, 0.75],
            "draws": [5, 5],
        }
    )
    html = answer_section(outcomes, ["none", "ten teams"], uncertainty)
    assert "<th>LA-years inadequate</th>" in html and "<th>idle pool salary (£m)</th>" in html
    assert "<td>ten teams</td>" in html and "30.0 (30.0 to 30.0)" in html
    assert (
        "Over 5 posterior draws: of the spread of the differences between arms (whole run), the "
        "share that is parameter uncertainty (between draws; the rest is chance, within draws) "
        "is 25% in LA-years inadequate; 75% in national cost." in html
    )
    assert "Over 5 posterior draws" not in answer_section(outcomes, ["none", "ten teams"])


def test_arms_are_named_by_the_scenarios_labels(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The answer reads "With 10 pool teams (against no pool)", from the sweep's ``labels:`` in
    the folder's resolved scenario, not the arms' grid labels."""
    from sim.analysis.national_answer import folder_arm_names

    (tmp_path / "scenario.resolved.yaml").write_text(
        "labels:\n  population.pool.teams: {0: no pool, 10: 10 pool teams}\n", encoding="utf-8"
    )
    manifest = {
        "arms": [
            {"label": "teams=0", "overrides": {"population.pool.teams": 0}},
            {"label": "teams=10", "overrides": {"population.pool.teams": 10}},
        ]
    }
    names = folder_arm_names(tmp_path, manifest, ["teams=0", "teams=10"])
    assert names == {"teams=0": "no pool", "teams=10": "10 pool teams"}
    outcomes = _outcomes((12.3, 4.1, 20.5), (35.2, 20.0, 50.4)).replace(
        {"none": "teams=0", "ten teams": "teams=10"}
    )
    outcomes["outcome"] = outcomes["outcome"].str.replace("(against none)", "(against teams=0)")
    html = answer_section(outcomes, ["teams=0", "teams=10"], names=names)
    assert "With 10 pool teams (against no pool): 12.3 LA-years inadequate avoided" in html
    assert "<td>no pool</td>" in html and "teams=10" not in html
