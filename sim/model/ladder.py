"""DfE's intervention ladder (DESIGN §4.6): the improvement notice that stands until a graded
judgement finds the LA no longer inadequate, and the escalation of persistent failure to a
statutory direction with a commissioner and, in a few places, a trust."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from sim.model.equations import DAYS_PER_MONTH, GRADE_INADEQUATE
from sim.scenario.scenario import Scenario


class Escalation(NamedTuple):
    """What one escalation brings, for the LA to act on."""

    new_director: bool  # a new permanent director takes over
    trust: bool  # the service moves to a trust
    setup_cost_gbp: float  # one-off cost falling now


class LadderState:
    """One LA's improvement notice and its escalation, with the counts the event outcomes report.

    Parameters
    ----------
    scenario
        The LA's scenario (its ``ladder`` and ``intervention`` sections).
    rng
        The LA's ``intervention`` stream (drawn only when a commissioner decides on a trust).
    """

    def __init__(self, scenario: Scenario, rng: np.random.Generator) -> None:
        self.p = scenario.ladder
        self._acts = scenario.intervention.trigger == "inadequate"
        self._until_improved = self.p.notice == "until_not_inadequate"
        self._notice_oversight = scenario.intervention.oversight_bodies
        self.rng = rng
        self.since = math.inf  # when the notice in force was issued (days)
        self.direction = False  # a statutory direction (and commissioner) stands
        self.closed_days = 0.0  # days under notices that have been lifted
        self.notices = 0
        self.directions = 0
        self.trusts = 0

    def in_force(self, now: float) -> bool:
        """Whether an improvement notice stands at ``now``."""
        return self.since <= now

    def step(self, now: float, grade: int) -> Escalation | None:
        """Weekly: issue a notice to an inadequate LA without one; escalate a notice that has
        stood ``commissioner_after_months`` with the LA still inadequate."""
        if not self._acts or grade != GRADE_INADEQUATE:
            return None
        if not self.in_force(now):
            self.since = now
            self.notices += 1
            return None
        if (
            self.p.escalation
            and not self.direction
            and now - self.since >= self.p.commissioner_after_months * DAYS_PER_MONTH
        ):
            return self._escalate()
        return None

    def judged(self, now: float, grade: int) -> Escalation | None:
        """A graded judgement while the notice stands: lift it when the LA is no longer
        inadequate; escalate on a second inadequate judgement (when the rule says so)."""
        if not self.in_force(now):
            return None
        if grade != GRADE_INADEQUATE:
            self.closed_days += now - self.since
            self.since = math.inf
            self.direction = False
            return None
        if self.p.escalation and self.p.commissioner_on_second_inadequate and not self.direction:
            return self._escalate()
        return None

    def _escalate(self) -> Escalation:
        self.direction = True
        self.directions += 1
        trust = bool(self.rng.random() < self.p.trust_probability)
        self.trusts += trust
        return Escalation(
            new_director=self.p.commissioner_replaces_director or trust,
            trust=trust,
            setup_cost_gbp=self.p.trust_setup_cost_gbp if trust else 0.0,
        )

    def oversight_bodies(self, now: float, team_active: bool) -> int:
        """Oversight bodies the ladder adds to the intervention's own at ``now``: the notice's
        (once the change team has gone, under ``until_not_inadequate``) and the commissioner's."""
        if not self.in_force(now):
            return 0
        bodies = self.p.commissioner_oversight_bodies if self.direction else 0
        if self._until_improved and not team_active:
            bodies += self._notice_oversight
        return bodies

    def support_share(self, now: float) -> float:
        """Share of the change team's full effort the notice's adviser and board keep up at
        ``now`` (0 unless a notice stands under ``until_not_inadequate``)."""
        return self.p.notice_support_share if self._until_improved and self.in_force(now) else 0.0

    def recruitment_support(self, now: float) -> bool:
        """Whether the notice keeps the intervention's recruitment support going at ``now``."""
        return self._until_improved and self.p.notice_recruitment_support and self.in_force(now)

    def outcomes(self, end: float) -> dict[str, float]:
        """Event outcomes: months under notice (an open notice counted to ``end``), notices,
        directions (each with a commissioner) and trusts."""
        open_days = max(0.0, end - self.since) if self.in_force(end) else 0.0
        return {
            "months_under_notice": (self.closed_days + open_days) / DAYS_PER_MONTH,
            "notices": self.notices,
            "directions": self.directions,
            "trusts": self.trusts,
        }
