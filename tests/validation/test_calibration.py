"""Calibration (DESIGN §6, issue 2): the baseline reference LA against national figures.

The bands are the national ranges of 2017-2025 (sim.analysis.calibration.TARGETS). The model's
figure is the mean over 16 replications of each replication's last-12-month mean.

Tolerance. Workforce rates vary a lot between replications: each replication's Ofsted grade
history shifts its recruitment for years, so the 16-replication mean has a standard error of
0.7-1.5 points for turnover, vacancy and agency rates (0.1 for caseload, 0.3-0.4 for re-referrals,
0.2 for timeliness). The long-run means (8 × 40 years: turnover 13.8, vacancy 15.6, agency 13.8)
sit inside the bands, agency 0.8 points above its floor of 13. A strict "estimate inside the band"
test would then fail for about one random-number realisation in six, whenever a change alters how
variates are consumed, while the model itself has not moved. The test therefore fails when the
estimate is outside its band by more than 2 standard errors (the model is then significantly
outside, at about 2.5% one-sided), and the standard error must be below the band's half-width. Drift
inside the bands is caught by `csc-sim regress` against the blessed references.
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
    allowance = 2.0 * table["se"]
    outside = table[
        (table["model"] < table["low"] - allowance) | (table["model"] > table["high"] + allowance)
    ]
    assert outside.empty, table.to_string()
    assert (table["se"] < (table["high"] - table["low"]) / 2).all(), table.to_string()


@pytest.fixture(scope="module")
def long_run_table() -> pd.DataFrame:
    """8 replications × 40 years of the baseline (3,840 months); the grade shares' standard
    error across replications is ≈3 points, well inside the 12-point tolerance."""
    scenario = load_scenario(BASELINE, overrides={"horizon_years": 40})
    outputs = replicate(scenario, 8, seed=scenario.seed)
    return long_run_checks(
        as_frame(outputs), np.array([o.events["dcs_changes"] for o in outputs]), 40.0
    )


@pytest.mark.slow
def test_long_run_director_changes_match_england(long_run_table: pd.DataFrame) -> None:
    """Director changes 0.22-0.45 a year (a calibration target too: calibration/england.yaml)."""
    row = long_run_table[long_run_table["metric"] == "dcs_changes_per_year"]
    assert bool(row["ok"].all()), long_run_table.to_string()


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="validation miss under the calibrated defaults (session 8, docs/calibration.md): the "
    "posterior's gain rate (3.19/year) lifts the baseline LA's practice quality, so over 40 years "
    "it is outstanding 50% of months against England's 23.5% and requires improvement 7.8% "
    "against 20.3%. The grade mix is not a target of calibration/england.yaml (it is of "
    "calibration/england_population.yaml), so it was not tuned; strict, so this fails once the "
    "mix is met again and the mark must go.",
)
def test_long_run_grades_match_england(long_run_table: pd.DataFrame) -> None:
    """Share of months in each grade within 12 points of England's March 2025 mix."""
    grades = long_run_table[long_run_table["metric"].str.startswith("grade_")]
    assert bool(grades["ok"].all()), long_run_table.to_string()


def test_targets_table_cites_every_row() -> None:
    table = targets_table()
    assert (table["low"] < table["high"]).all()
    assert table["citation"].str.len().gt(10).all()
