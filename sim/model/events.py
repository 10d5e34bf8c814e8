"""Event outcomes of one replication (the columns of events.csv, DESIGN §3)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.model.equations import DAYS_PER_MONTH
from sim.model.inspection import INADEQUATE

if TYPE_CHECKING:
    from sim.model.simulation import LocalAuthority

RELAPSE_WINDOW_MONTHS = 24  # DESIGN §3: relapse within 24 months of the intervention's end


def months_to_exit_inadequate(la: LocalAuthority) -> tuple[float, int]:
    """Months from the first inadequate state (at the start, or the first inadequate judgement) to
    the first later judgement that is not inadequate; NaN and censored=1 if it never comes."""
    start = la.warmup if la.s.initial.grade == INADEQUATE else math.inf
    history = la.inspectorate.history
    if math.isinf(start):
        start = next((t for t, g in history if g == INADEQUATE), math.inf)
    if math.isinf(start):
        return math.nan, 0
    exit_time = next((t for t, g in history if t > start and g != INADEQUATE), None)
    if exit_time is None:
        return math.nan, 1
    return (exit_time - start) / DAYS_PER_MONTH, 0


def relapsed_within_24m(la: LocalAuthority) -> float:
    """1 if, within 24 months of the first intervention's end, the LA was judged inadequate again or
    its practice quality fell below its level at the intervention's start; NaN without a finished
    intervention. Months after the end of the run are not observed."""
    iv = la.intervention
    if not la.quality_at_start or iv.first_end > la.end:
        return math.nan
    window_end = iv.first_end + RELAPSE_WINDOW_MONTHS * DAYS_PER_MONTH
    if any(iv.first_end <= t < window_end and g == INADEQUATE for t, g in la.inspectorate.history):
        return 1.0
    months = la.warmup + DAYS_PER_MONTH * np.arange(1, la.n_months + 1)
    in_window = (months >= iv.first_end) & (months < window_end)
    quality = la.recorder.data["practice_quality"][in_window]
    return float(bool(np.any(quality < la.quality_at_start[0])))


def event_outcomes(la: LocalAuthority) -> dict[str, Any]:
    """All event outcomes of a finished replication."""
    months, censored = months_to_exit_inadequate(la)
    recorded = [(t, g) for t, g in la.inspectorate.history if t >= la.warmup]
    return {
        "months_to_exit_inadequate": months,
        "censored": censored,
        "relapsed_within_24m": relapsed_within_24m(la),
        "inspections": len(recorded),
        "grades": "-".join(str(g) for _, g in recorded),
        "total_cost_gbp": la.cumulative_cost,
        "leavers": la.leavers_recorded,
        "dcs_changes": la.leadership.changes_since(la.warmup),
    }
