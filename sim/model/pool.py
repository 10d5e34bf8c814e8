"""The national pool of change teams (DESIGN §4.9): a ``simpy.Store`` of salaried teams that
every LA's intervention requests, and the intervention that draws on it.

A team taken from the pool forms in the pool's formation time, works at the pool's
effectiveness, and stays at least ``min_deployment_months``; it then returns to the store. When
none is free an inadequate LA gets an ad-hoc team of interims (policy ``ad_hoc``) or queues for
the next free team (policy ``wait``, first come first served: the store's get queue). LAs that
require improvement, or ask, get a pool team only when one is free.

Every deployment is logged (LA, reason, formation, request, start and end times), so the
monthly national aggregates (teams busy and idle, ad-hoc teams formed, LAs waiting) and the
pool's cost are computed from the log after the run, not by a process that polls.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import simpy

from sim.model.equations import DAYS_PER_MONTH, change_team_effort, change_team_presence
from sim.model.intervention import InterventionState
from sim.model.parameters import ModelParameters
from sim.scenario.england import Pool, eligible

POOL = "pool"
ADHOC = "adhoc"
QUEUED = "queued"  # waiting for a pool team


@dataclass
class Deployment:
    """One intervention's change team: where it came from and when it was in place (days)."""

    la: str
    reason: str  # "inadequate", "requires_improvement" or "on_request"
    formation: str  # POOL, ADHOC or QUEUED
    requested: float
    decided: float = math.inf  # when the team was assigned (ad hoc, or a pool team taken)
    start: float = math.inf
    end: float = math.inf
    team: int = -1  # pool team number; -1 for an ad-hoc team


class ChangeTeamPool:
    """A fixed number of salaried change teams shared by every LA of one environment.

    Parameters
    ----------
    env
        The environment every LA runs in.
    params
        The population's pool section (``teams`` must be set).
    opens
        Time (days) from which teams may be deployed (the pool's start date).
    """

    def __init__(self, env: simpy.Environment, params: Pool, opens: float = 0.0) -> None:
        if params.teams is None:
            raise ValueError("a ChangeTeamPool needs a number of teams (population.pool.teams)")
        self.env = env
        self.p = params
        self.opens = opens
        self.teams = params.teams
        self.formation_days = params.formation_months * DAYS_PER_MONTH
        self.min_deployment_days = params.min_deployment_months * DAYS_PER_MONTH
        self.store: simpy.Store = simpy.Store(env, capacity=max(1, self.teams))
        self.store.items.extend(range(self.teams))
        self.log: list[Deployment] = []
        #: Set while LAs run ahead of the national clock (sim.model.lockstep): no LA may touch
        #: the pool then, and one that tries is a bug in what the clock was told can block.
        self.sealed = False

    def is_open(self) -> bool:
        """Whether the pool exists yet."""
        return self.env.now >= self.opens

    def idle(self) -> int:
        """Teams in the store now."""
        return len(self.store.items)

    def try_take(self) -> int | None:
        """A free team's number, taken from the store now; ``None`` when none is free."""
        if self.sealed:
            raise RuntimeError("an LA called on the pool while running ahead of the national clock")
        if not self.is_open() or not self.store.items:
            return None
        event = self.store.get()  # succeeds at once: SimPy pops the item when a get is made
        return int(event.value)  # type: ignore[arg-type]

    def wait_for(self) -> simpy.events.Event:
        """Queue for the next free team (first come, first served); the event's value is it."""
        return self.store.get()

    def give_back(self, team: int, at: float) -> None:
        """Return ``team`` to the store at time ``at`` (days)."""
        delay = max(0.0, at - self.env.now)

        def put_back(_event: simpy.events.Event) -> None:
            self.store.put(team)

        self.env.timeout(delay).callbacks.append(put_back)


class PooledIntervention(InterventionState):
    """One LA's interventions when a national pool exists.

    Triggered by an inadequate judgement (the LA's own policy), it takes a pool team if one is
    free, else an ad-hoc team or a place in the queue, by the pool's no-team policy.
    :meth:`request` is the pool-only route for LAs that require improvement or ask for help.
    Each deployment has its own team: size, formation time and effort (pool or ad hoc).
    """

    def __init__(
        self, model_params: ModelParameters, pool: ChangeTeamPool, la: str, env: simpy.Environment
    ) -> None:
        super().__init__(model_params)
        self.pool = pool
        self.la = la
        self.env = env
        self.current: Deployment | None = None
        self.deployments: list[Deployment] = []  # this LA's entries of the pool's log
        self.waiting = False
        p = self.p
        self._adhoc_formation_days = p.adhoc_formation_months * DAYS_PER_MONTH
        self._fte = p.change_team_fte
        self._formation_days = self._adhoc_formation_days
        self._pool_team = False

    # --- routes to a team -------------------------------------------------------------------
    def trigger(self, now: float) -> bool:
        """An inadequate judgement: a pool team if free, else ad hoc or wait (by policy)."""
        if self.busy(now):
            return False
        deployment = Deployment(self.la, "inadequate", QUEUED, requested=now)
        team = self.pool.try_take()
        if team is not None:
            self._deploy(deployment, team, now)
        elif self.pool.p.no_team_policy == "wait" and self.pool.is_open():
            self._queue(deployment)
        else:
            self._deploy(deployment, None, now)
        return True

    def request(self, now: float, reason: str) -> bool:
        """A pool-only request (an LA that requires improvement, or asks): served only when a
        team is free and the pool's eligibility admits ``reason``; returns whether it was."""
        if not self.may_request(now, reason):
            return False
        team = self.pool.try_take()
        if team is None:
            return False
        self._deploy(Deployment(self.la, reason, POOL, requested=now), team, now)
        return True

    def may_request(self, now: float, reason: str) -> bool:
        """Whether :meth:`request` at ``now`` would take a team if one were free."""
        return not self.busy(now) and eligible(self.pool.p.eligibility, reason)

    def busy(self, now: float) -> bool:
        """Whether a team is in place, forming or waited for (a trigger does nothing then)."""
        return self.waiting or self.start <= now < self.end or now < self.start < math.inf

    def _queue(self, deployment: Deployment) -> None:
        self.waiting = True
        self.pool.log.append(deployment)
        self.deployments.append(deployment)
        event = self.pool.wait_for()

        def granted(ev: simpy.events.Event) -> None:
            self.waiting = False
            self._deploy(deployment, int(ev.value), self.env.now, logged=True)  # type: ignore[arg-type]

        event.callbacks.append(granted)

    def _deploy(self, d: Deployment, team: int | None, now: float, *, logged: bool = False) -> None:
        start = max(d.requested + self._mp.start_delay_days, now)
        duration = self._mp.duration_days
        self._pool_team = team is not None
        if team is not None:
            d.formation, d.team = POOL, team
            duration = max(duration, self.pool.min_deployment_days)
            self._fte = self.pool.p.team_fte
            self._formation_days = self.pool.formation_days
        else:
            d.formation = ADHOC
            self._fte = self.p.change_team_fte
            self._formation_days = self._adhoc_formation_days
        d.decided = now
        d.start, d.end = start, start + duration
        self.start, self.end = d.start, d.end
        self.count += 1
        if self.count == 1:
            self.first_start, self.first_end = self.start, self.end
        self.current = d
        if not logged:
            self.pool.log.append(d)
            self.deployments.append(d)
        if team is not None:
            self.pool.give_back(team, d.end)

    # --- what the team does (as InterventionState, with this deployment's team) ------------
    def presence(self, now: float) -> float:
        """Share of the team in place: this deployment's formation ramp, then the taper."""
        if not self.active(now):
            return 0.0
        return change_team_presence(
            since_start_days=now - self.start,
            until_end_days=self.end - now,
            formation_days=self._formation_days,
            taper_days=self._mp.taper_days,
        )

    def team_fte(self, now: float) -> float:
        """Change-team FTE in place."""
        return self._fte * self.presence(now)

    def effort(self, now: float) -> float:
        """Improvement effort of the team in place (before oversight noise): a pool team at the
        pool's effectiveness, an ad-hoc team at the intervention's ad-hoc effectiveness."""
        p = self.p
        pooled = self._pool_team
        return change_team_effort(
            team_fte=self.team_fte(now),
            effort_per_fte=p.effort_per_fte,
            effectiveness=p.effectiveness * (self.pool.p.effectiveness if pooled else 1.0),
            adhoc=not pooled,
            adhoc_effectiveness=p.adhoc_effectiveness,
            adhoc_churn_effort_loss=p.adhoc_churn_effort_loss,
            imposed=p.ownership == "imposed",
            imposed_effectiveness=p.imposed_effectiveness,
        )

    def shortest_pool_deployment_days(self) -> float:
        """The soonest (days) a pool team this LA takes can return to the pool."""
        return max(self._mp.duration_days, self.pool.min_deployment_days)

    def pool_team_in_place(self, now: float) -> bool:
        """Whether the team in place now came from the pool (the LA does not pay its day rate)."""
        return self._pool_team and self.active(now)
