"""Population Monte Carlo over the emulated posterior (``posterior_sampler: pmc`` in a
calibration file; docs/calibration.md, "Session 17").

The emulated posterior over a pool of fresh prior draws is only as good as the pool is dense
where the posterior lives: with many outputs the emulated likelihood is narrow, and study 9's
pool of 5,489 draws left standing by its waves put almost all its weight on one draw (ESS 1.1),
10 log units below the posterior's mode. Population Monte Carlo (Cappé et al. 2004) moves the
sample there: each iteration draws from a mixture of Gaussian kernels centred on the current
sample's weighted points (with a covariance from the weighted sample, as ABC-SMC's kernel,
Beaumont et al. 2009), mixed with the prior (defensive, Hesterberg 1995), keeps the draws inside
the prior box that every wave leaves standing, and weights each by emulated likelihood ÷
proposal density. The last iteration's sample, with those weights, is the emulated posterior:
prior (uniform on the unit cube) × emulated likelihood over the space the waves leave.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import logsumexp

from sim.analysis.calibrate.emulate import Emulator
from sim.analysis.calibrate.emulated import (
    emulated_log_likelihood,
    emulator_proposal,
    normalised_weights,
    screen,
)
from sim.analysis.calibrate.likelihood import Output

#: Kernel covariance as a multiple of the (tempered) weighted sample's covariance. Beaumont et
#: al.'s 2 suits a few parameters; with study 9's 19 most draws then fell outside the prior box
#: (0.3% inside) and 0.5 reached an ESS of 362 in six iterations (docs/calibration.md).
KERNEL_SCALE = 0.5
#: Kernel centres per iteration, drawn from the tempered weights.
CENTRES = 400
#: The centres are drawn from the weights tempered to this effective size, so that the kernels
#: spread over the posterior rather than sit on its heaviest point.
CENTRE_SPREAD = 200.0
#: Share of each iteration's draws from the prior (uniform on the unit cube): bounds the weights.
DEFENSIVE_SHARE = 0.1
#: Points whose mixture density is computed at once (memory: chunk × centres × dims floats).
CHUNK = 2000


def mixture_log_density(
    x: np.ndarray, *, centres: np.ndarray, chol: np.ndarray, defensive_share: float
) -> np.ndarray:
    """Log density at the rows of ``x`` of ``(1 − s) × mean_k N(centre_k, L Lᵀ) + s × 1`` (the
    prior's density on the unit cube is 1)."""
    dims = x.shape[1]
    inverse = np.linalg.inv(chol)
    log_norm = -np.sum(np.log(np.diag(chol))) - 0.5 * dims * np.log(2 * np.pi)
    out = np.empty(len(x))
    for start in range(0, len(x), CHUNK):
        z = (x[start : start + CHUNK, None, :] - centres[None]) @ inverse.T
        kernel = logsumexp(-0.5 * np.sum(z**2, axis=2), axis=1) - np.log(len(centres)) + log_norm
        out[start : start + CHUNK] = np.logaddexp(
            np.log1p(-defensive_share) + kernel, np.log(defensive_share)
        )
    return out


def population_monte_carlo(
    *,
    emulator: Emulator,
    screens: Sequence[Emulator],
    outputs: Sequence[Output],
    start: np.ndarray,
    start_log_lik: np.ndarray,
    iterations: int,
    draws: int,
    cutoff: float,
    rank: int,
    seed: int,
    loo_scaled: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """The emulated posterior as a weighted sample (unit-cube points, normalised weights).

    ``start`` is a sample of prior draws the waves leave standing (the pool), with its emulated
    log-likelihood ``start_log_lik`` under ``emulator``; ``screens`` the
    waves' emulators, whose rule (``rank``-th largest implausibility at most ``cutoff``) bounds
    the space; ``emulator`` gives the likelihood. Each of ``iterations`` draws ``draws`` points.
    """
    rng = np.random.default_rng([seed, 7])
    x, log_w = start, start_log_lik
    for _ in range(iterations):
        p = emulator_proposal(log_g=log_w, effective_size=CENTRE_SPREAD, defensive_share=0.0)
        mean = p @ x
        cov = KERNEL_SCALE * ((x - mean).T * p) @ (x - mean)
        chol = np.linalg.cholesky(cov + 1e-12 * np.eye(x.shape[1]))
        centres = x[rng.choice(len(x), size=CENTRES, p=p)]
        n_prior = int(round(DEFENSIVE_SHARE * draws))
        kernel = centres[rng.integers(CENTRES, size=draws - n_prior)]
        kernel = kernel + rng.standard_normal(kernel.shape) @ chol.T
        proposed = np.vstack([kernel, rng.random((n_prior, x.shape[1]))])
        proposed = proposed[np.all((proposed >= 0) & (proposed <= 1), axis=1)]
        proposed = proposed[screen(screens, outputs, proposed, cutoff=cutoff, rank=rank)]
        if not len(proposed):  # nothing inside: keep the last sample
            break
        x = proposed
        log_q = mixture_log_density(x, centres=centres, chol=chol, defensive_share=DEFENSIVE_SHARE)
        log_w = emulated_log_likelihood(emulator, outputs, x, loo_scaled=loo_scaled) - log_q
    return x, normalised_weights(log_w)
