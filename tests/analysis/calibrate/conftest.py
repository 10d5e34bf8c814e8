"""A tiny calibration study (2 free parameters, 2 workforce targets) written to a folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import sim
from sim.analysis.calibrate import calibrate
from sim.analysis.calibrate.fit_tables import weighted_quantiles
from sim.analysis.calibrate.simulator import BAND_METRICS
from sim.analysis.targets.rows import TARGET_COLUMNS
from sim.experiment.tasks import TaskOutput, metric_matrix
from sim.model import simulate

REPO = Path(__file__).resolve().parents[3]
BASELINE = REPO / "scenarios" / "reference" / "baseline.yaml"
#: Known parameters of the identical twin (inside the priors below, away from their edges).
TRUTH = {"workforce.leave_base_rate_per_year": 0.14, "workforce.recruitment_mean_months": 15.0}
PRIORS = {
    "workforce.leave_base_rate_per_year": {"low": 0.06, "high": 0.24},
    "workforce.recruitment_mean_months": {"low": 6, "high": 30},
}
HORIZON_YEARS = 1.0
TRUTH_REPLICATIONS = 8
TRUTH_SEED = 777  # not the study's seed: the twin's record has other chance events
#: A third of the median LA (referrals and posts): the same code at a third of the simulation
#: time (0.39 s against 1.23 s for the 2 simulated years), so the studies below stay fast.
SMALL_LA = {"demand": {"first_referrals_per_year": 900}, "workforce": {"establishment_fte": 45}}


def twin_targets(folder: Path) -> Path:
    """Targets simulated from ``TRUTH``: the mean over 8 replications, se from their spread."""
    scenario = sim.load_scenario(
        folder / "tiny.yaml", overrides={**TRUTH, "horizon_years": HORIZON_YEARS}
    )
    values = {m: [] for m in ("turnover_rate_pct", "vacancy_rate_pct")}
    for rep in range(TRUTH_REPLICATIONS):
        out = simulate(scenario, TRUTH_SEED, rep)
        matrix = metric_matrix(out.timeseries)
        task = TaskOutput(0, rep, matrix, dict(out.events), 0, 0)
        from sim.analysis.calibrate.simulator import SingleLASimulator

        stats = SingleLASimulator(scenario, None, HORIZON_YEARS, BAND_METRICS).statistics(0, task)
        for m in values:
            values[m].append(stats[m])
    rows = []
    for metric, got in values.items():
        rows.append(
            {
                "id": f"twin_{metric}",
                "group": "twin",
                "family": "normal",
                "statistic": metric,
                "description": f"{metric} simulated from known parameters",
                "observed": float(np.mean(got)),
                "n": TRUTH_REPLICATIONS,
                "k": None,
                "se": float(np.std(got, ddof=1) / np.sqrt(len(got))),
                "unit": "percent",
                "years": "twin",
                "source": "identical twin: tests/analysis/calibrate/conftest.py",
            }
        )
    path = folder / "targets.csv"
    pd.DataFrame(rows, columns=list(TARGET_COLUMNS)).to_csv(path, index=False)
    return path


def write_study(folder: Path, **changes: object) -> Path:
    """The tiny study's files in ``folder``; ``changes`` replace top-level fields."""
    (folder / "tiny.yaml").write_text(
        yaml.safe_dump({"name": "tiny", "extends": str(BASELINE), "warmup_years": 1, **SMALL_LA}),
        encoding="utf-8",
    )
    if not (folder / "targets.csv").exists():
        twin_targets(folder)
    spec = {
        "name": "twin",
        "scenario": "tiny.yaml",
        "targets_file": "targets.csv",
        "seed": 5,
        "min_ess": 5,
        "study": {
            "replications": 2,
            "waves": 2,
            "points_per_wave": 10,
            "posterior_points": 24,
            "candidates": 2000,
            "horizon_years": HORIZON_YEARS,
        },
        "quick": {
            "replications": 1,
            "waves": 1,
            "points_per_wave": 6,
            "posterior_points": 6,
            "candidates": 500,
            "horizon_years": HORIZON_YEARS,
        },
        "calibrate": PRIORS,
        "targets": ["twin_turnover_rate_pct", "twin_vacancy_rate_pct"],
        "discrepancy": {"twin": 0.3},
        **changes,
    }
    path = folder / "study.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def twin_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the tiny scenario and the twin's targets (simulated once per session)."""
    folder = tmp_path_factory.mktemp("twin")
    write_study(folder)
    return folder


def assert_truth_recovered(posterior: pd.DataFrame, *, narrower: bool = True) -> None:
    """Each twin parameter's truth inside the posterior's weighted 5-95% interval and, when
    ``narrower``, that interval narrower than the prior (the data taught the study something)."""
    assert abs(posterior["weight"].sum() - 1.0) < 1e-9
    for path, truth in TRUTH.items():
        low, high = weighted_quantiles(
            posterior[path].to_numpy(), posterior["weight"].to_numpy(), [0.05, 0.95]
        )
        assert low <= truth <= high, (path, low, high, truth)
        if narrower:
            assert high - low < PRIORS[path]["high"] - PRIORS[path]["low"]


def assert_resume_runs_nothing(file: Path, out: Path, ess: float) -> None:
    """A ``--resume`` of the finished study in ``out`` runs no replication again and writes the
    same posterior (same ESS, same ``posterior.parquet``)."""
    posterior = pd.read_parquet(out / "posterior.parquet")
    lines = (out / "journal" / "runs.jsonl").read_text().count("\n")
    again = calibrate(file, out=out, resume=True)
    assert (out / "journal" / "runs.jsonl").read_text().count("\n") == lines
    assert again.fit.ess == ess
    assert pd.read_parquet(out / "posterior.parquet").equals(posterior)
