"""Targets from Ofsted's record of ILACS judgements (2018-2025).

Consecutive graded inspections of the same LA give the transitions; the spells from an inadequate
judgement to the next better one give the survival curve (Kaplan-Meier, censored at the end of
the record, 31 March 2025); the gaps between graded inspections give the intervals by grade.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.targets.record import GRADE_NAMES, RECORD_END
from sim.analysis.targets.rows import OFSTED, TargetRow

#: Years after an inadequate judgement at which the share still inadequate is a target.
SURVIVAL_YEARS: tuple[int, ...] = (2, 3, 4, 5)
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
INADEQUATE = 4


def grade_mix(in_force: pd.Series) -> list[TargetRow]:
    """Counts of LAs in each grade at 31 March 2025 (one multinomial group)."""
    n = len(in_force)
    counts = in_force.value_counts()
    return [
        TargetRow(
            id=f"grade_mix_2025_{g}",
            group="grade_mix_2025",
            family="multinomial",
            statistic="grade_in_force",
            description=f"LAs judged {GRADE_NAMES[g]} at 31 March 2025",
            observed=int(counts.get(g, 0)) / n,
            n=n,
            k=int(counts.get(g, 0)),
            unit="share of LAs",
            years="2025",
            source=OFSTED + ", sheet Inspections_as_at_31_March",
        )
        for g in GRADE_NAMES
    ]


def consecutive_pairs(history: pd.DataFrame) -> pd.DataFrame:
    """Each graded inspection with the LA's previous one: ``la_code, from_grade, to_grade,
    from_date, to_date, months``."""
    frame = history.sort_values(["la_code", "date"])
    previous = frame.groupby("la_code")[["grade", "date"]].shift()
    pairs = pd.DataFrame(
        {
            "la_code": frame["la_code"],
            "la_name": frame["la_name"],
            "from_grade": previous["grade"],
            "to_grade": frame["grade"],
            "from_date": previous["date"],
            "to_date": frame["date"],
        }
    ).dropna(subset=["from_grade"])
    pairs["from_grade"] = pairs["from_grade"].astype(int)
    pairs["months"] = (pairs["to_date"] - pairs["from_date"]).dt.days / DAYS_PER_MONTH
    return pairs.reset_index(drop=True)


def transitions(history: pd.DataFrame) -> list[TargetRow]:
    """Counts of next graded judgements per origin grade (one multinomial group per origin)."""
    pairs = consecutive_pairs(history)
    rows = []
    for origin in GRADE_NAMES:
        sub = pairs[pairs["from_grade"] == origin]
        n = len(sub)
        for g in GRADE_NAMES:
            k = int((sub["to_grade"] == g).sum())
            rows.append(
                TargetRow(
                    id=f"transition_{origin}_to_{g}",
                    group=f"transition_from_{origin}",
                    family="multinomial",
                    statistic=f"next_grade_from_{origin}",
                    description=(
                        f"ILACS re-inspections of LAs judged {GRADE_NAMES[origin]} that found "
                        f"them {GRADE_NAMES[g]}"
                    ),
                    observed=k / n if n else float("nan"),
                    n=n,
                    k=k,
                    unit="share of re-inspections",
                    years="2018-2025",
                    source=OFSTED
                    + ", sheet ILACS_inspection_history (consecutive graded inspections)",
                )
            )
    return rows


def inadequate_spells(history: pd.DataFrame, end: pd.Timestamp = RECORD_END) -> pd.DataFrame:
    """Spells from an inadequate judgement (the first of a run of them) to the next better one.

    Returns
    -------
    DataFrame
        ``la_code, start, years, exited`` (``exited`` 0 when still inadequate at ``end``: censored).
    """
    spells = []
    for code, frame in history.sort_values("date").groupby("la_code"):
        start = None
        for date, grade in zip(frame["date"], frame["grade"], strict=True):
            if grade == INADEQUATE and start is None:
                start = date
            elif grade != INADEQUATE and start is not None:
                spells.append((code, start, (date - start).days / DAYS_PER_YEAR, 1))
                start = None
        if start is not None:
            spells.append((code, start, (end - start).days / DAYS_PER_YEAR, 0))
    return pd.DataFrame(spells, columns=["la_code", "start", "years", "exited"])


def survival(history: pd.DataFrame) -> list[TargetRow]:
    """Kaplan-Meier share still inadequate 2, 3, 4 and 5 years after an inadequate judgement."""
    from lifelines import KaplanMeierFitter

    spells = inadequate_spells(history)
    fitter = KaplanMeierFitter().fit(spells["years"], event_observed=spells["exited"])
    table = fitter.event_table
    rows = []
    for years in SURVIVAL_YEARS:
        share = float(fitter.survival_function_at_times(years).iloc[0])
        # Greenwood's variance of the Kaplan-Meier estimate up to this time.
        upto = table[(table.index <= years) & (table["observed"] > 0)]
        at_risk = upto["at_risk"].to_numpy(dtype=float)
        died = upto["observed"].to_numpy(dtype=float)
        greenwood = float(np.sum(died / (at_risk * np.maximum(at_risk - died, 1e-12))))
        rows.append(
            TargetRow(
                id=f"still_inadequate_{years}y",
                group="inadequate_survival",
                family="survival",
                statistic=f"still_inadequate_{years}y",
                description=(
                    f"share of inadequate spells (from the judgement) not yet ended by a better "
                    f"graded judgement {years} years on (Kaplan-Meier, censored at 31 March 2025)"
                ),
                observed=share,
                n=len(spells),
                k=int(spells.loc[spells["years"] <= years, "exited"].sum()),
                se=share * float(np.sqrt(greenwood)),
                unit="share of spells",
                years="2018-2025",
                source=OFSTED + ", sheet ILACS_inspection_history; lifelines KaplanMeierFitter",
            )
        )
    return rows


def intervals(history: pd.DataFrame) -> list[TargetRow]:
    """Mean months between consecutive graded inspections, by the grade of the first."""
    pairs = consecutive_pairs(history)
    rows = []
    for origin in GRADE_NAMES:
        months = pairs.loc[pairs["from_grade"] == origin, "months"].to_numpy(dtype=float)
        if len(months) == 0:
            continue
        sd = float(np.std(months, ddof=1)) if len(months) > 1 else float("nan")
        rows.append(
            TargetRow(
                id=f"interval_after_{origin}_months",
                group="inspection_interval",
                family="normal",
                statistic=f"interval_after_{origin}_months",
                description=(
                    f"mean months from a graded ILACS inspection judging an LA "
                    f"{GRADE_NAMES[origin]} to its next graded inspection (completed intervals; "
                    f"median {np.median(months):.1f})"
                ),
                observed=float(np.mean(months)),
                n=len(months),
                se=sd / np.sqrt(len(months)),
                unit="months",
                years="2018-2025",
                source=OFSTED + ", sheet ILACS_inspection_history (inspection dates)",
            )
        )
    return rows
