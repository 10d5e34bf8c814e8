"""What the curves mark besides the means: months under intervention and months with a new
Ofsted grade, per arm.

A month counts when most replications of the arm (more than half) were under intervention at its
end, or received a different graded judgement in it. Months are returned in years since the
start of recording; month ``m`` covers ``[(m - 1) / 12, m / 12]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.analysis.stats import MetricReader, curve_table
from sim.model.output import TASK_KEYS, series_keys
from sim.scenario.units import MONTHS_PER_YEAR

#: Share of replications above which a month counts as "under intervention" / "new grade".
MAJORITY = 0.5
INTERVENTION_METRIC, GRADE_METRIC = "under_intervention", "ofsted_grade"


@dataclass
class Overlay:
    """Intervention periods and new-grade months of one arm, in years."""

    intervention: list[tuple[float, float]] = field(default_factory=list)
    new_grades: list[float] = field(default_factory=list)


def spans(months: np.ndarray) -> list[tuple[float, float]]:
    """Runs of consecutive months as ``(start, end)`` in years; month m covers [m-1, m]."""
    result: list[tuple[float, float]] = []
    for month in np.sort(months):
        start = (month - 1) / MONTHS_PER_YEAR
        if result and np.isclose(result[-1][1], start):
            result[-1] = (result[-1][0], month / MONTHS_PER_YEAR)
        else:
            result.append((start, month / MONTHS_PER_YEAR))
    return result


def overlays(reader: MetricReader, arms: Sequence[str]) -> dict[str, Overlay]:
    """Per arm, months under intervention and months with a new grade (most replications)."""
    result = {str(arm): Overlay() for arm in arms}
    share = curve_table(reader(INTERVENTION_METRIC), INTERVENTION_METRIC)
    for key, group in share.groupby("arm"):
        if str(key) in result:
            months = group.loc[group["mean"] > MAJORITY, "month"].to_numpy()
            result[str(key)].intervention = spans(months)
    grades = reader(GRADE_METRIC).sort_values(list(series_keys()), kind="stable")
    grades = grades.assign(arm=grades["arm"].astype(str))
    diff = grades.groupby(list(TASK_KEYS), sort=False)[GRADE_METRIC].diff()
    grades = grades.assign(changed=(diff.fillna(0) != 0).astype(float))
    changed = grades.groupby(["arm", "month"])["changed"].mean().reset_index()
    for key, group in changed.groupby("arm"):
        if str(key) in result:
            months = group.loc[group["changed"] > MAJORITY, "month"].to_numpy()
            result[str(key)].new_grades = list(months / MONTHS_PER_YEAR)
    return result
