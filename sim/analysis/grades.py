"""The chance of each Ofsted grade over time: per arm and month, the share of replications whose
last graded judgement is 1, 2, 3 or 4, with a 95% t-interval of that share.

The share is the mean of a 0/1 indicator over replications, so its interval is the one
:func:`~sim.analysis.stats.curve_table` gives every other curve (with few replications and a share
near 0 or 1 the t-interval is rough; it is labelled as a 95% confidence band like the others).
"""

from __future__ import annotations

import pandas as pd

from sim.analysis.overlays import GRADE_METRIC
from sim.analysis.stats import curve_table

GRADES: tuple[int, ...] = (1, 2, 3, 4)
GRADE_NAMES: dict[int, str] = {
    1: "outstanding",
    2: "good",
    3: "requires improvement",
    4: "inadequate",
}
GRADE_CHANCE_COLUMNS: tuple[str, ...] = ("arm", "month", "grade", "n", "share", "ci_low", "ci_high")


def grade_chance_table(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Per arm, month and grade: the share of replications holding that grade.

    Parameters
    ----------
    timeseries
        Columns ``arm, replication, month, ofsted_grade`` (others are ignored).

    Returns
    -------
    pandas.DataFrame
        Columns ``arm, month, grade, n, share, ci_low, ci_high``; ``share`` in 0-1, the
        interval clipped to 0-1.
    """
    parts = []
    for grade in GRADES:
        frame = timeseries.loc[:, ["arm", "replication", "month"]].copy()
        frame["held"] = (timeseries[GRADE_METRIC] == grade).astype(float)
        table = curve_table(frame, "held")
        table["grade"] = grade
        parts.append(table)
    table = pd.concat(parts, ignore_index=True).rename(columns={"mean": "share"})
    table["ci_low"] = table["ci_low"].clip(lower=0.0, upper=1.0)
    table["ci_high"] = table["ci_high"].clip(lower=0.0, upper=1.0)
    return table.loc[:, list(GRADE_CHANCE_COLUMNS)]
