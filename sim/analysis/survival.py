"""Time to leave inadequate: Kaplan-Meier curves per arm, with censoring (lifelines).

A replication is *at risk* from its first inadequate state (the start of recording when it
starts inadequate, else its first inadequate judgement) until its first later judgement that
is not inadequate (``events.csv``: ``months_to_exit_inadequate``). One that never leaves is
*censored* at the end of the run: its time is known only to exceed the months it was observed
inadequate, taken from the time series as the horizon less the months before its first
recorded month graded inadequate (0 when it is inadequate from the first month). Replications
never inadequate are not at risk and are counted apart.

The median time to leave is where the curve crosses 50%, with the 95% confidence interval of
lifelines (exponential Greenwood); it is infinite (shown "not reached") when fewer than half
left inadequate during the run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.windows import INADEQUATE_GRADE
from sim.model.output import TASK_KEYS

SURVIVAL_COLUMNS: tuple[str, ...] = (
    "arm",
    "at_risk",
    "left",
    "censored",
    "never_inadequate",
    "median_months",
    "median_ci_low",
    "median_ci_high",
)


@dataclass(frozen=True)
class SurvivalData:
    """Durations (months) and whether each left inadequate (1) or was censored (0)."""

    durations: np.ndarray
    observed: np.ndarray
    never_inadequate: int


def survival_data(events: pd.DataFrame, timeseries: pd.DataFrame) -> dict[str, SurvivalData]:
    """Arm -> the durations of its replications at risk (see the module docstring).

    Parameters
    ----------
    events
        ``arm, replication, months_to_exit_inadequate, censored``.
    timeseries
        ``arm, replication, month, ofsted_grade`` (for the censoring times).
    """
    horizon = float(timeseries["month"].max())
    grades = timeseries.loc[timeseries["ofsted_grade"] == INADEQUATE_GRADE]
    first = grades.assign(arm=grades["arm"].astype(str)).groupby(list(TASK_KEYS))["month"]
    entry = first.min().to_dict()
    result: dict[str, SurvivalData] = {}
    frame = events.assign(arm=events["arm"].astype(str))
    for arm, group in frame.groupby("arm", sort=False, observed=True):
        months = pd.to_numeric(group["months_to_exit_inadequate"], errors="coerce").to_numpy()
        censored = pd.to_numeric(group["censored"], errors="coerce").fillna(0).to_numpy() > 0
        reps = group["replication"].to_numpy()
        durations, observed = [], []
        for rep, value, is_censored in zip(reps, months, censored, strict=True):
            if not math.isnan(value):
                durations.append(float(value))
                observed.append(1)
            elif is_censored:
                start = entry.get((str(arm), rep), 1)
                durations.append(horizon - (0.0 if start <= 1 else float(start)))
                observed.append(0)
        result[str(arm)] = SurvivalData(
            np.asarray(durations, dtype=float),
            np.asarray(observed, dtype=int),
            int(len(group) - len(durations)),
        )
    return result


def fit(data: SurvivalData):  # type: ignore[no-untyped-def]
    """A fitted lifelines ``KaplanMeierFitter`` (95% interval), or ``None`` with nobody at risk."""
    if data.durations.size == 0:
        return None
    from lifelines import KaplanMeierFitter

    return KaplanMeierFitter(alpha=0.05).fit(data.durations, data.observed)


def survival_table(data: dict[str, SurvivalData], arms: Sequence[str]) -> pd.DataFrame:
    """Per arm: replications at risk, left, censored, never inadequate and the median with CI."""
    from lifelines.utils import median_survival_times

    rows = []
    for arm in arms:
        item = data.get(str(arm), SurvivalData(np.array([]), np.array([], dtype=int), 0))
        fitted = fit(item)
        median = low = high = float("nan")
        if fitted is not None:
            median = float(fitted.median_survival_time_)
            bounds = median_survival_times(fitted.confidence_interval_)
            low, high = (float(v) for v in np.asarray(bounds, dtype=float).ravel()[:2])
        rows.append(
            (
                str(arm),
                int(item.durations.size),
                int(item.observed.sum()),
                int(item.durations.size - item.observed.sum()),
                item.never_inadequate,
                median,
                low,
                high,
            )
        )
    return pd.DataFrame(rows, columns=list(SURVIVAL_COLUMNS))


def survival_curves(data: dict[str, SurvivalData], arms: Sequence[str]) -> pd.DataFrame:
    """Columns ``arm, months, still_inadequate, ci_low, ci_high`` (the step functions)."""
    parts = []
    for arm in arms:
        item = data.get(str(arm))
        fitted = fit(item) if item is not None else None
        if fitted is None:
            continue
        curve = fitted.survival_function_.iloc[:, 0]
        ci = fitted.confidence_interval_
        parts.append(
            pd.DataFrame(
                {
                    "arm": str(arm),
                    "months": curve.index.to_numpy(dtype=float),
                    "still_inadequate": curve.to_numpy(dtype=float),
                    "ci_low": ci.iloc[:, 0].to_numpy(dtype=float),
                    "ci_high": ci.iloc[:, 1].to_numpy(dtype=float),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["arm", "months", "still_inadequate", "ci_low", "ci_high"])
    return pd.concat(parts, ignore_index=True)
