"""Case-holding posts and the weekly, vectorised update of the workforce (DESIGN §4.2).

Each funded post is a slot: vacant, held by an employed worker, or covered by an agency worker.
Arrays are indexed by post; the weekly step draws one variate per post per purpose so that arms
sharing a seed see the same chance events (common random numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sim.model.equations import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    hazard_to_probability,
    leaving_hazard,
    relax,
    stress_target,
)
from sim.scenario.workforce import Workforce

VACANT, EMPLOYED, AGENCY = 0, 1, 2
EARLY_SERVICE_DAYS = 5 * DAYS_PER_YEAR  # "most leavers have < 5 years' service" (evidence §1e)


class Posts:
    """State of every case-holding post, as numpy arrays."""

    def __init__(self, params: Workforce) -> None:
        self.params = params
        self.n = max(1, int(round(params.establishment_fte)))
        self.status = np.zeros(self.n, dtype=np.int8)
        self.load = np.zeros(self.n, dtype=np.int64)
        self.cap = np.zeros(self.n)
        self.headroom = np.zeros(self.n)
        self.start = np.zeros(self.n)
        self.nq_until = np.full(self.n, -np.inf)
        self.stress = np.full(self.n, params.stress_baseline)

    # --- allocation (hot path: called per case) -----------------------------------------
    def best(self) -> int:
        """Post with the most headroom under its cap, or -1 when nobody has room for a case."""
        w = int(self.headroom.argmax())
        return w if self.headroom[w] >= 1.0 else -1

    def take(self, w: int) -> None:
        """Post ``w`` takes one more case."""
        self.load[w] += 1
        self.headroom[w] -= 1.0

    def release(self, w: int) -> None:
        """Post ``w`` hands back one case."""
        self.load[w] -= 1
        self.headroom[w] += 1.0

    # --- bookkeeping -----------------------------------------------------------------------
    def refresh_caps(self, now: float) -> None:
        """Recompute caseload caps: full for experienced, reduced in the newly qualified year."""
        p = self.params
        share = np.where(self.nq_until > now, p.nq_caseload_share, 1.0)
        self.cap = np.where(self.status != VACANT, p.caseload_cap * share, 0.0)
        self.headroom = self.cap - self.load

    def count(self, status: int) -> int:
        """Number of posts in a status."""
        return int(np.count_nonzero(self.status == status))

    def newly_qualified(self, w: int, now: float) -> bool:
        """Whether the worker in post ``w`` is in the newly qualified year."""
        return bool(self.nq_until[w] > now)

    def fill(self, w: int, status: int, now: float, newly_qualified: bool) -> None:
        """Put a new worker in post ``w``."""
        self.status[w] = status
        self.start[w] = now
        self.nq_until[w] = (
            now + self.params.nq_months * DAYS_PER_MONTH if newly_qualified else -np.inf
        )
        self.stress[w] = self.params.stress_baseline

    def vacate(self, w: int) -> None:
        """The worker in post ``w`` has gone; their cases must be reallocated by the caller."""
        self.status[w] = VACANT
        self.nq_until[w] = -np.inf


@dataclass
class WeekContext:
    """Organisational conditions the workforce responds to this week."""

    morale: float
    grade: int
    supervision_deficit: float
    oversight_stress: float
    stress_relief: float
    leave_shock: float
    recruitment_support: float


@dataclass
class WeekChanges:
    """Who came and went this week (post indices)."""

    vacated: list[int] = field(default_factory=list)
    handed_over: list[int] = field(default_factory=list)
    new_capacity: list[int] = field(default_factory=list)
    employed_leavers: int = 0
    permanent_hires: int = 0


class WorkforceDynamics:
    """Stress, leaving, recruitment and agency cover, one week at a time."""

    def __init__(
        self,
        posts: Posts,
        leaving_rng: np.random.Generator,
        recruitment_rng: np.random.Generator,
        morale_reference: float,
        recruitment_rate: Callable[[int, float, float], float],
    ) -> None:
        self.posts = posts
        self.p = posts.params
        self.leaving_rng = leaving_rng
        self.recruitment_rng = recruitment_rng
        self.morale_reference = morale_reference
        self.recruitment_rate = recruitment_rate

    def initialise(self, rng: np.random.Generator, vacancy_rate: float, agency_rate: float) -> None:
        """Fill posts at the start: employed with exponential past service, some vacant, some covered."""
        posts, p = self.posts, self.p
        n_vacant = int(round(vacancy_rate * posts.n))
        n_employed = posts.n - n_vacant
        n_agency = min(
            n_vacant, int(round(agency_rate * n_employed / max(1e-9, 1.0 - agency_rate)))
        )
        order = rng.permutation(posts.n)
        service = rng.exponential(p.initial_service_mean_years * DAYS_PER_YEAR, posts.n)
        for rank, w in enumerate(order):
            if rank < n_employed:
                posts.fill(int(w), EMPLOYED, -float(service[w]), newly_qualified=True)
            elif rank < n_employed + n_agency:
                posts.fill(int(w), AGENCY, 0.0, newly_qualified=False)
        posts.refresh_caps(0.0)

    def step(self, now: float, dt: float, ctx: WeekContext) -> WeekChanges:
        """Advance the workforce by ``dt`` days."""
        posts, p = self.posts, self.p
        changes = WeekChanges()
        n = posts.n
        employed = posts.status == EMPLOYED
        agency = posts.status == AGENCY
        nq = posts.nq_until > now

        # Stress relaxes toward a target set by each worker's caseload against their own target.
        own_target = p.caseload_target * np.where(nq, p.nq_caseload_share, 1.0)
        target = stress_target(
            posts.load / own_target,
            1.0,
            p.stress_baseline,
            p.stress_caseload_weight,
            ctx.supervision_deficit,
            p.stress_supervision_weight,
            ctx.oversight_stress,
            ctx.stress_relief,
        )
        posts.stress = relax(posts.stress, target, dt, p.stress_adjust_weeks * 7.0)

        # Leaving: employed by a stress- and morale-driven hazard; agency at the end of assignments.
        u_leave, u_agency = self.leaving_rng.random((2, n))
        service_mult = np.where(
            now - posts.start < EARLY_SERVICE_DAYS,
            p.leave_early_service_multiplier,
            p.leave_late_service_multiplier,
        )
        hazard = leaving_hazard(
            p.leave_base_rate_per_year,
            posts.stress,
            p.stress_baseline,
            p.leave_stress_effect,
            ctx.morale,
            self.morale_reference,
            p.leave_morale_effect,
            service_mult,
            ctx.leave_shock,
        )
        leavers = np.flatnonzero(employed & (u_leave < hazard_to_probability(hazard, dt))).tolist()
        agency_rate = DAYS_PER_YEAR / (p.agency_mean_stay_months * DAYS_PER_MONTH)
        agency_leavers = agency & (u_agency < hazard_to_probability(agency_rate, dt))
        for w in leavers:
            posts.vacate(w)
            changes.vacated.append(w)
        changes.employed_leavers = len(leavers)
        for w in np.flatnonzero(agency_leavers).tolist():
            if p.agency_rules_2024 and p.agency_rules_notice_weeks > 0:
                posts.fill(
                    int(w), AGENCY, now, newly_qualified=False
                )  # notice given: replaced without a gap
                changes.handed_over.append(int(w))
            else:
                posts.vacate(int(w))
                changes.vacated.append(int(w))

        # Recruitment: every post without an employed worker may be filled this week.
        u_hire, u_nq, u_cover = self.recruitment_rng.random((3, n))
        rate = self.recruitment_rate(ctx.grade, ctx.morale, ctx.recruitment_support)
        hires = np.flatnonzero(
            (posts.status != EMPLOYED) & (u_hire < hazard_to_probability(rate, dt))
        ).tolist()
        for w in hires:
            was_agency = posts.status[w] == AGENCY
            posts.fill(w, EMPLOYED, now, newly_qualified=bool(u_nq[w] < p.nq_share_of_hires))
            (changes.handed_over if was_agency else changes.new_capacity).append(w)
        changes.permanent_hires = len(hires)

        # Agency cover: bring cover toward its share of vacant posts.
        supply = p.agency_rules_supply_factor if p.agency_rules_2024 else 1.0
        vacant_or_covered = posts.status != EMPLOYED
        wanted = int(np.floor(p.agency_cover_share * supply * vacant_or_covered.sum() + u_cover[0]))
        missing = wanted - posts.count(AGENCY)
        if missing > 0:
            p_cover = hazard_to_probability(DAYS_PER_YEAR / (p.agency_cover_delay_weeks * 7.0), dt)
            candidates = np.flatnonzero((posts.status == VACANT) & (u_cover < p_cover))
            for w in candidates[:missing]:
                posts.fill(int(w), AGENCY, now, newly_qualified=False)
                changes.new_capacity.append(int(w))
        posts.refresh_caps(now)
        return changes
