"""One local authority on a SimPy clock: wires cases, workforce, leadership, inspection and
intervention together, and records the monthly metrics (DESIGN §4).

Three processes run: first-time referrals (Poisson, thinned for seasonality and trend; a chain of
scheduled calls, ``sim.model.referrals``), a weekly organisational update vectorised over posts,
and the month-end recorder. Everything else is a callback on a scheduled event.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager

import simpy

from sim.model.caseflow import CaseFlow
from sim.model.equations import DAYS_PER_MONTH, effort_multiplier
from sim.model.events import event_outcomes
from sim.model.initial_cases import seed_open_cases
from sim.model.inspection import Inspectorate
from sim.model.intervention import NO_INTERVENTION, InterventionState, InterventionWeek
from sim.model.ladder import LadderState
from sim.model.leadership import LeadershipState
from sim.model.month_end import close_month
from sim.model.organisation import OrgState
from sim.model.output import ReplicationOutput
from sim.model.parameters import ModelParameters
from sim.model.recorder import Recorder
from sim.model.referrals import FirstReferrals
from sim.model.streams import Streams
from sim.model.weekly import WEEK_DAYS, Step, WeeklyUpdate, bind_steps
from sim.model.workforce import (
    Posts,
    WeekChanges,
    WorkforceDraws,
    WorkforceDynamics,
)
from sim.scenario.scenario import Scenario


def own_effort(params: ModelParameters, streams: Streams) -> float:
    """The LA's own improvement effort: ``organisation.own_improvement_effort`` times its
    persistent multiplier (``own_effort_sd``; drawn from a stream of its own, so that nothing
    else changes, and not drawn at all when the spread is 0)."""
    p = params.scenario.organisation
    if p.own_effort_sd <= 0.0:
        return p.own_improvement_effort
    z = float(streams.part("initial", "own_effort").standard_normal())
    return p.own_improvement_effort * effort_multiplier(z=z, sd=p.own_effort_sd)


class LocalAuthority(WeeklyUpdate):
    """The simulated service of one LA for one replication, on an environment it is given.

    Parameters
    ----------
    env
        The SimPy environment (clock) the LA runs on; several LAs may share one. It must be at
        time 0 when the LA is built (the warm-up starts then).
    params
        The LA's model parameters (:meth:`ModelParameters.from_scenario`).
    streams
        The LA's random streams; with several LAs on one clock, keyed by the LA's identity
        (``Streams(seed, replication, la=code)``) so that they draw different numbers.
    la
        The LA's identity (its code), or ``None`` for a single-LA run; it must be the identity
        the streams are keyed by.

    Call :meth:`start` to start its processes, run the environment to :attr:`end`, then read
    :meth:`output`; :meth:`run` does the three for an environment of its own.
    """

    def __init__(
        self,
        env: simpy.Environment,
        params: ModelParameters,
        streams: Streams,
        la: str | None = None,
    ) -> None:
        if streams.la != la:
            raise ValueError(
                f"LA {la!r} was given random streams keyed by LA {streams.la!r}: key its "
                f"streams by its own identity, Streams(seed, replication, la={la!r})"
            )
        if env.now != 0:
            raise ValueError(f"an LA must be built on an environment at time 0, not {env.now}")
        self.la = la
        self.params = params
        s = self.s = params.scenario
        self.env = env
        self.streams = streams
        self.warmup = params.warmup_days
        self.n_months = params.n_months
        self.end = params.end_days
        init = s.initial
        self.org = OrgState(params, init.embedded_quality, init.recent_gains, init.morale)
        self.own_effort = own_effort(params, streams)
        self.quality = init.embedded_quality + init.recent_gains
        self.posts = Posts(params)
        self.workforce = WorkforceDynamics(
            self.posts,
            WorkforceDraws.from_streams(self.streams, self.posts.size),
            params,
            self._recruitment_rate,
        )
        self.workforce.initialise(self.streams["initial"], init.vacancy_rate, init.agency_rate)
        self.cases = CaseFlow(self.env, params, self.posts, self.streams, self.quality, WEEK_DAYS)
        self.leadership = LeadershipState(
            params,
            self.streams,
            self.posts.n,
            init.dcs_months_in_post,
            origin=self.warmup,
        )
        self.inspectorate = Inspectorate(
            params,
            self.streams["inspection"],
            init.grade,
            origin=self.warmup,
            quality=self.quality,
        )
        self.intervention = InterventionState(params)
        self.ladder = LadderState(s, self.streams["intervention"])
        self.recorder = Recorder(self.n_months)
        self.ledger = self.recorder.ledger
        # the week's conditions (neutral during the warm-up) and workforce changes
        self._iv: InterventionWeek = NO_INTERVENTION
        self._monitoring = False
        self._notice_support = False
        self._shock = 1.0
        self._changes = WeekChanges()
        self.intervention_seen = 0
        self.judgement_acted_on = -math.inf  # time of the last inadequate judgement acted on
        self._steps: tuple[tuple[Step, ...], tuple[Step, ...]] | None = None  # warm-up, recording
        seed_open_cases(self.cases, params, self.streams["initial"])

    @classmethod
    def alone(cls, scenario: Scenario, seed: int, replication: int) -> LocalAuthority:
        """A single LA (no LA identity) on an environment of its own, as :func:`simulate` runs."""
        return cls(
            simpy.Environment(), ModelParameters.from_scenario(scenario), Streams(seed, replication)
        )

    # --- the weekly update and the month end (a driver may call them itself) ---------------
    def week(self, now: float) -> None:
        """The weekly update at ``now`` (days): the steps of
        :data:`~sim.model.weekly.WEEKLY_STEPS` in order, those of the warm-up before
        :attr:`warmup`. The LA's own weekly process calls it; a national clock
        (:mod:`sim.model.national`) calls it for every LA in a fixed order instead, so whatever
        steps the LA model declares are the steps every LA of a population takes."""
        if self._steps is None:
            self._steps = (bind_steps(self, recording=False), bind_steps(self, recording=True))
        for step in self._steps[now >= self.warmup]:
            step(now)

    def month_end(self, now: float) -> None:
        """Close the month ending at ``now`` (days): record its metrics once the warm-up is over."""
        close_month(
            recorder=self.recorder,
            cases=self.cases,
            posts=self.posts,
            leadership=self.leadership,
            inspectorate=self.inspectorate,
            intervention=self.intervention,
            params=self.params,
            quality=self.quality,
            morale=self.org.morale,
            now=now,
            recording=now > self.warmup + 1e-9,
            ladder_oversight_bodies=self.ladder.oversight_bodies(
                now, self.intervention.active(now)
            ),
        )

    # --- processes -------------------------------------------------------------------------
    def _weekly(self):  # type: ignore[no-untyped-def]
        """The weekly update process: :meth:`week` every :data:`WEEK_DAYS` days from time 0."""
        while True:
            self.week(self.env.now)
            yield self.env.timeout(WEEK_DAYS)

    def _monthly(self):  # type: ignore[no-untyped-def]
        """The month-end process: :meth:`month_end` every model month."""
        while True:
            yield self.env.timeout(DAYS_PER_MONTH)
            self.month_end(self.env.now)

    # --- run ----------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the three processes (referrals, weekly update, month end); :meth:`run` does this."""
        self.start_referrals()
        self.env.process(self._weekly())
        self.env.process(self._monthly())

    def start_referrals(self) -> None:
        """Start only the referral process, for a driver that calls :meth:`week` and
        :meth:`month_end` itself at the times the LA's own processes would."""
        FirstReferrals(self.env, self.cases, self.params).start()

    def run(self) -> ReplicationOutput:
        """Start the LA on its own environment, run warm-up and horizon, and return
        :meth:`output` (for an LA that has the environment to itself)."""
        self.start()
        self.env.run(until=self.end + 1e-6)
        return self.output()

    def output(self, n_events: int | None = None) -> ReplicationOutput:
        """The monthly metrics and event outcomes of the finished run.

        ``n_events`` is the number of SimPy events scheduled on the environment so far (its event
        counter) unless given. Counting per LA would cost work per event, so on an environment
        shared by several LAs it is every LA's events: the composer should report it once per
        environment (or pass its own count), not sum it over LAs.
        """
        events = event_outcomes(
            history=self.inspectorate.history,
            recorder=self.recorder,
            initial_grade=self.s.initial.grade,
            first_intervention_end=self.intervention.first_end,
            dcs_changes=self.leadership.changes_since(self.warmup),
            warmup_days=self.warmup,
            end_days=self.end,
        )
        events.update(self.ladder.outcomes(self.end))
        if n_events is None:
            n_events = events_scheduled(self.env)
        cases = self.cases
        extra = {
            "mean_allocation_wait_days": cases.waits_total_days / max(1, cases.waits_count),
            "mean_sojourn_days": cases.sojourn_total_days / max(1, cases.closures),
        }
        return ReplicationOutput(
            self.recorder.data,
            events,
            n_events=n_events,
            n_referrals=cases.total_referrals,
            extra=extra,
        )


def events_scheduled(env: simpy.Environment) -> int:
    """Events scheduled on ``env`` so far (SimPy's event counter; reading it uses up one id,
    which changes no event's order)."""
    return int(next(env._eid))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, restoring its previous state afterwards.

    A replication creates no reference cycles per event (``tests/model/test_simulation.py``
    checks that its cyclic garbage does not grow with the horizon); its objects are freed by
    reference counting as it goes. Collection passes would only rescan the live cases and
    events, at a cost that grows with the size of the service.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def simulate(scenario: Scenario, seed: int, replication: int) -> ReplicationOutput:
    """Simulate one replication of one scenario (one arm).

    Parameters
    ----------
    scenario
        A validated scenario without sweep fields (an arm).
    seed, replication
        Base seed of the experiment and replication number: together they fix every random stream.

    Returns
    -------
    ReplicationOutput
        Monthly metrics (``horizon_years × 12`` rows after warm-up) and event outcomes.
    """
    with collector_paused():
        return LocalAuthority.alone(scenario, seed, replication).run()
