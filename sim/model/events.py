"""Event outcomes of one replication (the columns of events.csv, DESIGN §3)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim.model.equations import DAYS_PER_MONTH
from sim.model.inspection import INADEQUATE
from sim.model.recorder import Recorder

RELAPSE_WINDOW_MONTHS = 24  # DESIGN §3: relapse within 24 months of the intervention's end

#: An inspection history: (time in days, grade) of each graded judgement, in order.
History = list[tuple[float, int]]


def months_to_exit_inadequate(
    *, history: History, initial_grade: int, warmup_days: float
) -> tuple[float, int]:
    """Months from the first inadequate state (at the start, or the first inadequate judgement) to
    the first later judgement that is not inadequate; NaN and censored=1 if it never comes."""
    start = warmup_days if initial_grade == INADEQUATE else math.inf
    if math.isinf(start):
        start = next((t for t, g in history if g == INADEQUATE), math.inf)
    if math.isinf(start):
        return math.nan, 0
    exit_time = next((t for t, g in history if t > start and g != INADEQUATE), None)
    if exit_time is None:
        return math.nan, 1
    return (exit_time - start) / DAYS_PER_MONTH, 0


def relapsed_within_24m(
    *,
    history: History,
    recorder: Recorder,
    first_intervention_end: float,
    warmup_days: float,
    end_days: float,
) -> float:
    """1 if, within 24 months of the first intervention's end (``first_intervention_end``, days),
    the LA was judged inadequate again or its practice quality fell below its level at the
    intervention's start; NaN without a finished intervention. Months after the end of the run
    (``end_days``) are not observed."""
    quality_at_start = recorder.ledger.quality_at_start
    if not quality_at_start or first_intervention_end > end_days:
        return math.nan
    window_end = first_intervention_end + RELAPSE_WINDOW_MONTHS * DAYS_PER_MONTH
    if any(first_intervention_end <= t < window_end and g == INADEQUATE for t, g in history):
        return 1.0
    months = warmup_days + DAYS_PER_MONTH * np.arange(1, recorder.n_months + 1)
    in_window = (months >= first_intervention_end) & (months < window_end)
    quality = recorder.data["practice_quality"][in_window]
    return float(bool(np.any(quality < quality_at_start[0])))


def judgement_month(*, time_days: float, warmup_days: float) -> int:
    """The recorded month (1-based) whose month end first shows a judgement made at ``time_days``.

    Month ``m`` ends at ``warmup_days + m * DAYS_PER_MONTH``; a judgement on that day is already
    in force when the month closes, so it belongs to month ``m`` (the 1e-9 day is the model's
    time tolerance).
    """
    return max(1, math.ceil((time_days - warmup_days) / DAYS_PER_MONTH - 1e-9))


def event_outcomes(
    *,
    history: History,
    recorder: Recorder,
    initial_grade: int,
    first_intervention_end: float,
    dcs_changes: int,
    warmup_days: float,
    end_days: float,
) -> dict[str, Any]:
    """All event outcomes of a finished replication.

    Parameters
    ----------
    history
        Graded judgements (time in days, grade) of the whole run, warm-up included.
    recorder
        The LA's recorder (its metrics and ledger).
    initial_grade
        The grade the LA started with.
    first_intervention_end
        When the first intervention ended (days; ``inf`` when none was scheduled).
    dcs_changes
        Changes of director after the warm-up.
    warmup_days, end_days
        When recording started and when the run ended (days).
    """
    months, censored = months_to_exit_inadequate(
        history=history, initial_grade=initial_grade, warmup_days=warmup_days
    )
    recorded = [(t, g) for t, g in history if t >= warmup_days]
    return {
        "months_to_exit_inadequate": months,
        "censored": censored,
        "relapsed_within_24m": relapsed_within_24m(
            history=history,
            recorder=recorder,
            first_intervention_end=first_intervention_end,
            warmup_days=warmup_days,
            end_days=end_days,
        ),
        "inspections": len(recorded),
        "grades": "-".join(str(g) for _, g in recorded),
        "judgement_months": "-".join(
            str(judgement_month(time_days=t, warmup_days=warmup_days)) for t, _ in recorded
        ),
        "total_cost_gbp": recorder.ledger.cumulative_cost_gbp,
        "leavers": recorder.ledger.leavers_recorded,
        "dcs_changes": dcs_changes,
    }
