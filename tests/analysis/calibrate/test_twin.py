"""Identical twin: targets simulated from known parameters are recovered by the study.

Tolerance: the truth must lie inside the posterior's 5-95% weighted interval of each parameter.
The twin's record carries its own chance (another seed, 8 replications, se from their spread) and
the likelihood adds that se, a small discrepancy and the replicate variance, so the 90% interval
is wide enough to cover the truth unless the fit is biased; the seeds are fixed, so the test is
deterministic.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd

from sim.analysis.calibrate import calibrate
from sim.analysis.calibrate.config import load_study
from sim.analysis.calibrate.noise import likelihood_noise
from tests.analysis.calibrate.conftest import TRUTH, assert_truth_recovered, write_study


def test_twin_recovers_known_parameters(twin_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "files"
    shutil.copytree(twin_folder, folder)
    file = write_study(folder)
    found = calibrate(file, out=tmp_path / "out")
    posterior = pd.read_parquet(tmp_path / "out" / "posterior.parquet")
    assert abs(posterior["weight"].sum() - 1.0) < 1e-9
    assert not posterior[list(TRUTH)].duplicated().any()  # distinct parameter sets
    assert_truth_recovered(posterior)
    assert found.fit.waves[0].remaining_after < 1.0  # wave 1 ruled some space out
    assert (tmp_path / "out" / "report.html").stat().st_size > 10_000

    # How much of the simulated likelihood is chance: in the manifest and the report; two
    # identical replications of every set have none.
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    noise = manifest["likelihood_noise"]
    assert noise["sets"] == len(found.fit.posterior_stats) and noise["within_sd"] > 0
    assert "log units (SD) between replications" in (tmp_path / "out" / "report.html").read_text()
    study = load_study(file)
    twins = [[reps[0], reps[0]] for reps in found.fit.posterior_stats]
    same = likelihood_noise(found.fit.outputs, study.targets, twins, study.spec.discrepancy)
    assert same.within_sd == 0.0 and same.between_sd > 0
    one = [[reps[0]] for reps in found.fit.posterior_stats]
    assert math.isnan(
        likelihood_noise(found.fit.outputs, study.targets, one, study.spec.discrepancy).within_sd
    )
