"""Statistics: the t-interval against scipy, the per-replication statistic, summary and curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from sim.analysis.stats import (
    LAST_MONTHS,
    curve_table,
    describe,
    frame_reader,
    replication_values,
    summary_table,
    t_interval,
)

DATA = np.array([3.1, 4.7, 2.2, 5.9, 4.4, 3.8, 6.1])


def test_t_interval_matches_scipy() -> None:
    expected = scipy_stats.t.interval(
        0.95, df=len(DATA) - 1, loc=DATA.mean(), scale=scipy_stats.sem(DATA)
    )
    np.testing.assert_allclose(t_interval(DATA), expected, rtol=1e-12)
    np.testing.assert_allclose(
        t_interval(DATA, confidence=0.9),
        scipy_stats.t.interval(0.9, df=len(DATA) - 1, loc=DATA.mean(), scale=scipy_stats.sem(DATA)),
    )


def test_interval_is_undefined_for_fewer_than_two_values() -> None:
    assert all(np.isnan(t_interval([4.2])))
    assert all(np.isnan(t_interval([])))
    one = describe([4.2])
    assert one["mean"] == 4.2 and one["n"] == 1 and np.isnan(one["ci_low"]) and np.isnan(one["sd"])
    assert t_interval([2.0, 2.0, 2.0]) == (2.0, 2.0)  # no variation: a zero-width interval


def test_describe_gives_mean_sd_and_percentiles() -> None:
    stats = describe(np.append(DATA, np.nan))  # NaN values are ignored
    assert stats["n"] == len(DATA)
    assert stats["mean"] == pytest.approx(DATA.mean())
    assert stats["sd"] == pytest.approx(DATA.std(ddof=1))
    assert stats["p10"] == pytest.approx(np.quantile(DATA, 0.1))
    assert stats["p90"] == pytest.approx(np.quantile(DATA, 0.9))


def _frame(months: int = 15) -> pd.DataFrame:
    """Two arms x two replications; a metric equal to month + 100 x replication."""
    rows = [
        {
            "arm": arm,
            "replication": rep,
            "month": m,
            "morale": m + 100 * rep,
            "cost_cumulative_gbp": 10.0 * m,
        }
        for arm in ("a", "b")
        for rep in (0, 1)
        for m in range(months, 0, -1)  # unsorted on purpose
    ]
    return pd.DataFrame(rows)


def test_per_replication_statistic_is_the_mean_of_the_last_12_months() -> None:
    values = replication_values(_frame()[["arm", "replication", "month", "morale"]], "morale")
    assert values.columns.tolist() == ["arm", "replication", "value"]
    last = np.arange(15 - LAST_MONTHS + 1, 16).mean()
    assert values["value"].tolist() == [last, last + 100, last, last + 100]
    short = replication_values(
        _frame(months=5)[["arm", "replication", "month", "morale"]], "morale"
    )
    assert short["value"].tolist()[0] == 3.0  # fewer than 12 months: all of them


def test_cumulative_cost_uses_the_final_value() -> None:
    values = replication_values(
        _frame()[["arm", "replication", "month", "cost_cumulative_gbp"]], "cost_cumulative_gbp"
    )
    assert values["value"].tolist() == [150.0] * 4


def test_summary_table() -> None:
    table = summary_table(
        frame_reader(_frame()), ["b", "a"], metrics=["morale", "cost_cumulative_gbp"]
    )
    assert table.columns.tolist() == [
        "arm",
        "metric",
        "mean",
        "sd",
        "ci_low",
        "ci_high",
        "p10",
        "p90",
        "n",
    ]
    assert table[["arm", "metric"]].values.tolist() == [
        ["b", "morale"],
        ["a", "morale"],
        ["b", "cost_cumulative_gbp"],
        ["a", "cost_cumulative_gbp"],
    ]
    morale = table.iloc[0]
    values = np.array([9.5, 109.5])
    assert morale["mean"] == pytest.approx(values.mean()) and morale["n"] == 2
    # morale lies in 0-1: the t-interval of these (artificial) values is clipped to that range
    np.testing.assert_allclose(
        [morale["ci_low"], morale["ci_high"]], np.clip(t_interval(values), 0.0, 1.0)
    )


def test_curve_table_gives_a_band_per_month() -> None:
    curves = curve_table(_frame()[["arm", "replication", "month", "morale"]], "morale")
    row = curves.loc[(curves["arm"] == "a") & (curves["month"] == 3)].iloc[0]
    assert row["n"] == 2 and row["mean"] == 53.0
    np.testing.assert_allclose(
        [row["ci_low"], row["ci_high"]], np.clip(t_interval([3.0, 103.0]), 0.0, 1.0)
    )
    assert row["p10"] == pytest.approx(np.quantile([3.0, 103.0], 0.1))
    assert curves["month"].tolist()[:3] == [1, 2, 3]


def _drawn_frame() -> pd.DataFrame:
    """Three draws x two replications of one arm: replication r belongs to draw r // 2; the
    metric (constant over months) is 10 x draw + replication, so the draw means are known."""
    rows = [
        {"arm": "a", "replication": r, "draw": r // 2, "month": m, "morale": 10.0 * (r // 2) + r}
        for r in range(6)
        for m in range(1, 4)
    ]
    return pd.DataFrame(rows)


def test_summary_over_draws_has_its_interval_over_the_draw_means() -> None:
    """The interval is the t-interval of the 3 draw means; mean, sd, p10, p90 and n are over
    all 6 replications; the table says so (interval_over, draws)."""
    frame = _drawn_frame()
    assert "draw" in frame_reader(frame)("morale").columns
    per_rep = replication_values(frame_reader(frame)("morale"), "morale")
    assert per_rep.columns.tolist() == ["arm", "replication", "draw", "value"]
    row = summary_table(frame_reader(frame), ["a"], metrics=["morale"]).iloc[0]
    values = np.array([0.0, 1.0, 12.0, 13.0, 24.0, 25.0])
    means = np.array([0.5, 12.5, 24.5])
    assert row["interval_over"] == "draws" and row["draws"] == 3 and row["n"] == 6
    assert row["mean"] == pytest.approx(values.mean())
    assert row["sd"] == pytest.approx(values.std(ddof=1))
    assert row["p90"] == pytest.approx(np.quantile(values, 0.9))
    # morale lies in 0-1, so the interval is clipped as every summary interval is
    low, high = np.clip(t_interval(means), 0.0, 1.0)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
    wide = t_interval(means)[1] - t_interval(means)[0]
    assert wide > t_interval(values)[1] - t_interval(values)[0]  # fewer, independent units


def test_curve_band_over_draws_is_over_the_draw_means_of_the_month() -> None:
    frame = _drawn_frame().assign(morale=lambda f: f["morale"] / 100.0)
    curves = curve_table(frame, "morale")
    row = curves.loc[curves["month"] == 2].iloc[0]
    means = np.array([0.5, 12.5, 24.5]) / 100.0
    assert row["n"] == 3 and row["mean"] == pytest.approx(means.mean())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(np.clip(t_interval(means), 0, 1))
    values = np.array([0.0, 1.0, 12.0, 13.0, 24.0, 25.0]) / 100.0
    assert row["p10"] == pytest.approx(np.quantile(values, 0.1))  # spread: every replication
    unlabelled = curve_table(frame.assign(draw=np.nan), "morale")  # e.g. a mixed comparison
    assert unlabelled.loc[unlabelled["month"] == 2, "n"].iloc[0] == 6
