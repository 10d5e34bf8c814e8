"""The emulators' view of the space: implausibility, the emulated likelihood, and the emulated
posterior (``posterior_weights: emulated``; docs/calibration.md, "Session 13").

With a simulated likelihood each parameter set's weight is ``exp(log-likelihood)`` of its own few
replications; when one replication's log-likelihood varies by more than a log unit between
replications of the same set (the England sample: 12 log units), the weights follow the luck of
the draws and the effective sample size stays near 1 however many sets are run. The emulators
average that chance out: their mean is the model's expected output at a parameter set, their
variance what they do not know of it (and the chance of a point's mean, through the white-noise
term). The emulated posterior is the emulators' likelihood over a dense set of fresh prior draws
screened by every wave (Kennedy and O'Hagan 2001; Wilkinson 2014, "Accelerating ABC methods
using Gaussian processes"): the posterior ensemble's parameter sets are drawn from it and run,
and those runs check the emulators (``emulator_check``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from sim.analysis.calibrate.emulate import Emulator
from sim.analysis.calibrate.likelihood import Output, implausibility, residual_and_variance

#: Points the emulators judge at once (bounds the memory of a screen of millions of draws).
CHUNK = 100_000
#: Standardised error inside which an emulator is judged to have predicted a run (two SDs: 95%
#: of runs of a well-calibrated emulator).
CHECK_SD = 2.0


def emulated_implausibility(
    emulator: Emulator, outputs: Sequence[Output], unit: np.ndarray
) -> np.ndarray:
    """Implausibility of each point of ``unit`` (rows) for each output under ``emulator`` (an
    output the emulator cannot predict counts as 0)."""
    mean, var = emulator.predict(unit)
    return np.nan_to_num(implausibility(outputs, mean, var), nan=0.0)


def ranked(imp: np.ndarray, rank: int) -> np.ndarray:
    """Each candidate's ``rank``-th largest implausibility (1: the largest) over the outputs
    (columns); the largest when there are fewer outputs than ``rank``."""
    k = rank if rank <= imp.shape[1] else 1
    return np.sort(imp, axis=1)[:, -k]


def screen(
    emulators: Sequence[Emulator],
    outputs: Sequence[Output],
    unit: np.ndarray,
    *,
    cutoff: float,
    rank: int,
) -> np.ndarray:
    """Indices of the points of ``unit`` that every wave's emulators leave standing (the waves'
    rule: the ``rank``-th largest implausibility at most ``cutoff``), screened wave by wave, in
    chunks of :data:`CHUNK` points."""
    kept = []
    for start in range(0, len(unit), CHUNK):
        index = np.arange(start, min(start + CHUNK, len(unit)))
        for emulator in emulators:
            if not len(index):
                break
            worst = ranked(emulated_implausibility(emulator, outputs, unit[index]), rank)
            index = index[worst <= cutoff]
        kept.append(index)
    return np.concatenate(kept) if kept else np.arange(0)


def screened_draws(
    emulators: Sequence[Emulator],
    outputs: Sequence[Output],
    rng: np.random.Generator,
    *,
    n: int,
    dims: int,
    cutoff: float,
    rank: int,
) -> np.ndarray:
    """The draws of ``n`` fresh points of the unit cube from ``rng`` that every wave's emulators
    leave standing (:func:`screen`). Drawn :data:`CHUNK` rows at a time, so memory stays that of
    one chunk; the values are those of one ``rng.random((n, dims))`` (rows fill in order)."""
    kept = []
    for start in range(0, n, CHUNK):
        chunk = rng.random((min(CHUNK, n - start), dims))
        kept.append(chunk[screen(emulators, outputs, chunk, cutoff=cutoff, rank=rank)])
    return np.concatenate(kept) if kept else np.empty((0, dims))


def emulated_log_likelihood(
    emulator: Emulator, outputs: Sequence[Output], unit: np.ndarray, *, loo_scaled: bool = False
) -> np.ndarray:
    """Log-likelihood of the record at each point of ``unit`` under the emulators: per output a
    normal density of the observed value about the emulator's mean, with variance the
    emulator's (its uncertainty and a point's chance) plus the observation and discrepancy
    variances, summed over the outputs the emulator predicts (a multinomial group's shares
    each as one output, as the screen reads them). ``loo_scaled``: the emulator's variance
    scaled by its leave-one-out errors (:meth:`Emulator.predict`)."""
    residual, total = residual_and_variance(outputs, *emulator.predict(unit, loo_scaled=loo_scaled))
    terms = -0.5 * (residual**2 / total + np.log(2 * math.pi * total))
    return np.nansum(terms, axis=1)


def normalised_weights(log_lik: np.ndarray) -> np.ndarray:
    """``exp(log_lik)`` scaled to sum to 1 (zeros where the log-likelihood is not finite)."""
    weights = np.zeros(len(log_lik))
    finite = np.isfinite(log_lik)
    if finite.any():
        weights[finite] = np.exp(log_lik[finite] - log_lik[finite].max())
        weights /= weights.sum()
    return weights


def effective_size(weights: np.ndarray) -> float:
    """Kish's effective sample size ``(Σ w)² / Σ w²`` (0 for no weight)."""
    total = float(weights.sum())
    return total**2 / float(np.sum(weights**2)) if total > 0 else 0.0


class EmulatorCheck(NamedTuple):
    """How well the last wave's emulators predicted the posterior ensemble's runs."""

    within_share: float  # of (set, output) pairs, the run's mean within CHECK_SD emulator SDs
    worst: dict[str, float]  # the outputs predicted worst: their share within
    pairs: int


def emulator_check(
    emulator: Emulator,
    unit: np.ndarray,
    run_means: np.ndarray,
    outputs: Sequence[Output],
    *,
    loo_scaled: bool = False,
) -> EmulatorCheck:
    """Standardised errors ``(run mean − emulator mean) / emulator SD`` of each run (rows) and
    output (columns): the share within :data:`CHECK_SD`, overall and for the worst five (the SD
    the posterior's likelihood used: ``loo_scaled`` as there)."""
    mean, var = emulator.predict(unit, loo_scaled=loo_scaled)
    z = np.abs(run_means - mean) / np.sqrt(np.maximum(var, 1e-12))
    ok = np.isfinite(z)
    within = (z <= CHECK_SD) & ok
    per_output = {
        o.name: float(within[:, i].sum() / ok[:, i].sum())
        for i, o in enumerate(outputs)
        if ok[:, i].any()
    }
    worst = dict(sorted(per_output.items(), key=lambda kv: kv[1])[:5])
    pairs = int(ok.sum())
    return EmulatorCheck(float(within.sum() / pairs) if pairs else math.nan, worst, pairs)


def emulator_proposal(
    *, log_g: np.ndarray, effective_size: float, defensive_share: float
) -> np.ndarray:
    """Proposal probabilities over the candidates left from the emulators' log-likelihood
    ``log_g`` (``-½ Σ implausibility²`` per candidate).

    The likelihood is tempered, ``g**β`` with the largest ``β`` in (0, 1] whose normalised
    probabilities have an effective size ``1 / Σ p²`` of at least ``effective_size`` (bisection;
    capped at the number of candidates), then mixed with the uniform: ``(1 − defensive_share) ×
    p + defensive_share / n``, so that the importance weights ``likelihood / proposal`` are
    bounded (Hesterberg 1995).
    """
    n = len(log_g)
    target = min(float(effective_size), float(n))

    def tempered(beta: float) -> np.ndarray:
        x = beta * (log_g - log_g.max())
        p = np.exp(x)
        return p / p.sum()

    def size(beta: float) -> float:
        return float(1.0 / np.sum(tempered(beta) ** 2))

    beta = 1.0
    if size(beta) < target:
        low, high = 0.0, 1.0  # size(low) = n >= target > size(high)
        for _ in range(60):  # bisection, to well below any effect on the draws
            mid = 0.5 * (low + high)
            low, high = (mid, high) if size(mid) >= target else (low, mid)
        beta = low
    return (1.0 - defensive_share) * tempered(beta) + defensive_share / n
