"""Emulators honest about what they do not know: the leave-one-out scale of their variance, and
refinement rounds that run the emulated posterior's own region before the ensemble is drawn."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.gaussian_process import GaussianProcessRegressor

from sim.analysis.calibrate import calibrate
from sim.analysis.calibrate.emulate import Emulator
from sim.analysis.calibrate.refine import tempered_draw
from tests.analysis.calibrate.conftest import (
    assert_resume_runs_nothing,
    assert_truth_recovered,
    write_study,
)
from tests.analysis.calibrate.test_proposal import LOOSE


def _brute_loo_mean_square(model: GaussianProcessRegressor, x: np.ndarray, y: np.ndarray) -> float:
    """Refit without each run in turn (the fitted kernel, the normalisation kept) and predict it."""
    mean, sd = model._y_train_mean, model._y_train_std
    z = []
    for i in range(len(x)):
        rest = np.arange(len(x)) != i
        gp = GaussianProcessRegressor(model.kernel_, optimizer=None).fit(
            x[rest], (y[rest] - mean) / sd
        )
        mu, s = gp.predict(x[i : i + 1], return_std=True)
        z.append(((y[i] - mean) / sd - mu[0]) / s[0])
    return float(np.mean(np.square(z)))


def test_the_closed_form_leave_one_out_is_refitting_without_each_run() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((40, 3))
    y = np.sin(6 * x[:, 0]) + 0.1 * rng.standard_normal(40)
    emulator = Emulator(x, y[:, None])
    model = emulator.models[0]
    assert model is not None
    assert emulator.loo_scales[0] == pytest.approx(_brute_loo_mean_square(model, x, y), rel=1e-6)


def test_the_variance_is_scaled_only_where_the_leave_one_out_says_overconfident() -> None:
    """A smooth line is emulated honestly (mean square about 1); a scale above 1 multiplies its
    output's variance, one below 1 leaves the GP's own (never narrower than the GP)."""
    rng = np.random.default_rng(1)
    x = rng.random((40, 2))
    line = x[:, 1] + 0.02 * rng.standard_normal(40)
    emulator = Emulator(x, np.column_stack([line, line]))
    assert 0.7 < emulator.loo_scales[0] < 1.3
    emulator.loo_scales = np.array([4.0, 0.5])
    probe = rng.random((5, 2))
    mean, var = emulator.predict(probe)
    mean_scaled, var_scaled = emulator.predict(probe, loo_scaled=True)
    np.testing.assert_array_equal(mean, mean_scaled)
    np.testing.assert_allclose(var_scaled[:, 0], 4.0 * var[:, 0])
    np.testing.assert_array_equal(var_scaled[:, 1], var[:, 1])


def test_a_round_draws_distinct_sets_spread_over_the_posterior() -> None:
    """A sharp likelihood (one member holds nearly all the weight) is tempered: the round's 10
    sets are distinct, include the mode, and come from the likelihood's best members."""
    log_lik = -0.5 * np.arange(1000, dtype=float) ** 2 / 4.0  # weight falls fast with the index
    drawn = tempered_draw(log_lik, 10, np.random.default_rng(3))
    assert len(drawn) == len(set(drawn)) == 10
    assert np.all(np.diff(drawn) > 0)
    assert drawn.max() < 200  # tempered to an effective size of 40, not the uniform
    assert len(tempered_draw(np.zeros(5), 10, np.random.default_rng(3))) == 5  # a small pool


def _one_round_study(twin_folder: Path, tmp_path: Path, **fields: object) -> tuple[Path, Path]:
    """The loose one-wave twin of test_proposal with the emulated posterior and one refinement
    round of 8 sets, and ``fields``: the study file and its results folder."""
    folder = tmp_path / "files"
    shutil.copytree(twin_folder, folder)
    study = {**LOOSE, "study": {**LOOSE["study"], "refine_rounds": 1, "refine_points": 8}}  # type: ignore[dict-item]
    return write_study(folder, posterior_weights="emulated", **fields, **study), tmp_path / "out"


def test_on_the_twin_refinement_runs_the_posterior_region_and_resumes(
    twin_folder: Path, tmp_path: Path
) -> None:
    """The loose one-wave study of test_proposal with the emulated posterior, the LOO scale and
    one refinement round of 8 sets. The round's sets come from the pool (the space the wave left),
    are run and journalled under ``refine1``; the report says what the round found; the truth
    stays inside the ensemble's 90% intervals; a resume runs nothing again."""
    file, out = _one_round_study(
        twin_folder, tmp_path, posterior_candidates=20_000, emulator_variance="loo"
    )
    result = calibrate(file, out=out)
    fit = result.fit
    assert [r.number for r in fit.refinements] == [1]
    assert fit.refinements[0].points == 8 and fit.refinements[0].runs == 16
    assert 0 <= fit.refinements[0].within_share <= 1
    assert fit.loo_scales is not None and np.isfinite(fit.loo_scales).any()
    assert (out / "journal" / "design-refine1.json").is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["emulator_variance"] == "loo"
    assert manifest["refinements"][0]["points"] == 8
    # wave (10) + round (8) + the ensemble's distinct sets, 2 replications each
    assert manifest["runs"] == 2 * (10 + 8 + len(fit.weights))
    report = (out / "report.html").read_text()
    assert "Refinement (sets drawn from the emulated posterior" in report
    assert "leave-one-out mean squares" in report
    posterior = pd.read_parquet(out / "posterior.parquet")
    assert_truth_recovered(posterior)

    assert_resume_runs_nothing(file, out, fit.ess)


def test_on_the_twin_a_round_can_draw_from_a_population_monte_carlo_sample(
    twin_folder: Path, tmp_path: Path
) -> None:
    """``refine_sampler: pmc``: the round's 8 sets are drawn from a population Monte Carlo
    sample of the emulated posterior, not from the pool (none of them is a pool member), under
    their own stage digest; the truth stays inside the ensemble's 90% intervals, the manifest
    and report name the sampler, and a resume runs nothing again."""
    file, out = _one_round_study(
        twin_folder,
        tmp_path,
        posterior_candidates=2000,
        refine_sampler="pmc",
        pmc_iterations=3,
        pmc_draws=20_000,
    )
    result = calibrate(file, out=out)
    journal = out / "journal"
    pool = np.array(json.loads((journal / "design-pool.json").read_text()))
    drawn = np.array(json.loads((journal / "design-refine1.json").read_text()))
    assert len(drawn) == 8
    assert not any(np.all(np.isclose(pool, row), axis=1).any() for row in drawn)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["refine_sampler"] == "pmc"
    assert "a population Monte Carlo sample of it" in (out / "report.html").read_text()
    assert_truth_recovered(pd.read_parquet(out / "posterior.parquet"))
    assert_resume_runs_nothing(file, out, result.fit.ess)
