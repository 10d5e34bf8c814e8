"""Event outcomes per arm: Kaplan-Meier exits with censoring, Wilson relapse share, cost."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times
from scipy import stats

from sim.analysis.outcomes import outcomes_table
from sim.analysis.survival import survival_data, survival_table

EVENTS = pd.DataFrame(
    {
        "arm": ["a", "a", "a", "a", "a", "b"],
        "replication": [0, 1, 2, 3, 4, 0],
        "months_to_exit_inadequate": [10.0, np.nan, 20.0, 30.0, np.nan, np.nan],
        "censored": [0, 1, 0, 0, 0, 1],
        "relapsed_within_24m": [1.0, np.nan, 0.0, 1.0, np.nan, np.nan],
        "inspections": [3, 2, 4, 3, 3, 1],
        "grades": ["4-3", "4", "4-3-2", "4-3", "2", "4"],
        "total_cost_gbp": [1e6, 2e6, 3e6, 2e6, 2e6, 5e6],
        "leavers": [1, 2, 3, 4, 5, 6],
        "dcs_changes": [0, 1, 0, 1, 0, 1],
    }
)


def _timeseries(horizon: int = 48) -> pd.DataFrame:
    """Replication a/1 inadequate from month 6 (so censored after 42 months), others from 1;
    a/4 never inadequate."""
    rows = []
    for arm, rep in zip(EVENTS["arm"], EVENTS["replication"], strict=True):
        for month in range(1, horizon + 1):
            inadequate = (arm, rep) != ("a", 4) and not ((arm, rep) == ("a", 1) and month < 6)
            rows.append((arm, rep, month, 4.0 if inadequate else 2.0))
    return pd.DataFrame(rows, columns=["arm", "replication", "month", "ofsted_grade"])


def test_kaplan_meier_medians_equal_lifelines() -> None:
    data = survival_data(EVENTS, _timeseries())
    a = data["a"]
    np.testing.assert_allclose(a.durations, [10.0, 42.0, 20.0, 30.0])
    np.testing.assert_array_equal(a.observed, [1, 0, 1, 1])
    assert a.never_inadequate == 1
    table = survival_table(data, ["a", "b"]).set_index("arm")
    fitter = KaplanMeierFitter(alpha=0.05).fit([10.0, 42.0, 20.0, 30.0], [1, 0, 1, 1])
    bounds = np.asarray(median_survival_times(fitter.confidence_interval_), dtype=float).ravel()
    assert table.loc["a", "median_months"] == fitter.median_survival_time_
    assert (table.loc["a", "median_ci_low"], table.loc["a", "median_ci_high"]) == tuple(bounds)
    # b never leaves: censored at the horizon, median not reached
    assert np.isinf(table.loc["b", "median_months"]) and table.loc["b", "censored"] == 1


def test_outcomes_per_arm() -> None:
    table = outcomes_table(EVENTS, ["a", "b"], _timeseries()).set_index("arm")
    a, b = table.loc["a"], table.loc["b"]
    assert (a["replications"], a["exited"], a["censored"], a["never_inadequate"]) == (5, 3, 1, 1)
    ci = stats.binomtest(2, 3).proportion_ci(0.95, method="wilson")
    assert a["relapsed_share"] == pytest.approx(2 / 3) and a["relapsed_n"] == 3
    assert (a["relapsed_ci_low"], a["relapsed_ci_high"]) == pytest.approx((ci.low, ci.high))
    assert 0 <= a["total_cost_ci_low"] <= a["total_cost_mean"] == pytest.approx(2e6)
    assert a["inspections_mean"] == 3.0
    assert (b["exited"], b["censored"], b["relapsed_n"]) == (0, 1, 0)
    assert np.isnan(b["relapsed_share"])


def test_ladder_means_per_arm_and_missing_in_older_results() -> None:
    ladder = EVENTS.assign(
        months_under_notice=[12.0, 48.0, 24.0, 30.0, 0.0, 60.0],
        directions=[0, 1, 0, 1, 0, 1],
        trusts=[0, 1, 0, 0, 0, 0],
    )
    table = outcomes_table(ladder, ["a", "b"], _timeseries()).set_index("arm")
    a = table.loc["a"]
    assert (a["months_under_notice_mean"], a["directions_mean"], a["trusts_mean"]) == (
        pytest.approx(22.8),
        pytest.approx(0.4),
        pytest.approx(0.2),
    )
    older = outcomes_table(EVENTS, ["a"], _timeseries()).iloc[0]
    assert np.isnan(older["directions_mean"])  # events written before the ladder
