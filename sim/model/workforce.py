"""Case-holding posts and the weekly, vectorised update of the workforce (DESIGN §4.2).

Each funded post is a slot: vacant, held by an employed worker, or covered by an agency worker.
Arrays are indexed by post; the weekly step draws one variate per post per purpose so that arms
sharing a seed see the same chance events (common random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sim.model.equations import (
    DAYS_PER_MONTH,
    DAYS_PER_WEEK,
    DAYS_PER_YEAR,
    StepChances,
    hazard_to_probability,
    leaving_hazard,
    relax,
    stress_target,
)
from sim.model.streams import StepDraws
from sim.scenario.workforce import Workforce

VACANT, EMPLOYED, AGENCY = 0, 1, 2
EARLY_SERVICE_DAYS = 5 * DAYS_PER_YEAR
#: Early service is treated as possibly over this many days before it ends, so that rounding in
#: ``now - start`` cannot hide the change from :meth:`Posts.expire` (a numerical margin).
EXPIRY_MARGIN_DAYS = 1.0
#: The first moment early service of a worker who started at ``start`` may have ended.
_EARLY_SERVICE_CHECK = (
    EARLY_SERVICE_DAYS - EXPIRY_MARGIN_DAYS
)  # "most leavers have < 5 years' service" (evidence §1e)


class Posts:
    """State of every case-holding post, as numpy arrays.

    Derived state (caps, caseload targets, service multipliers, status masks and counts) is kept
    up to date post by post when a worker comes or goes, and recomputed for all posts only when a
    newly qualified year or early service may have ended (see :meth:`refresh`).
    """

    def __init__(self, params: Workforce) -> None:
        self.params = params
        n = self.n = max(1, int(round(params.establishment_fte)))
        self.status = np.zeros(n, dtype=np.int8)
        self.load = np.zeros(n, dtype=np.int64)
        self.headroom = np.zeros(n)
        self.start = np.zeros(n)
        self.nq_until = np.full(n, -np.inf)
        self.stress = np.full(n, params.stress_baseline)
        # derived state
        self.cap = np.zeros(n)  # caseload cap (0 when vacant)
        self.own_target = np.full(n, params.caseload_target)  # caseload target of each worker
        # leaving-hazard multiplier for length of service (0 where no employed worker holds the post)
        self.service_multiplier = np.zeros(n)
        self.employed = np.zeros(n, dtype=bool)
        self.agency = np.zeros(n, dtype=bool)
        self.nq = np.zeros(n, dtype=bool)  # in the newly qualified year (as of the last refresh)
        self.counts = [n, 0, 0]  # posts by status: vacant, employed, agency
        self.n_nq = 0  # workers in their newly qualified year
        self._next_expiry = -np.inf  # when a newly qualified year or early service may end

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

    def reassign(self, holders: list[int]) -> list[int]:
        """Offer one case of each post in ``holders`` (in order) to the post with the most
        headroom, counting the room the case would free. Returns, for each, the post the case
        moves to, or -1 when its own post would have the most room or nobody has room (it stays).

        Equivalent to releasing the case, taking :meth:`best` and taking the case back if that is
        the same post, with the argmax recomputed only after a case actually moves.
        """
        headroom, load = self.headroom, self.load
        best = int(headroom.argmax())
        top = float(headroom[best])
        moved_to = []
        for w_old in holders:
            freed = float(headroom[w_old]) + 1.0
            # argmax after releasing: w_old itself when it is the best, or ties it at a lower index
            if w_old == best or freed > top or (freed == top and w_old < best) or top < 1.0:
                moved_to.append(-1)
                continue
            headroom[w_old] = freed
            load[w_old] -= 1
            load[best] += 1
            headroom[best] -= 1.0
            moved_to.append(best)
            best = int(headroom.argmax())
            top = float(headroom[best])
        return moved_to

    # --- bookkeeping -----------------------------------------------------------------------
    def expire(self, now: float, force: bool = False) -> None:
        """Bring caps, caseload targets and service multipliers up to time ``now``.

        Caps are full for experienced workers and reduced in the newly qualified year; leaving
        hazards are raised in the first years of service. Both are recomputed for every post only
        when a newly qualified year or early service may have ended (one day early, so rounding
        in ``now - start`` cannot hide the change), or when ``force`` is set.
        """
        if not force and now < self._next_expiry:
            return
        p = self.params
        self.nq = nq = self.nq_until > now
        self.n_nq = int(np.count_nonzero(nq))
        share = np.where(nq, p.nq_caseload_share, 1.0)
        self.own_target = p.caseload_target * share
        self.cap = np.where(self.status != VACANT, p.caseload_cap * share, 0.0)
        early = now - self.start < EARLY_SERVICE_DAYS
        self.employed = self.status == EMPLOYED
        self.service_multiplier = np.where(
            early, p.leave_early_service_multiplier, p.leave_late_service_multiplier
        )
        self.service_multiplier[~self.employed] = 0.0
        self.agency = self.status == AGENCY
        ends = np.concatenate(
            (self.nq_until[nq], self.start[early] + _EARLY_SERVICE_CHECK, [np.inf])
        )
        self._next_expiry = float(ends.min())

    def refresh(self, now: float, force: bool = False) -> None:
        """:meth:`expire`, then recompute every post's headroom from its cap and load."""
        self.expire(now, force)
        self.headroom = self.cap - self.load

    def count(self, status: int) -> int:
        """Number of posts in a status."""
        return self.counts[status]

    @property
    def in_post(self) -> int:
        """Posts held by a worker (employed or agency)."""
        return self.counts[EMPLOYED] + self.counts[AGENCY]

    @property
    def n_inexperienced(self) -> int:
        """Agency workers plus employed workers in their newly qualified year."""
        return self.counts[AGENCY] + self.n_nq

    def fill(self, w: int, status: int, now: float, newly_qualified: bool) -> None:
        """Put a new worker, who started at time ``now``, in post ``w``."""
        p = self.params
        self._set_status(w, status)
        self.start[w] = now
        self.stress[w] = p.stress_baseline
        self.nq[w] = newly_qualified
        self.n_nq += newly_qualified
        share = p.nq_caseload_share if newly_qualified else 1.0
        self.own_target[w] = p.caseload_target * share
        self.cap[w] = p.caseload_cap * share
        self.service_multiplier[w] = p.leave_early_service_multiplier if status == EMPLOYED else 0.0
        if newly_qualified:
            self.nq_until[w] = now + p.nq_months * DAYS_PER_MONTH
            self._next_expiry = min(self._next_expiry, self.nq_until[w])
        else:
            self.nq_until[w] = -np.inf
        self._next_expiry = min(self._next_expiry, now + _EARLY_SERVICE_CHECK)

    def vacate(self, w: int) -> None:
        """The worker in post ``w`` has gone; their cases must be reallocated by the caller."""
        self._set_status(w, VACANT)
        self.nq_until[w] = -np.inf
        self.own_target[w] = self.params.caseload_target
        self.cap[w] = 0.0
        self.service_multiplier[w] = 0.0

    def _set_status(self, w: int, status: int) -> None:
        self.counts[self.status[w]] -= 1
        self.counts[status] += 1
        self.status[w] = status
        self.employed[w] = status == EMPLOYED
        self.agency[w] = status == AGENCY
        if self.nq[w]:
            self.nq[w] = False
            self.n_nq -= 1


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
        self.morale_reference = morale_reference
        self.recruitment_rate = recruitment_rate
        self._chance = StepChances()
        # one exponential clock per post (leaving) and three uniforms per post (hiring, newly
        # qualified, cover) each week, drawn a year at a time
        self._clocks = StepDraws(leaving_rng, (posts.n,), "exponential")
        self._recruitment_draws = StepDraws(recruitment_rng, (3, posts.n))
        self._leave_hazard = np.zeros(posts.n)  # scratch: integrated leaving hazard this step

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
        posts.refresh(0.0, force=True)

    def step(self, now: float, dt: float, ctx: WeekContext) -> WeekChanges:
        """Advance the workforce by ``dt`` days."""
        posts, p = self.posts, self.p
        changes = WeekChanges()
        posts.expire(now)

        # Stress relaxes toward a target set by each worker's caseload against their own target.
        target = stress_target(
            posts.load / posts.own_target,
            p.stress_baseline,
            p.stress_caseload_weight,
            ctx.supervision_deficit,
            p.stress_supervision_weight,
            ctx.oversight_stress,
            ctx.stress_relief,
        )
        relax(posts.stress, target, dt, p.stress_adjust_weeks * DAYS_PER_WEEK, out=posts.stress)

        # Leaving: a worker leaves this week when their exponential clock (one Exp(1) draw per
        # post) runs out within the week's integrated hazard: chance 1 - exp(-hazard x dt), as for
        # a constant hazard. Employed workers by a stress- and morale-driven hazard (0 in posts
        # without one); agency workers at the end of assignments.
        hazard = leaving_hazard(
            p.leave_base_rate_per_year,
            posts.stress,
            p.stress_baseline,
            p.leave_stress_effect,
            ctx.morale,
            self.morale_reference,
            p.leave_morale_effect,
            posts.service_multiplier,
            ctx.leave_shock,
            period_days=dt,
            out=self._leave_hazard,
        )
        np.add(hazard, self._agency_hazard(dt), out=hazard, where=posts.agency)
        for w in (self._clocks.next() < hazard).nonzero()[0].tolist():
            if posts.employed[w]:
                posts.vacate(w)
                changes.vacated.append(w)
                changes.employed_leavers += 1
            elif p.agency_rules_2024 and p.agency_rules_notice_weeks > 0:
                posts.fill(w, AGENCY, now, newly_qualified=False)  # notice given: no gap
                changes.handed_over.append(w)
            else:
                posts.vacate(w)
                changes.vacated.append(w)

        # Recruitment: every post without an employed worker may be filled this week.
        u_hire, u_nq, u_cover = self._recruitment_draws.next()
        p_hire = hazard_to_probability(
            self.recruitment_rate(ctx.grade, ctx.morale, ctx.recruitment_support), dt
        )
        for w in (u_hire < p_hire).nonzero()[0].tolist():
            if posts.employed[w]:
                continue
            was_agency = posts.agency[w]
            posts.fill(w, EMPLOYED, now, newly_qualified=bool(u_nq[w] < p.nq_share_of_hires))
            (changes.handed_over if was_agency else changes.new_capacity).append(w)
            changes.permanent_hires += 1

        # Agency cover: bring cover toward its share of vacant posts.
        supply = p.agency_rules_supply_factor if p.agency_rules_2024 else 1.0
        not_employed = posts.n - posts.count(EMPLOYED)
        wanted = math.floor(p.agency_cover_share * supply * not_employed + float(u_cover[0]))
        missing = wanted - posts.count(AGENCY)
        if missing > 0:
            candidates = ((posts.status == VACANT) & (u_cover < self._p_cover(dt))).nonzero()[0]
            for w in candidates[:missing].tolist():
                posts.fill(w, AGENCY, now, newly_qualified=False)
                changes.new_capacity.append(w)
        posts.refresh(now)
        return changes

    def _agency_hazard(self, dt: float) -> float:
        """Integrated hazard over ``dt`` days that an agency assignment ends."""
        return dt / (self.p.agency_mean_stay_months * DAYS_PER_MONTH)

    def _p_cover(self, dt: float) -> float:
        """Chance that a vacant post wanting cover gets an agency worker within ``dt`` days."""
        return self._chance(DAYS_PER_YEAR / (self.p.agency_cover_delay_weeks * DAYS_PER_WEEK), dt)
