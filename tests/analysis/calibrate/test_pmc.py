"""Population Monte Carlo over the emulated posterior (``posterior_sampler: pmc``): the mixture
density, a known posterior recovered from a sparse pool, and the twin end to end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from scipy.stats import multivariate_normal

from sim.analysis.calibrate import calibrate
from sim.analysis.calibrate.emulate import Emulator
from sim.analysis.calibrate.emulated import effective_size, emulated_log_likelihood, screen
from sim.analysis.calibrate.likelihood import Output
from sim.analysis.calibrate.pmc import mixture_log_density, population_monte_carlo
from tests.analysis.calibrate.conftest import (
    assert_resume_runs_nothing,
    assert_truth_recovered,
    write_study,
)
from tests.analysis.calibrate.test_proposal import LOOSE


def test_the_mixture_density_is_the_kernels_mean_mixed_with_the_prior() -> None:
    rng = np.random.default_rng(1)
    centres = rng.random((5, 3))
    cov = np.diag([0.01, 0.02, 0.005])
    x = rng.random((7, 3))
    expected = 0.9 * np.mean([multivariate_normal(c, cov).pdf(x) for c in centres], axis=0) + 0.1
    got = mixture_log_density(x, centres=centres, chol=np.linalg.cholesky(cov), defensive_share=0.1)
    np.testing.assert_allclose(np.exp(got), expected, rtol=1e-10)


class _Identity:
    """An emulator that knows the model exactly: each output is one coordinate of the point."""

    def predict(self, x: np.ndarray, *, loo_scaled: bool = False) -> tuple[np.ndarray, np.ndarray]:
        return x.copy(), np.zeros_like(x)


def _output(name: str, observed: float, sd: float) -> Output:
    return Output(name, name, name, "normal", name, 0.0, observed, sd**2, 0.0)


def test_a_narrow_posterior_is_recovered_from_a_sparse_pool() -> None:
    """The likelihood is normal about (0.3, 0.6) with SD 0.02 in each coordinate and the screen
    keeps 3 SDs about it: the posterior is that normal truncated at 3 SDs (SD 0.0197). A pool of
    2,000 uniform draws holds ~29 points inside; population Monte Carlo recovers the mean to
    0.003 (several standard errors at the ESS it reaches, asserted above 1,000) and the SD to
    10%, where the pool's own weights rest on a handful of points."""
    emulator = cast(Emulator, _Identity())
    outputs = [_output("a", 0.3, 0.02), _output("b", 0.6, 0.02)]
    unit = np.random.default_rng(2).random((2000, 2))
    pool = unit[screen([emulator], outputs, unit, cutoff=3.0, rank=1)]
    assert 10 < len(pool) < 60
    x, w = population_monte_carlo(
        emulator=emulator,
        screens=[emulator],
        outputs=outputs,
        start=pool,
        start_log_lik=emulated_log_likelihood(emulator, outputs, pool),
        iterations=4,
        draws=40_000,
        cutoff=3.0,
        rank=1,
        seed=5,
        loo_scaled=False,
    )
    assert effective_size(w) > 1000
    np.testing.assert_allclose(w @ x, [0.3, 0.6], atol=0.003)
    sd = np.sqrt(w @ (x - w @ x) ** 2)
    np.testing.assert_allclose(sd, 0.0197, rtol=0.1)
    assert np.all(np.abs(x - [0.3, 0.6]) <= 3 * 0.02 + 1e-12)  # inside the screen


def test_on_the_twin_pmc_recovers_the_truth_and_resumes(twin_folder: Path, tmp_path: Path) -> None:
    """The loose one-wave twin of test_proposal with the emulated posterior moved by population
    Monte Carlo from a small pool: the truth inside the ensemble's 90% intervals, the manifest
    and report name the sampler, and a resume gives the same posterior without a run."""
    folder = tmp_path / "files"
    shutil.copytree(twin_folder, folder)
    out = tmp_path / "out"
    file = write_study(
        folder,
        posterior_weights="emulated",
        posterior_candidates=2000,
        posterior_sampler="pmc",
        pmc_iterations=3,
        pmc_draws=20_000,
        **cast(dict[str, Any], LOOSE),
    )
    result = calibrate(file, out=out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["posterior_sampler"] == "pmc"
    assert "population Monte Carlo" in (out / "report.html").read_text()
    assert result.fit.ess > 100
    posterior = pd.read_parquet(out / "posterior.parquet")
    assert_truth_recovered(posterior)
    assert_resume_runs_nothing(file, out, result.fit.ess)

    # A change of the sampler alone (only the posterior stage's digest holds it) is seen by
    # --resume: the posterior stage is redone over the pool, the wave kept.
    lines = (out / "journal" / "runs.jsonl").read_text().splitlines()
    wave = [line for line in lines if '"stage": "wave1"' in line]
    pooled = calibrate(
        write_study(
            folder,
            posterior_weights="emulated",
            posterior_candidates=2000,
            **cast(dict[str, Any], LOOSE),
        ),
        out=out,
        resume=True,
    )
    after = (out / "journal" / "runs.jsonl").read_text().splitlines()
    assert after[: len(wave)] == wave
    assert pooled.fit.ess < result.fit.ess / 10
    # the ensemble is drawn from the pool now (before: from the PMC sample, none in the pool)
    pool = np.array(json.loads((out / "journal" / "design-pool.json").read_text()))
    unit = np.array(json.loads((out / "journal" / "design-posterior.json").read_text()))
    assert all(np.all(np.isclose(pool, row), axis=1).any() for row in unit[:, : pool.shape[1]])
    assert json.loads((out / "manifest.json").read_text())["posterior_sampler"] == "pool"
