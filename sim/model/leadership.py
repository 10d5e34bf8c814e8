"""Leadership (DESIGN §4.3): the director of children's services and team managers.

The director's post turns over with a hazard set by ``dcs_mean_tenure_months`` (the mean spell of
any director, interims included), raised by poor governance and by an inadequate judgement. A
departing permanent director is followed by an interim with probability ``dcs_interim_probability``.
Every new post-holder is a change of director.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.model.clocks import SharedClock
from sim.model.equations import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    GRADE_INADEQUATE,
    StepChances,
    director_leaving_per_year,
    supervision_deficit,
)
from sim.model.parameters import ModelParameters
from sim.model.streams import MemberDraws, StepDraws, Streams

TM_VACANT, TM_PERMANENT, TM_INTERIM = 0, 1, 2
INADEQUATE = GRADE_INADEQUATE


@dataclass
class LeadershipDraws:
    """Random numbers of leadership, each purpose on a stream of its own, so that arms of a sweep
    stay aligned after their histories differ: weekly draws for the director (the same week gets
    the same variates in every arm) and a sequence per team-manager post for their shared clocks
    (:class:`~sim.model.streams.MemberDraws`)."""

    director: StepDraws  # U(0, 1) x 3 each week: the director leaves, an interim follows, stays
    manager_leaving: MemberDraws  # Exp(1) budget of each permanent team manager's leaving
    manager_appointment: MemberDraws  # Exp(1) budget of each manager vacancy's appointment
    manager_interim: MemberDraws  # U(0, 1) per manager leaving: interim cover or a vacancy

    @classmethod
    def from_streams(cls, streams: Streams, n_managers: int) -> LeadershipDraws:
        """Leadership's draws for one replication."""
        return cls(
            director=StepDraws(streams["leadership"], (3,)),
            manager_leaving=MemberDraws(streams.part("leadership", "manager_leaving"), n_managers),
            manager_appointment=MemberDraws(
                streams.part("leadership", "manager_appointment"), n_managers
            ),
            manager_interim=MemberDraws(
                streams.part("leadership", "manager_interim"), n_managers, "uniform"
            ),
        )


class LeadershipState:
    """Director and team managers of one LA.

    The director leaves by a weekly draw against ``1 - exp(-hazard x dt)``. Team managers in the
    same state share an exponential clock (:class:`SharedClock`), as their hazard is common: each
    draws an Exp(1) budget on taking their state and leaves it in the first weekly step at which
    the hazard integrated since then has used the budget up. That is the same weekly chance, but a
    quiet week costs two comparisons, not a draw per manager.
    """

    def __init__(
        self,
        model_params: ModelParameters,
        streams: Streams,
        n_posts: int,
        months_in_post: float | None,
        origin: float,
    ) -> None:
        params = self.p = model_params.scenario.leadership
        self._mp = model_params
        self.dcs_interim = False
        self.interim_until = math.inf
        tenure = model_params.permanent_dcs_tenure_months
        if months_in_post is None:
            past = float(streams["leadership"].exponential(tenure))
        else:
            past = months_in_post
        self.last_change = origin - past * DAYS_PER_MONTH
        self.change_times: list[float] = []
        self.n_tm = max(1, math.ceil(n_posts / params.team_manager_span))
        self._draws = LeadershipDraws.from_streams(streams, self.n_tm)
        # team managers: a clock for leaving and one for appointment
        self.tm = np.full(self.n_tm, TM_PERMANENT, dtype=np.int8)
        self._leaving = SharedClock(self.n_tm)  # permanent managers
        self._appointing = SharedClock(self.n_tm)  # vacant or interim-covered posts
        for i in range(self.n_tm):
            self._leaving.join(i, self._draws.manager_leaving.next(i))
        self._appoint_hazard_per_day = 1.0 / model_params.team_manager_recruit_days
        self._chance = StepChances()
        self._count_managers()

    # --- derived state -----------------------------------------------------------------
    def settled(self, now: float) -> bool:
        """Whether improvement work runs (no interim director, and settled since the last change)."""
        return not self.dcs_interim and now - self.last_change >= self._mp.settle_days

    def recently_changed(self, now: float) -> bool:
        """Whether staff are still leaving faster after a change of director."""
        return now - self.last_change < self._mp.change_leaving_days

    def supervision_deficit(self) -> float:
        """1 - mean supervision quality over team-manager posts (vacant 0, interim reduced, permanent 1)."""
        return self._supervision_deficit

    def interim_leaders(self) -> int:
        """Interim director (0/1) plus interim team managers in post."""
        return int(self.dcs_interim) + self.interim_managers

    def _count_managers(self) -> None:
        """Recount team managers after a change (cached: read weekly, changed rarely)."""
        self.permanent_managers = int(np.count_nonzero(self.tm == TM_PERMANENT))
        self.interim_managers = int(np.count_nonzero(self.tm == TM_INTERIM))
        self._supervision_deficit = supervision_deficit(
            permanent_managers=self.permanent_managers,
            interim_managers=self.interim_managers,
            team_managers=self.n_tm,
            interim_manager_supervision=self.p.interim_manager_supervision,
        )

    def changes_since(self, t: float) -> int:
        """Changes of director since time ``t``."""
        return sum(1 for c in self.change_times if c >= t)

    # --- dynamics ------------------------------------------------------------------------------
    def new_director(self, now: float, interim: bool, u_stay: float | None = None) -> None:
        """A new director takes the post; an interim stays an exponential time with mean
        ``dcs_interim_months``, drawn by inverting the uniform ``u_stay``."""
        self.change_times.append(now)
        self.last_change = now
        self.dcs_interim = interim
        if not interim:
            self.interim_until = math.inf
        elif u_stay is None:
            raise ValueError("an interim director needs u_stay, the uniform for their stay")
        else:
            self.interim_until = (
                now - math.log1p(-u_stay) * self.p.dcs_interim_months * DAYS_PER_MONTH
            )

    def step(
        self, now: float, dt: float, governance: float, grade: int, tm_leave_multiplier: float
    ) -> bool:
        """Advance by ``dt`` days; return whether the director changed."""
        p = self.p
        u = self._draws.director.next()
        changed = False
        if self.dcs_interim:
            if now >= self.interim_until:
                self.new_director(now, interim=False)
                changed = True
        elif u[0] < self._chance(
            director_leaving_per_year(
                director_base_leaving_per_year=self._mp.director_base_leaving_per_year,
                governance_churn_effect=p.governance_churn_effect,
                governance_reference=p.governance_reference,
                governance_quality=governance,
                inadequate=grade == INADEQUATE,
                inadequate_hazard_multiplier=p.inadequate_hazard_multiplier,
            ),
            dt,
        ):
            interim = u[1] < p.dcs_interim_probability
            self.new_director(now, interim, u_stay=u[2] if interim else None)
            changed = True
        # team managers: permanent managers leave; vacancies get interims or permanent appointments
        leave_hazard = dt * p.team_manager_leave_per_year * tm_leave_multiplier / DAYS_PER_YEAR
        leaving = self._leaving.advance(leave_hazard)
        if self._appointing.advance(dt * self._appoint_hazard_per_day) or leaving:
            self._managers_change()
        return changed

    def _managers_change(self) -> None:
        """Managers whose clock has run out leave (to an interim or a vacancy) or are appointed."""
        tm, draws = self.tm, self._draws
        leaving, appointing = self._leaving, self._appointing
        leavers, appointed = leaving.ran_out(), appointing.ran_out()
        for i in leavers:
            interim = draws.manager_interim.next(i) < self.p.team_manager_interim_share
            tm[i] = TM_INTERIM if interim else TM_VACANT
            leaving.drop(i)
            appointing.join(i, draws.manager_appointment.next(i))
        for i in appointed:
            tm[i] = TM_PERMANENT
            appointing.drop(i)
            leaving.join(i, draws.manager_leaving.next(i))
        self._count_managers()
