"""The order of the weekly update, declared once (as Starsim's ``loop.py`` writes its steps down).

Each week the LA runs these steps in this order (:class:`sim.model.simulation.LocalAuthority`
binds each name to its method ``_step_<name>``). During the warm-up the organisational state is
frozen: the steps marked ``after_warmup`` do not run, and the week's conditions keep their
neutral values (no intervention, no monitoring, no leaving shock).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import simpy

from sim.model.caseflow import CaseFlow
from sim.model.equations import (
    DAYS_PER_WEEK,
    GRADE_REQUIRES_IMPROVEMENT,
    improvement_effort,
    intervention_morale,
    practice_quality,
    recruitment_rate_per_year,
    relative_excess,
    workforce_stability,
)
from sim.model.inspection import INADEQUATE, Inspectorate, Shortfalls
from sim.model.intervention import InterventionState, InterventionWeek
from sim.model.ladder import Escalation, LadderState
from sim.model.leadership import LeadershipState
from sim.model.organisation import OrgConditions, OrgState
from sim.model.parameters import ModelParameters
from sim.model.recorder import Ledger, Recorder
from sim.model.workforce import Posts, WeekChanges, WeekContext, WorkforceDynamics
from sim.scenario.scenario import Scenario

WEEK_DAYS = DAYS_PER_WEEK  # the weekly update's step


class WeeklyStep(NamedTuple):
    """One step of the weekly update."""

    name: str
    after_warmup: bool  # runs only once the warm-up is over
    does: str


WEEKLY_STEPS: tuple[WeeklyStep, ...] = (
    WeeklyStep("calendar", False, "move next week's parked events onto SimPy's heap"),
    WeeklyStep(
        "conditions",
        True,
        "intervention milestones; this week's intervention, monitoring and leaving shock",
    ),
    WeeklyStep("workforce", False, "stress, leaving, recruitment and agency cover of every post"),
    WeeklyStep(
        "caseloads",
        False,
        "leavers' cases reallocated, handovers, waiting cases allocated, internal moves; "
        "the week's hires and leavers counted",
    ),
    WeeklyStep("pressure", False, "day-to-day pressures measured; practice quality"),
    WeeklyStep("leadership", True, "the director and team managers"),
    WeeklyStep("inspection", True, "a graded inspection when one is due"),
    WeeklyStep(
        "organisation", True, "improvement effort, embedding, erosion and morale; practice quality"
    ),
    WeeklyStep("rereferral", False, "re-referral chances from this week's practice quality"),
)

Step = Callable[[float], None]


def bind_steps(owner: object, recording: bool) -> tuple[Step, ...]:
    """The methods ``owner._step_<name>(now)`` of the steps that run in a week of the warm-up
    (``recording=False``) or after it, in :data:`WEEKLY_STEPS` order."""
    return tuple(
        getattr(owner, f"_step_{step.name}")
        for step in WEEKLY_STEPS
        if recording or not step.after_warmup
    )


class WeeklyUpdate:
    """The steps of the weekly update, as methods of the LA they update
    (:class:`~sim.model.simulation.LocalAuthority` builds the state declared here)."""

    s: Scenario
    params: ModelParameters
    env: simpy.Environment
    cases: CaseFlow
    posts: Posts
    workforce: WorkforceDynamics
    org: OrgState
    own_effort: float  # own improvement effort, with the LA's persistent multiplier
    leadership: LeadershipState
    inspectorate: Inspectorate
    intervention: InterventionState
    ladder: LadderState
    recorder: Recorder
    ledger: Ledger
    quality: float
    # the week's conditions (neutral during the warm-up), its workforce changes and pressures
    _iv: InterventionWeek
    _monitoring: bool
    _notice_support: bool
    _shock: float
    _changes: WeekChanges
    _pressure: tuple[float, float, float]
    intervention_seen: int
    judgement_acted_on: float

    def _recruitment_rate(self, grade: int, morale: float, support: float) -> float:
        w = self.s.workforce
        return recruitment_rate_per_year(
            recruitment_base_rate_per_year=self.params.recruitment_base_rate_per_year,
            grade=grade,
            recruitment_grade_penalty=w.recruitment_grade_penalty,
            morale=morale,
            morale_reference=self.s.organisation.morale_reference,
            recruitment_morale_effect=w.recruitment_morale_effect,
            recruitment_support=support,
        )

    def _step_calendar(self, now: float) -> None:
        self.cases.calendar.release()

    def _step_conditions(self, now: float) -> None:
        self._intervention_milestones(now)
        self._iv = self.intervention.week(now)
        escalation = self.ladder.step(now, self.inspectorate.grade)
        if escalation is not None:
            self._escalated(now, escalation)
        notice_bodies = self.ladder.oversight_bodies(now, self._iv.active)
        if notice_bodies:
            self._iv = self._iv._replace(oversight_bodies=self._iv.oversight_bodies + notice_bodies)
        support = self.ladder.support_share(now)
        if support > 0.0:
            floor = support * self.intervention.effort_of(self.s.intervention.change_team_fte)
            self._iv = self._iv._replace(effort=max(self._iv.effort, floor))
        self._notice_support = self.ladder.recruitment_support(now)
        self._monitoring = self.inspectorate.monitoring()
        self._shock = self._leave_shock(now)

    def _step_workforce(self, now: float) -> None:
        s, iv = self.s, self._iv
        self._changes = self.workforce.step(
            now,
            WEEK_DAYS,
            WeekContext(
                morale=self.org.morale,
                grade=self.inspectorate.grade,
                supervision_deficit=self.leadership.supervision_deficit(),
                oversight_stress=s.workforce.stress_oversight_weight * iv.oversight_bodies
                + (s.inspection.monitoring_stress if self._monitoring else 0.0),
                stress_relief=s.intervention.development_stress_relief * iv.development,
                leave_shock=self._shock,
                recruitment_support=s.intervention.recruitment_support
                if iv.active or self._notice_support
                else 0.0,
            ),
        )

    def _step_caseloads(self, now: float) -> None:
        cases, changes = self.cases, self._changes
        for w in changes.vacated:
            cases.worker_left(w)
        for w in changes.handed_over:
            cases.handover(w)
        cases.fill_all_from_queue()
        cases.reallocate_some(self.params.reallocation_chance_per_week)
        self.ledger.count_week(changes.permanent_hires, changes.employed_leavers)

    def _step_pressure(self, now: float) -> None:
        self._measure_pressure()
        self.quality = self._current_quality()

    def _step_leadership(self, now: float) -> None:
        governance = self.s.leadership.governance_quality
        if self.leadership.step(now, WEEK_DAYS, governance, self.inspectorate.grade, self._shock):
            self._director_changed()

    def _step_inspection(self, now: float) -> None:
        insp = self.inspectorate
        if insp.visit_due(now):
            insp.monitor(
                now,
                insp.expected_score(self.quality, self._shortfalls())
                if insp.visits_score
                else self.quality,
            )
        if insp.due(now):
            self._inspect(now)

    def _step_organisation(self, now: float) -> None:
        self._organisation_step(now, self._iv, self._monitoring)
        self.quality = self._current_quality()

    def _step_rereferral(self, now: float) -> None:
        self.cases.set_quality(self.quality)

    def _leave_shock(self, now: float) -> float:
        """Multiplier of leaving hazards after a change of director or an inadequate judgement."""
        shock = 1.0
        if self.leadership.recently_changed(now):
            shock += self.s.leadership.change_leaving_effect
        if now - self.inspectorate.last_inadequate < self.params.cliff_edge_days:
            shock += self.s.inspection.cliff_edge_leaving_effect
        return shock

    def _organisation_step(self, now: float, iv: InterventionWeek, monitoring: bool) -> None:
        """Improvement effort, embedding, erosion and morale for one week."""
        s = self.s
        settled = self.leadership.settled(now)
        turnover = self.ledger.turnover
        self.org.step(
            WEEK_DAYS,
            OrgConditions(
                effort=improvement_effort(
                    own_improvement_effort=self.own_effort,
                    poor_grade_effort_boost=s.organisation.poor_grade_effort_boost,
                    poor_grade=self.inspectorate.grade >= GRADE_REQUIRES_IMPROVEMENT,
                    settled=settled,
                    change_team_effort=iv.effort,
                    noise_per_oversight_body=s.intervention.noise_per_oversight_body,
                    oversight_bodies=iv.oversight_bodies + monitoring,
                ),
                stability=float(settled or not s.leadership.settling_pauses_embedding)
                * workforce_stability(
                    turnover=turnover,
                    stable_workforce_turnover=s.organisation.stable_workforce_turnover,
                ),
                embed_boost=s.intervention.development_embed_boost * iv.development,
                turnover=turnover,
                mean_stress_excess=max(
                    0.0, self.posts.mean_employed_stress() - s.workforce.stress_baseline
                ),
                quality=self.quality,
                intervention_morale=intervention_morale(
                    morale_support=s.intervention.morale_support,
                    presence=iv.presence,
                    imposed_and_active=iv.active and s.intervention.ownership == "imposed",
                    imposed_morale_effect=s.intervention.imposed_morale_effect,
                ),
            ),
        )

    def intervention_triggered(self) -> bool:
        """Whether the intervention's trigger holds: at the start while none has run, or an
        inadequate judgement not yet acted on (an inadequate grade at the start counts as one).
        The national clock asks it too, to know which weeks may call on the pool."""
        trigger = self.s.intervention.trigger
        if trigger == "at_start":
            return self.intervention.count == 0
        return (
            trigger == "inadequate" and self.inspectorate.last_inadequate > self.judgement_acted_on
        )

    def _intervention_milestones(self, now: float) -> None:
        iv, s = self.intervention, self.s
        # Each inadequate judgement gets one intervention; a judgement made while a team is in
        # place is acted on when it leaves.
        if (
            self.intervention_triggered()
            and iv.trigger(now)
            and s.intervention.trigger == "inadequate"
        ):
            self.judgement_acted_on = self.inspectorate.last_inadequate
        if iv.count > self.intervention_seen and now >= iv.start:
            self.intervention_seen = iv.count
            self.ledger.intervention_started(self.quality, s.intervention.setup_cost_gbp)
            if s.intervention.replaces_leadership:
                self.leadership.new_director(now, interim=False)
                self._director_changed()

    def _director_changed(self) -> None:
        self.org.shock_morale(self.s.leadership.change_morale_shock)
        self.org.erode(self.s.organisation.leadership_change_erosion)

    def _shortfalls(self) -> Shortfalls:
        """What inspectors see besides practice quality, now."""
        s = self.s
        return Shortfalls(
            timeliness=max(0.0, s.inspection.timeliness_reference - self.recorder.timeliness()),
            caseload_excess=float(
                relative_excess(self.cases.caseload(), s.workforce.caseload_target)
            ),
            unallocated_per_fte=self.cases.n_unallocated / max(1.0, self.posts.in_post),
            turnover_excess=max(
                0.0, self.ledger.turnover - s.organisation.stable_workforce_turnover
            ),
        )

    def _inspect(self, now: float) -> None:
        s = self.s
        grade = self.inspectorate.inspect(now, self.quality, self._shortfalls())
        if grade == INADEQUATE:
            self.org.shock_morale(s.inspection.inadequate_morale_shock)
            self.workforce.fund_growth()
        escalation = self.ladder.judged(now, grade)
        if escalation is not None:
            self._escalated(now, escalation)

    def _escalated(self, now: float, escalation: Escalation) -> None:
        """A statutory direction and a commissioner (and perhaps a trust) from ``now``."""
        if escalation.new_director:
            self.leadership.new_director(now, interim=False)
            self._director_changed()
        self.ledger.month_setup_cost_gbp += escalation.setup_cost_gbp

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
            embedded=self.org.embedded,
            recent_gains=self.org.gains,
            caseload_excess=caseload_excess,
            caseload_quality_penalty=o.caseload_quality_penalty,
            inexperienced_share=inexperienced,
            inexperience_quality_penalty=o.inexperience_quality_penalty,
            unallocated_per_fte=unallocated,
            unallocated_quality_penalty=o.unallocated_quality_penalty,
        )
