"""Refinement rounds of the emulated posterior (``refine_rounds`` in a calibration file's
``study:``; docs/calibration.md, "Session 17").

The waves train the emulators on runs spread over the space still standing; the emulated
posterior then lives in a small part of it, where the emulators have seen few runs and are
overconfident (study 8: half of the ensemble's outputs within 2 emulator SDs). Each round runs
``refine_points`` parameter sets drawn from the pool by the current emulated likelihood,
tempered until its effective size is four times the points (so the round spreads over the
posterior rather than repeating its mode) and drawn without replacement (with
``refine_sampler: pmc``, drawn so from a population Monte Carlo sample of the emulated
posterior, :mod:`sim.analysis.calibrate.pmc`, instead of the pool: study 9's pool was too sparse
for its likelihood, ESS 9.1 -> 1.1 over its rounds), adds their runs to the
training set, and refits the emulators: a sequential design for calibration in the spirit of
Kennedy and O'Hagan 2001 and of Wilkinson 2014's refocused ABC emulators. Before refitting,
the round's runs check the emulators that chose them (``within_share``), the honest measure of
how well the previous emulators knew the posterior's region.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sim.analysis.calibrate.emulate import Emulator
from sim.analysis.calibrate.emulated import (
    effective_size,
    emulated_log_likelihood,
    emulator_check,
    emulator_proposal,
    normalised_weights,
)
from sim.analysis.calibrate.likelihood import Output, output_means
from sim.analysis.calibrate.simulator import Stats

#: A round's draw is tempered until its effective size is this many times its points.
SPREAD = 4.0
#: Journal stage of refinement round ``n``: ``refine<n>``.
STAGE = "refine{}"


@dataclass
class Refinement:
    """One round's record."""

    number: int
    points: int
    runs: int
    ess_before: float  # the emulated posterior's over the pool, before this round's refit
    ess_after: float
    within_share: float  # this round's runs within 2 SDs of the emulators that chose them
    seconds: float


@dataclass
class Refined:
    """The emulators after the rounds, and what the rounds ran."""

    emulator: Emulator
    log_lik: np.ndarray  # the pool's emulated log-likelihood under ``emulator``
    rounds: list[Refinement]
    values: list[np.ndarray]
    stats: list[list[list[Stats]]]


def tempered_draw(log_lik: np.ndarray, points: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``points`` distinct pool members drawn without replacement from the emulated
    likelihood tempered (``exp(β log L)``, largest β in (0, 1]) until its effective size
    ``1 / Σ p²`` is :data:`SPREAD` × points (or the pool's size)."""
    finite = np.where(np.isfinite(log_lik), log_lik, np.nanmin(log_lik[np.isfinite(log_lik)]))
    q = emulator_proposal(log_g=finite, effective_size=SPREAD * points, defensive_share=0.0)
    size = min(points, int(np.count_nonzero(q)))
    return np.sort(rng.choice(len(log_lik), size=size, replace=False, p=q))


def refine(
    *,
    emulator: Emulator,
    train_x: np.ndarray,
    train_y: np.ndarray,
    pool: np.ndarray,
    outputs: Sequence[Output],
    rounds: int,
    points: int,
    seed: int,
    loo_scaled: bool,
    design: Callable[[str, Callable[[], np.ndarray]], np.ndarray],
    run: Callable[[str, np.ndarray], tuple[np.ndarray, list[list[Stats]]]],
    sample: Callable[[Emulator, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
) -> Refined:
    """Run ``rounds`` refinement rounds (the module docstring).

    ``design(stage, make)`` returns a stage's unit-cube design (the journal's, or ``make()``
    saved); ``run(stage, unit)`` runs it and returns the parameter values and every
    replication's statistics. ``train_x`` and ``train_y`` are the runs (unit cube, output
    means) the last wave's emulators were fitted on. ``sample(emulator, log_lik)``, given the
    round's emulator and the pool's emulated log-likelihood under it, returns the points a
    round draws from and their log weights (``refine_sampler: pmc``: a population Monte Carlo
    sample); none: the pool and its log-likelihood.
    """
    done: list[Refinement] = []
    values: list[np.ndarray] = []
    stats: list[list[list[Stats]]] = []
    log_lik = emulated_log_likelihood(emulator, outputs, pool, loo_scaled=loo_scaled)
    for number in range(1, rounds + 1):
        clock = time.perf_counter()
        stage = STAGE.format(number)

        def make(
            log_lik: np.ndarray = log_lik, number: int = number, emulator: Emulator = emulator
        ) -> np.ndarray:
            rng = np.random.default_rng([seed, 6, number])
            source, log_w = (pool, log_lik) if sample is None else sample(emulator, log_lik)
            return source[tempered_draw(log_w, points, rng)]

        unit = design(stage, make)
        round_values, round_stats = run(stage, unit)
        means = output_means(list(outputs), round_stats)
        check = emulator_check(emulator, unit, means, outputs, loo_scaled=loo_scaled)
        train_x, train_y = np.vstack([train_x, unit]), np.vstack([train_y, means])
        emulator = Emulator(train_x, train_y)
        after = emulated_log_likelihood(emulator, outputs, pool, loo_scaled=loo_scaled)
        done.append(
            Refinement(
                number,
                len(unit),
                sum(len(reps) for reps in round_stats),
                effective_size(normalised_weights(log_lik)),
                effective_size(normalised_weights(after)),
                check.within_share,
                time.perf_counter() - clock,
            )
        )
        values.append(round_values)
        stats.append(round_stats)
        log_lik = after
    return Refined(emulator, log_lik, done, values, stats)
