"""``summary.csv`` of a population run: intervals over replications, or over posterior draws.

Hand-made national tables, so every value is known exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.experiment.population_summary import mean_interval, national_summary
from sim.model.national_aggregates import NATIONAL_COLUMNS


def _national(values: list[float], draws: list[int] | None) -> pd.DataFrame:
    """One arm, one replication per value, two months each holding that value."""
    rows = []
    for rep, value in enumerate(values):
        for month in (1, 2):
            row = {"arm": "a", "replication": rep, "month": month}
            if draws is not None:
                row["draw"] = draws[rep]
            rows.append(row | dict.fromkeys(NATIONAL_COLUMNS, value))
    return pd.DataFrame(rows)


def test_without_draws_the_interval_is_over_replications() -> None:
    values = [11.0, 12.0, 14.0, 17.0]  # the interval lies inside 0-100: not clipped
    summary = national_summary(_national(values, None), ["a", "absent"])
    assert list(summary.columns) == [
        "arm", "metric", "mean", "sd", "ci_low", "ci_high", "p10", "p90", "n"
    ]  # fmt: skip
    assert len(summary) == len(NATIONAL_COLUMNS)  # an arm with no rows is left out
    row = summary.iloc[0]
    low, high = stats.t.interval(0.95, 3, loc=np.mean(values), scale=stats.sem(values))
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert row["n"] == 4 and row["p90"] == pytest.approx(np.quantile(values, 0.9))


def test_over_draws_the_interval_is_over_the_draw_means() -> None:
    values, draws = [21.0, 22.0, 24.0, 27.0, 29.0, 29.0], [0, 0, 1, 1, 2, 2]
    row = national_summary(_national(values, draws), ["a"]).iloc[0]
    means = [21.5, 25.5, 29.0]
    low, high = stats.t.interval(0.95, 2, loc=np.mean(means), scale=stats.sem(means))
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert (row["interval_over"], row["draws"], row["n"]) == ("draws", 3, 6)
    assert row["sd"] == pytest.approx(np.std(values, ddof=1))  # spread: every replication
    assert row["p10"] == pytest.approx(np.quantile(values, 0.1))


def test_one_value_has_no_interval() -> None:
    mean, low, high = mean_interval(np.array([3.0]))
    assert mean == 3.0 and np.isnan(low) and np.isnan(high)
    assert np.isnan(mean_interval(np.array([]))[0])


def test_intervals_are_clipped_to_what_a_column_can_take() -> None:
    """A wide interval of a small non-negative count stops at 0, a percentage's at 100."""
    values = [0.0, 0.0, 0.0, 3.0]  # t-interval of the mean: -2.4 to 3.9
    summary = national_summary(_national(values, None), ["a"]).set_index("metric")
    low, high = stats.t.interval(0.95, 3, loc=np.mean(values), scale=stats.sem(values))
    assert low < 0
    assert summary.loc["adhoc_teams_formed", "ci_low"] == 0.0
    assert summary.loc["adhoc_teams_formed", "ci_high"] == pytest.approx(high)
    near_full = [99.0, 99.0, 99.0, 100.0]
    pct = national_summary(_national(near_full, None), ["a"]).set_index("metric")
    assert pct.loc["agency_rate_pct", "ci_high"] == 100.0
    assert pct.loc["caseload_per_fte", "ci_high"] > 100.0  # not a percentage: not clipped
