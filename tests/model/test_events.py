"""Event outcomes: each graded judgement carries the month whose month end first shows it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.model import simulate
from sim.model.equations import DAYS_PER_MONTH
from sim.model.events import judgement_month
from sim.scenario.loader import load_scenario

TROUBLED = Path(__file__).parents[2] / "scenarios" / "reference" / "troubled.yaml"


def test_judgement_month_boundaries() -> None:
    warmup = 6 * DAYS_PER_MONTH
    assert judgement_month(time_days=warmup, warmup_days=warmup) == 1
    assert judgement_month(time_days=warmup + 1.0, warmup_days=warmup) == 1
    assert judgement_month(time_days=warmup + DAYS_PER_MONTH, warmup_days=warmup) == 1
    assert judgement_month(time_days=warmup + DAYS_PER_MONTH + 7.0, warmup_days=warmup) == 2


@pytest.mark.parametrize("replication", range(4))
def test_judgement_months_match_the_monthly_grades(replication: int) -> None:
    """Every judgement's month shows its grade, and every change of grade has a judgement then."""
    scenario = load_scenario(TROUBLED, {"horizon_years": 6})
    out = simulate(scenario, 20261202, replication)
    grades = [int(g) for g in str(out.events["grades"]).split("-") if g]
    months = [int(m) for m in str(out.events["judgement_months"]).split("-") if m]
    assert len(grades) == len(months) == out.events["inspections"]
    monthly = np.asarray(out.timeseries["ofsted_grade"]).astype(int)
    assert months == sorted(months) and all(1 <= m <= len(monthly) for m in months)
    for grade, month in zip(grades, months, strict=True):
        assert monthly[month - 1] == grade, (grade, month)
    changes = {m + 1 for m in range(1, len(monthly)) if monthly[m] != monthly[m - 1]}
    assert changes <= set(months)
