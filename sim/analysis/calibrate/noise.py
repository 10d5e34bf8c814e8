"""How much of the posterior stage's simulated likelihood is chance (docs/calibration.md,
"Session 12").

Each posterior parameter set is scored once per replication alone (``log_likelihood`` of that
replication's statistics). The within-set spread (pooled standard deviation of one
replication's log-likelihood about its set's mean) against the between-set spread (standard
deviation of the sets' mean log-likelihoods) says whether importance weights
``exp(log-likelihood)`` follow the parameters or the luck of the draws: with a within-set
spread of several log units the weight goes to the luckiest draw, and more points raise the
effective sample size only in proportion.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from sim.analysis.calibrate.likelihood import Output, log_likelihood
from sim.analysis.calibrate.simulator import Stats

#: Within-set spread (log units) from which the report says the weights follow chance: a
#: weight ratio of e between two draws of the same set (a convention, not a test).
CHANCE_LOG_UNITS = 1.0


class LikelihoodNoise(NamedTuple):
    """Spread of the simulated log-likelihood over the posterior stage (log units)."""

    within_sd: float  # one replication's log-likelihood about its set's mean (pooled)
    between_sd: float  # the sets' mean single-replication log-likelihoods
    sets: int  # parameter sets scored (those with 2+ replications, all finite)


def likelihood_noise(
    outputs: list[Output],
    targets: pd.DataFrame,
    stats: list[list[Stats]],
    discrepancy: dict[str, float],
) -> LikelihoodNoise:
    """Within- and between-set spread of single-replication log-likelihoods (NaN with fewer
    than two sets of two or more replications)."""
    per_set = []
    for reps in stats:
        if len(reps) < 2:
            continue
        single = np.array([log_likelihood(outputs, targets, [rep], discrepancy)[0] for rep in reps])
        if np.all(np.isfinite(single)):
            per_set.append(single)
    if len(per_set) < 2:
        return LikelihoodNoise(math.nan, math.nan, len(per_set))
    residual = np.concatenate([s - s.mean() for s in per_set])
    dof = sum(len(s) - 1 for s in per_set)
    within = float(np.sqrt(np.sum(residual**2) / dof))
    between = float(np.std([s.mean() for s in per_set], ddof=1))
    return LikelihoodNoise(within, between, len(per_set))
