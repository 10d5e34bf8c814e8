"""The life of a case (DESIGN §4.1): referral, front door, allocation, assessment, plan, closure
and re-referral. Cases live in Python lists indexed by case slot (:class:`CaseBook`); scheduled
calls carry callbacks (:mod:`sim.model.calendar`), so a case costs a handful of scheduled events
and no generator process.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import simpy

from sim.model.calendar import Calendar, Call
from sim.model.durations import (
    KIND_ASSESSMENT,
    KIND_CIN,
    KIND_CP,
    KIND_LOOKED_AFTER,
    AssessmentDurations,
    lognormal_params,
)
from sim.model.equations import (
    MAX_COUNTED_CHANGES,
    WORKING_DAYS_PER_CALENDAR_DAY,
    assessment_stretch,
    rereferral_probability,
)
from sim.model.parameters import ModelParameters
from sim.model.streams import BlockDraws, Streams
from sim.model.workforce import Posts

STATUTORY_WORKING_DAYS = 45.0
NO_TIME = -math.inf
BLOCK = 2048  # variates drawn per numpy call
REALLOCATION_BLOCK = 256  # slot draws per numpy call (a few dozen are used a week)
#: Slot draws per move wanted before reallocation gives up (about half the slots hold allocated
#: plans, so 2 draws per move are usual and failing is a sign of a bookkeeping error).
REJECTION_DRAWS_PER_MOVE = 2000
#: Outcome index (after "not in need") -> kind of plan, in the order of the outcome shares.
OUTCOME_KINDS = (KIND_ASSESSMENT, KIND_CP, KIND_LOOKED_AFTER, KIND_CIN)


class CaseBook:
    """Per-case fields, one Python list each, indexed by case slot, with a free list of slots,
    and the cases each post holds.

    Lists, not numpy arrays: each field is read or written one case at a time, where a list
    costs a fifth of a numpy scalar access; the few whole-book reads (the month end's count of
    cases with three or more workers) convert the slots ``[0, high)`` they need.

    Parameters
    ----------
    n_posts
        Case-holding posts (post numbers are ``0 .. n_posts - 1``).
    """

    def __init__(self, n_posts: int) -> None:
        self.worker: list[int] = []  # post of the allocated worker, -1 when unallocated
        self.kind: list[int] = []
        self.is_open: list[bool] = []
        self.queued: list[bool] = []
        self.referred: list[float] = []
        self.waiting_since: list[float] = []  # when the case started waiting for its first worker
        self.changes: list[int] = []
        self.change_1: list[float] = []  # time of the latest change of worker
        self.change_2: list[float] = []  # time of the one before
        self.ever_allocated: list[bool] = []
        self.version: list[int] = []
        self.work_left: list[float] = []  # assessment work left, days at normal pace
        self.assess_end: list[float] = []  # scheduled completion of an allocated assessment
        self.assess_stretch: list[float] = []  # pace factor of the allocated worker
        self.held: list[set[int]] = [set() for _ in range(n_posts)]  # cases of each post
        self.free: list[int] = []

    @property
    def high(self) -> int:
        """Slots ``[0, high)`` have been used."""
        return len(self.worker)

    def new(self, now: float, kind: int) -> int:
        """Open a case and return its slot."""
        if not self.free:
            c = len(self.worker)
            self.worker.append(-1)
            self.kind.append(kind)
            self.is_open.append(True)
            self.queued.append(False)
            self.referred.append(now)
            self.waiting_since.append(now)
            self.changes.append(0)
            self.change_1.append(NO_TIME)
            self.change_2.append(NO_TIME)
            self.ever_allocated.append(False)
            self.version.append(0)
            self.work_left.append(0.0)
            self.assess_end.append(0.0)
            self.assess_stretch.append(1.0)
            return c
        c = self.free.pop()
        self.worker[c] = -1
        self.kind[c] = kind
        self.is_open[c] = True
        self.queued[c] = False
        self.referred[c] = now
        self.waiting_since[c] = now
        self.changes[c] = 0
        self.change_1[c] = NO_TIME
        self.change_2[c] = NO_TIME
        self.ever_allocated[c] = False
        return c


class CaseFlow:
    """Referrals and cases of one LA, scheduled on a SimPy environment."""

    def __init__(
        self,
        env: simpy.Environment,
        params: ModelParameters,
        posts: Posts,
        rngs: Streams,
        quality: float,
        calendar_bucket_days: float,
    ) -> None:
        self.env = env
        self.calendar = Calendar(env, calendar_bucket_days)
        self._on_plan_end = self.calendar.register(self._plan_ends)
        self._on_assessment_done = self.calendar.register(self._assessment_done)
        self._on_rereferral = self.calendar.register(self._rereferral_arrives)
        scenario = self.s = params.scenario
        self.posts = posts
        self.book = CaseBook(posts.size)
        self.queue: deque[int] = deque()
        self.durations = AssessmentDurations(scenario.cases)
        self.u_arrival = BlockDraws(rngs["arrivals"])
        self._assessment_rng = rngs["assessment"]
        self._assessment_block: list[float] = []
        self.u_outcome = BlockDraws(rngs["outcomes"])
        self.u_duration = BlockDraws(rngs["durations"])
        self._reallocation_rng = rngs["reallocation"]
        self.u_reallocation = BlockDraws(self._reallocation_rng, block=REALLOCATION_BLOCK)
        self.plan = {k: lognormal_params(params, k) for k in (KIND_CIN, KIND_CP, KIND_LOOKED_AFTER)}
        c = scenario.cases
        self.p_nfa = c.front_door_nfa_share
        self.cum_outcomes = np.cumsum(
            [c.not_in_need_share, c.child_protection_share, c.looked_after_share]
        ).tolist()
        if self.cum_outcomes[-1] > 1.0:
            raise ValueError(
                "cases: not_in_need_share + child_protection_share + looked_after_share exceed 1"
            )
        self.statutory_days = STATUTORY_WORKING_DAYS / WORKING_DAYS_PER_CALENDAR_DAY
        self._cases_params, self._workforce_params = c, scenario.workforce
        self._delay_mean = scenario.demand.rereferral_mean_delay_days
        self._delay_mass = params.rereferral_delay_mass
        self._p_rerefer: list[float] = []
        self.set_quality(quality)
        # counters read and reset by the recorder
        self.n_open = 0
        self.n_unallocated = 0
        self.n_plans_allocated = 0  # open plan cases (not assessments) with a worker
        self.referrals = 0
        self.rereferrals = 0
        self.assessments_done = 0
        self.assessments_in_time = 0
        self.total_referrals = 0
        self.waits_total_days = 0.0  # waiting for a first allocation, summed over allocated cases
        self.waits_count = 0
        self.sojourn_total_days = 0.0  # referral to closure, summed over closed assessed cases
        self.closures = 0

    def caseload(self) -> float:
        """Allocated cases per worker in post (employed or agency)."""
        return (self.n_open - self.n_unallocated) / max(1, self.posts.in_post)

    # --- arrivals ----------------------------------------------------------------------------
    def refer(self, rereferral: bool) -> None:
        """A referral arrives at the front door."""
        self.referrals += 1
        self.total_referrals += 1
        if rereferral:
            self.rereferrals += 1
        if self.u_arrival.uniform() < self.p_nfa:
            self._maybe_rerefer(0)
            return
        book = self.book
        c = book.new(self.env.now, KIND_ASSESSMENT)
        book.work_left[c] = self._next_assessment_days()
        self.n_open += 1
        self._allocate(c, False)

    def _next_assessment_days(self) -> float:
        """Normal-workload length of the next assessment (drawn in blocks from the national histogram)."""
        if not self._assessment_block:
            self._assessment_block = self.durations.calendar_days(
                self._assessment_rng.random(BLOCK)
            ).tolist()
        return self._assessment_block.pop()

    def _rereferral_arrives(self, event: Call) -> None:
        self.refer(rereferral=True)

    def set_quality(self, quality: float) -> None:
        """Practice quality has changed (weekly): recompute the re-referral chances by number of
        changes of worker (the effect is capped at 3 changes)."""
        d = self.s.demand
        self._p_rerefer = [
            rereferral_probability(
                rereferral_base_probability=d.rereferral_base_probability,
                quality=quality,
                quality_reference=self.s.organisation.quality_reference,
                rereferral_quality_effect=d.rereferral_quality_effect,
                changes=changes,
                rereferral_sw_change_effect=d.rereferral_sw_change_effect,
            )
            for changes in range(MAX_COUNTED_CHANGES + 1)
        ]

    def _maybe_rerefer(self, changes: int) -> None:
        if self.u_outcome.uniform() < self._p_rerefer[min(changes, MAX_COUNTED_CHANGES)]:
            # exponential delay truncated at 12 months (inverse CDF of the truncated distribution)
            delay = -self._delay_mean * math.log(1.0 - self.u_outcome.uniform() * self._delay_mass)
            self.calendar.after(delay, self._on_rereferral)

    def open_initial(self, kind: int, age: np.ndarray, remaining: np.ndarray) -> None:
        """Open cases already in the system at the start (ages and remaining times in days)."""
        now = self.env.now
        for a, r in zip(age.tolist(), remaining.tolist()):
            c = self.book.new(now - a, kind)
            self.book.waiting_since[c] = now
            self.n_open += 1
            if kind == KIND_ASSESSMENT:
                self.book.work_left[c] = r
            else:
                self.calendar.after(r, self._on_plan_end, c)
            self._allocate(c, False)

    # --- allocation ----------------------------------------------------------------------------
    def _allocate(self, c: int, front: bool) -> None:
        w = self.posts.best()
        if w < 0:
            self.book.queued[c] = True
            self.n_unallocated += 1
            if front:
                self.queue.appendleft(c)
            else:
                self.queue.append(c)
            return
        self._assign(c, w)

    def _assign(self, c: int, w: int) -> None:
        book, posts, now = self.book, self.posts, self.env.now
        if book.ever_allocated[c]:
            self._count_change(c, now)
        else:
            book.ever_allocated[c] = True
            self.waits_total_days += now - book.waiting_since[c]
            self.waits_count += 1
        book.worker[c] = w
        book.held[w].add(c)
        posts.take(w)
        if book.kind[c] != KIND_ASSESSMENT:
            self.n_plans_allocated += 1
            return
        c_, w_ = self._cases_params, self._workforce_params
        stretch = assessment_stretch(
            worker_caseload=int(posts.load[w]),
            caseload_target=w_.caseload_target,
            assessment_pressure_stretch=c_.assessment_pressure_stretch,
            newly_qualified=float(posts.nq_until[w]) > now,
            assessment_nq_stretch=c_.assessment_nq_stretch,
            absence_rate=w_.absence_rate,
            assessment_norm_absence_rate=c_.assessment_norm_absence_rate,
        )
        version = book.version[c] + 1
        book.version[c] = version
        duration = book.work_left[c] * stretch
        book.assess_end[c] = now + duration
        book.assess_stretch[c] = stretch
        self.calendar.after(duration, self._on_assessment_done, c, version)

    def _count_change(self, c: int, now: float) -> None:
        book = self.book
        book.changes[c] += 1
        book.change_2[c] = book.change_1[c]
        book.change_1[c] = now

    def fill_from_queue(self, w: int) -> None:
        """Post ``w`` has room: give it the longest-waiting unallocated cases."""
        posts, book, queue = self.posts, self.book, self.queue
        while queue and posts.headroom[w] >= 1.0:
            c = queue.popleft()
            if not book.queued[c]:
                continue  # closed while waiting
            book.queued[c] = False
            self.n_unallocated -= 1
            self._assign(c, w)

    def fill_all_from_queue(self) -> None:
        """Allocate waiting cases to whoever has the most headroom."""
        while self.n_unallocated > 0:
            w = self.posts.best()
            if w < 0:
                return
            self.fill_from_queue(w)

    # --- workforce changes ----------------------------------------------------------------------
    def worker_left(self, w: int) -> None:
        """Reallocate every case of a worker who has gone (each child gets a new worker, or waits)."""
        book, now = self.book, self.env.now
        cases = sorted(book.held[w])  # in slot order
        book.held[w].clear()
        self.posts.drop_cases(w)
        for c in cases:
            book.worker[c] = -1
            if book.kind[c] != KIND_ASSESSMENT:
                self.n_plans_allocated -= 1
            else:
                book.version[c] += 1  # cancel the scheduled completion
                book.work_left[c] = max(0.0, (book.assess_end[c] - now) / book.assess_stretch[c])
            self._allocate(c, True)

    def reallocate_some(self, probability: float) -> None:
        """Move allocated plan cases to another worker, each with chance ``probability`` this week
        (team transfers and internal moves).

        How many move is binomial over the allocated plan cases; which ones is a uniform choice
        without replacement among them, by rejection over case slots (no scan of the book), offered
        in the order drawn.
        """
        n_moves = int(self._reallocation_rng.binomial(self.n_plans_allocated, probability))
        if n_moves == 0:
            return
        book, now, uniform = self.book, self.env.now, self.u_reallocation.uniform
        worker, kind, held, high = book.worker, book.kind, book.held, book.high
        chosen: dict[int, None] = {}  # insertion-ordered set
        for _ in range(REJECTION_DRAWS_PER_MOVE * n_moves):
            c = int(uniform() * high)
            if worker[c] >= 0 and kind[c] != KIND_ASSESSMENT:
                chosen[c] = None
                if len(chosen) == n_moves:
                    break
        else:
            raise RuntimeError("reallocation: too few allocated plan cases (counter out of step)")
        moving = list(chosen)
        for c, w in zip(moving, self.posts.reassign([worker[c] for c in moving])):
            if w >= 0:
                held[worker[c]].remove(c)
                held[w].add(c)
                worker[c] = w
                self._count_change(c, now)

    def handover(self, w: int) -> None:
        """A new worker takes over post ``w`` with its cases: each child has a change of worker."""
        book, now = self.book, self.env.now
        changes, change_1, change_2 = book.changes, book.change_1, book.change_2
        for c in book.held[w]:
            changes[c] += 1
            change_2[c] = change_1[c]
            change_1[c] = now

    # --- assessment and plans --------------------------------------------------------------
    def _assessment_done(self, event: Call) -> None:
        c, version = event.value
        book = self.book
        if book.version[c] != version or not book.is_open[c]:
            return
        self.assessments_done += 1
        if self.env.now - book.referred[c] <= self.statutory_days:
            self.assessments_in_time += 1
        u = self.u_outcome.uniform()
        cum_outcomes = self.cum_outcomes
        outcome = 0
        while outcome < 3 and u >= cum_outcomes[outcome]:
            outcome += 1
        if outcome == 0:  # assessed not in need
            self._close(c)
            return
        plan_kind = OUTCOME_KINDS[outcome]
        book.kind[c] = plan_kind
        self.n_plans_allocated += 1  # a valid completion means the case is allocated
        mu, sigma = self.plan[plan_kind]
        self.calendar.after(math.exp(mu + sigma * self.u_duration.normal()), self._on_plan_end, c)

    def _plan_ends(self, event: Call) -> None:
        self._close(event.value)

    def _close(self, c: int) -> None:
        book = self.book
        w = book.worker[c]
        if w >= 0:
            book.held[w].remove(c)
            if book.kind[c] != KIND_ASSESSMENT:
                self.n_plans_allocated -= 1
        book.is_open[c] = False
        book.worker[c] = -1
        self.n_open -= 1
        self.closures += 1
        self.sojourn_total_days += self.env.now - book.referred[c]
        if book.queued[c]:
            book.queued[c] = False
            self.n_unallocated -= 1
        book.free.append(c)
        self._maybe_rerefer(book.changes[c])
        if w >= 0:
            self.posts.release(w)
            if self.queue:
                self.fill_from_queue(w)
