"""One local authority on a SimPy clock: wires cases, workforce, leadership, inspection and
intervention together, and records the monthly metrics (DESIGN §4).

Three processes run: first-time referrals (Poisson, thinned for seasonality and trend), a weekly
organisational update vectorised over posts, and the month-end recorder. Everything else is a
callback on a scheduled timeout.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager

import simpy

from sim.model.caseflow import CaseFlow
from sim.model.equations import (
    DAYS_PER_MONTH,
    DAYS_PER_WEEK,
    DAYS_PER_YEAR,
    GRADE_REQUIRES_IMPROVEMENT,
    hazard_to_probability,
    practice_quality,
    recruitment_rate_per_year,
    relative_excess,
    workforce_stability,
)
from sim.model.events import event_outcomes
from sim.model.initial_cases import seed_open_cases
from sim.model.inspection import INADEQUATE, Inspectorate
from sim.model.intervention import NO_INTERVENTION, InterventionState, InterventionWeek
from sim.model.leadership import LeadershipState
from sim.model.month_end import close_month
from sim.model.organisation import OrgConditions, OrgState
from sim.model.output import ReplicationOutput
from sim.model.parameters import ModelParameters
from sim.model.recorder import Recorder
from sim.model.streams import Streams
from sim.model.workforce import (
    Posts,
    WeekContext,
    WorkforceDraws,
    WorkforceDynamics,
)
from sim.scenario.scenario import Scenario

WEEK_DAYS = DAYS_PER_WEEK  # the weekly update's step


class LocalAuthority:
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
        self.org = OrgState(s.organisation, init.embedded_quality, init.recent_gains, init.morale)
        self.quality = init.embedded_quality + init.recent_gains
        self.posts = Posts(s.workforce)
        self.workforce = WorkforceDynamics(
            self.posts,
            WorkforceDraws.from_streams(self.streams, self.posts.n),
            s.organisation.morale_reference,
            self._recruitment_rate,
        )
        self.workforce.initialise(self.streams["initial"], init.vacancy_rate, init.agency_rate)
        self.cases = CaseFlow(self.env, s, self.posts, self.streams, self.quality, WEEK_DAYS)
        self.leadership = LeadershipState(
            s.leadership,
            self.streams,
            self.posts.n,
            init.dcs_months_in_post,
            origin=self.warmup,
        )
        self.inspectorate = Inspectorate(
            s.inspection,
            self.streams["inspection"],
            init.grade,
            init.months_since_inspection,
            origin=self.warmup,
        )
        self.intervention = InterventionState(s.intervention)
        self.recorder = Recorder(self.n_months)
        self._p_move = float(hazard_to_probability(s.cases.reallocation_rate_per_year, WEEK_DAYS))
        self._cliff_edge_days = s.inspection.cliff_edge_months * DAYS_PER_MONTH
        self._governance_morale_loss = s.leadership.governance_morale_effect * max(
            0.0, s.leadership.governance_reference - s.leadership.governance_quality
        )
        self.ledger = self.recorder.ledger
        self.intervention_seen = 0
        self.judgement_acted_on = -math.inf  # time of the last inadequate judgement acted on
        seed_open_cases(self.cases, s, self.streams["initial"])

    @classmethod
    def alone(cls, scenario: Scenario, seed: int, replication: int) -> LocalAuthority:
        """A single LA (no LA identity) on an environment of its own, as :func:`simulate` runs."""
        return cls(
            simpy.Environment(), ModelParameters.from_scenario(scenario), Streams(seed, replication)
        )

    # --- processes -------------------------------------------------------------------------
    def _referrals(self):  # type: ignore[no-untyped-def]
        """First-time referrals: a Poisson process, thinned for seasonality and trend."""
        d = self.s.demand
        growth = 1.0 + d.trend_pct_per_year / 100.0
        peak_growth = max(1.0, growth ** (self.end / DAYS_PER_YEAR))
        rate_max = (
            d.first_referrals_per_year / DAYS_PER_YEAR * peak_growth * (1.0 + d.seasonal_amplitude)
        )
        if rate_max <= 0:
            return
        draws = self.cases.u_arrival
        thinning = d.seasonal_amplitude > 0 or d.trend_pct_per_year != 0
        while True:
            yield self.env.timeout(draws.exponential() / rate_max)
            if thinning:
                t = self.env.now
                rate = d.first_referrals_per_year / DAYS_PER_YEAR * growth ** (t / DAYS_PER_YEAR)
                rate *= 1.0 + d.seasonal_amplitude * math.cos(
                    2 * math.pi * (t / DAYS_PER_YEAR - d.seasonal_peak_month / 12)
                )
                if draws.uniform() * rate_max > rate:
                    continue
            self.cases.refer(rereferral=False)

    def _weekly(self):  # type: ignore[no-untyped-def]
        while True:
            self.cases.calendar.release()
            self._week(self.env.now)
            yield self.env.timeout(WEEK_DAYS)

    def _monthly(self):  # type: ignore[no-untyped-def]
        month = 0
        while True:
            yield self.env.timeout(DAYS_PER_MONTH)
            month += 1
            close_month(
                recorder=self.recorder,
                cases=self.cases,
                posts=self.posts,
                leadership=self.leadership,
                inspectorate=self.inspectorate,
                intervention=self.intervention,
                scenario=self.s,
                quality=self.quality,
                morale=self.org.morale,
                now=self.env.now,
                recording=self.env.now > self.warmup + 1e-9,
            )

    # --- the weekly organisational update --------------------------------------------------
    def _recruitment_rate(self, grade: int, morale: float, support: float) -> float:
        w = self.s.workforce
        return recruitment_rate_per_year(
            w.recruitment_mean_months,
            grade,
            w.recruitment_grade_penalty,
            morale,
            self.s.organisation.morale_reference,
            w.recruitment_morale_effect,
            support,
        )

    def _week(self, now: float) -> None:
        s, org, lead, insp = self.s, self.org, self.leadership, self.inspectorate
        recording = now >= self.warmup
        if recording:
            self._intervention_milestones(now)
            iv = self.intervention.week(now)
            monitoring = insp.monitoring()
            shock = self._leave_shock(now)
        else:  # warm-up: organisational state frozen
            iv, monitoring, shock = NO_INTERVENTION, False, 1.0
        changes = self.workforce.step(
            now,
            WEEK_DAYS,
            WeekContext(
                morale=org.morale,
                grade=insp.grade,
                supervision_deficit=lead.supervision_deficit(),
                oversight_stress=s.workforce.stress_oversight_weight * iv.oversight_bodies
                + (s.inspection.monitoring_stress if monitoring else 0.0),
                stress_relief=s.intervention.development_stress_relief * iv.development,
                leave_shock=shock,
                recruitment_support=s.intervention.recruitment_support if iv.active else 0.0,
            ),
        )
        cases = self.cases
        for w in changes.vacated:
            cases.worker_left(w)
        for w in changes.handed_over:
            cases.handover(w)
        cases.fill_all_from_queue()
        cases.reallocate_some(self._p_move)
        self.ledger.count_week(changes.permanent_hires, changes.employed_leavers)
        self._measure_pressure()
        self.quality = self._current_quality()
        if recording:
            if lead.step(now, WEEK_DAYS, s.leadership.governance_quality, insp.grade, shock):
                self._director_changed()
            if insp.due(now):
                self._inspect(now)
            self._organisation_step(now, iv, monitoring)
            self.quality = self._current_quality()
        cases.set_quality(self.quality)

    def _leave_shock(self, now: float) -> float:
        """Multiplier of leaving hazards after a change of director or an inadequate judgement."""
        shock = 1.0
        if self.leadership.recently_changed(now):
            shock += self.s.leadership.change_leaving_effect
        if now - self.inspectorate.last_inadequate < self._cliff_edge_days:
            shock += self.s.inspection.cliff_edge_leaving_effect
        return shock

    def _organisation_step(self, now: float, iv: InterventionWeek, monitoring: bool) -> None:
        """Improvement effort, embedding, erosion and morale for one week."""
        s = self.s
        settled = self.leadership.settled(now)
        noise = max(
            0.0,
            1.0 - s.intervention.noise_per_oversight_body * (iv.oversight_bodies + monitoring),
        )
        own = s.organisation.own_improvement_effort * (
            1.0
            + s.organisation.poor_grade_effort_boost
            * (self.inspectorate.grade >= GRADE_REQUIRES_IMPROVEMENT)
        )
        morale_boost = s.intervention.morale_support * iv.presence
        if iv.active and s.intervention.ownership == "imposed":
            morale_boost -= s.intervention.imposed_morale_effect
        self.org.step(
            WEEK_DAYS,
            OrgConditions(
                effort=(own * settled + iv.effort) * noise,
                stability=float(settled)
                * workforce_stability(
                    self.ledger.turnover, s.organisation.stable_workforce_turnover
                ),
                embed_boost=s.intervention.development_embed_boost * iv.development,
                turnover=self.ledger.turnover,
                mean_stress_excess=max(
                    0.0, self.posts.mean_employed_stress() - s.workforce.stress_baseline
                ),
                quality=self.quality,
                governance_morale_loss=self._governance_morale_loss,
                intervention_morale=morale_boost,
            ),
        )

    def _intervention_milestones(self, now: float) -> None:
        iv, s = self.intervention, self.s
        if s.intervention.trigger == "at_start" and iv.count == 0:
            iv.trigger(now)
        # Each inadequate judgement (an inadequate grade at the start counts as one) gets one
        # intervention; a judgement made while a team is in place is acted on when it leaves.
        judged = self.inspectorate.last_inadequate
        if (
            s.intervention.trigger == "inadequate"
            and judged > self.judgement_acted_on
            and iv.trigger(now)
        ):
            self.judgement_acted_on = judged
        if iv.count > self.intervention_seen and now >= iv.start:
            self.intervention_seen = iv.count
            self.ledger.intervention_started(self.quality, s.intervention.setup_cost_gbp)
            if s.intervention.replaces_leadership:
                self.leadership.new_director(now, interim=False)
                self._director_changed()

    def _director_changed(self) -> None:
        self.org.shock_morale(self.s.leadership.change_morale_shock)
        self.org.erode(self.s.organisation.leadership_change_erosion)

    def _inspect(self, now: float) -> None:
        s = self.s
        in_post = self.posts.in_post
        grade = self.inspectorate.inspect(
            now,
            self.quality,
            max(0.0, s.inspection.timeliness_reference - self.recorder.timeliness()),
            float(relative_excess(self.cases.caseload(), s.workforce.caseload_target)),
            self.cases.n_unallocated / max(1.0, in_post),
            max(0.0, self.ledger.turnover - s.organisation.stable_workforce_turnover),
        )
        if grade == INADEQUATE:
            self.org.shock_morale(s.inspection.inadequate_morale_shock)

    # --- derived quantities -----------------------------------------------------------------
    def _measure_pressure(self) -> None:
        """Day-to-day pressures on practice (measured once a week): caseload excess, share of
        inexperienced (agency or newly qualified) workers, unallocated cases per FTE."""
        in_post = max(1, self.posts.in_post)
        excess = self.cases.caseload() / self.s.workforce.caseload_target - 1.0
        self._pressure = (
            max(0.0, excess),
            self.posts.n_inexperienced / in_post,
            self.cases.n_unallocated / in_post,
        )

    def _current_quality(self) -> float:
        o = self.s.organisation
        caseload_excess, inexperienced, unallocated = self._pressure
        return practice_quality(
            self.org.embedded,
            self.org.gains,
            caseload_excess,
            o.caseload_quality_penalty,
            inexperienced,
            o.inexperience_quality_penalty,
            unallocated,
            o.unallocated_quality_penalty,
        )

    # --- run ----------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the three processes (referrals, weekly update, month end); :meth:`run` does this."""
        self.env.process(self._referrals())
        self.env.process(self._weekly())
        self.env.process(self._monthly())

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
