"""An LA's persistent multiplier of its own improvement effort (``organisation.own_effort_sd``):
lognormal with mean 1, drawn from a stream of its own, and nothing drawn at 0."""

from __future__ import annotations

import math

import numpy as np

from sim.model.equations import effort_multiplier
from sim.model.simulation import LocalAuthority
from sim.scenario.scenario import Scenario

REPLICATIONS = 200


def _efforts(sd: float) -> np.ndarray:
    s = Scenario(horizon_years=1, warmup_years=0.5, organisation={"own_effort_sd": sd})
    return np.array([LocalAuthority.alone(s, 7, r).own_effort for r in range(REPLICATIONS)])


def test_the_multiplier_has_mean_one() -> None:
    assert effort_multiplier(z=0.7, sd=0.0) == 1.0
    z = np.random.default_rng(0).standard_normal(20_000)
    mean = np.mean([effort_multiplier(z=float(x), sd=0.5) for x in z])
    # SD of the lognormal(−0.125, 0.5) is 0.533: 20,000 draws give the mean to ±0.008 (2 SE)
    assert abs(mean - 1.0) < 0.008
    assert math.isclose(effort_multiplier(z=1.0, sd=0.5), math.exp(0.5 - 0.125))


def test_each_replication_draws_its_own_persistent_effort() -> None:
    """At 0 every LA has the scenario's effort; at 0.5 the log of the multiplier over 200
    replications has SD 0.5 (±0.05, 2 SE of an SD from 200 normal draws) and mean −0.125
    (±0.071, 2 SE); the scenario's own effort is what the multiplier scales."""
    base = Scenario().organisation.own_improvement_effort
    assert np.all(_efforts(0.0) == base)
    logs = np.log(_efforts(0.5) / base)
    assert abs(np.std(logs, ddof=1) - 0.5) < 0.05
    assert abs(np.mean(logs) + 0.125) < 0.071
