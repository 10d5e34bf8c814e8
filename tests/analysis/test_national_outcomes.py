"""National experiment outcomes (issue 14 part 6): LA-years inadequate, costs, and the cost
per LA-year of inadequacy avoided against the matching arm without a pool (paired by
replication). Hand-made tables, so every value is known exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.national_outcomes import outcomes_table, per_replication

ZEROS = {
    "open_cases_in_inadequate_las": 0.0,
    "adhoc_teams_formed": 0.0,
    "pool_salary_gbp_m": 0.0,
    "pool_idle_salary_gbp_m": 0.0,
}


def _national(arm: str, inadequate: list[float], cost: list[float], rep: int) -> pd.DataFrame:
    n = len(inadequate)
    return pd.DataFrame(
        {
            "arm": arm,
            "replication": rep,
            "month": np.arange(1, n + 1),
            "las_inadequate": inadequate,
            "cost_month_gbp_m": cost,
            **{k: [v] * n for k, v in ZEROS.items()},
        }
    )


def test_cost_per_la_year_avoided_is_paired_with_the_arm_without_a_pool() -> None:
    # 12 months: no pool keeps 3 LAs inadequate, a pool 2 (one LA-year avoided) for £6m more.
    national = pd.concat(
        [
            _national("none", [3.0] * 12, [10.0] * 12, 0),
            _national("pool", [2.0] * 12, [10.5] * 12, 0),
            _national("none", [4.0] * 12, [10.0] * 12, 1),
            _national("pool", [3.0] * 12, [10.5] * 12, 1),
        ]
    )
    events = pd.DataFrame(
        {
            "arm": ["none", "none", "pool", "pool"],
            "replication": [0, 1, 0, 1],
            "la": ["E1"] * 4,
            "relapsed_within_24m": [1.0, np.nan, 0.0, 1.0],
        }
    )
    reps = per_replication(national, events)
    assert list(reps.loc[reps["arm"] == "none", "la_years_inadequate"]) == [3.0, 4.0]
    assert list(reps.loc[reps["arm"] == "pool", "relapses"]) == [0.0, 1.0]
    overrides = {"none": {"population.pool.teams": 0}, "pool": {"population.pool.teams": 5}}
    table = outcomes_table(national, events, ["none", "pool"], overrides).set_index(
        ["arm", "outcome"]
    )
    ratio = table.loc[("pool", "cost_per_la_year_avoided_gbp_m (against none)"), "mean"]
    assert ratio == 6.0  # £6m more for 1 LA-year avoided, in each replication
    assert table.loc[("pool", "cost_gbp_m"), "mean"] == 126.0
    assert not any(o.startswith("cost_per") for a, o in table.index if a == "none")


def test_ladder_outcomes_sum_the_las_events_per_replication() -> None:
    # two LAs in one replication: 18 + 6 months under notice, one direction that made a trust
    national = _national("none", [1.0] * 12, [10.0] * 12, 0)
    events = pd.DataFrame(
        {
            "arm": ["none", "none"],
            "replication": [0, 0],
            "la": ["E1", "E2"],
            "relapsed_within_24m": [np.nan, np.nan],
            "months_under_notice": [18.0, 6.0],
            "directions": [1, 0],
            "trusts": [1, 0],
        }
    )
    reps = per_replication(national, events).iloc[0]
    assert (reps["la_years_under_notice"], reps["directions"], reps["trusts"]) == (2.0, 1.0, 1.0)
    # results written before the ladder: the outcomes are missing, not zero
    older = per_replication(national, events.drop(columns=["months_under_notice"])).iloc[0]
    assert np.isnan(older["la_years_under_notice"]) and older["directions"] == 1.0


def test_over_draws_the_interval_is_over_the_draw_means() -> None:
    """Two draws x two replications of one arm: LA-years inadequate 1, 2 (draw 0) and 5, 6
    (draw 1); mean, sd and n over the 4 replications, the 95% interval over the 2 draw means."""
    parts = [
        _national("none", [float(y)] * 12, [10.0] * 12, rep).assign(draw=rep // 2)
        for rep, y in enumerate([1, 2, 5, 6])
    ]
    national = pd.concat(parts)
    events = pd.DataFrame(
        {"arm": "none", "replication": range(4), "draw": [0, 0, 1, 1], "la": "E1"}
        | {"relapsed_within_24m": [0.0, 1.0, 0.0, 0.0]}
    )
    table = outcomes_table(national, events, ["none"], {"none": {}}).set_index("outcome")
    row = table.loc["la_years_inadequate"]
    values, means = np.array([1.0, 2.0, 5.0, 6.0]), np.array([1.5, 5.5])
    assert row["mean"] == 3.5 and row["n"] == 4 and row["sd"] == np.std(values, ddof=1)
    assert (row["interval_over"], row["draws"]) == ("draws", 2)
    half = 12.706204736174707 * np.std(means, ddof=1) / np.sqrt(2)  # t(0.975, 1 dof)
    assert (row["ci_low"], row["ci_high"]) == (
        pytest.approx(3.5 - half),
        pytest.approx(3.5 + half),
    )
    # the cost per LA-year avoided of a pool arm is over the same draws, and says so
    pool = pd.concat(
        [
            _national("pool", [float(y) - 1] * 12, [10.5] * 12, rep).assign(draw=rep // 2)
            for rep, y in enumerate([1, 2, 5, 6])
        ]
    )
    both = outcomes_table(
        pd.concat([national, pool]),
        pd.concat([events, events.assign(arm="pool")]),
        ["none", "pool"],
        {"none": {"population.pool.teams": 0}, "pool": {"population.pool.teams": 5}},
    )
    cost = both.loc[both["outcome"].str.startswith("cost_per_la_year_avoided")].iloc[0]
    assert cost["mean"] == pytest.approx(6.0) and (cost["interval_over"], cost["draws"]) == (
        "draws",
        2,
    )
    assert both["draws"].dtype.kind == "i"


POOL = {"none": {"population.pool.teams": 0}, "pool": {"population.pool.teams": 5}}


def _two_arms(
    none: list[float], pool: list[float], cost_none: list[float], cost_pool: list[float]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replication r: LA-years inadequate none[r] and pool[r] (a flat year of LAs), national
    cost cost_*[r] £m over the 12 months."""
    parts = []
    for rep in range(len(none)):
        parts.append(_national("none", [none[rep]] * 12, [cost_none[rep] / 12] * 12, rep))
        parts.append(_national("pool", [pool[rep]] * 12, [cost_pool[rep] / 12] * 12, rep))
    reps = len(none)
    events = pd.DataFrame(
        {"arm": ["none"] * reps + ["pool"] * reps, "replication": [*range(reps)] * 2}
        | {"la": "E1", "relapsed_within_24m": 0.0}
    )
    return pd.concat(parts), events


def test_paired_differences_have_their_t_interval_over_replications() -> None:
    """Avoided = reference minus arm, extra cost = arm minus reference, per replication: here
    1, 3, 2 LA-years avoided and £6m, £2m, £4m more; the t-interval is over those 3 pairs."""
    national, events = _two_arms([3.0, 5.0, 4.0], [2.0, 2.0, 2.0], [100, 100, 100], [106, 102, 104])
    table = outcomes_table(national, events, ["none", "pool"], POOL).set_index(["arm", "outcome"])
    t2 = 4.302652729911275  # t(0.975, 2 dof)
    for name, values in {
        "la_years_inadequate_avoided (against none)": np.array([1.0, 3.0, 2.0]),
        "extra_cost_gbp_m (against none)": np.array([6.0, 2.0, 4.0]),
    }.items():
        row = table.loc[("pool", name)]
        half = t2 * np.std(values, ddof=1) / np.sqrt(3)
        assert row["mean"] == pytest.approx(values.mean()) and row["n"] == 3
        assert row["sd"] == pytest.approx(np.std(values, ddof=1))
        assert (row["ci_low"], row["ci_high"]) == (
            pytest.approx(values.mean() - half),
            pytest.approx(values.mean() + half),
        )
    ratio = table.loc[("pool", "cost_per_la_year_avoided_gbp_m (against none)"), "mean"]
    assert ratio == pytest.approx(4.0 / 2.0)
    # the existing rows come first, in their order; the arm without a pool has no difference
    outcomes = list(table.loc["pool"].index)
    assert outcomes[:10] == [
        "la_years_inadequate",
        "relapses",
        "open_case_years_in_inadequate_las",
        "adhoc_teams_formed",
        "cost_gbp_m",
        "pool_salary_gbp_m",
        "pool_idle_salary_gbp_m",
        "la_years_under_notice",
        "directions",
        "trusts",
    ]
    assert outcomes[10].startswith("cost_per_la_year_avoided") and len(outcomes) == 13
    assert not any("against" in o for o in table.loc["none"].index)


def _drawn(national: pd.DataFrame, events: pd.DataFrame, per_draw: int) -> tuple[pd.DataFrame, ...]:
    return (
        national.assign(draw=national["replication"] // per_draw),
        events.assign(draw=events["replication"] // per_draw),
    )


def test_over_draws_the_paired_interval_is_over_the_draw_means_of_the_differences() -> None:
    """2 draws x 2 replications: avoided 1, 3 (draw 0) and 2, 6 (draw 1): draw means 2 and 4."""
    national, events = _drawn(
        *_two_arms([3, 5, 4, 8], [2, 2, 2, 2], [100] * 4, [106, 102, 104, 100]), per_draw=2
    )
    table = outcomes_table(national, events, ["none", "pool"], POOL).set_index(["arm", "outcome"])
    row = table.loc[("pool", "la_years_inadequate_avoided (against none)")]
    values, means = np.array([1.0, 3.0, 2.0, 6.0]), np.array([2.0, 4.0])
    assert row["mean"] == pytest.approx(3.0) and row["n"] == 4
    assert row["sd"] == pytest.approx(np.std(values, ddof=1))
    assert (row["interval_over"], row["draws"]) == ("draws", 2)
    half = 12.706204736174707 * np.std(means, ddof=1) / np.sqrt(2)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(3 - half), pytest.approx(3 + half))
    extra = table.loc[("pool", "extra_cost_gbp_m (against none)")]
    assert extra["mean"] == pytest.approx(3.0)  # 6, 2, 4, 0


def test_uncertainty_splits_arms_and_differences_into_parameter_and_chance() -> None:
    """Law of total variance over the draws: between + within = total, for the arms' outcomes
    and the paired differences; none without draws."""
    from sim.analysis.national_outcomes import uncertainty_table
    from sim.analysis.posterior_split import SPLIT_COLUMNS

    national, events = _drawn(
        *_two_arms([3, 5, 4, 8], [2, 2, 2, 2], [100] * 4, [106, 102, 104, 100]), per_draw=2
    )
    table = uncertainty_table(national, events, ["none", "pool"], POOL)
    assert list(table.columns) == list(SPLIT_COLUMNS) and set(table["window"]) == {"whole_run"}
    assert len(table[table["kind"] == "arm"]) == 2 * 10
    diffs = table[table["kind"] == "difference"].set_index("outcome")
    assert list(diffs.index) == ["la_years_inadequate", "cost_gbp_m"]
    assert set(diffs["arm"]) == {"pool"} and set(diffs["reference"]) == {"none"}
    # LA-years: pool minus none = -1, -3 (draw 0), -2, -6 (draw 1): means -2, -4, grand -3
    row = diffs.loc["la_years_inadequate"]
    between = ((-2 + 3) ** 2 + (-4 + 3) ** 2) / 2  # 1
    within = ((1**2 + 1**2) + (2**2 + 2**2)) / 4  # 2.5
    assert row["mean"] == pytest.approx(-3.0) and row["draws"] == 2 and row["n"] == 4
    assert row["sd_total"] ** 2 == pytest.approx(between + within)
    assert row["sd_total"] ** 2 == pytest.approx(np.var([-1, -3, -2, -6]))
    assert row["parameter_share"] == pytest.approx(between / (between + within))
    assert row["parameter_share"] + row["chance_share"] == pytest.approx(1.0)
    # an arm's interval is clipped at 0 (LA-years cannot be negative); a difference's is not
    none = table[(table["kind"] == "arm") & (table["arm"] == "none")].set_index("outcome")
    assert none.loc["la_years_inadequate", "mean"] == pytest.approx(5.0)
    assert none.loc["la_years_inadequate", "ci_low"] == 0.0  # draw means 4, 6: 5 ± 12.7
    half = 12.706204736174707 * np.std([-2.0, -4.0], ddof=1) / np.sqrt(2)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(-3 - half), pytest.approx(-3 + half))
    with pytest.raises(ValueError, match="posterior draws"):
        uncertainty_table(*_two_arms([1], [1], [1], [1]), ["none", "pool"], POOL)
