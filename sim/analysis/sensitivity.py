"""Global sensitivity analysis of an experiment file's ``uncertain:`` section (SALib).

For every sample point of a Morris or Sobol' design over the uncertain parameters, every arm
of the file runs ``replications`` times (common random numbers across arms and points, see
:mod:`sim.analysis.sensitivity_runs`). The outcomes are summary means of monthly metrics and
event outcomes. Outputs (``csc-sim sensitivity``):

``sensitivity.csv``  indices per parameter x outcome x arm (and ``all``, the mean over arms):
                     Morris ``mu_star, mu_star_conf, sigma, mu``; Sobol' ``S1, S1_conf, ST, ST_conf``
``tornado.png``      parameters ranked by mu_star (or ST) for the main (first) outcome
``robustness.csv``   how often each arm beats its comparator across the sample points, and
                     which parameters flip that (:mod:`sim.analysis.robustness`)
``samples.csv``      every sample point x arm: parameter values and outcomes
``manifest.json``    the design, timings and versions

Example
-------
>>> from sim.analysis.sensitivity import sensitivity
>>> found = sensitivity("scenarios/experiments/intervention_length_x_leadership.yaml",
...                     samples=4, replications=1, workers=2, horizon_years=5)  # doctest: +SKIP
>>> print(found.render())  # doctest: +SKIP
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

import numpy as np

from sim.analysis.robustness import comparisons, robustness_table
from sim.analysis.sensitivity_indices import (
    METHODS,
    POSTERIOR_METHOD,
    Problem,
    build_problem,
    indices_table,
    sample,
)
from sim.analysis.sensitivity_result import SensitivityResult
from sim.analysis.sensitivity_runs import Design, check_outcomes, evaluate
from sim.experiment.errors import RunInputError
from sim.experiment.posterior import check_draws, load_draws
from sim.scenario.errors import ScenarioError
from sim.scenario.loader import load_scenario
from sim.scenario.scenario import Scenario
from sim.scenario.sweep import Arm, expand_arms, validate_uncertain

DEFAULT_OUTCOMES: tuple[str, ...] = (
    "practice_quality",
    "cost_cumulative_gbp",
    "ofsted_grade",
    "relapsed_within_24m",
)
#: Replications per sample point and arm: small, since the design's many points average out
#: chance; common random numbers keep differences between points from being noise.
DEFAULT_REPLICATIONS = 2
#: Default design sizes: Morris trajectories (Campolongo et al. 2007 use 10-20; 8 keeps the
#: 12-arm headline experiment at 1,920 ten-year runs, ~10-20 minutes on 2 cores) and Sobol'
#: base samples (a power of two; ~17,000 runs for the headline: use Dask or shorten it).
DEFAULT_SAMPLES: dict[str, int] = {"morris": 8, "sobol": 64}
#: Fewest trajectories / base samples that give a bootstrap interval.
MIN_SAMPLES = 2
PathLike = str | os.PathLike[str]


def _check_options(
    method: str, samples: int, replications: int, horizon_years: float | None
) -> None:
    if method not in METHODS:
        raise RunInputError(
            "--method", f"unknown method '{method}'.", f"Choose one of: {', '.join(METHODS)}."
        )
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < MIN_SAMPLES:
        raise RunInputError(
            "--samples", f"must be a whole number of at least {MIN_SAMPLES}, got {samples!r}."
        )
    if method == "sobol" and samples & (samples - 1):
        raise RunInputError(
            "--samples",
            f"Sobol' sampling needs a power of two, got {samples}.",
            "Try 32, 64 or 128.",
        )
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise RunInputError(
            "--replications", f"must be a whole number of at least 1, got {replications!r}."
        )
    if horizon_years is not None and not horizon_years > 0:
        raise RunInputError("--horizon-years", f"must be more than 0, got {horizon_years}.")


def sensitivity(
    source: PathLike,
    method: str = "morris",
    samples: int | None = None,
    replications: int = DEFAULT_REPLICATIONS,
    workers: int = 1,
    executor: str | None = None,
    scheduler: str | None = None,
    out: PathLike | None = None,
    outcomes: Sequence[str] | None = None,
    horizon_years: float | None = None,
    seed: int | None = None,
    progress: bool | None = None,
    posterior: PathLike | None = None,
) -> SensitivityResult:
    """Run a global sensitivity analysis of a scenario or sweep file's ``uncertain:`` section.

    Parameters
    ----------
    source
        The scenario or sweep file.
    method
        ``"morris"`` (screening; ``samples`` trajectories of k + 1 points) or ``"sobol"``
        (variance-based; ``samples`` base samples, a power of two, k + 2 points each).
    samples
        Design size; default :data:`DEFAULT_SAMPLES`.
    replications
        Replications per sample point and arm.
    workers, executor, scheduler, progress
        As for :func:`sim.run`.
    out
        Folder to write (replaced whole); ``None`` writes nothing.
    outcomes
        Metrics or event outcomes; default :data:`DEFAULT_OUTCOMES`. The first is the main one.
    horizon_years
        Override the file's horizon (shorter runs for a quick look).
    seed
        Base seed (default the file's); also seeds the design.
    posterior
        A calibration's ``posterior.parquet``: the sample points are ``samples`` parameter sets
        drawn from it (weighted resampling, default 20) instead of a design over the
        ``uncertain:`` box; the indices are Spearman rank correlations over the draws
        (:data:`POSTERIOR_METHOD`; Morris and Sobol' need a box) and the robustness table is
        over the draws. Fields the arms set are left to the arms.

    Raises
    ------
    ScenarioError
        Bad file, ``uncertain:`` section or option (exit code 2 on the command line).
    RunFailedError
        Replications raised.
    """
    if posterior is not None:
        method = POSTERIOR_METHOD
        samples = check_draws(samples)
    else:
        samples = DEFAULT_SAMPLES.get(method, 0) if samples is None else samples
        _check_options(method, samples, replications, horizon_years)
    names = check_outcomes(list(outcomes or DEFAULT_OUTCOMES))
    file = str(source)
    scenario = load_scenario(
        file, overrides={"horizon_years": horizon_years} if horizon_years else None
    )
    if posterior is not None:
        _check_options("morris", MIN_SAMPLES, replications, horizon_years)
        run_seed = int(scenario.seed if seed is None else seed)
        arms = expand_arms(scenario, source=file)
        problem, points = posterior_design(scenario, arms, posterior, samples, run_seed)
        return _finish(scenario, file, method, samples, replications, run_seed, problem, points,
                       arms, names, workers, executor, scheduler, progress, out, horizon_years)  # fmt: skip
    if not scenario.uncertain:
        raise ScenarioError(
            file,
            "uncertain",
            "has no uncertain parameters to analyse.",
            "Add an `uncertain:` section: dotted path -> {low, high, distribution}.",
        )
    validate_uncertain(scenario, source=file)
    arms = expand_arms(scenario, source=file)
    varied = sorted({p for arm in arms for p in arm.overrides} & set(scenario.uncertain))
    if varied:
        raise ScenarioError(
            file,
            f"uncertain.{varied[0]}",
            f"'{varied[0]}' is varied by the file's arms; it cannot also be uncertain.",
        )
    problem = build_problem(scenario, file)
    run_seed = int(scenario.seed if seed is None else seed)
    points = sample(problem, method, samples, run_seed)
    return _finish(scenario, file, method, samples, replications, run_seed, problem, points,
                   arms, names, workers, executor, scheduler, progress, out, horizon_years)  # fmt: skip


def posterior_design(
    scenario: Scenario, arms: Sequence[Arm], posterior: PathLike, draws: int, seed: int
) -> tuple[Problem, np.ndarray]:
    """Sample points drawn from a posterior: the parameters (less those the arms set, which
    stay the arms'), their range over the drawn sets, and ``(draws, n_parameters)`` values."""
    drawn = load_draws(posterior, draws, seed, 1)
    varied = {p for arm in arms for p in arm.overrides}
    paths = [p for p in drawn.parameters[0] if p not in varied]
    notes = [
        f"{len(drawn.ids)} parameter sets drawn by weight from {posterior} (rows "
        f"{', '.join(map(str, drawn.ids))}); Morris/Sobol' indices need a box, so parameters are "
        "ranked by |Spearman rho| with the outcome over the draws."
    ]
    if varied & set(drawn.parameters[0]):
        notes.append(
            f"Set by the arms, not drawn: {', '.join(sorted(varied & set(drawn.parameters[0])))}."
        )
    if not paths:
        raise RunInputError(
            f"--posterior {posterior}", "every parameter it holds is set by the arms."
        )
    points = np.array([[float(params[p]) for p in paths] for params in drawn.parameters])
    integer = []
    for path in paths:
        value: object = scenario
        for part in path.split("."):
            value = getattr(value, part)
        integer.append(isinstance(value, int) and not isinstance(value, bool))
    problem = Problem(
        paths=paths,
        lows=[float(v) for v in points.min(axis=0)],
        highs=[float(v) for v in points.max(axis=0)],
        distributions=["posterior"] * len(paths),
        integer=integer,
        notes=notes,
    )
    return problem, points


def _finish(
    scenario: Scenario,
    file: str,
    method: str,
    samples: int,
    replications: int,
    run_seed: int,
    problem: Problem,
    points: np.ndarray,
    arms: Sequence[Arm],
    names: list[str],
    workers: int,
    executor: str | None,
    scheduler: str | None,
    progress: bool | None,
    out: PathLike | None,
    horizon_years: float | None,
) -> SensitivityResult:
    """Run the design, compute the indices and the robustness table, and write ``out``."""
    design = Design(arms, problem.paths, points, problem.integer)
    clock = time.perf_counter()
    values = evaluate(design, names, replications, run_seed, workers, executor, scheduler, progress)
    seconds = time.perf_counter() - clock
    labels = [arm.label for arm in arms]
    result = SensitivityResult(
        scenario=scenario.name,
        method=method,
        samples=samples,
        replications=replications,
        seed=run_seed,
        problem=problem,
        arms=labels,
        points=points,
        outcome_names=names,
        outcomes=values,
        indices=indices_table(problem, method, points, values, names, labels, run_seed),
        robustness=robustness_table(
            comparisons(arms), values, names, points, problem.paths, problem.lows, problem.highs
        ),
        seconds=seconds,
    )
    if out is not None:
        result.save(out, file, horizon_years)
    return result
