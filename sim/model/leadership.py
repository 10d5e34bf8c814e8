"""Leadership (DESIGN §4.3): the director of children's services and team managers.

The director's post turns over with a hazard set by ``dcs_mean_tenure_months`` (the mean spell of
any director, interims included), raised by poor governance and by an inadequate judgement. A
departing permanent director is followed by an interim with probability ``dcs_interim_probability``.
Every new post-holder is a change of director.
"""

from __future__ import annotations

import math

import numpy as np

from sim.model.equations import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    GRADE_INADEQUATE,
    StepChances,
)
from sim.model.streams import StepDraws
from sim.scenario.leadership import Leadership

TM_VACANT, TM_PERMANENT, TM_INTERIM = 0, 1, 2
INADEQUATE = GRADE_INADEQUATE


def permanent_tenure_months(p: Leadership) -> float:
    """Mean spell of a permanent director such that the mean spell of all directors, interims
    included, equals ``dcs_mean_tenure_months``."""
    q = p.dcs_interim_probability
    return max(
        p.dcs_interim_months, p.dcs_mean_tenure_months * (1.0 + q) - q * p.dcs_interim_months
    )


class LeadershipState:
    """Director and team managers of one LA."""

    def __init__(
        self,
        params: Leadership,
        rng: np.random.Generator,
        n_posts: int,
        months_in_post: float | None,
        origin: float,
    ) -> None:
        self.p = params
        self.governance_reference = params.governance_reference
        self.dcs_interim = False
        self.interim_until = math.inf
        tenure = permanent_tenure_months(params)
        past = months_in_post if months_in_post is not None else float(rng.exponential(tenure))
        self.last_change = origin - past * DAYS_PER_MONTH
        self.change_times: list[float] = []
        self.n_tm = max(1, math.ceil(n_posts / params.team_manager_span))
        self.tm = np.full(self.n_tm, TM_PERMANENT, dtype=np.int8)
        # each week: the director (leaving, interim successor, interim's stay; padded to a row)
        # and each team manager (leaving, interim cover, appointment)
        self._draws = StepDraws(rng, (4, max(3, self.n_tm)))
        self._chance = StepChances()
        self._count_managers()

    # --- derived state -----------------------------------------------------------------
    def settled(self, now: float) -> bool:
        """Whether improvement work runs (no interim director, and settled since the last change)."""
        return (
            not self.dcs_interim and now - self.last_change >= self.p.settle_months * DAYS_PER_MONTH
        )

    def recently_changed(self, now: float) -> bool:
        """Whether staff are still leaving faster after a change of director."""
        return now - self.last_change < self.p.change_leaving_months * DAYS_PER_MONTH

    def supervision_deficit(self) -> float:
        """1 - mean supervision quality over team-manager posts (vacant 0, interim reduced, permanent 1)."""
        return self._supervision_deficit

    def interim_leaders(self) -> int:
        """Interim director (0/1) plus interim team managers in post."""
        return int(self.dcs_interim) + self._interim_managers

    def _count_managers(self) -> None:
        """Recount team managers after a change (cached: read weekly, changed rarely)."""
        self._permanent = self.tm == TM_PERMANENT
        permanent = int(np.count_nonzero(self._permanent))
        self._interim_managers = int(np.count_nonzero(self.tm == TM_INTERIM))
        self._supervision_deficit = (
            1.0
            - (permanent + self.p.interim_manager_supervision * self._interim_managers) / self.n_tm
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
        draws = self._draws.next()
        u, v = draws[0, :3].tolist(), draws[1:, : self.n_tm]
        changed = False
        if self.dcs_interim:
            if now >= self.interim_until:
                self.new_director(now, interim=False)
                changed = True
        else:
            rate = DAYS_PER_YEAR / (permanent_tenure_months(p) * DAYS_PER_MONTH)
            rate *= 1.0 + p.governance_churn_effect * max(
                0.0, self.governance_reference - governance
            )
            if grade == INADEQUATE:
                rate *= p.inadequate_hazard_multiplier
            if u[0] < self._chance(rate, dt):
                self.new_director(now, interim=u[1] < p.dcs_interim_probability, u_stay=u[2])
                changed = True
        # team managers: permanent managers leave; vacancies get interims or permanent appointments
        p_leave = self._chance(p.team_manager_leave_per_year * tm_leave_multiplier, dt)
        p_appoint = self._chance(
            DAYS_PER_YEAR / (p.team_manager_recruit_months * DAYS_PER_MONTH), dt
        )
        if np.where(self._permanent, v[0] < p_leave, v[2] < p_appoint).any():
            leave = self._permanent & (v[0] < p_leave)
            appoint = ~self._permanent & (v[2] < p_appoint)
            tm = self.tm
            tm[leave] = np.where(v[1][leave] < p.team_manager_interim_share, TM_INTERIM, TM_VACANT)
            tm[appoint] = TM_PERMANENT
            self._count_managers()
        return changed
