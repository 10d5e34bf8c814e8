"""Case bookkeeping: counters kept incrementally must match a count over the case book."""

from __future__ import annotations

import numpy as np

from sim.model.durations import KIND_ASSESSMENT
from sim.model.simulation import LocalAuthority
from sim.scenario.scenario import Scenario

#: Days between two checks of the case book (not a divisor of a week, so checks fall on every
#: weekday and between the weekly update's steps).
CHECK_EVERY_DAYS = 37.0


def _check(la: LocalAuthority) -> None:
    cases, book = la.cases, la.cases.book
    worker = np.asarray(book.worker)
    allocated = worker >= 0
    is_open = np.asarray(book.is_open)
    assert cases.n_plans_allocated == int(
        np.count_nonzero(allocated & (np.asarray(book.kind) != KIND_ASSESSMENT))
    )
    assert cases.n_open == int(np.count_nonzero(is_open))
    assert cases.n_unallocated == int(np.count_nonzero(is_open & ~allocated))
    assert not (allocated & ~is_open).any()
    # a case waits exactly when it is open without a worker, and then it is in the queue
    np.testing.assert_array_equal(book.queued, is_open & ~allocated)
    waiting = set(np.flatnonzero(book.queued).tolist())
    assert waiting <= set(cases.queue)
    np.testing.assert_array_equal(
        np.bincount(worker[allocated], minlength=la.posts.n), la.posts.load
    )
    # each post's set of cases is the cases whose worker it is
    assert [sorted(held) for held in book.held] == [
        np.flatnonzero(worker == w).tolist() for w in range(la.posts.n)
    ]


def _run_checked(s: Scenario, checks_every_days: float = CHECK_EVERY_DAYS) -> list[int]:
    """Run a replication, checking the case book along the way; the queue lengths seen."""
    la = LocalAuthority.alone(s, 3, 0)
    la.start()
    queued: list[int] = []
    for day in np.arange(10.0, la.end, checks_every_days):
        la.env.run(until=float(day))
        _check(la)
        queued.append(la.cases.n_unallocated)
    return queued


def test_counters_match_the_case_book_through_a_turbulent_run() -> None:
    # high turnover and frequent moves exercise leaving, handover and reallocation
    s = Scenario(horizon_years=2, warmup_years=0.5)
    s = s.model_copy(
        update={
            "workforce": s.workforce.model_copy(update={"leave_base_rate_per_year": 0.6}),
            "cases": s.cases.model_copy(update={"reallocation_rate_per_year": 6.0}),
        }
    )
    _run_checked(s)


def test_counters_match_the_case_book_while_cases_wait_unallocated() -> None:
    """Far too few posts (40 for a service that needs ~130) and high turnover: cases really
    queue, close while waiting and are handed back to the queue when their worker leaves,
    and the invariants still hold at every check."""
    s = Scenario(horizon_years=2, warmup_years=0.5)
    s = s.model_copy(
        update={
            "workforce": s.workforce.model_copy(
                update={"establishment_fte": 40.0, "leave_base_rate_per_year": 0.6}
            ),
            "cases": s.cases.model_copy(update={"reallocation_rate_per_year": 6.0}),
        }
    )
    queued = _run_checked(s)
    # the queue is not a passing blip: most checks find cases waiting
    assert max(queued) > 0
    assert np.mean(np.asarray(queued) > 0) > 0.5, queued
