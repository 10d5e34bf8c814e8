"""First-time referrals (DESIGN §4.1): a Poisson process, thinned for seasonality and trend."""

from __future__ import annotations

from collections.abc import Generator

import simpy

from sim.model.caseflow import CaseFlow
from sim.model.equations import (
    first_referral_rate_per_day,
    kept_by_thinning,
    peak_first_referral_rate_per_day,
)
from sim.model.parameters import ModelParameters


def first_referrals(
    env: simpy.Environment, cases: CaseFlow, params: ModelParameters
) -> Generator[simpy.Event, None, None]:
    """The SimPy process of first-time referrals into ``cases`` until the run ends.

    Candidates arrive at the envelope rate (the largest rate of the run); with seasonality or a
    trend each is kept with chance rate(t) / envelope (thinning), using one U(0, 1) variate.
    Without them every candidate is a referral and no variate is spent on thinning.
    """
    d = params.scenario.demand
    rate_max = peak_first_referral_rate_per_day(
        end_days=params.end_days,
        first_referrals_per_day=params.first_referrals_per_day,
        referral_growth_per_year=params.referral_growth_per_year,
        seasonal_amplitude=d.seasonal_amplitude,
    )
    if rate_max <= 0:
        return
    draws = cases.u_arrival
    thinning = d.seasonal_amplitude > 0 or d.trend_pct_per_year != 0
    while True:
        yield env.timeout(draws.exponential() / rate_max)
        if thinning:
            rate = first_referral_rate_per_day(
                t_days=env.now,
                first_referrals_per_day=params.first_referrals_per_day,
                referral_growth_per_year=params.referral_growth_per_year,
                seasonal_amplitude=d.seasonal_amplitude,
                seasonal_peak_year_fraction=params.seasonal_peak_year_fraction,
            )
            if not kept_by_thinning(u=draws.uniform(), rate=rate, rate_max=rate_max):
                continue
        cases.refer(rereferral=False)
