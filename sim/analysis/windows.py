"""The answer's outcomes per replication over stated windows of the run.

Windows: years 1-3, years 8-10 and the whole run, clipped to the horizon (a window that starts
after the run ends is left out, and one that would repeat another is left out too). Outcomes of
one replication in a window of months ``first..last`` (month 1 is the first recorded month):

* ``practice_quality``: the mean of the monthly practice quality (0-1);
* ``inadequate_share``: the share of the window's months whose last graded judgement is
  inadequate (grade 4): the chance that, at a month picked at random, the service is inadequate;
* ``months_inadequate``: the number of those months;
* ``cost_gbp``: the sum of the monthly cost (£);
* ``relapse`` (whole run only, from ``events``): relapsed within 24 months of the intervention's
  end (0/1; missing when it could not be assessed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.formats import MONEY, MONTHS, QUALITY, SHARE
from sim.model.output import TASK_KEYS, series_keys
from sim.scenario.units import MONTHS_PER_YEAR

#: The grade of an inadequate judgement (DESIGN §3: 1 outstanding ... 4 inadequate).
INADEQUATE_GRADE = 4
#: Stated windows as (first year, last year), before the whole run.
WINDOW_YEARS: tuple[tuple[int, int], ...] = ((1, 3), (8, 10))
WHOLE_RUN = "whole_run"
TIMESERIES_COLUMNS: tuple[str, ...] = (
    *series_keys(),
    "practice_quality",
    "ofsted_grade",
    "cost_month_gbp",
)


@dataclass(frozen=True)
class Window:
    """Months ``first..last`` (inclusive) of the recorded run, with a name for people."""

    key: str
    label: str
    first: int
    last: int

    @property
    def months(self) -> int:
        """Length of the window in months."""
        return self.last - self.first + 1


@dataclass(frozen=True)
class Outcome:
    """One key outcome: its name, words, unit, range and which direction is better."""

    name: str
    label: str
    unit: str
    lower: float
    upper: float | None  # None: the window's length in months
    higher_is_better: bool
    whole_run_only: bool = False

    def range_in(self, window: Window) -> tuple[float, float]:
        """The values the outcome can take in ``window``."""
        upper = float(window.months) if self.upper is None else self.upper
        return self.lower, upper


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("practice_quality", "practice quality", QUALITY, 0.0, 1.0, True),
    Outcome("inadequate_share", "chance of being inadequate", SHARE, 0.0, 1.0, False),
    Outcome("months_inadequate", "months inadequate", MONTHS, 0.0, None, False),
    Outcome("relapse", "chance of relapse", SHARE, 0.0, 1.0, False, whole_run_only=True),
    Outcome("cost_gbp", "cost", MONEY, 0.0, float("inf"), False),
)
OUTCOME_BY_NAME = {o.name: o for o in OUTCOMES}


def windows_for(horizon_months: int) -> list[Window]:
    """Years 1-3, years 8-10 and the whole run, clipped to ``horizon_months``."""
    found: list[Window] = []
    for first_year, last_year in WINDOW_YEARS:
        first = (first_year - 1) * MONTHS_PER_YEAR + 1
        last = min(last_year * MONTHS_PER_YEAR, horizon_months)
        if first > horizon_months or (first == 1 and last == horizon_months):
            continue
        if last == last_year * MONTHS_PER_YEAR:
            label = f"years {first_year}–{last_year}"
        else:
            label = f"months {first}–{last}"
        found.append(Window(f"years_{first_year}_{last_year}", label, first, last))
    found.append(Window(WHOLE_RUN, "the whole run", 1, horizon_months))
    return found


def _window_values(frame: pd.DataFrame, window: Window) -> pd.DataFrame:
    inside = frame.loc[(frame["month"] >= window.first) & (frame["month"] <= window.last)]
    inside = inside.assign(inadequate=(inside["ofsted_grade"] == INADEQUATE_GRADE).astype(float))
    grouped = inside.groupby(list(TASK_KEYS), observed=True, sort=True)
    table = grouped.agg(
        practice_quality=("practice_quality", "mean"),
        inadequate_share=("inadequate", "mean"),
        months_inadequate=("inadequate", "sum"),
        cost_gbp=("cost_month_gbp", "sum"),
    ).reset_index()
    long = table.melt(list(TASK_KEYS), var_name="outcome", value_name="value")
    return long.assign(window=window.key)


def replication_outcomes(
    timeseries: pd.DataFrame, events: pd.DataFrame, windows: Sequence[Window]
) -> pd.DataFrame:
    """Columns ``arm, replication, window, outcome, value``: one row per replication and outcome.

    Parameters
    ----------
    timeseries
        At least the columns of :data:`TIMESERIES_COLUMNS`.
    events
        At least ``arm, replication, relapsed_within_24m``.
    windows
        From :func:`windows_for`.
    """
    frame = timeseries.loc[:, list(TIMESERIES_COLUMNS)].copy()
    frame["arm"] = frame["arm"].astype(str)
    parts = [_window_values(frame, window) for window in windows]
    relapse = events.loc[:, [*TASK_KEYS, "relapsed_within_24m"]].copy()
    relapse["arm"] = relapse["arm"].astype(str)
    relapse["value"] = pd.to_numeric(relapse.pop("relapsed_within_24m"), errors="coerce")
    parts.append(relapse.assign(outcome="relapse", window=WHOLE_RUN))
    table = pd.concat(parts, ignore_index=True)
    table["replication"] = table["replication"].astype(np.int64)
    return table.loc[:, [*TASK_KEYS, "window", "outcome", "value"]]
