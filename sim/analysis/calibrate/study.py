"""History matching in waves, then a posterior ensemble by importance resampling (DESIGN §6).

1. A fixed set of prior draws (``candidates``) stands for the parameter space.
2. Wave 1 runs a Latin hypercube of the priors; each later wave runs parameter sets drawn from the
   candidates not yet ruled out. After each wave, Gaussian-process emulators of every output
   (fitted on the runs inside the space still standing) give each remaining candidate its
   implausibility; a candidate whose largest implausibility (or, with ``implausibility_rank``
   k > 1, its k-th largest: Vernon et al. 2010's robust screen for many outputs) exceeds the
   cut-off (3) is ruled out. When fewer candidates stand than the next wave runs, the least
   implausible are kept (and the report says the record rules out nearly all of the space).
3. The posterior stage runs parameter sets drawn from the candidates not ruled out (prior draws
   restricted to that space, so the importance weight is the likelihood) and weights them by
   their simulated likelihood; the effective sample size ``(sum w)^2 / sum w^2`` is checked.
   With ``posterior_weights: emulated`` the posterior is instead the last wave's emulated
   likelihood over fresh prior draws every wave leaves standing (its ESS checked), from which
   the ensemble is resampled and run (:mod:`sim.analysis.calibrate.emulated`), after any
   refinement rounds that run sets drawn from it and refit the emulators on them
   (:mod:`sim.analysis.calibrate.refine`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import qmc

from sim.analysis.calibrate.config import POOL_STAGE, Study, StudySettings
from sim.analysis.calibrate.emulate import Emulator
from sim.analysis.calibrate.emulated import (
    EmulatorCheck,
    effective_size,
    emulated_implausibility,
    emulator_check,
    emulator_proposal,
    normalised_weights,
    ranked,
    screened_draws,
)
from sim.analysis.calibrate.journal import Journal
from sim.analysis.calibrate.likelihood import Output, log_likelihood, output_means
from sim.analysis.calibrate.pmc import population_monte_carlo
from sim.analysis.calibrate.prior import Prior
from sim.analysis.calibrate.refine import Refined, Refinement, refine
from sim.analysis.calibrate.runs import RunOptions, run_points
from sim.analysis.calibrate.simulator import Simulator, Stats

#: Share of the least implausible candidates used when a wave rules out the whole space.
FALLBACK_SHARE = 0.05
POSTERIOR_STAGE = "posterior"


@dataclass
class Wave:
    """One wave's record."""

    number: int
    points: int
    runs: int
    remaining_before: float
    remaining_after: float
    ruled_out_by: dict[str, float]
    seconds: float


@dataclass
class Fit:
    """Everything a finished study found."""

    prior: Prior
    outputs: list[Output]
    waves: list[Wave]
    wave_values: list[np.ndarray]
    wave_stats: list[list[list[Stats]]]
    posterior_values: np.ndarray
    posterior_stats: list[list[Stats]]
    log_lik: np.ndarray
    terms: list[dict[str, float]]
    weights: np.ndarray
    ess: float
    nroy_empty: bool
    candidates: np.ndarray
    remaining: np.ndarray
    ruled_out_by: np.ndarray
    topped_up: int
    seconds: dict[str, float] = field(default_factory=dict)
    #: "simulated" (weights from each set's runs) or "emulated" (drawn from the emulated
    #: posterior; ``ess`` is then the emulated posterior's over its pool).
    weights_basis: str = "simulated"
    #: emulated: the points the posterior is over (fresh prior draws the waves' emulators left
    #: standing, or the last population Monte Carlo iteration's).
    pool_size: int = 0
    emulator_check: EmulatorCheck | None = None
    #: emulated: the refinement rounds, and what they ran.
    refinements: list[Refinement] = field(default_factory=list)
    refine_values: list[np.ndarray] = field(default_factory=list)
    refine_stats: list[list[list[Stats]]] = field(default_factory=list)
    #: The posterior emulators' leave-one-out mean square per output, when their variance was
    #: scaled by it (``emulator_variance: loo``); None otherwise.
    loo_scales: np.ndarray | None = None


def history_match(
    study: Study,
    settings: StudySettings,
    simulator: Simulator,
    outputs: list[Output],
    journal: Journal,
    options: RunOptions,
) -> Fit:
    """Run the waves and the posterior stage (see the module docstring)."""
    prior = Prior(study.spec.calibrate)
    rng = np.random.default_rng([study.spec.seed, 1])
    unit = rng.random((settings.candidates, prior.dims))
    candidates = prior.values(unit)
    remaining = np.ones(len(unit), dtype=bool)
    # Candidates each output alone put above the cut-off, in any wave (for "which targets bind").
    flagged = np.zeros((len(unit), len(outputs)), dtype=bool)
    # Waves each candidate survived and its largest implausibility when last screened (to rank
    # the candidates when too few are left for the posterior stage).
    survived = np.zeros(len(unit), dtype=int)
    last_imp = np.zeros(len(unit))
    cutoff = study.spec.implausibility_cutoff
    rank = study.spec.implausibility_rank
    emulators: list[Emulator] = []
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    waves: list[Wave] = []
    wave_values: list[np.ndarray] = []
    wave_stats: list[list[list[Stats]]] = []
    nroy_empty = False
    started = time.perf_counter()
    for number in range(1, settings.waves + 1):
        clock = time.perf_counter()
        if not remaining.any():
            nroy_empty = True
            break

        def make(number: int = number) -> np.ndarray:
            if number == 1:
                return qmc.LatinHypercube(d=prior.dims, seed=study.spec.seed).random(
                    settings.points_per_wave
                )
            pick = np.random.default_rng([study.spec.seed, 2, number])
            index = np.flatnonzero(remaining)
            chosen = pick.choice(
                index, size=min(settings.points_per_wave, len(index)), replace=False
            )
            return unit[np.sort(chosen)]

        design = journal.design(f"wave{number}", make)
        values = prior.values(design)
        stats = run_points(f"wave{number}", values, prior, simulator, journal, options)
        xs.append(design)
        ys.append(output_means(outputs, stats))
        wave_values.append(values)
        wave_stats.append(stats)
        # Refocus: train on the runs inside the space the earlier waves left standing.
        x_all, y_all = np.vstack(xs), np.vstack(ys)
        keep = np.ones(len(x_all), dtype=bool)
        for emulator in emulators:
            keep &= ranked(emulated_implausibility(emulator, outputs, x_all), rank) <= cutoff
        if keep.sum() < 3:
            keep[:] = True
        train_x, train_y = x_all[keep], y_all[keep]
        emulator = Emulator(train_x, train_y)
        emulators.append(emulator)
        before = float(remaining.mean())
        index = np.flatnonzero(remaining)
        imp = emulated_implausibility(emulator, outputs, unit[index])
        ruled = {
            o.name: float((imp[:, i] > cutoff).sum()) / len(unit) for i, o in enumerate(outputs)
        }
        flagged[index] |= imp > cutoff
        worst = ranked(imp, rank)
        last_imp[index] = worst
        survived[index[worst <= cutoff]] += 1
        remaining[index[worst > cutoff]] = False
        if remaining.sum() < (settings.points_per_wave if number < settings.waves else 1):
            # Keep the least implausible candidates, and say so: the model misses the targets.
            nroy_empty = True
            best = index[np.argsort(worst)[: max(1, int(FALLBACK_SHARE * len(index)))]]
            remaining[best] = True
        waves.append(
            Wave(
                number,
                len(design),
                len(design) * options.replications,
                before,
                float(remaining.mean()),
                ruled,
                time.perf_counter() - clock,
            )
        )
    clock = time.perf_counter()

    index = np.flatnonzero(remaining)
    emulated = study.spec.posterior_weights == "emulated" and bool(emulators)
    topped_up = 0 if emulated else max(0, settings.posterior_points - len(index))
    pool = np.empty((0, prior.dims))
    pool_weights = np.zeros(0)
    loo = emulated and study.spec.emulator_variance == "loo"
    refined: Refined | None = None
    if emulated:
        # The emulated posterior over fresh prior draws that every wave leaves standing (or,
        # when none does, over the candidates left). Kept in the journal: a resume does not
        # screen the draws again.
        def make_pool() -> np.ndarray:
            kept = screened_draws(
                emulators,
                outputs,
                np.random.default_rng([study.spec.seed, 5]),
                n=study.spec.posterior_candidates,
                dims=prior.dims,
                cutoff=cutoff,
                rank=rank,
            )
            return kept if len(kept) else unit[index]

        pool = journal.design(POOL_STAGE, make_pool)

        def run(stage: str, unit: np.ndarray) -> tuple[np.ndarray, list[list[Stats]]]:
            values = prior.values(unit)
            return values, run_points(stage, values, prior, simulator, journal, options)

        def pmc(emulator: Emulator, log_lik: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """Population Monte Carlo from the pool (with its log-likelihood under
            ``emulator``): points and normalised weights."""
            return population_monte_carlo(
                emulator=emulator,
                screens=emulators,
                outputs=outputs,
                start=pool,
                start_log_lik=log_lik,
                iterations=study.spec.pmc_iterations,
                draws=study.spec.pmc_draws,
                cutoff=cutoff,
                rank=rank,
                seed=study.spec.seed,
                loo_scaled=loo,
            )

        def pmc_sample(emulator: Emulator, log_lik: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            x, weights = pmc(emulator, log_lik)
            with np.errstate(divide="ignore"):
                return x, np.log(weights)

        refined = refine(
            emulator=emulators[-1],
            train_x=train_x,
            train_y=train_y,
            pool=pool,
            outputs=outputs,
            rounds=settings.refine_rounds,
            points=settings.refine_points,
            seed=study.spec.seed,
            loo_scaled=loo,
            design=journal.design,
            run=run,
            sample=pmc_sample if study.spec.refine_sampler == "pmc" else None,
        )
        if study.spec.posterior_sampler == "pmc":
            # Moved from the pool to where the emulated likelihood lives (deterministic from
            # the pool, the emulators and the seed: a resume recomputes it).
            pool, pool_weights = pmc(refined.emulator, refined.log_lik)
        else:
            pool_weights = normalised_weights(refined.log_lik)

    # Guided only when the space left holds more candidates than the proposal's effective size:
    # otherwise tempering would flatten it to the uniform, drawn with replacement (fewer
    # distinct sets than the uniform pick without).
    guided = (
        not emulated
        and study.spec.posterior_proposal == "emulator"
        and topped_up == 0
        and bool(emulators)
        and len(index) > study.spec.proposal_spread * settings.posterior_points
    )

    def make_posterior() -> np.ndarray:
        pick = np.random.default_rng([study.spec.seed, 3])
        if emulated:
            # A systematic resample of the emulated posterior: each distinct set once, with the
            # times drawn (its share of the ensemble).
            rows, counts = np.unique(
                resample(pool_weights, settings.posterior_points, study.spec.seed),
                return_counts=True,
            )
            return np.column_stack([pool[rows], counts])
        if guided:
            imp = emulated_implausibility(emulators[-1], outputs, unit[index])
            q = emulator_proposal(
                log_g=-0.5 * np.sum(imp**2, axis=1),
                effective_size=study.spec.proposal_spread * settings.posterior_points,
                defensive_share=study.spec.proposal_defensive_share,
            )
            drawn = pick.choice(len(index), size=settings.posterior_points, p=q)
            rows, counts = np.unique(drawn, return_counts=True)
            # Each distinct draw once, with its proposal probability and times drawn.
            return np.column_stack([unit[index[rows]], q[rows], counts])
        if topped_up == 0:
            chosen = pick.choice(index, size=settings.posterior_points, replace=False)
        else:
            # Too few left: add the candidates that came closest (survived the most waves, then
            # least implausible), so the ensemble holds distinct parameter sets; the report says so.
            others = np.flatnonzero(~remaining)
            order = np.lexsort((last_imp[others], -survived[others]))
            chosen = np.concatenate([index, others[order[:topped_up]]])
        return unit[np.sort(chosen)]

    post_design = journal.design(POSTERIOR_STAGE, make_posterior)
    post_unit = post_design[:, : prior.dims]
    post_values = prior.values(post_unit)
    post_stats = run_points(POSTERIOR_STAGE, post_values, prior, simulator, journal, options)
    scored = [
        log_likelihood(outputs, study.targets, reps, study.spec.discrepancy) for reps in post_stats
    ]
    log_lik = np.array([s[0] for s in scored])
    if emulated:
        # Drawn from the posterior: each set's weight is its share of the draws.
        weights = post_design[:, prior.dims] / post_design[:, prior.dims].sum()
        ess = effective_size(pool_weights)
    else:
        # Importance weights: the target over the candidates left is the likelihood (they are
        # prior draws); a uniform pick's proposal is flat, an emulator-guided one's is in the
        # design.
        correction = (
            post_design[:, prior.dims + 1] / post_design[:, prior.dims]
            if post_design.shape[1] == prior.dims + 2
            else np.ones(len(post_design))
        )
        weights = normalised_weights(log_lik + np.log(correction))
        ess = effective_size(weights)
    fit = Fit(
        prior,
        outputs,
        waves,
        wave_values,
        wave_stats,
        post_values,
        post_stats,
        log_lik,
        [s[1] for s in scored],
        weights,
        ess,
        nroy_empty,
        candidates,
        remaining,
        flagged.mean(axis=0),
        topped_up,
        weights_basis="emulated" if emulated else "simulated",
        pool_size=len(pool),
        emulator_check=emulator_check(
            refined.emulator if refined else emulators[-1],
            post_unit,
            output_means(outputs, post_stats),
            outputs,
            loo_scaled=loo,
        )
        if emulators
        else None,
        refinements=refined.rounds if refined else [],
        refine_values=refined.values if refined else [],
        refine_stats=refined.stats if refined else [],
        loo_scales=refined.emulator.loo_scales if refined and loo else None,
    )
    fit.seconds = {
        "waves": clock - started,
        "posterior": time.perf_counter() - clock,
        "total": time.perf_counter() - started,
    }
    return fit


def resample(weights: np.ndarray, draws: int, seed: int) -> np.ndarray:
    """Indices of an importance resample (systematic, so counts follow the weights closely)."""
    if weights.sum() <= 0:
        return np.arange(0)
    positions = (np.random.default_rng([seed, 4]).random() + np.arange(draws)) / draws
    return np.minimum(np.searchsorted(np.cumsum(weights), positions), len(weights) - 1)


def ess_ok(fit: Fit, min_ess: float) -> bool:
    """Whether the posterior's effective sample size passes the file's check."""
    return math.isfinite(fit.ess) and fit.ess >= min_ess
