"""Event outcomes per arm, from ``events.csv`` (one row per replication).

* **Months to exit inadequate**: mean over the replications that exited (with its 95%
  t-interval); replications that never exited during the run are *censored* and counted
  separately, since their time to exit is only known to exceed the run.
* **Relapsed within 24 months**: share of replications with an outcome (0/1) that relapsed.
* **Total cost**: mean over replications with its 95% t-interval.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.analysis.stats import describe

OUTCOME_COLUMNS: tuple[str, ...] = (
    "arm",
    "replications",
    "exited",
    "censored",
    "months_to_exit_mean",
    "months_to_exit_ci_low",
    "months_to_exit_ci_high",
    "relapsed_share",
    "relapsed_n",
    "total_cost_mean",
    "total_cost_ci_low",
    "total_cost_ci_high",
    "inspections_mean",
)


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def arm_outcomes(events: pd.DataFrame) -> dict[str, float]:
    """Outcomes of one arm's replications (see the module docstring)."""
    months = _numeric(events, "months_to_exit_inadequate")
    flags = _numeric(events, "censored")
    censored = np.where(np.isnan(flags), np.isnan(months), flags > 0)
    exit_stats = describe(months[~censored & ~np.isnan(months)])
    relapsed = _numeric(events, "relapsed_within_24m")
    relapsed = relapsed[~np.isnan(relapsed)]
    cost = describe(_numeric(events, "total_cost_gbp"))
    inspections = _numeric(events, "inspections")
    return {
        "replications": len(events),
        "exited": exit_stats["n"],
        "censored": int(censored.sum()),
        "months_to_exit_mean": exit_stats["mean"],
        "months_to_exit_ci_low": exit_stats["ci_low"],
        "months_to_exit_ci_high": exit_stats["ci_high"],
        "relapsed_share": float(relapsed.mean()) if relapsed.size else float("nan"),
        "relapsed_n": int(relapsed.size),
        "total_cost_mean": cost["mean"],
        "total_cost_ci_low": cost["ci_low"],
        "total_cost_ci_high": cost["ci_high"],
        "inspections_mean": float(np.nanmean(inspections))
        if np.isfinite(inspections).any()
        else float("nan"),
    }


def outcomes_table(events: pd.DataFrame, arms: Sequence[str]) -> pd.DataFrame:
    """One row per arm of the event outcomes, in the given arm order."""
    labels = events["arm"].astype(str)
    rows = [{"arm": arm, **arm_outcomes(events.loc[labels == str(arm)])} for arm in arms]
    return pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS))
