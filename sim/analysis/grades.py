"""The Ofsted grade as the share of replications in each grade, month by month, per arm.

A mean of grades (1.79) is not a grade; the share of replications holding each judgement is.
``ofsted_grade`` in the time series is the last graded judgement at the end of each month.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

#: Grades in the order drawn (best at the bottom of the stack) and their names.
GRADE_NAMES: dict[int, str] = {
    1: "outstanding",
    2: "good",
    3: "requires improvement",
    4: "inadequate",
}
GRADE_COLUMNS: tuple[str, ...] = ("arm", "month", "grade", "share")


def grade_shares(timeseries: pd.DataFrame, arms: Sequence[str]) -> pd.DataFrame:
    """Columns ``arm, month, grade, share``: the share of the arm's replications in each grade.

    Every arm x month x grade (1-4) is present (share 0 when no replication had the grade), so
    the shares of a month add up to 1.
    """
    frame = timeseries.loc[:, ["arm", "month", "ofsted_grade"]].copy()
    frame["arm"] = frame["arm"].astype(str)
    frame["grade"] = frame.pop("ofsted_grade").round().astype(int)
    counts = frame.groupby(["arm", "month", "grade"]).size()
    totals = counts.groupby(level=["arm", "month"]).transform("sum")
    shares = (counts / totals).rename("share")
    months = sorted(frame["month"].unique())
    index = pd.MultiIndex.from_product(
        [[str(a) for a in arms], months, list(GRADE_NAMES)], names=["arm", "month", "grade"]
    )
    table = shares.reindex(index, fill_value=0.0).reset_index()
    return table.loc[:, list(GRADE_COLUMNS)]
