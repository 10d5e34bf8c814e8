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

from sim.model.clocks import SharedClock
from sim.model.equations import (
    DAYS_PER_YEAR,
    StepChances,
    leaving_hazard,
    relax,
    stress_target,
)
from sim.model.parameters import ModelParameters
from sim.model.streams import MemberDraws, StepDraws, Streams

VACANT, EMPLOYED, AGENCY = 0, 1, 2
#: Relative margin on the bound of leaving hazards that selects the posts checked one by one, so
#: that rounding in stress (at most 1) cannot put a hazard above it (a numerical tolerance).
BOUND_MARGIN = 1e-9
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

    def __init__(self, model_params: ModelParameters) -> None:
        params = self.params = model_params.scenario.workforce
        self._nq_days = model_params.nq_days
        # Funded posts are 0 .. n-1; the posts the council may add after an inadequate judgement
        # are allocated now, unfunded (never counted, covered or filled until funded), so that
        # every array and per-post random stream has its final size from the start.
        n = self.n = max(1, int(round(params.establishment_fte)))
        size = self.size = n + int(round(params.establishment_growth_after_inadequate * n))
        self.funded = np.arange(size) < n
        self.status = np.zeros(size, dtype=np.int8)
        self.load = np.zeros(size, dtype=np.int64)
        self.headroom = np.zeros(size)
        self.start = np.zeros(size)
        self.nq_until = np.full(size, -np.inf)
        self.stress = np.full(size, params.stress_baseline)
        # derived state
        self.cap = np.zeros(size)  # caseload cap (0 when vacant)
        self.own_target = np.full(size, params.caseload_target)  # caseload target of each worker
        # leaving-hazard multiplier for length of service (0 where no employed worker holds the post)
        self.service_multiplier = np.zeros(size)
        self.vacant = self.funded.copy()  # funded posts without a worker
        self.employed = np.zeros(size, dtype=bool)
        self.agency = np.zeros(size, dtype=bool)
        self.nq = np.zeros(size, dtype=bool)  # in the newly qualified year (as of the last refresh)
        self.counts = [self.n, 0, 0]  # funded posts by status: vacant, employed, agency
        self.n_nq = 0  # workers in their newly qualified year
        self._next_expiry = -math.inf  # when a newly qualified year or early service may end

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
    def expire(self, now: float, force: bool = False) -> bool:
        """Bring caps, caseload targets and service multipliers up to time ``now``; return
        whether they were recomputed.

        Caps are full for experienced workers and reduced in the newly qualified year; leaving
        hazards are raised in the first years of service. Both are recomputed for every post only
        when a newly qualified year or early service may have ended (one day early, so rounding
        in ``now - start`` cannot hide the change), or when ``force`` is set.
        """
        if not force and now < self._next_expiry:
            return False
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
        self.vacant = (self.status == VACANT) & self.funded
        ends = np.concatenate(
            (self.nq_until[nq], self.start[early] + _EARLY_SERVICE_CHECK, [np.inf])
        )
        self._next_expiry = float(ends.min())
        return True

    def refresh(self, now: float, force: bool = False) -> None:
        """:meth:`expire`, recomputing every post's headroom from its cap and load when caps were
        recomputed (otherwise :meth:`fill`, :meth:`vacate` and :meth:`drop_cases` keep it)."""
        if self.expire(now, force):
            np.subtract(self.cap, self.load, out=self.headroom)

    def fund_unfunded(self) -> list[int]:
        """Fund every post not yet funded (they start vacant); return their indices."""
        new = (~self.funded).nonzero()[0].tolist()
        self.funded[new] = True
        self.vacant[new] = True
        self.counts[VACANT] += len(new)
        self.n += len(new)
        return new

    def count(self, status: int) -> int:
        """Number of posts in a status."""
        return self.counts[status]

    @property
    def in_post(self) -> int:
        """Posts held by a worker (employed or agency)."""
        return self.counts[EMPLOYED] + self.counts[AGENCY]

    def mean_employed_stress(self) -> float:
        """Mean stress of employed workers (the baseline when there are none)."""
        n_employed = self.counts[EMPLOYED]
        if not n_employed:
            return self.params.stress_baseline
        # A NumPy sum, not np.dot: BLAS picks its dot kernel by CPU, so the last bit (and the
        # references' exact check) would depend on the machine; NumPy's pairwise sum does not.
        return float(self.stress[self.employed].sum()) / n_employed

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
        self._update_headroom(w)
        self.service_multiplier[w] = p.leave_early_service_multiplier if status == EMPLOYED else 0.0
        if newly_qualified:
            nq_until = now + self._nq_days
            self.nq_until[w] = nq_until
            self._next_expiry = min(self._next_expiry, nq_until)
        else:
            self.nq_until[w] = -np.inf
        self._next_expiry = min(self._next_expiry, now + _EARLY_SERVICE_CHECK)

    def vacate(self, w: int) -> None:
        """The worker in post ``w`` has gone; their cases must be reallocated by the caller."""
        self._set_status(w, VACANT)
        self.nq_until[w] = -np.inf
        self.own_target[w] = self.params.caseload_target
        self.cap[w] = 0.0
        self._update_headroom(w)
        self.service_multiplier[w] = 0.0

    def drop_cases(self, w: int) -> None:
        """Post ``w`` holds no cases any more (its worker has gone; the caller reallocates them)."""
        self.load[w] = 0
        self._update_headroom(w)

    def _update_headroom(self, w: int) -> None:
        """Post ``w``'s headroom after its cap or load changed other than by one case (the
        single-post form of the recomputation in :meth:`refresh`)."""
        self.headroom[w] = self.cap[w] - self.load[w]

    def _set_status(self, w: int, status: int) -> None:
        self.counts[self.status[w]] -= 1
        self.counts[status] += 1
        self.status[w] = status
        self.vacant[w] = status == VACANT
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
class WorkforceDraws:
    """Random numbers of the workforce, each purpose on a stream of its own, so that arms of a
    sweep stay aligned after their histories differ: weekly draws per post (the same post and
    week get the same variate in every arm) where the hazards differ between workers, and a
    sequence per post (:class:`~sim.model.streams.MemberDraws`: the same post's k-th spell gets
    the same budget) where a shared clock runs."""

    leaving: StepDraws  # Exp(1) per post each week: employed workers' leaving clocks
    agency_end: MemberDraws  # Exp(1) budget of each agency assignment's end
    hiring: MemberDraws  # Exp(1) budget of each vacancy's permanent hire
    newly_qualified: MemberDraws  # U(0, 1) per hire: newly qualified below ``nq_share_of_hires``
    cover: StepDraws  # U(0, 1) per post each week: agency cover (the first also rounds the number)

    @classmethod
    def from_streams(cls, streams: Streams, n_posts: int) -> WorkforceDraws:
        """The workforce's draws for one replication."""
        return cls(
            leaving=StepDraws(streams["leaving"], (n_posts,), "exponential"),
            agency_end=MemberDraws(streams.part("leaving", "agency"), n_posts),
            hiring=MemberDraws(streams.part("recruitment", "hiring"), n_posts),
            newly_qualified=MemberDraws(
                streams.part("recruitment", "newly_qualified"), n_posts, "uniform"
            ),
            cover=StepDraws(streams["recruitment"], (n_posts,)),
        )


@dataclass
class WeekChanges:
    """Who came and went this week (post indices)."""

    vacated: list[int] = field(default_factory=list)
    handed_over: list[int] = field(default_factory=list)
    new_capacity: list[int] = field(default_factory=list)
    employed_leavers: int = 0
    permanent_hires: int = 0


class WorkforceDynamics:
    """Stress, leaving, recruitment and agency cover, one week at a time.

    Turnover runs on exponential clocks, each giving the weekly chance ``1 - exp(-hazard x dt)``.
    Employed workers' leaving hazards differ (stress, length of service), so each post draws a
    fresh Exp(1) every week, to be compared with its own integrated hazard; only draws below a
    bound on every worker's hazard need the comparison, and most weeks have none. Agency
    assignments ending and vacancies being filled by permanent hires have hazards common to every
    post in the state, so they run on shared clocks (:class:`~sim.model.clocks.SharedClock`: an
    Exp(1) budget drawn on entering the state), and a week in which none ends costs a comparison.
    """

    def __init__(
        self,
        posts: Posts,
        draws: WorkforceDraws,
        model_params: ModelParameters,
        recruitment_rate: Callable[[int, float, float], float],
    ) -> None:
        self.posts = posts
        self.p = posts.params
        self._mp = model_params
        morale_reference = model_params.scenario.organisation.morale_reference
        self.morale_reference = morale_reference
        self.recruitment_rate = recruitment_rate
        self._chance = StepChances()
        self._scratch = np.zeros(posts.size)  # caseload ratios and stress targets of this step
        self._max_service_multiplier = max(
            self.p.leave_early_service_multiplier, self.p.leave_late_service_multiplier
        )
        self._agency_ends = SharedClock(posts.size)  # agency workers in post
        self._hiring = SharedClock(posts.size)  # funded posts without an employed worker
        self._draws = draws
        #: Whether the DfE agency rules apply now: model state, set from the scenario's
        #: ``workforce.agency_rules_2024`` and switched on mid-run by a dated national event
        #: (:func:`sim.model.national.schedule_national_events`), so no scenario is mutated.
        self.agency_rules = bool(self.p.agency_rules_2024)

    def initialise(self, rng: np.random.Generator, vacancy_rate: float, agency_rate: float) -> None:
        """Fill posts at the start: employed with exponential past service, some vacant, some covered."""
        posts = self.posts
        n_vacant = int(round(vacancy_rate * posts.n))
        n_employed = posts.n - n_vacant
        n_agency = min(
            n_vacant, int(round(agency_rate * n_employed / max(1e-9, 1.0 - agency_rate)))
        )
        order = rng.permutation(posts.n)
        service = rng.exponential(self._mp.initial_service_mean_days, posts.n)
        for w in order[:n_employed].tolist():
            self._fill(w, EMPLOYED, -float(service[w]), newly_qualified=True)
        for w in range(posts.n):
            if not posts.employed[w]:
                self._hiring.join(w, self._draws.hiring.next(w))
        for w in order[n_employed : n_employed + n_agency].tolist():
            self._fill(w, AGENCY, 0.0, newly_qualified=False)
        posts.refresh(0.0, force=True)

    def fund_growth(self) -> int:
        """The council funds its extra posts (``establishment_growth_after_inadequate``): they
        start vacant, waiting for a permanent hire, and agency cover counts them. Returns how many
        posts were added (0 once they have all been funded)."""
        new = self.posts.fund_unfunded()
        for w in new:
            self._hiring.join(w, self._draws.hiring.next(w))
        return len(new)

    def _fill(self, w: int, status: int, now: float, newly_qualified: bool) -> None:
        """:meth:`Posts.fill`, keeping the shared clocks' members up to date."""
        self.posts.fill(w, status, now, newly_qualified)
        if status == EMPLOYED:
            self._hiring.drop(w)
            self._agency_ends.drop(w)
        else:  # a new agency assignment (the post still wants a permanent hire)
            self._agency_ends.join(w, self._draws.agency_end.next(w))

    def _vacate(self, w: int) -> None:
        """:meth:`Posts.vacate`, keeping the shared clocks' members up to date."""
        if self.posts.employed[w]:
            self._hiring.join(w, self._draws.hiring.next(w))
        else:
            self._agency_ends.drop(w)
        self.posts.vacate(w)

    def step(self, now: float, dt: float, ctx: WeekContext) -> WeekChanges:
        """Advance the workforce by ``dt`` days."""
        posts, p = self.posts, self.p
        changes = WeekChanges()
        posts.expire(now)

        # Stress relaxes toward a target set by each worker's caseload against their own target.
        target = stress_target(
            np.divide(posts.load, posts.own_target, out=self._scratch),
            p.stress_baseline,
            p.stress_caseload_weight,
            ctx.supervision_deficit,
            p.stress_supervision_weight,
            ctx.oversight_stress,
            ctx.stress_relief,
            out=self._scratch,
        )
        relax(posts.stress, target, dt, self._mp.stress_adjust_days, out=posts.stress)

        # Leaving: an employed worker leaves this week when their exponential clock (one Exp(1)
        # draw per post each week) runs out within the week's integrated hazard, driven by stress
        # and morale: chance 1 - exp(-hazard x dt). No worker's hazard exceeds that at stress 1 in
        # the riskier band of service, so only posts whose draw is below that bound are checked
        # one by one (most weeks of a small service have none).
        clock = self._draws.leaving.next()
        bound = self._leaving_hazard(1.0, self._max_service_multiplier, dt, ctx)
        for w in self._draws.leaving.below(bound * (1.0 + BOUND_MARGIN)):
            hazard = self._leaving_hazard(
                float(posts.stress[w]), float(posts.service_multiplier[w]), dt, ctx
            )
            if clock[w] < hazard:
                self._vacate(w)
                changes.vacated.append(w)
                changes.employed_leavers += 1
        # Agency assignments end at a constant hazard; under the 2024 rules with notice, another
        # agency worker takes over without a gap.
        if self._agency_ends.advance(self._agency_hazard(dt)):
            for w in self._agency_ends.ran_out():
                if self.agency_rules and p.agency_rules_notice_weeks > 0:
                    self._fill(w, AGENCY, now, newly_qualified=False)
                    changes.handed_over.append(w)
                else:
                    self._vacate(w)
                    changes.vacated.append(w)

        # Recruitment: every post without an employed worker may be filled this week.
        rate = self.recruitment_rate(ctx.grade, ctx.morale, ctx.recruitment_support)
        if self._hiring.advance(rate * dt / DAYS_PER_YEAR):
            for w in self._hiring.ran_out():
                was_agency = posts.agency[w]
                newly_qualified = self._draws.newly_qualified.next(w) < p.nq_share_of_hires
                self._fill(w, EMPLOYED, now, newly_qualified)
                (changes.handed_over if was_agency else changes.new_capacity).append(w)
                changes.permanent_hires += 1

        # Agency cover: bring cover toward its share of vacant posts.
        supply = p.agency_rules_supply_factor if self.agency_rules else 1.0
        not_employed = posts.n - posts.count(EMPLOYED)
        u_cover = self._draws.cover.next()
        wanted = math.floor(p.agency_cover_share * supply * not_employed + u_cover[0])
        missing = wanted - posts.count(AGENCY)
        if missing > 0:
            ready = [w for w in self._draws.cover.below(self._p_cover(dt)) if posts.vacant[w]]
            for w in ready[:missing]:
                self._fill(w, AGENCY, now, newly_qualified=False)
                changes.new_capacity.append(w)
        posts.refresh(now)
        return changes

    def _leaving_hazard(
        self, stress: float, service_multiplier: float, dt: float, ctx: WeekContext
    ) -> float:
        """Integrated leaving hazard over ``dt`` days of an employed worker (:func:`leaving_hazard`)."""
        p = self.p
        return leaving_hazard(
            p.leave_base_rate_per_year,
            stress,
            p.stress_baseline,
            p.leave_stress_effect,
            ctx.morale,
            self.morale_reference,
            p.leave_morale_effect,
            service_multiplier,
            ctx.leave_shock,
            period_days=dt,
        )

    def _agency_hazard(self, dt: float) -> float:
        """Integrated hazard over ``dt`` days that an agency assignment ends."""
        return dt / self._mp.agency_mean_stay_days

    def _p_cover(self, dt: float) -> float:
        """Chance that a vacant post wanting cover gets an agency worker within ``dt`` days."""
        return self._chance(self._mp.agency_cover_rate_per_year, dt)
