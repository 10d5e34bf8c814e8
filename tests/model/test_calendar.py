"""The calendar parks far events off SimPy's heap and fires every event at its exact time."""

from __future__ import annotations

import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.calendar import Calendar

WEEK = 7.0


def _run(
    delays_by_time: list[tuple[float, list[float]]], horizon: float
) -> list[tuple[float, float]]:
    """Schedule callbacks at given times; return (fired at, due) pairs."""
    env = simpy.Environment()
    calendar = Calendar(env, WEEK)
    fired: list[tuple[float, float]] = []

    def weekly():  # type: ignore[no-untyped-def]
        while True:
            calendar.release()
            yield env.timeout(WEEK)

    def schedule_at(t: float, delays: list[float]):  # type: ignore[no-untyped-def]
        yield env.timeout(t)
        for d in delays:
            due = env.now + d
            calendar.after(d, lambda e: fired.append((env.now, e.value)), due)

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
    for d in (1.0, 10.0, 13.9):  # this week and next: straight onto the heap
        calendar.after(d, lambda e: None)
    for d in (14.0, 100.0, 365.0):  # later: parked
        calendar.after(d, lambda e: None)
    assert len(calendar) == 3
    assert len(env._queue) == 3
    calendar.release()  # at time 0: bucket 2 ([14, 21) days) goes onto the heap
    assert len(calendar) == 2
    assert len(env._queue) == 4
