"""Statistics of replications: the per-replication statistic, t-intervals, summary and curves.

Definitions used throughout (and stated in the report and ``docs/running-at-scale.md``):

* **Per-replication statistic** of a metric: its mean over the last 12 recorded months (all
  months when fewer were recorded), except ``cost_cumulative_gbp``, whose final value is used.
* **95% confidence interval** of a mean over ``n`` replications: ``mean ± t(0.975, n-1) · sd / √n``
  (Student's t; ``sd`` with ``n - 1`` degrees of freedom). With ``n = 1`` it is undefined (NaN).
* Intervals are clipped to the values the metric can take (:func:`value_range`: every metric
  is non-negative; shares, percentages and grades are bounded above), so no interval leaves
  the metric's range.
* **Spread**: the 10th and 90th percentiles of the replications (linear interpolation). This is
  the range of outcomes, not the uncertainty of the mean, and is labelled so.
* **Over posterior draws** (a ``draw`` column: ``csc-sim run --posterior``), the replications of
  a draw share its parameters, so they are not independent samples: the 95% interval of the
  mean is the t-interval over the K **draw means** (each the mean of its R replications; K - 1
  degrees of freedom), while mean, sd, p10, p90 and n stay pooled over every replication (they
  describe the predictive spread). ``summary.csv`` then adds ``interval_over`` (``draws``) and
  ``draws`` (K), and a curve's band is over the draw means month by month.

Data come through a *metric reader*: a function that returns the columns ``arm, replication,
month, <metric>`` (and ``draw``, when the run has one) for one metric, so a large results folder
is read one column at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from scipy import stats as scipy_stats

from sim.model.metrics import METRIC_BY_NAME, METRIC_NAMES
from sim.model.output import ARM, DRAW, MONTH, TASK_KEYS, series_keys

MetricReader = Callable[[str], pd.DataFrame]
"""Metric name -> DataFrame with columns ``arm, replication, month, <metric>``."""

CONFIDENCE = 0.95
#: Months at the end of the run averaged into the per-replication statistic.
LAST_MONTHS = 12
#: Metrics whose per-replication statistic is the final value (cumulative quantities).
FINAL_VALUE_METRICS: tuple[str, ...] = ("cost_cumulative_gbp",)
SPREAD_LOW, SPREAD_HIGH = 0.10, 0.90
SUMMARY_COLUMNS: tuple[str, ...] = (
    ARM,
    "metric",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    "p10",
    "p90",
    "n",
)
#: Columns ``summary.csv`` adds in a run over posterior draws: what the interval is over, and K.
DRAW_SUMMARY_COLUMNS: tuple[str, ...] = ("interval_over", "draws")
KEY_COLUMNS: tuple[str, ...] = series_keys()
#: Upper and lower bounds of bounded units (all metrics are non-negative).
UPPER_BOUND_BY_UNIT: dict[str, float] = {"0-1": 1.0, "%": 100.0, "0/1": 1.0, "grade": 4.0}
LOWER_BOUND_BY_UNIT: dict[str, float] = {"grade": 1.0}


def value_range(metric: str) -> tuple[float, float]:
    """Values a metric can take; intervals and bands are clipped to it (every metric is >= 0)."""
    info = METRIC_BY_NAME.get(metric)
    unit = info.unit if info else ""
    return LOWER_BOUND_BY_UNIT.get(unit, 0.0), UPPER_BOUND_BY_UNIT.get(unit, np.inf)


def frame_reader(frame: pd.DataFrame) -> MetricReader:
    """A metric reader over an in-memory ``timeseries`` table."""

    keys = [*KEY_COLUMNS, DRAW] if DRAW in frame.columns else list(KEY_COLUMNS)

    def read(metric: str) -> pd.DataFrame:
        return frame.loc[:, [*keys, metric]]

    return read


def over_draws(data: pd.DataFrame) -> bool:
    """Whether ``data`` comes from a run over posterior draws (a complete ``draw`` column)."""
    return DRAW in data.columns and not data[DRAW].isna().any()


def parquet_reader(path: Path) -> MetricReader:
    """A metric reader over ``timeseries.parquet`` that reads only the columns it needs."""

    names = pq.read_schema(path).names
    keys = [*KEY_COLUMNS, DRAW] if DRAW in names else list(KEY_COLUMNS)

    def read(metric: str) -> pd.DataFrame:
        table = pq.read_table(path, columns=[*keys, metric])
        return table.to_pandas()

    return read


def t_critical(n: np.ndarray | int, confidence: float = CONFIDENCE) -> np.ndarray:
    """Two-sided Student-t critical value for ``n`` observations (NaN when ``n < 2``)."""
    counts = np.asarray(n, dtype=float)
    dof = np.where(counts >= 2, counts - 1, np.nan)
    return np.asarray(scipy_stats.t.ppf(0.5 + confidence / 2, dof))


def t_interval(
    values: Sequence[float] | np.ndarray, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Confidence interval of the mean of ``values`` (NaN values ignored).

    Returns
    -------
    tuple of float
        ``(low, high)``; ``(nan, nan)`` with fewer than two values.
    """
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    if data.size < 2:
        return float("nan"), float("nan")
    mean = float(data.mean())
    half = float(t_critical(data.size, confidence)) * float(data.std(ddof=1)) / np.sqrt(data.size)
    return mean - half, mean + half


def describe(values: Sequence[float] | np.ndarray) -> dict[str, float]:
    """Mean, sd, 95% t-interval, 10th/90th percentiles and n of replication values."""
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    n = int(data.size)
    if n == 0:
        nan = float("nan")
        return {
            "mean": nan,
            "sd": nan,
            "ci_low": nan,
            "ci_high": nan,
            "p10": nan,
            "p90": nan,
            "n": 0,
        }
    low, high = t_interval(data)
    return {
        "mean": float(data.mean()),
        "sd": float(data.std(ddof=1)) if n > 1 else float("nan"),
        "ci_low": low,
        "ci_high": high,
        "p10": float(np.quantile(data, SPREAD_LOW)),
        "p90": float(np.quantile(data, SPREAD_HIGH)),
        "n": n,
    }


def describe_over_draws(values: np.ndarray, draws: np.ndarray) -> dict[str, float | str]:
    """:func:`describe` of replication values, with the interval over the draw means (see the
    module docstring) and ``interval_over``, ``draws``; NaN values are left out."""
    x = np.asarray(values, dtype=float)
    keep = ~np.isnan(x)
    x, d = x[keep], np.asarray(draws)[keep]
    stats: dict[str, float | str] = dict(describe(x))
    means = pd.Series(x).groupby(d, sort=True).mean().to_numpy() if x.size else np.array([])
    if x.size:
        stats["ci_low"], stats["ci_high"] = t_interval(means)
    return stats | {"interval_over": "draws", "draws": int(means.size)}


def replication_values(data: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The per-replication statistic of ``metric`` (see the module docstring).

    Parameters
    ----------
    data
        Columns ``arm, replication, month, <metric>`` (and ``draw``, carried through).
    metric
        The metric.

    Returns
    -------
    pandas.DataFrame
        Columns ``arm, replication, value`` (``arm, replication, draw, value`` with draws),
        one row per replication.
    """
    ordered = data.sort_values(list(KEY_COLUMNS), kind="stable")
    keys = [*TASK_KEYS, DRAW] if over_draws(data) else list(TASK_KEYS)
    from_end = ordered.groupby(keys, observed=True, sort=False).cumcount(ascending=False)
    window = 1 if metric in FINAL_VALUE_METRICS else LAST_MONTHS
    recent = ordered.loc[from_end.to_numpy() < window]
    values = recent.groupby(keys, observed=True, sort=True)[metric].mean()
    return values.rename("value").reset_index()


def summary_table(
    reader: MetricReader, arms: Sequence[str], metrics: Sequence[str] = METRIC_NAMES
) -> pd.DataFrame:
    """One row per arm x metric: ``arm, metric, mean, sd, ci_low, ci_high, p10, p90, n`` (and
    ``interval_over``, ``draws`` over posterior draws: the interval is then over the draw
    means; see the module docstring)."""
    rows = []
    drawn = False
    for metric in metrics:
        per_rep = replication_values(reader(metric), metric)
        drawn = DRAW in per_rep.columns
        by_arm = {
            str(arm): (group["value"].to_numpy(), group[DRAW].to_numpy() if drawn else None)
            for arm, group in per_rep.groupby("arm", observed=True)
        }
        low, high = value_range(metric)
        for arm in arms:
            values, draws = by_arm.get(str(arm), (np.array([]), np.array([])))
            stats: dict[str, float | str] = dict(
                describe_over_draws(values, draws) if drawn else describe(values)
            )
            for key in ("ci_low", "ci_high"):
                bound = float(stats[key])
                if not np.isnan(bound):
                    stats[key] = float(np.clip(bound, low, high))
            rows.append({"arm": arm, "metric": metric, **stats})
    columns = [*SUMMARY_COLUMNS, *DRAW_SUMMARY_COLUMNS] if drawn else list(SUMMARY_COLUMNS)
    return pd.DataFrame(rows, columns=columns)


def curve_table(data: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per arm and month: ``n, mean, sd, ci_low, ci_high, p10, p90`` over replications.

    Over posterior draws (a ``draw`` column) ``n``, ``mean``, ``sd`` and the interval are over
    the draw means of the month (each the mean of its replications), p10 and p90 over every
    replication (see the module docstring).

    Parameters
    ----------
    data
        Columns ``arm, replication, month, <metric>`` (and ``draw``).
    metric
        The metric.
    """
    drawn = over_draws(data)
    frame = data.loc[:, ["arm", MONTH, metric, *([DRAW] if drawn else [])]].copy()
    frame["arm"] = frame["arm"].astype(str)
    grouped = frame.groupby(["arm", MONTH], sort=True)[metric]
    if drawn:
        means = frame.groupby(["arm", MONTH, DRAW], sort=True)[metric].mean()
        table = means.groupby(level=["arm", MONTH], sort=True).agg(n="count", mean="mean", sd="std")
    else:
        table = grouped.agg(n="count", mean="mean", sd="std")
    table["p10"] = grouped.quantile(SPREAD_LOW)
    table["p90"] = grouped.quantile(SPREAD_HIGH)
    half = (
        t_critical(table["n"].to_numpy()) * table["sd"].to_numpy() / np.sqrt(table["n"].to_numpy())
    )
    low, high = value_range(metric)
    table["ci_low"] = np.clip(table["mean"] - half, low, high)
    table["ci_high"] = np.clip(table["mean"] + half, low, high)
    return table.reset_index()[
        ["arm", "month", "n", "mean", "sd", "ci_low", "ci_high", "p10", "p90"]
    ]
