"""Calibration (DESIGN §6, issue 2): the baseline reference LA against national figures.

The bands are the national ranges of 2017-2025 (sim.analysis.calibration.TARGETS). The model's
figure is the mean over 16 replications of each replication's last-12-month mean. Its standard error
(measured at two seeds: ≈1 point for turnover, vacancy and agency rates, whose last year depends on
the LA's grade history; ≈0.1 for caseload; ≈0.4 for re-referrals; ≈0.2 for timeliness) is below
the bands' half-widths (1.5-5 points), and the long-run means sit near the bands' centres
(turnover 14.0, vacancy 15.6, agency 13.8 over 8 × 40 years), so a pass is not luck and a drift of
more than about a half-width fails.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis.calibration import check_calibration, long_run_checks, targets_table
from sim.scenario.loader import load_scenario
from tests.validation.conftest import replicate

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "reference" / "baseline.yaml"


def as_frame(outputs) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    frames = []
    for r, out in enumerate(outputs):
        df = pd.DataFrame(out.timeseries)
        df.insert(0, "month", np.arange(1, len(df) + 1))
        df.insert(0, "replication", r)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


@pytest.mark.slow
def test_baseline_sits_inside_every_national_band() -> None:
    scenario = load_scenario(BASELINE)
    table = check_calibration(as_frame(replicate(scenario, 16, seed=scenario.seed)))
    failing = table[~table["ok"]]
    assert failing.empty, failing.to_string()
    assert (table["se"] < (table["high"] - table["low"]) / 2).all()


@pytest.mark.slow
def test_long_run_grades_and_director_changes_match_england() -> None:
    """Director changes 0.22-0.45 a year; share of months in each grade within 12 points of
    England's March 2025 mix. 8 replications × 40 years = 3,840 months; the shares' standard error
    across replications is ≈3 points, well inside the 12-point tolerance."""
    scenario = load_scenario(BASELINE, overrides={"horizon_years": 40})
    outputs = replicate(scenario, 8, seed=scenario.seed)
    table = long_run_checks(
        as_frame(outputs), np.array([o.events["dcs_changes"] for o in outputs]), 40.0
    )
    failing = table[~table["ok"]]
    assert failing.empty, table.to_string()


def test_targets_table_cites_every_row() -> None:
    table = targets_table()
    assert (table["low"] < table["high"]).all()
    assert table["citation"].str.len().gt(10).all()
