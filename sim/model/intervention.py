"""Intervention (DESIGN §4.6): when it runs and how much improvement effort its change team adds."""

from __future__ import annotations

import math
from typing import NamedTuple

from sim.model.equations import change_team_effort, change_team_presence
from sim.model.parameters import ModelParameters


class InterventionWeek(NamedTuple):
    """What an intervention contributes in one week."""

    active: bool  # change team in place
    presence: float  # share of the change team in place (0-1)
    effort: float  # improvement effort it adds (before oversight noise)
    development: float  # practitioner-development investment in force (0-1)
    oversight_bodies: int  # external oversight bodies watching


NO_INTERVENTION = InterventionWeek(False, 0.0, 0.0, 0.0, 0)


class InterventionState:
    """Schedule and strength of one intervention at a time (a later inadequate judgement may start another)."""

    def __init__(self, model_params: ModelParameters) -> None:
        self.p = model_params.scenario.intervention
        self._mp = model_params
        self.start = math.inf
        self.end = math.inf
        self.count = 0
        self.first_start = math.inf
        self.first_end = math.inf

    def trigger(self, now: float) -> bool:
        """Schedule an intervention from ``now`` unless one is already scheduled or running."""
        if self.start <= now < self.end or now < self.start < math.inf:
            return False
        self.start = now + self._mp.start_delay_days
        self.end = self.start + self._mp.duration_days
        self.count += 1
        if self.count == 1:
            self.first_start, self.first_end = self.start, self.end
        return True

    def active(self, now: float) -> bool:
        """Whether the change team is in place."""
        return self.start <= now < self.end

    def presence(self, now: float) -> float:
        """Share of the change team in place (0-1): formation ramp at the start, taper at the end."""
        if not self.active(now):
            return 0.0
        return change_team_presence(
            since_start_days=now - self.start,
            until_end_days=self.end - now,
            formation_days=self._mp.formation_days,
            taper_days=self._mp.taper_days,
        )

    def team_fte(self, now: float) -> float:
        """Change-team FTE in place."""
        return self.p.change_team_fte * self.presence(now)

    def effort(self, now: float) -> float:
        """Improvement effort the change team adds (before oversight noise)."""
        return self.effort_of(self.team_fte(now))

    def effort_of(self, team_fte: float) -> float:
        """Improvement effort of a change team of ``team_fte`` FTE in place (before oversight
        noise); ``effort_of(change_team_fte)`` is the team's full strength."""
        p = self.p
        return change_team_effort(
            team_fte=team_fte,
            effort_per_fte=p.effort_per_fte,
            effectiveness=p.effectiveness,
            adhoc=p.formation == "adhoc",
            adhoc_effectiveness=p.adhoc_effectiveness,
            adhoc_churn_effort_loss=p.adhoc_churn_effort_loss,
            imposed=p.ownership == "imposed",
            imposed_effectiveness=p.imposed_effectiveness,
        )

    def development(self, now: float) -> float:
        """Practitioner-development investment in force (0-1)."""
        if self.active(now) or (self.p.development_persists and now >= self.start):
            return self.p.practitioner_development
        return 0.0

    def week(self, now: float) -> InterventionWeek:
        """Everything the intervention contributes at ``now`` (all zero before one starts)."""
        if now < self.start:
            return NO_INTERVENTION
        return InterventionWeek(
            self.active(now),
            self.presence(now),
            self.effort(now),
            self.development(now),
            self.oversight_bodies(now),
        )

    def oversight_bodies(self, now: float) -> int:
        """External oversight bodies watching while the intervention runs."""
        return self.p.oversight_bodies if self.active(now) else 0
