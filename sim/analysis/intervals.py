"""Confidence intervals that never leave an outcome's range.

* A **mean** of bounded replication values: Student's t-interval of the mean, clipped to the
  range of the values (a mean of values in ``[low, high]`` lies in ``[low, high]``).
* A **share** of replications (0/1 outcomes): the Wilson score interval (scipy), always inside
  ``[0, 1]``.
* A **difference** of means, paired by replication (common random numbers: the t-interval of
  the mean of the per-replication differences) or unpaired (Welch's t-interval); clipped to the
  range a difference can take, ``[low - high, high - low]``.

Every function returns ``(estimate, ci_low, ci_high, n)``; with fewer than two values the
interval is undefined (NaN) unless every value is the same known one.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import stats as scipy_stats

CONFIDENCE = 0.95
NAN = float("nan")


class Estimate(NamedTuple):
    """A point estimate with its 95% interval and the number of values behind it."""

    value: float
    ci_low: float
    ci_high: float
    n: int


def _clean(values: np.ndarray | list[float]) -> np.ndarray:
    data = np.asarray(values, dtype=float)
    return data[~np.isnan(data)]


def _clip(low: float, high: float, lower: float, upper: float) -> tuple[float, float]:
    if math.isnan(low) or math.isnan(high):
        return low, high
    return float(np.clip(low, lower, upper)), float(np.clip(high, lower, upper))


def _t_half_width(data: np.ndarray, confidence: float) -> float:
    if data.size < 2:
        return NAN
    sd = float(data.std(ddof=1))
    if sd == 0.0:
        return 0.0
    critical = float(scipy_stats.t.ppf(0.5 + confidence / 2, data.size - 1))
    return critical * sd / math.sqrt(data.size)


def bounded_mean(
    values: np.ndarray | list[float],
    lower: float = -math.inf,
    upper: float = math.inf,
    confidence: float = CONFIDENCE,
) -> Estimate:
    """Mean of replication values with a t-interval clipped to ``[lower, upper]``."""
    data = _clean(values)
    if data.size == 0:
        return Estimate(NAN, NAN, NAN, 0)
    mean = float(data.mean())
    half = _t_half_width(data, confidence)
    low, high = _clip(mean - half, mean + half, lower, upper)
    return Estimate(mean, low, high, int(data.size))


def wilson_share(
    values: np.ndarray | list[float], confidence: float = CONFIDENCE, method: str = "wilson"
) -> Estimate:
    """Share of 0/1 replication values with a Wilson (or ``"exact"``: Clopper-Pearson) interval."""
    data = _clean(values)
    n = int(data.size)
    if n == 0:
        return Estimate(NAN, NAN, NAN, 0)
    successes = int(np.count_nonzero(data > 0))
    ci = scipy_stats.binomtest(successes, n).proportion_ci(confidence, method=method)
    return Estimate(successes / n, float(ci.low), float(ci.high), n)


def paired_difference(
    differences: np.ndarray | list[float], span: float = math.inf, confidence: float = CONFIDENCE
) -> Estimate:
    """Mean of per-replication differences (arm minus reference) with a t-interval.

    ``span`` is the width of the outcome's range: a difference lies in ``[-span, span]``.
    """
    return bounded_mean(differences, -span, span, confidence)


def welch_difference(
    arm: np.ndarray | list[float],
    reference: np.ndarray | list[float],
    span: float = math.inf,
    confidence: float = CONFIDENCE,
) -> Estimate:
    """Difference of two independent means (arm minus reference) with Welch's t-interval."""
    a, b = _clean(arm), _clean(reference)
    if a.size == 0 or b.size == 0:
        return Estimate(NAN, NAN, NAN, 0)
    diff = float(a.mean() - b.mean())
    n = int(min(a.size, b.size))
    if a.size < 2 or b.size < 2:
        return Estimate(diff, NAN, NAN, n)
    var_a, var_b = float(a.var(ddof=1)) / a.size, float(b.var(ddof=1)) / b.size
    total = var_a + var_b
    if total == 0.0:
        return Estimate(diff, diff, diff, n)
    dof = total**2 / (var_a**2 / (a.size - 1) + var_b**2 / (b.size - 1))
    half = float(scipy_stats.t.ppf(0.5 + confidence / 2, dof)) * math.sqrt(total)
    low, high = _clip(diff - half, diff + half, -span, span)
    return Estimate(diff, low, high, n)
