"""Event outcomes per arm, from ``events.csv`` (one row per replication): ``events_outcomes``.

* **Time to leave inadequate**: Kaplan-Meier median with its 95% interval (lifelines), with
  replications still inadequate at the end of the run censored (:mod:`sim.analysis.survival`);
  never a mean or a t-interval of a censored time.
* **Relapsed within 24 months**: share of the replications where it could be assessed, with a
  Wilson interval (inside 0-1).
* **Total cost**: mean over replications with its 95% t-interval, clipped at zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.analysis.intervals import bounded_mean, wilson_share
from sim.analysis.survival import survival_data, survival_table

OUTCOME_COLUMNS: tuple[str, ...] = (
    "arm",
    "replications",
    "at_risk",
    "exited",
    "censored",
    "never_inadequate",
    "median_months_to_exit",
    "median_ci_low",
    "median_ci_high",
    "relapsed_share",
    "relapsed_ci_low",
    "relapsed_ci_high",
    "relapsed_n",
    "total_cost_mean",
    "total_cost_ci_low",
    "total_cost_ci_high",
    "inspections_mean",
    "months_under_notice_mean",
    "directions_mean",
    "trusts_mean",
)

#: DfE's ladder (sim/model/ladder.py): outcome column -> events.csv column averaged per arm.
LADDER_MEANS: dict[str, str] = {
    "months_under_notice_mean": "months_under_notice",
    "directions_mean": "directions",
    "trusts_mean": "trusts",
}


def _mean(values: np.ndarray) -> float:
    """Mean of the finite values; NaN when there are none (e.g. a column older results lack)."""
    return float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def _months_frame(events: pd.DataFrame) -> pd.DataFrame:
    """A stand-in time series when none is given: every censored replication was observed for
    the longest time any replication took to leave (a lower bound)."""
    months = _numeric(events, "months_to_exit_inadequate")
    horizon = float(np.nanmax(months)) if np.isfinite(months).any() else 1.0
    return pd.DataFrame(
        {"arm": events["arm"].astype(str), "replication": events["replication"],
         "month": horizon, "ofsted_grade": 4.0}
    )  # fmt: skip


def outcomes_table(
    events: pd.DataFrame, arms: Sequence[str], timeseries: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per arm of the event outcomes (see the module docstring), in the given order.

    ``timeseries`` (``arm, replication, month, ofsted_grade``) gives the censoring times; without
    it censored replications count as observed up to the longest exit seen.
    """
    frame = events.assign(arm=events["arm"].astype(str))
    ts = timeseries if timeseries is not None else _months_frame(frame)
    survival = {
        str(r["arm"]): r for r in survival_table(survival_data(frame, ts), arms).to_dict("records")
    }
    rows = []
    for arm in arms:
        part = frame.loc[frame["arm"] == str(arm)]
        relapse = wilson_share(_numeric(part, "relapsed_within_24m"))
        cost = bounded_mean(_numeric(part, "total_cost_gbp"), 0.0)
        inspections = _numeric(part, "inspections")
        km = survival[str(arm)]
        rows.append(
            {
                "arm": str(arm),
                "replications": len(part),
                "at_risk": int(km["at_risk"]),
                "exited": int(km["left"]),
                "censored": int(km["censored"]),
                "never_inadequate": int(km["never_inadequate"]),
                "median_months_to_exit": km["median_months"],
                "median_ci_low": km["median_ci_low"],
                "median_ci_high": km["median_ci_high"],
                "relapsed_share": relapse.value,
                "relapsed_ci_low": relapse.ci_low,
                "relapsed_ci_high": relapse.ci_high,
                "relapsed_n": relapse.n,
                "total_cost_mean": cost.value,
                "total_cost_ci_low": cost.ci_low,
                "total_cost_ci_high": cost.ci_high,
                "inspections_mean": _mean(inspections),
                **{key: _mean(_numeric(part, column)) for key, column in LADDER_MEANS.items()},
            }
        )
    return pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS))
