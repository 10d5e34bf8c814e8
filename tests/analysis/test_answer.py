"""The answer API: reference arms, paired differences recomputed by hand, bounded intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.answer import answer, reference_arms
from sim.analysis.formats import money, outcome_value, share
from sim.analysis.intervals import bounded_mean, welch_difference, wilson_share
from sim.analysis.windows import OUTCOME_BY_NAME, windows_for

ARMS = ["d=6 t=12", "d=6 t=60", "d=18 t=12", "d=18 t=60"]
OVERRIDES = {
    "d=6 t=12": {"intervention.duration_months": 6, "leadership.dcs_mean_tenure_months": 12},
    "d=6 t=60": {"intervention.duration_months": 6, "leadership.dcs_mean_tenure_months": 60},
    "d=18 t=12": {"intervention.duration_months": 18, "leadership.dcs_mean_tenure_months": 12},
    "d=18 t=60": {"intervention.duration_months": 18, "leadership.dcs_mean_tenure_months": 60},
}


def synthetic(months: int = 120, reps: int = 6, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Random tables shaped like a run's (a shared replication effect, as with CRN)."""
    rng = np.random.default_rng(seed)
    rows, events = [], []
    for a, arm in enumerate(ARMS):
        for rep in range(reps):
            shared = np.random.default_rng([seed, rep]).normal(0, 0.1)
            quality = np.clip(0.4 + 0.02 * a + shared + rng.normal(0, 0.02, months), 0, 1)
            grade = np.where(quality < 0.45, 4, 2)
            cost = 9e5 + 1e4 * a + rng.normal(0, 1e4, months)
            for m in range(months):
                rows.append((arm, rep, m + 1, quality[m], float(grade[m]), cost[m]))
            events.append((arm, rep, float(rng.random() < 0.5) if rep else np.nan))
    ts = pd.DataFrame(
        rows,
        columns=[
            "arm",
            "replication",
            "month",
            "practice_quality",
            "ofsted_grade",
            "cost_month_gbp",
        ],
    )
    ev = pd.DataFrame(events, columns=["arm", "replication", "relapsed_within_24m"])
    return ts, ev


def test_reference_is_first_value_of_first_grid_field_within_other_settings() -> None:
    refs = reference_arms(ARMS, OVERRIDES)
    assert refs == {"d=18 t=12": "d=6 t=12", "d=18 t=60": "d=6 t=60"}
    assert reference_arms(ARMS, OVERRIDES, reference="d=6 t=60") == {
        a: "d=6 t=60" for a in ARMS if a != "d=6 t=60"
    }
    with pytest.raises(ValueError, match="arms: d=6 t=12"):
        reference_arms(ARMS, OVERRIDES, reference="nope")


def test_windows_clipped_to_horizon() -> None:
    assert [w.label for w in windows_for(120)] == ["years 1–3", "years 8–10", "the whole run"]
    assert [(w.first, w.last) for w in windows_for(100)] == [(1, 36), (85, 100), (1, 100)]
    assert [w.key for w in windows_for(12)] == ["whole_run"]


def test_paired_differences_match_a_recomputation() -> None:
    ts, ev = synthetic()
    result = answer(ts, ev, ARMS, OVERRIDES)
    row = result.differences.set_index(["arm", "window", "outcome"]).loc[
        ("d=18 t=60", "years_8_10", "practice_quality")
    ]
    inside = ts.loc[(ts["month"] >= 85) & (ts["month"] <= 120)]
    per_rep = inside.groupby(["arm", "replication"])["practice_quality"].mean().unstack("arm")
    diff = (per_rep["d=18 t=60"] - per_rep["d=6 t=60"]).to_numpy()
    ci = stats.ttest_1samp(diff, 0).confidence_interval(0.95)
    assert row["difference"] == pytest.approx(diff.mean(), rel=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high), rel=1e-9)
    assert bool(row["paired"]) and row["n"] == len(diff)
    # cost over the whole run is the sum of monthly costs
    cost = result.differences.set_index(["arm", "window", "outcome"]).loc[
        ("d=18 t=12", "whole_run", "cost_gbp")
    ]
    totals = ts.groupby(["arm", "replication"])["cost_month_gbp"].sum().unstack("arm")
    assert cost["difference"] == pytest.approx((totals["d=18 t=12"] - totals["d=6 t=12"]).mean())
    # relapse pairs only replications assessed in both arms (replication 0 is missing)
    relapse = result.differences.set_index(["arm", "window", "outcome"]).loc[
        ("d=18 t=12", "whole_run", "relapse")
    ]
    assert relapse["n"] == 5


def test_sentences_quote_the_table_numbers() -> None:
    ts, ev = synthetic()
    result = answer(ts, ev, ARMS, OVERRIDES, names={a: f"arm {a}" for a in ARMS})
    assert len(result.sentences) == 3  # the overview, then one per comparison
    assert result.sentences[0].startswith("Of 2 comparison(s) with the reference")
    row = result.differences.set_index(["arm", "window", "outcome"]).loc[
        ("d=18 t=12", "whole_run", "cost_gbp")
    ]
    assert money(row["difference"], signed=True) in result.sentences[1]
    assert result.sentences[1].startswith("arm d=18 t=12, against arm d=6 t=12 (paired")


def test_shared_name_parts_are_said_once() -> None:
    from sim.analysis.answer import split_names

    assert split_names("18-month team; stay 12", "6-month team; stay 12") == (
        "18-month team",
        "6-month team",
        ["stay 12"],
    )


def test_unpaired_differences_use_welch() -> None:
    ts, ev = synthetic()
    result = answer(ts, ev, ARMS, OVERRIDES, paired=False)
    row = result.differences.set_index(["arm", "window", "outcome"]).loc[
        ("d=18 t=12", "whole_run", "practice_quality")
    ]
    per_rep = ts.groupby(["arm", "replication"])["practice_quality"].mean().unstack("arm")
    ci = stats.ttest_ind(per_rep["d=18 t=12"], per_rep["d=6 t=12"], equal_var=False)
    low, high = ci.confidence_interval(0.95)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-9)
    assert not bool(row["paired"])


def test_no_interval_leaves_the_outcome_range() -> None:
    ts, ev = synthetic(reps=3)
    result = answer(ts, ev, ARMS, OVERRIDES)
    windows = {w.key: w for w in result.windows}
    for row in result.estimates.to_dict("records"):
        low, high = OUTCOME_BY_NAME[row["outcome"]].range_in(windows[row["window"]])
        assert low <= row["ci_low"] <= row["mean"] <= row["ci_high"] <= high, row
    for row in result.differences.to_dict("records"):
        low, high = OUTCOME_BY_NAME[row["outcome"]].range_in(windows[row["window"]])
        assert low - high <= row["ci_low"] <= row["ci_high"] <= high - low, row


@pytest.mark.parametrize("values", [[0, 0, 0], [1, 1, 1, 1], [0, 1], [1]])
def test_bounded_methods_stay_in_range(values: list[float]) -> None:
    est = wilson_share(values)
    assert 0 <= est.ci_low <= est.value <= est.ci_high <= 1
    near_edge = bounded_mean([0.98, 0.99, 1.0, 0.2], 0, 1)
    assert near_edge.ci_high == 1.0 and near_edge.ci_low >= 0
    assert welch_difference([1.0, 1.0], [0.0, 0.0], span=1.0).ci_high <= 1.0


def test_formats() -> None:
    assert money(108_605_940) == "£109m"
    assert money(1_393_733, signed=True) == "+£1.39m"
    assert money(-672_469, signed=True) == "−£672k"
    assert share(0.34) == "34%" and share(-0.05, signed=True) == "−5.0 points"
    assert outcome_value("0-1", 0.04624, signed=True) == "+0.046"
