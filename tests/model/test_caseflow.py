"""Case bookkeeping: counters kept incrementally must match a count over the case book."""

from __future__ import annotations

import numpy as np

from sim.model.durations import KIND_ASSESSMENT
from sim.model.simulation import LocalAuthority
from sim.scenario.scenario import Scenario


def _check(la: LocalAuthority) -> None:
    cases, book = la.cases, la.cases.book
    h = book.high
    allocated = book.worker[:h] >= 0
    assert cases.n_plans_allocated == int(
        np.count_nonzero(allocated & (book.kind[:h] != KIND_ASSESSMENT))
    )
    assert cases.n_open == int(np.count_nonzero(book.is_open[:h]))
    assert cases.n_unallocated == int(np.count_nonzero(book.is_open[:h] & ~allocated))
    assert not (allocated & ~book.is_open[:h]).any()
    np.testing.assert_array_equal(
        np.bincount(book.worker[:h][allocated], minlength=la.posts.n), la.posts.load
    )


def test_counters_match_the_case_book_through_a_turbulent_run() -> None:
    # high turnover and frequent moves exercise leaving, handover, queueing and reallocation
    s = Scenario(horizon_years=2, warmup_years=0.5)
    s = s.model_copy(
        update={
            "workforce": s.workforce.model_copy(update={"leave_base_rate_per_year": 0.6}),
            "cases": s.cases.model_copy(update={"reallocation_rate_per_year": 6.0}),
        }
    )
    la = LocalAuthority.alone(s, 3, 0)
    la.start()
    for day in np.arange(10.0, la.end, 37.0):
        la.env.run(until=float(day))
        _check(la)
