"""``summary.csv`` of a population run: per arm and national column, over replications or draws.

The statistic of a replication is the mean of a national column over the run. Per arm: the mean,
sd, 10th and 90th percentiles and n over every replication (the predictive spread), and the 95%
t-interval of the mean over the **units that are independent**: the replications, or, in a run
over posterior draws (a ``draw`` column), the K draw means (each the mean of its R replications:
the replications of a draw share its parameters, so they are not independent samples of the
posterior). With draws the table adds ``interval_over`` (``draws``) and ``draws`` (K); without,
its columns are those of a single-LA ``summary.csv``. Intervals are clipped to the values a
national column can take (:func:`column_range`), as a single LA's are.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from sim.model.national_aggregates import NATIONAL_COLUMNS
from sim.model.output import ARM, DRAW, REPLICATION

#: Quantile of Student's t for a two-sided 95% interval.
T_QUANTILE = 0.975
SPREAD_LOW, SPREAD_HIGH = 0.10, 0.90
#: National columns that are percentages (at most 100); every national column is >= 0.
PERCENT_SUFFIX = "_pct"
PERCENT_MAX = 100.0


def column_range(column: str) -> tuple[float, float]:
    """Values a national column can take: counts, rates, caseloads and £m are non-negative, and a
    percentage is at most 100."""
    return 0.0, PERCENT_MAX if column.endswith(PERCENT_SUFFIX) else np.inf


def mean_interval(x: np.ndarray) -> tuple[float, float, float]:
    """Mean of ``x`` and its 95% t-interval ``(mean, low, high)``; NaN bounds below 2 values."""
    n = len(x)
    mean = float(np.mean(x)) if n else float("nan")
    if n < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(T_QUANTILE, n - 1) * np.std(x, ddof=1) / np.sqrt(n))
    return mean, mean - half, mean + half


def national_summary(national: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """Per arm and national column: mean, sd, 95% t-interval, p10, p90, n (and, over posterior
    draws, ``interval_over`` and ``draws``; see the module docstring).

    Parameters
    ----------
    national
        ``national.parquet``: columns ``arm, replication[, draw], month, <national columns>``.
    labels
        The arms, in the run's order.
    """
    over_draws = DRAW in national.columns
    keys = [ARM, REPLICATION, DRAW] if over_draws else [ARM, REPLICATION]
    per_rep = national.groupby(keys, sort=False)[list(NATIONAL_COLUMNS)].mean().reset_index()
    rows = []
    for label in labels:
        block = per_rep.loc[per_rep[ARM] == label]
        n = len(block)
        if not n:
            continue
        units = (
            block.groupby(DRAW, sort=True)[list(NATIONAL_COLUMNS)].mean() if over_draws else block
        )
        for column in NATIONAL_COLUMNS:
            x = block[column].to_numpy(dtype=float)
            mean, low, high = mean_interval(units[column].to_numpy(dtype=float))
            low, high = np.clip([low, high], *column_range(column))
            row = {
                ARM: label,
                "metric": column,
                "mean": mean,
                "sd": float(np.std(x, ddof=1)) if n > 1 else float("nan"),
                "ci_low": float(low),
                "ci_high": float(high),
                "p10": float(np.quantile(x, SPREAD_LOW)),
                "p90": float(np.quantile(x, SPREAD_HIGH)),
                "n": n,
            }
            if over_draws:
                row |= {"interval_over": "draws", "draws": len(units)}
            rows.append(row)
    return pd.DataFrame(rows)
