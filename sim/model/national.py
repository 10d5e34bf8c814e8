"""England on one clock (DESIGN §4.9): every LA of a population on one national clock,
coupled by a national pool of change teams when the pool is finite.

The clock (:mod:`sim.model.lockstep`) is a national SimPy environment holding what couples the
LAs (every LA's weekly update and month end, in population order; the pool; the recorder; the
dated events), while each LA keeps its own events on an environment of its own and runs ahead
of the national clock until it may touch the pool (:func:`may_call_on_pool`, :class:`PoolRequests`)
or a national event may touch it: the same results as one shared environment, without its
country-sized event heap or a switch between LAs every week. Each LA's week is :meth:`LocalAuthority.week` and its month end
:meth:`LocalAuthority.month_end`, so whatever the LA model does in them (an escalation ladder
included) every LA of a population does too.

Each LA is a :class:`~sim.model.simulation.LocalAuthority` with its own scenario (the national
settings with its own figures laid over them) and its own random streams, keyed by its code, so
LAs draw independent numbers and an LA draws the same numbers in every arm and whether it runs
alone or beside the others. Without a finite pool nothing couples the LAs, and
:func:`simulate_population` of one LA gives exactly that LA's rows of the run of all of them
in one environment (``tests/model/test_national.py`` checks it), so the experiment layer may run
each LA as its own task.

Dated national events (the pause in graded inspections, the DfE agency rules) are applied to
every LA at their dates by :func:`schedule_national_events`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from sim.model.compose import local_authority
from sim.model.equations import (
    DAYS_PER_MONTH,
    DAYS_PER_WEEK,
    DAYS_PER_YEAR,
    GRADE_INADEQUATE,
    GRADE_REQUIRES_IMPROVEMENT,
)
from sim.model.lockstep import Clock
from sim.model.output import ReplicationOutput
from sim.model.pool import ADHOC, ChangeTeamPool, Deployment, PooledIntervention
from sim.model.simulation import LocalAuthority, collector_paused, events_scheduled
from sim.scenario.england import Population
from sim.scenario.scenario import Scenario

#: Per-LA monthly series the national recorder keeps beside the LA's own metrics.
LA_POOL_SERIES: tuple[str, ...] = ("pool_team", "waiting", "adhoc_formed", "pool_formed")


@dataclass(frozen=True)
class LASpec:
    """One LA of a population run: its code, its name and its complete scenario."""

    code: str
    name: str
    scenario: Scenario


@dataclass
class PopulationOutput:
    """What one replication of a population run returns.

    Attributes
    ----------
    codes
        LA codes, in the order of the population.
    outputs
        Each LA's :class:`ReplicationOutput` (its ``cost_month_gbp`` and ``cost_cumulative_gbp``
        leave out a pool team's day rate: the pool is paid nationally). ``extra`` holds the
        LA's monthly pool series (:data:`LA_POOL_SERIES`).
    pool_idle
        Idle pool teams at each month end (zeros without a pool).
    deployments
        Every change team deployed or queued for.
    """

    codes: list[str]
    outputs: list[ReplicationOutput]
    pool_idle: np.ndarray
    deployments: list[Deployment] = field(default_factory=list)

    @property
    def n_events(self) -> int:
        """SimPy events processed (all LAs)."""
        return sum(o.n_events for o in self.outputs)

    @property
    def n_referrals(self) -> int:
        """Referrals simulated (all LAs, including warm-up)."""
        return sum(o.n_referrals for o in self.outputs)


def day_of(date: dt.date, population: Population, warmup_days: float) -> float:
    """Simulation time (days) of a calendar date: recording starts at ``population.start``."""
    return warmup_days + float((date - population.start).days)


def schedule_national_events(
    env: simpy.Environment, las: Sequence[LocalAuthority], population: Population
) -> None:
    """Apply the population's dated national events to every LA at their dates."""
    if not las:
        return
    warmup = las[0].warmup
    paused, resumed = population.inspections_paused_from, population.inspections_paused_until
    if paused is not None and resumed is not None:
        t0, t1 = day_of(paused, population, warmup), day_of(resumed, population, warmup)
        if t0 >= 0:

            def pause(_event: Any) -> None:
                # Inspections falling due in the pause are put back by its length.
                for la in las:
                    la.inspectorate.postpone(t0, t1)

            env.timeout(t0).callbacks.append(pause)
    rules = population.agency_rules_from
    if rules is not None:
        t = max(0.0, day_of(rules, population, warmup))

        def agency_rules(_event: Any) -> None:
            for la in las:  # model state, read by the workforce: no scenario is changed
                la.workforce.agency_rules = True

        env.timeout(t).callbacks.append(agency_rules)


class NationalRecorder:
    """Month-end readings of the pool (:meth:`record`, called by the national month-end tick
    after every LA's month end) and of each LA's team (:meth:`record_la`, right after the LA's
    own month end: it reads only that LA and its entries of the pool's log)."""

    def __init__(
        self,
        env: simpy.Environment,
        las: Sequence[LocalAuthority],
        codes: Sequence[str],
        pool: ChangeTeamPool | None,
    ) -> None:
        self.env, self.las, self.pool = env, las, pool
        self.index = {code: i for i, code in enumerate(codes)}
        n_months = las[0].n_months if las else 0
        self.series = {name: np.zeros((len(las), n_months)) for name in LA_POOL_SERIES}
        self.pool_idle = np.zeros(n_months)
        self._counts = [0] * len(las)  # interventions scheduled so far, per LA (no pool)
        self._rows = [0] * len(las)  # months recorded, per LA
        self._previous = [-np.inf] * len(las)  # the last month end read, per LA
        self._row = 0  # months of the pool recorded
        self.warmup = las[0].warmup if las else 0.0

    def _recording(self, now: float, row: int) -> bool:
        return now > self.warmup + 1e-9 and row < self.pool_idle.size

    def record_la(self, i: int, now: float) -> None:
        """Read LA ``i``'s month ending at ``now`` (days), after its own month end."""
        previous, self._previous[i] = self._previous[i], now
        row = self._rows[i]
        if not self._recording(now, row):
            return
        series, iv = self.series, self.las[i].intervention
        if isinstance(iv, PooledIntervention):
            for d in iv.deployments:
                if previous < d.decided <= now:
                    name = "adhoc_formed" if d.formation == ADHOC else "pool_formed"
                    series[name][i, row] += 1
            series["pool_team"][i, row] = float(iv.pool_team_in_place(now))
            series["waiting"][i, row] = float(iv.waiting)
        elif iv.count > self._counts[i]:  # no national pool: the LA's own teams
            own = "adhoc_formed" if iv.p.formation == ADHOC else "pool_formed"
            series[own][i, row] += iv.count - self._counts[i]
        self._counts[i] = iv.count
        self._rows[i] = row + 1

    def record(self, now: float) -> None:
        """Read the pool at the month end ``now`` (days), after every LA's month end."""
        if not self._recording(now, self._row):
            return
        if self.pool is not None and self.pool.is_open():
            self.pool_idle[self._row] = self.pool.idle()
        self._row += 1


def _pool_opens(population: Population, warmup_days: float) -> float:
    starts = population.pool.starts
    return warmup_days if starts is None else day_of(starts, population, warmup_days)


class PoolRequests:
    """Weekly, after the LAs' own weeks: LAs that require improvement (and, under eligibility
    ``on_request``, LAs whose practice quality has fallen below the pool's threshold) ask for a
    pool team, at most once per judgement (the grade at the start counts as one); a request
    that finds no free team is made again the next week.

    It is the national clock's :class:`~sim.model.lockstep.Asks`: an LA runs past a week's
    requests when no team is free (or the pool is closed), or when it would not ask.
    """

    def __init__(
        self,
        las: Sequence[LocalAuthority],
        env: simpy.Environment,
        population: Population,
        pool: ChangeTeamPool,
    ) -> None:
        self.las, self.env, self.pool = las, env, pool
        self.level = population.pool.eligibility
        self.threshold = population.pool.request_quality_below
        self.acted = [-np.inf] * len(las)
        self.first = 0.0 + las[0].warmup  # the time of the first request (a timeout from 0)
        self.period = DAYS_PER_WEEK

    def reason(self, i: int, now: float) -> tuple[float, str] | None:
        """LA ``i``'s judgement and its reason to ask at ``now``, if it asks (else ``None``)."""
        la = self.las[i]
        history = la.inspectorate.history
        judged, grade = history[-1] if history else (la.warmup, la.inspectorate.grade)
        if judged <= self.acted[i] or not isinstance(la.intervention, PooledIntervention):
            return None
        if grade == GRADE_REQUIRES_IMPROVEMENT:
            return judged, "requires_improvement"
        if self.level == "on_request" and grade < GRADE_INADEQUATE and la.quality < self.threshold:
            return judged, "on_request"
        return None

    def live(self, t: float) -> bool:
        """Whether a request at ``t`` (days) could be served: the pool open, a team free."""
        return t >= self.pool.opens and self.pool.idle() > 0

    def would_act(self, i: int, t: float) -> bool:
        """Whether LA ``i`` would take a free team at ``t``."""
        asked = self.reason(i, t)
        return asked is not None and self.las[i].intervention.may_request(t, asked[1])  # type: ignore[attr-defined]

    def process(self, clock: Clock):  # type: ignore[no-untyped-def]
        """The weekly requests, from the end of the warm-up (LAs run past are skipped: they
        would not have asked, :meth:`would_act`)."""
        env = self.env
        yield clock.own(env.timeout(self.las[0].warmup))
        while True:
            now = env.now
            if self.pool.is_open() and self.pool.idle():  # else no request can be served
                for i, la in enumerate(self.las):
                    if clock.ahead(i, now):
                        continue
                    clock.catch_up(i, now)
                    asked = self.reason(i, now)
                    if asked is not None and la.intervention.request(now, asked[1]):  # type: ignore[attr-defined]
                        self.acted[i] = asked[0]
            yield clock.own(env.timeout(DAYS_PER_WEEK))


#: Share of the shortest pool deployment that LAs may run ahead of the national clock: any share
#: below 1 keeps results exact (a team taken now cannot return sooner); a half leaves a margin.
#: A synchronisation setting of the clock, not a model parameter (results do not depend on it).
LOOKAHEAD_SHARE_OF_DEPLOYMENT = 0.5


def _lookahead_days(las: Sequence[LocalAuthority]) -> float:
    """How far LAs may run past the national clock: half the soonest a pool team taken now
    could return (a return is the one coupling event the clock cannot see coming); without a
    pool, without limit."""
    spans = [
        la.intervention.shortest_pool_deployment_days()
        for la in las
        if isinstance(la.intervention, PooledIntervention)
    ]
    return LOOKAHEAD_SHARE_OF_DEPLOYMENT * min(spans) if spans else math.inf


def may_call_on_pool(la: LocalAuthority, now: float) -> bool:
    """Whether the LA's week at ``now`` (days) may take a team or queue for one: its
    intervention is triggered then (``LocalAuthority.intervention_triggered``, the rule its
    weekly step applies) and no team is in place, forming or waited for."""
    iv = la.intervention
    if not isinstance(iv, PooledIntervention):
        return False
    return la.intervention_triggered() and not iv.busy(now)


def _correct_costs(la: LocalAuthority, pool_team: np.ndarray) -> None:
    """Take a pool team's day rate out of the LA's monthly costs (the pool is paid nationally)."""
    if not pool_team.any():
        return
    data, s = la.recorder.data, la.s
    working_days = s.costs.working_days_per_week * DAYS_PER_MONTH / DAYS_PER_WEEK
    day_rate_cost = data["change_team_fte"] * s.intervention.day_rate_gbp * working_days
    data["cost_month_gbp"] = data["cost_month_gbp"] - day_rate_cost * pool_team
    data["cost_cumulative_gbp"] = np.cumsum(data["cost_month_gbp"])
    la.ledger.cumulative_cost_gbp = float(data["cost_cumulative_gbp"][-1])


def simulate_population(
    las: Sequence[LASpec],
    population: Population,
    seed: int,
    replication: int,
    *,
    run_ahead: bool = True,
) -> PopulationOutput:
    """Simulate one replication of some LAs of a population in one environment.

    Parameters
    ----------
    las
        The LAs, each with its complete scenario (all with the same warm-up and horizon).
    population
        The population section: dated events and the pool.
    seed, replication
        Base seed and replication number; each LA's streams are keyed by its code.
    run_ahead
        Let LAs run ahead of the national clock where nothing couples them
        (:mod:`sim.model.lockstep`); ``False`` advances every LA to each national event in
        lockstep, the reference it must equal exactly (``tests/model/test_lockstep.py``).
    """
    if not las:
        raise ValueError("a population run needs at least one LA")
    env = simpy.Environment()  # the national clock: the pool, the recorder, national events
    warmup = las[0].scenario.warmup_years * DAYS_PER_YEAR
    teams = population.pool.teams
    pool = (
        ChangeTeamPool(env, population.pool, opens=_pool_opens(population, warmup))
        if teams is not None
        else None
    )
    models: list[LocalAuthority] = []
    for spec in las:  # each LA keeps its own events on a heap of its own (sim.model.lockstep)
        la = local_authority(simpy.Environment(), spec.scenario, seed, replication, spec.code)
        if pool is not None:
            la.intervention = PooledIntervention(la.params, pool, spec.code, env)
        models.append(la)
    if len({la.n_months for la in models}) != 1 or len({la.warmup for la in models}) != 1:
        raise ValueError("every LA of a population run needs the same warm-up and horizon")
    with collector_paused():
        for la in models:
            la.start_referrals()
        recorder = NationalRecorder(env, models, [spec.code for spec in las], pool)
        requests = (
            PoolRequests(models, env, population, pool)
            if pool is not None and population.pool.eligibility != "inadequate"
            else None
        )
        clock = Clock(
            env,
            models,
            week_blocks=may_call_on_pool if pool is not None else None,
            asks=requests,
            lookahead_days=_lookahead_days(models) if run_ahead else 0.0,
            on_month_end=recorder.record_la,
            after_month_end=recorder.record,
            sealed=pool,
        )
        clock.start_ticks()
        if requests is not None:
            env.process(requests.process(clock))
        schedule_national_events(env, models, population)
        clock.run(until=models[0].end + 1e-6)
    outputs = []
    for i, la in enumerate(models):
        _correct_costs(la, recorder.series["pool_team"][i])
        output = la.output(n_events=0)
        output.extra = {name: recorder.series[name][i] for name in LA_POOL_SERIES}
        outputs.append(output)
    # every environment's count, reported once
    outputs[0].n_events = events_scheduled(env) + sum(events_scheduled(la.env) for la in models)
    return PopulationOutput(
        codes=[spec.code for spec in las],
        outputs=outputs,
        pool_idle=recorder.pool_idle,
        deployments=list(pool.log) if pool is not None else [],
    )
