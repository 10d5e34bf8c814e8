"""Each LA's graded judgements, with their months, from a population run's outputs.

A results folder holds, per LA and replication, the grade in force at each month end
(``ofsted_grade`` in the time series) and the sequence of graded judgements after the warm-up
(``grades`` in events.csv, e.g. ``"3-4-2"``). A judgement that changed the grade is dated by the
first month end that shows the new grade. A judgement that found the grade in force again (a
re-inspection judging an inadequate LA inadequate once more) leaves no trace in the monthly
series, so its month is unknown (NaN); the statistics that need it (intervals, the start of an
inadequate spell) leave it out and count it. When events.csv carries ``judgement_months``
(the month of each judgement, ``-``-separated, as ``grades``), those are used as they are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Judgement:
    """One graded judgement: its grade (1 outstanding ... 4 inadequate) and the model month
    (1-based, the month whose end first shows it; NaN when the outputs do not date it)."""

    grade: int
    month: float


def parse_sequence(text: object) -> list[float]:
    """``"3-4-2"`` -> ``[3.0, 4.0, 2.0]``; a lone number (a CSV reader's ``2.0``) -> ``[2.0]``;
    an empty cell (no judgement) -> ``[]``."""
    if isinstance(text, (int, float)) and math.isfinite(text):
        return [float(text)]
    if not isinstance(text, str) or not text.strip():
        return []
    return [float(part) for part in text.split("-")]


def collapse(values: Sequence[int]) -> list[int]:
    """Runs of equal values collapsed to one (``[2, 2, 4, 4, 2]`` -> ``[2, 4, 2]``)."""
    out: list[int] = []
    for v in values:
        if not out or out[-1] != v:
            out.append(v)
    return out


def date_judgements(
    *, grades: Sequence[int], monthly_grade: np.ndarray, initial_grade: int | None = None
) -> list[Judgement]:
    """Date each recorded judgement by the month its grade first shows in the monthly series.

    Parameters
    ----------
    grades
        The graded judgements after the warm-up, in order.
    monthly_grade
        Grade in force at each month end (month 1 first).
    initial_grade
        Grade in force when recording started; default the first month's grade (a judgement in
        month 1 that changed the grade is then taken as the grade at the start: undated).

    Returns
    -------
    list of Judgement
        One per judgement, in order.

    Raises
    ------
    ValueError
        When the judgements and the monthly series disagree (not the outputs of one run).
    """
    series = [int(g) for g in np.asarray(monthly_grade)]
    start = int(series[0]) if initial_grade is None else int(initial_grade)
    changes = [m + 1 for m in range(len(series)) if series[m] != (series[m - 1] if m else start)]
    if collapse([start, *grades]) != collapse([start, *series]):
        raise ValueError(
            f"the judgements {list(grades)} do not match the monthly grades (from {start}: "
            f"{collapse([start, *series])})"
        )
    dated: list[Judgement] = []
    previous, next_change = start, 0
    for grade in grades:
        if grade != previous:
            dated.append(Judgement(int(grade), float(changes[next_change])))
            next_change += 1
        else:
            dated.append(Judgement(int(grade), math.nan))
        previous = grade
    return dated


def given_judgements(grades: Sequence[int], months: Sequence[float]) -> list[Judgement]:
    """Judgements whose months the run recorded itself (events.csv ``judgement_months``)."""
    if len(grades) != len(months):
        raise ValueError(f"{len(grades)} grades but {len(months)} judgement months")
    return [Judgement(int(g), float(m)) for g, m in zip(grades, months, strict=True)]
