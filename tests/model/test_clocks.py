"""Shared exponential clocks: bookkeeping against a brute-force recount, and the chance of leaving
per step against ``1 - exp(-hazard)``."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.clocks import SharedClock

N = 6

operation = st.one_of(
    st.tuples(st.just("join"), st.integers(0, N - 1), st.floats(0.0, 3.0)),
    st.tuples(st.just("drop"), st.integers(0, N - 1), st.just(0.0)),
    st.tuples(st.just("advance"), st.just(0), st.floats(0.0, 1.5)),
    st.tuples(st.just("deal"), st.just(0), st.floats(0.0, 3.0)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(operation, max_size=80))
def test_clock_agrees_with_a_recount(operations) -> None:  # type: ignore[no-untyped-def]
    """Whatever the order of joins, drops and steps, ``advance`` reports a run-out exactly when a
    member's due reading has been reached, and ``ran_out`` lists exactly those members."""
    clock = SharedClock(N)
    due = {}  # member -> reading at which it leaves
    reading = 0.0
    for op, i, x in operations:
        if op == "join":
            clock.join(i, x)
            due[i] = reading + x
        elif op == "drop":
            clock.drop(i)
            due.pop(i, None)
        elif op == "advance":
            reading += x
            assert clock.advance(x) == any(d <= reading for d in due.values())
        else:  # deal with the members who ran out: each rejoins with a fresh budget
            expected = sorted(m for m, d in due.items() if d <= reading)
            assert clock.ran_out() == expected
            for m in expected:
                clock.join(m, x + 0.1)
                due[m] = reading + x + 0.1
        assert clock.reading == reading
        for m in range(N):
            assert clock.is_member(m) == (m in due)


def test_chance_of_leaving_per_step_is_one_minus_exp_of_the_hazard() -> None:
    """20,000 members with Exp(1) budgets and a hazard of 0.1 per step, then 0.4 per step: the
    share leaving in each step among those left is 1 - exp(-h). Tolerance 4 binomial standard
    errors (about 0.009 for the first step), so a fixed seed fails only for a real error."""
    rng = np.random.default_rng(7)
    n = 20_000
    clock = SharedClock(n)
    for i, budget in enumerate(rng.standard_exponential(n).tolist()):
        clock.join(i, budget)
    remaining = n
    for hazard in (0.1, 0.1, 0.4, 0.4, 0.4):
        clock.advance(hazard)
        leavers = clock.ran_out()
        p = -math.expm1(-hazard)
        se = math.sqrt(p * (1 - p) / remaining)
        assert abs(len(leavers) / remaining - p) < 4 * se, (hazard, len(leavers), remaining)
        for i in leavers:
            clock.drop(i)
        remaining -= len(leavers)
    assert not clock.advance(0.0)  # everyone still a member has budget left
