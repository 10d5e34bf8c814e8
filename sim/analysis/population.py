"""Views of a population (England) run, whose time series has an ``la`` column (DESIGN §4.9).

* **National curves**: per arm, replication and month, one national value per metric: the sum
  over LAs of quantities that add up (counts, FTE, pounds, LAs under intervention) and the
  unweighted mean over LAs of rates, shares, grades and per-FTE ratios. Its curves then come
  from :func:`~sim.analysis.stats.curve_table` like a single LA's. When the run wrote its own
  national aggregates, prefer those; this is the fallback for a frame without them.
* **LA table**: per arm and LA, the mean over replications of each metric's per-replication
  statistic (:func:`~sim.analysis.stats.replication_values`: the mean of the last 12 months, or
  the final value of a cumulative metric).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sim.analysis.stats import replication_values
from sim.model.metrics import METRIC_BY_NAME
from sim.model.output import series_keys

LA_COLUMN = "la"
#: Units of metrics that add up across LAs; the others are averaged over LAs.
ADDITIVE_UNITS: frozenset[str] = frozenset(
    {"referrals/month", "cases", "FTE", "GBP", "changes", "people", "0/1"}
)


def is_population(timeseries: pd.DataFrame) -> bool:
    """Whether the frame holds several LAs (an ``la`` column)."""
    return LA_COLUMN in timeseries.columns


def is_additive(metric: str) -> bool:
    """Whether a metric's national value is the sum over LAs (else the mean over LAs)."""
    known = METRIC_BY_NAME.get(metric)
    return known is not None and known.unit in ADDITIVE_UNITS


def national_frame(timeseries: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    """Columns ``arm, replication, month, <metrics>``: one national value per month.

    Parameters
    ----------
    timeseries
        A population time series (columns ``arm, replication, month, la, <metrics>``).
    metrics
        The metrics to aggregate (see the module docstring for sum against mean).
    """
    keys = list(series_keys())
    grouped = timeseries.groupby(keys, observed=True, sort=True)
    parts = [grouped[m].sum() if is_additive(m) else grouped[m].mean() for m in metrics]
    return pd.concat(parts, axis=1).reset_index()


def la_table(timeseries: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    """One row per arm and LA: ``arm, la, <metric>...`` (mean of the per-replication statistic).

    Parameters
    ----------
    timeseries
        A population time series (columns ``arm, replication, month, la, <metrics>``).
    metrics
        The metrics to tabulate.
    """
    frame = timeseries.copy()
    arm = frame["arm"].astype(str)
    la = frame[LA_COLUMN].astype(str)
    # replication_values groups by arm and replication; an arm-and-LA key gives one row per LA.
    frame["arm"] = arm + "\x1f" + la
    columns = []
    for metric in metrics:
        values = replication_values(frame.loc[:, [*series_keys(), metric]], metric)
        columns.append(values.groupby("arm", sort=True)["value"].mean().rename(metric))
    table = pd.concat(columns, axis=1).reset_index(names="key")
    split = table["key"].str.split("\x1f", n=1, expand=True)
    table.insert(0, "arm", split[0])
    table.insert(1, LA_COLUMN, split[1])
    return table.drop(columns="key")
