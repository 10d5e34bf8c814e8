"""Samplers of durations: assessments (national histogram), plans (lognormal), and the residual
time of cases already open at the start (the stationary, length-biased residual)."""

from __future__ import annotations

import math

import numpy as np

from sim.model.equations import WORKING_DAYS_PER_CALENDAR_DAY
from sim.model.parameters import ModelParameters
from sim.scenario.cases import Cases

KIND_ASSESSMENT, KIND_CIN, KIND_CP, KIND_LOOKED_AFTER = 0, 1, 2, 3


class AssessmentDurations:
    """Assessment length at normal workload, in calendar days, drawn from the national histogram
    of completed assessments by working days (uniform within each bin)."""

    def __init__(self, cases: Cases) -> None:
        edges = np.asarray(cases.assessment_wd_bin_edges, dtype=float)
        counts = np.asarray(cases.assessment_wd_bin_counts, dtype=float)
        if len(edges) != len(counts) + 1 or np.any(np.diff(edges) <= 0) or counts.sum() <= 0:
            raise ValueError("assessment bins need increasing edges, one more edge than counts")
        self.edges = edges
        self.cdf = np.concatenate([[0.0], np.cumsum(counts) / counts.sum()])

    def working_days(self, u: np.ndarray | float) -> np.ndarray:
        """Inverse CDF: working days for uniform variates ``u`` (piecewise linear)."""
        return np.interp(u, self.cdf, self.edges)

    def calendar_days(self, u: np.ndarray | float) -> np.ndarray:
        """Calendar days for uniform variates ``u``."""
        return self.working_days(u) / WORKING_DAYS_PER_CALENDAR_DAY

    def mean_calendar_days(self) -> float:
        """Mean length in calendar days at normal workload."""
        mids = (self.edges[:-1] + self.edges[1:]) / 2.0
        # Elementwise product and NumPy's sum rather than np.dot (BLAS's kernel depends on the CPU).
        return float((np.diff(self.cdf) * mids).sum() / WORKING_DAYS_PER_CALENDAR_DAY)


def lognormal_params(params: ModelParameters, kind: int) -> tuple[float, float]:
    """(mu, sigma) in log-days of the plan length of a case kind."""
    cases = params.scenario.cases
    median_days, sigma = {
        KIND_CIN: (params.cin_median_days, cases.cin_sigma),
        KIND_CP: (params.cp_median_days, cases.cp_sigma),
        KIND_LOOKED_AFTER: (params.looked_after_median_days, cases.looked_after_sigma),
    }[kind]
    return math.log(median_days), sigma


def lognormal_mean_days(params: ModelParameters, kind: int) -> float:
    """Mean plan length in days of a case kind."""
    mu, sigma = lognormal_params(params, kind)
    return math.exp(mu + sigma * sigma / 2.0)


def open_lognormal_days(
    rng: np.random.Generator, mu: float, sigma: float, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Age and remaining time (days) of ``n`` cases open in a stationary stock.

    A case found open is length-biased: for a lognormal(mu, sigma) the length-biased length is
    lognormal(mu + sigma², sigma); the time already spent is uniform over that length.
    """
    total = rng.lognormal(mu + sigma * sigma, sigma, n)
    age = total * rng.random(n)
    return age, total - age


def open_assessment_days(
    rng: np.random.Generator, durations: AssessmentDurations, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Age and remaining time (days) of ``n`` assessments open in a stationary stock
    (length-biased resampling of the national histogram)."""
    pool = durations.calendar_days(rng.random(max(4 * n, 16)))
    chosen = rng.choice(pool, size=n, p=pool / pool.sum())
    age = chosen * rng.random(n)
    return age, chosen - age
