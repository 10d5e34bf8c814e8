"""The model's statistics of one replication, in the definitions of calibration/targets.csv.

Every function takes one replication of a population run (all its LAs) and returns
``{target id: value}`` for the ids of ``calibration/targets.csv`` it computes
(``sim/analysis/targets/`` builds those from the record; the definitions match):

* the CSWW census series: at 30 September of each year, national ratios of totals over LAs
  (so FTE-weighted, as the DfE computes England's row): turnover = leavers in the year ÷ FTE in
  post, vacancy = vacant ÷ (vacant + employed), agency = agency ÷ (agency + employed), caseload =
  allocated cases ÷ case holders (employed + agency);
* the grade mix at 31 March 2025 (share of LAs in each grade);
* transitions between consecutive graded judgements, the first in the ILACS era (from 2018);
* the Kaplan-Meier share of inadequate spells (from an inadequate judgement to the next better
  one; censored at the end of the run) still inadequate 2, 3, 4 and 5 years on;
* mean months between consecutive graded judgements, by the grade of the first;
* the cliff edge: each LA's own CSWW rates in the censuses two before to three after each of
  its inadequate judgements in the ILACS era (0: the first 30 September on or after it), mean
  over judgements (a simple mean of LAs' rates, as the record's).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.backcast.judgements import Judgement
from sim.analysis.targets.workforce import CLIFF_OFFSETS, CSWW_METRICS, census_year
from sim.model.output import LA, MONTH
from sim.scenario.units import MONTHS_PER_YEAR

GRADES: tuple[int, ...] = (1, 2, 3, 4)
INADEQUATE = 4
SURVIVAL_YEARS: tuple[int, ...] = (2, 3, 4, 5)
#: Month of the CSWW census (30 September).
CENSUS_MONTH = 9
#: The first year of ILACS judgements (the record's transitions start in January 2018).
ILACS_FROM_YEAR = 2018
#: The cliff edge's measures: the record's metric names, which are also the columns of a
#: population run's timeseries (offsets: the record's ``CLIFF_OFFSETS``).
CLIFF_METRICS: tuple[str, ...] = tuple(CSWW_METRICS.values())


def truncate(history: Sequence[Judgement], end_month: int) -> list[Judgement]:
    """The judgements up to ``end_month``: everything before the first dated one after it (an
    undated judgement just before that one is kept; its month is unknown)."""
    out: list[Judgement] = []
    for j in history:
        if not math.isnan(j.month) and j.month > end_month:
            break
        out.append(j)
    return out


def census_series(timeseries: pd.DataFrame, dates: pd.Series) -> dict[str, float]:
    """National CSWW rates at each 30 September of the run.

    Parameters
    ----------
    timeseries
        One replication's rows (every LA): ``month``, ``employed_fte``, ``agency_fte``,
        ``vacancy_fte``, ``turnover_rate_pct``, ``caseload_per_fte``.
    dates
        Calendar month-end date of each model month (index: month).
    """
    out: dict[str, float] = {}
    for month, date in dates.items():
        if date.month != CENSUS_MONTH:
            continue
        rows = timeseries[timeseries["month"] == month]
        employed = rows["employed_fte"].to_numpy(dtype=float)
        agency = rows["agency_fte"].to_numpy(dtype=float)
        vacant = rows["vacancy_fte"].to_numpy(dtype=float)
        leavers = rows["turnover_rate_pct"].to_numpy(dtype=float) / 100.0 * employed
        cases = rows["caseload_per_fte"].to_numpy(dtype=float) * (employed + agency)
        year = date.year
        out[f"csww_turnover_rate_pct_{year}"] = 100.0 * leavers.sum() / employed.sum()
        out[f"csww_vacancy_rate_pct_{year}"] = 100.0 * vacant.sum() / (vacant + employed).sum()
        out[f"csww_agency_rate_pct_{year}"] = 100.0 * agency.sum() / (agency + employed).sum()
        out[f"csww_caseload_per_fte_{year}"] = cases.sum() / (employed + agency).sum()
    return out


def grade_mix(final_grades: Sequence[int]) -> dict[str, float]:
    """Share of LAs in each grade (``grade_mix_2025_<g>``) from the grades in force at the end."""
    grades = np.asarray(final_grades, dtype=int)
    return {f"grade_mix_2025_{g}": float(np.mean(grades == g)) for g in GRADES}


@dataclass(frozen=True)
class Counts:
    """Counts behind a share: ``k`` of ``n``."""

    k: int
    n: int


def transition_counts(
    histories: Mapping[str, Sequence[Judgement]], ilacs_from_month: int
) -> dict[str, Counts]:
    """Next graded judgement per origin grade, over consecutive pairs whose first judgement is in
    the ILACS era (month ``>= ilacs_from_month``; an undated first judgement counts, as it lies
    after a dated one or after the start)."""
    pairs: list[tuple[int, int]] = []
    for history in histories.values():
        for first, second in zip(history[:-1], history[1:], strict=True):
            if math.isnan(first.month) or first.month >= ilacs_from_month:
                pairs.append((first.grade, second.grade))
    out = {}
    for origin in GRADES:
        n = sum(1 for a, _ in pairs if a == origin)
        for g in GRADES:
            k = sum(1 for a, b in pairs if a == origin and b == g)
            out[f"transition_{origin}_to_{g}"] = Counts(k, n)
    return out


def transitions(
    histories: Mapping[str, Sequence[Judgement]], ilacs_from_month: int
) -> dict[str, float]:
    """Shares of the next grade per origin (NaN for an origin with no re-inspection)."""
    counts = transition_counts(histories, ilacs_from_month)
    return {key: c.k / c.n if c.n else math.nan for key, c in counts.items()}


@dataclass(frozen=True)
class Spells:
    """Inadequate spells: durations (years), whether each ended, and how many were undated."""

    years: np.ndarray
    exited: np.ndarray
    undated: int


def inadequate_spells(
    histories: Mapping[str, Sequence[Judgement]], end_month: int, ilacs_from_month: int
) -> Spells:
    """Spells from an inadequate judgement in the ILACS era (the first of a run of them) to the
    next better judgement, censored at ``end_month``. A spell whose first inadequate judgement
    is undated (an LA inadequate at the start judged inadequate again) is left out and counted."""
    years: list[float] = []
    exited: list[int] = []
    undated = 0
    for history in histories.values():
        start: float | None = None
        for j in history:
            if j.grade == INADEQUATE and start is None:
                if math.isnan(j.month):
                    undated += 1
                    start = math.inf  # skip to the end of this run of inadequate judgements
                elif j.month >= ilacs_from_month:
                    start = j.month
            elif j.grade != INADEQUATE and start is not None:
                if math.isfinite(start):
                    years.append((j.month - start) / MONTHS_PER_YEAR)
                    exited.append(1)
                start = None
        if start is not None and math.isfinite(start):
            years.append((end_month - start) / MONTHS_PER_YEAR)
            exited.append(0)
    return Spells(np.asarray(years, dtype=float), np.asarray(exited, dtype=int), undated)


def survival(spells: Spells) -> dict[str, float]:
    """Kaplan-Meier share still inadequate at 2, 3, 4 and 5 years (lifelines; NaN without
    spells, or beyond the longest follow-up)."""
    if len(spells.years) == 0:
        return {f"still_inadequate_{y}y": math.nan for y in SURVIVAL_YEARS}
    from lifelines import KaplanMeierFitter

    fitter = KaplanMeierFitter().fit(spells.years, event_observed=spells.exited)
    horizon = float(spells.years.max())
    return {
        f"still_inadequate_{y}y": float(fitter.survival_function_at_times(y).iloc[0])
        if y <= horizon
        else math.nan
        for y in SURVIVAL_YEARS
    }


def interval_gaps(
    histories: Mapping[str, Sequence[Judgement]], ilacs_from_month: int
) -> dict[int, list[float]]:
    """Months between consecutive graded judgements, by the grade of the first (completed
    intervals whose two judgements are dated, the first in the ILACS era)."""
    gaps: dict[int, list[float]] = {g: [] for g in GRADES}
    for history in histories.values():
        for first, second in zip(history[:-1], history[1:], strict=True):
            if math.isnan(first.month) or math.isnan(second.month):
                continue
            if first.month >= ilacs_from_month:
                gaps[first.grade].append(second.month - first.month)
    return gaps


def intervals(
    histories: Mapping[str, Sequence[Judgement]], ilacs_from_month: int
) -> dict[str, float]:
    """Mean of :func:`interval_gaps` by grade (``interval_after_<g>_months``; NaN when none)."""
    gaps = interval_gaps(histories, ilacs_from_month)
    return {
        f"interval_after_{g}_months": float(np.mean(v)) if v else math.nan for g, v in gaps.items()
    }


def cliff_edge(
    timeseries: pd.DataFrame,
    histories: Mapping[str, Sequence[Judgement]],
    dates: pd.Series,
    ilacs_from_month: int,
) -> tuple[dict[str, float], dict[str, float]]:
    """The workforce around an inadequate judgement (``cliff_<metric>_<offset:+d>``), and the
    number of judgements behind each value.

    Each dated inadequate judgement in the ILACS era (month ``>= ilacs_from_month``) is placed
    in the census year of its month's end (the first 30 September on or after it: offset 0);
    the LA's own rates in the census ``offset`` years on are averaged over the judgements whose
    census falls inside the run (NaN where none does).
    """
    stamps = dict(
        zip((int(m) for m in dates.index), pd.DatetimeIndex(dates.to_numpy()), strict=True)
    )
    census = {d.year: m for m, d in stamps.items() if d.month == CENSUS_MONTH}
    table = timeseries[list(CLIFF_METRICS)].to_numpy(dtype=float)
    keys = zip(timeseries[LA].astype(str), timeseries[MONTH].astype(int), strict=True)
    rows = {key: table[i] for i, key in enumerate(keys)}
    values: dict[tuple[str, int], list[float]] = {
        (metric, off): [] for metric in CLIFF_METRICS for off in CLIFF_OFFSETS
    }
    for la, history in histories.items():
        for j in history:
            if j.grade != INADEQUATE or math.isnan(j.month) or j.month < ilacs_from_month:
                continue
            zero = census_year(stamps[int(j.month)])
            for off in CLIFF_OFFSETS:
                at = census.get(zero + off)
                row = rows.get((la, at)) if at is not None else None
                if row is None:
                    continue
                for metric, value in zip(CLIFF_METRICS, row, strict=True):
                    values[(metric, off)].append(float(value))
    stats, counts = {}, {}
    for (metric, off), found in values.items():
        key = f"cliff_{metric}_{off:+d}"
        stats[key] = float(np.mean(found)) if found else math.nan
        counts[key] = float(len(found))
    return stats, counts
