"""First-time referrals (DESIGN §4.1): a Poisson process, thinned for seasonality and trend."""

from __future__ import annotations

from typing import Any

import simpy
from simpy.events import URGENT

from sim.model.calendar import call_at
from sim.model.caseflow import CaseFlow
from sim.model.equations import (
    first_referral_rate_per_day,
    kept_by_thinning,
    peak_first_referral_rate_per_day,
)
from sim.model.parameters import ModelParameters


class FirstReferrals:
    """First-time referrals into ``cases`` until the run ends, as a chain of scheduled calls.

    Candidates arrive at the envelope rate (the largest rate of the run); with seasonality or a
    trend each is kept with chance rate(t) / envelope (thinning), using one U(0, 1) variate.
    Without them every candidate is a referral and no variate is spent on thinning.

    It runs as the generator process ``while True: yield env.timeout(gap); refer()`` would, at
    the same times and in the same order among other events (it starts at time 0 with a start
    event at SimPy's "urgent" priority, as a process's initialisation does, and each arrival
    schedules the next after referring), without a generator to resume per referral.
    """

    def __init__(self, env: simpy.Environment, cases: CaseFlow, params: ModelParameters) -> None:
        self.env = env
        self.cases = cases
        self.params = params
        self.demand = d = params.scenario.demand
        self.rate_max = peak_first_referral_rate_per_day(
            end_days=params.end_days,
            first_referrals_per_day=params.first_referrals_per_day,
            referral_growth_per_year=params.referral_growth_per_year,
            seasonal_amplitude=d.seasonal_amplitude,
        )
        self.thinning = d.seasonal_amplitude > 0 or d.trend_pct_per_year != 0
        self._draws = cases.u_arrival
        self._on_first = (self._first,)
        self._on_arrival = (self._arrives,)

    def start(self) -> None:
        """Start the referrals (the first candidate is drawn at time 0, as a process would)."""
        call_at(self.env, self.env.now, self._on_first, priority=URGENT)

    def _first(self, event: Any) -> None:
        if self.rate_max > 0:
            self._next()

    def _next(self) -> None:
        """Schedule the next candidate arrival."""
        env = self.env
        gap = self._draws.exponential() / self.rate_max
        call_at(env, env._now + gap, self._on_arrival)  # noqa: SLF001 - as env.timeout(gap)

    def _arrives(self, event: Any) -> None:
        """A candidate arrives: a referral unless thinned out; then the next is scheduled."""
        if not self.thinning or self._kept():
            self.cases.refer(rereferral=False)
        self._next()

    def _kept(self) -> bool:
        params, d = self.params, self.demand
        rate = first_referral_rate_per_day(
            t_days=self.env.now,
            first_referrals_per_day=params.first_referrals_per_day,
            referral_growth_per_year=params.referral_growth_per_year,
            seasonal_amplitude=d.seasonal_amplitude,
            seasonal_peak_year_fraction=params.seasonal_peak_year_fraction,
        )
        return kept_by_thinning(u=self._draws.uniform(), rate=rate, rate_max=self.rate_max)
