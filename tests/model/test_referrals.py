"""First-time referrals: the chain of scheduled calls is the generator process it replaced."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import pytest
import simpy

from sim.model.equations import (
    first_referral_rate_per_day,
    kept_by_thinning,
    peak_first_referral_rate_per_day,
)
from sim.model.parameters import ModelParameters
from sim.model.referrals import FirstReferrals
from sim.model.streams import BlockDraws
from sim.scenario.scenario import Scenario

HORIZON_DAYS = 400.0


class _Cases:
    """What FirstReferrals needs of a case flow: its arrival variates, and a front door that
    notes when each referral came, draws a variate from the arrival stream (as the front door's
    decision does) and schedules a timeout (as a case's allocation would)."""

    def __init__(self, env: simpy.Environment, seed: int) -> None:
        self.env = env
        self.u_arrival = BlockDraws(np.random.default_rng(seed))
        self.times: list[float] = []

    def refer(self, rereferral: bool) -> None:
        self.times.append(self.env.now)
        self.u_arrival.uniform()
        self.env.timeout(1.5)  # other events interleave with the arrivals


def _process(env: simpy.Environment, cases: _Cases, params: ModelParameters) -> Generator:  # type: ignore[type-arg]
    """The generator process of first-time referrals, as it was written before."""
    d = params.scenario.demand
    rate_max = peak_first_referral_rate_per_day(
        end_days=params.end_days,
        first_referrals_per_day=params.first_referrals_per_day,
        referral_growth_per_year=params.referral_growth_per_year,
        seasonal_amplitude=d.seasonal_amplitude,
    )
    if rate_max <= 0:
        return
    thinning = d.seasonal_amplitude > 0 or d.trend_pct_per_year != 0
    while True:
        yield env.timeout(cases.u_arrival.exponential() / rate_max)
        if thinning:
            rate = first_referral_rate_per_day(
                t_days=env.now,
                first_referrals_per_day=params.first_referrals_per_day,
                referral_growth_per_year=params.referral_growth_per_year,
                seasonal_amplitude=d.seasonal_amplitude,
                seasonal_peak_year_fraction=params.seasonal_peak_year_fraction,
            )
            if not kept_by_thinning(u=cases.u_arrival.uniform(), rate=rate, rate_max=rate_max):
                continue
        cases.refer(rereferral=False)


def _run(params: ModelParameters, chain: bool) -> tuple[list[float], int]:
    env = simpy.Environment()
    cases = _Cases(env, seed=11)
    if chain:
        FirstReferrals(env, cases, params).start()  # type: ignore[arg-type]
    else:
        env.process(_process(env, cases, params))
    env.run(until=HORIZON_DAYS)
    return cases.times, int(next(env._eid))


@pytest.mark.parametrize(
    "demand",
    [
        {},  # no thinning
        {"seasonal_amplitude": 0.2, "trend_pct_per_year": 3.0},  # thinned
        {"first_referrals_per_year": 0.0},  # no referrals at all
    ],
)
def test_same_referrals_at_the_same_times_as_the_process(demand: dict[str, float]) -> None:
    s = Scenario(horizon_years=1, warmup_years=0.1)
    s = s.model_copy(update={"demand": s.demand.model_copy(update=demand)})
    params = ModelParameters.from_scenario(s)
    times, events = _run(params, chain=True)
    expected, expected_events = _run(params, chain=False)
    assert times == expected  # bit-identical times, in the same order
    if expected:
        assert len(times) > 100
        assert events == expected_events  # the same number of SimPy events, so the same ids
