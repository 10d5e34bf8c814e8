"""The calendar parks far events off SimPy's heap and fires every event at its exact time."""

from __future__ import annotations

import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.calendar import Calendar, call_at

WEEK = 7.0


def _run(
    delays_by_time: list[tuple[float, list[float]]], horizon: float
) -> list[tuple[float, float]]:
    """Schedule callbacks at given times; return (fired at, due) pairs."""
    env = simpy.Environment()
    calendar = Calendar(env, WEEK)
    fired: list[tuple[float, float]] = []
    due_at: dict[int, float] = {}
    handle = calendar.register(lambda e: fired.append((env.now, due_at[e.value])))

    def weekly():  # type: ignore[no-untyped-def]
        while True:
            calendar.release()
            yield env.timeout(WEEK)

    def schedule_at(t: float, delays: list[float]):  # type: ignore[no-untyped-def]
        yield env.timeout(t)
        for d in delays:
            key = len(due_at)
            due_at[key] = env.now + d
            calendar.after(d, handle, key)

    env.process(weekly())
    for t, delays in delays_by_time:
        env.process(schedule_at(t, delays))
    env.run(until=horizon)
    return fired


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0.0, 200.0),
            st.lists(st.floats(0.0, 400.0, allow_subnormal=False), min_size=1, max_size=6),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_events_fire_at_exactly_their_due_time_and_in_order(plan) -> None:  # type: ignore[no-untyped-def]
    horizon = 700.0
    fired = _run(plan, horizon)
    expected = sorted(t + d for t, ds in plan for d in ds if t + d < horizon)
    assert [due for _, due in fired] == sorted(due for _, due in fired)  # in time order
    assert all(at == due for at, due in fired)  # bit-exact times
    assert sorted(due for _, due in fired) == expected  # none lost, none early


def test_far_events_wait_in_buckets_not_on_the_heap() -> None:
    env = simpy.Environment()
    calendar = Calendar(env, WEEK)
    handle = calendar.register(lambda e: None)
    for d in (1.0, 10.0, 13.9):  # this week and next: straight onto the heap
        calendar.after(d, handle)
    for d in (14.0, 100.0, 365.0):  # later: parked
        calendar.after(d, handle)
    assert len(calendar) == 3
    assert len(env._queue) == 3
    calendar.release()  # at time 0: bucket 2 ([14, 21) days) goes onto the heap
    assert len(calendar) == 2
    assert len(env._queue) == 4


def test_values_come_back_as_scheduled() -> None:
    env = simpy.Environment()
    calendar = Calendar(env, WEEK)
    seen: list[object] = []
    handle = calendar.register(lambda e: seen.append(e.value))

    def weekly():  # type: ignore[no-untyped-def]
        while True:
            calendar.release()
            yield env.timeout(WEEK)

    env.process(weekly())
    for delay in (3.0, 300.0):  # near and far
        calendar.after(delay, handle)
        calendar.after(delay + 1, handle, 7)
        calendar.after(delay + 2, handle, 123456, 0)
    env.run(until=400.0)
    assert seen == [None, 7, (123456, 0)] * 2


def test_a_call_is_ordered_among_simpy_events_as_the_timeout_it_replaces() -> None:
    """Calls and Timeouts at equal times run in the order they were scheduled (SimPy's event
    ids), and a call's value reaches its callback."""

    def order(use_calls: bool) -> list[tuple[float, str]]:
        env = simpy.Environment()
        seen: list[tuple[float, str]] = []
        for i, delay in enumerate((2.0, 2.0, 2.0, 1.0, 1.0)):
            label = f"e{i}"
            if use_calls and i % 2 == 0:
                callbacks = (lambda e: seen.append((env.now, e.value)),)
                call_at(env, env.now + delay, callbacks, label)
            else:
                env.timeout(delay, label).callbacks.append(
                    lambda e: seen.append((env.now, e.value))
                )
        env.run()
        return seen

    expected = [(1.0, "e3"), (1.0, "e4"), (2.0, "e0"), (2.0, "e1"), (2.0, "e2")]
    assert order(use_calls=False) == expected
    assert order(use_calls=True) == expected


def test_a_negative_delay_is_refused_as_simpy_refuses_it() -> None:
    env = simpy.Environment()
    calendar = Calendar(env, WEEK)
    handle = calendar.register(lambda e: None)
    with pytest.raises(ValueError, match="Negative delay"):
        calendar.after(-1.0, handle)
