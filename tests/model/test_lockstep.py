"""The national clock (sim.model.lockstep): LAs' own environments advanced to each national
event's time, in the order one shared environment would give, and run ahead of it where
nothing couples them."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
import simpy

from sim.model import lockstep
from sim.model.equations import DAYS_PER_MONTH
from sim.model.lockstep import Clock, advance, drive


def _log_at(env: simpy.Environment, times: list[float], log: list[tuple[str, float]], tag: str):  # type: ignore[no-untyped-def]
    for t in times:
        env.timeout(t).callbacks.append(lambda _e, t=t: log.append((tag, t)))


def test_advance_processes_events_before_t_and_sets_the_clock_to_t_exactly() -> None:
    env = simpy.Environment()
    log: list[tuple[str, float]] = []
    _log_at(env, [0.1, 3.0, 7.0, 7.5], log, "la")
    advance(env, 7.0)
    assert log == [("la", 0.1), ("la", 3.0)]  # the event at exactly 7 stays queued
    assert env.now == 7.0
    advance(env, 7.0)  # again at the same time: nothing happens
    assert env.now == 7.0 and len(log) == 2
    advance(env, 10.0)
    assert log[-2:] == [("la", 7.0), ("la", 7.5)]


def test_drive_shows_each_national_event_every_la_as_one_environment_would() -> None:
    national = simpy.Environment()
    las = [SimpleNamespace(env=simpy.Environment()) for _ in range(2)]
    log: list[tuple[str, float]] = []
    _log_at(las[0].env, [1.0, 4.0, 9.0], log, "a")
    _log_at(las[1].env, [2.0, 6.0], log, "b")
    seen = []

    def national_event(_e: simpy.Event) -> None:
        seen.append((national.now, [la.env.now for la in las], list(log)))

    national.timeout(5.0).callbacks.append(national_event)
    drive(national, las, until=10.0)  # type: ignore[arg-type]
    now, clocks, before = seen[0]
    assert now == 5.0 and clocks == [5.0, 5.0]
    assert sorted(before, key=lambda x: x[1]) == [("a", 1.0), ("b", 2.0), ("a", 4.0)]
    assert sorted(log, key=lambda x: x[1]) == [
        ("a", 1.0),
        ("b", 2.0),
        ("a", 4.0),
        ("b", 6.0),
        ("a", 9.0),
    ]
    assert all(la.env.now == 10.0 for la in las)


class _StubLA:
    """An LA with an environment of its own that logs its ticks and the national clock's time."""

    def __init__(self, national: simpy.Environment, log: list[tuple[str, float, float]]) -> None:
        self.env, self.national, self.log = simpy.Environment(), national, log

    def week(self, now: float) -> None:
        self.log.append(("week", now, self.national.now))
        assert self.env.now == now  # advanced to the tick's time exactly

    def month_end(self, now: float) -> None:
        self.log.append(("month", now, self.national.now))


def _stub_clock(n: int = 2, **kwargs):  # type: ignore[no-untyped-def]
    national = simpy.Environment()
    logs: list[list[tuple[str, float, float]]] = [[] for _ in range(n)]
    las = [_StubLA(national, log) for log in logs]
    clock = Clock(national, las, **kwargs)  # type: ignore[arg-type]
    clock.start_ticks()
    return national, las, logs, clock


def test_las_run_ahead_to_the_next_national_event_and_meet_it_at_its_time() -> None:
    national, las, logs, clock = _stub_clock()
    seen = []
    national.timeout(50.0).callbacks.append(
        lambda _e: seen.append([(la.env.now, len(log)) for la, log in zip(las, logs, strict=True)])
    )
    clock.run(until=100.0)
    for log in logs:
        weeks = [t for kind, t, _ in log if kind == "week"]
        assert weeks == [7.0 * k for k in range(15)]  # every week to the end, in order
        months = [t for kind, t, _ in log if kind == "month"]
        assert months == [DAYS_PER_MONTH, 2 * DAYS_PER_MONTH, 3 * DAYS_PER_MONTH]
        # after time 0, every tick before the national event at 50 ran while the national
        # clock stood at 0, and those after it while the clock stood at 50
        assert all(now == 0.0 for _, t, now in log[1:] if t < 50.0)
        assert all(now == 50.0 for _, t, now in log if t > 50.0)
    # the national event saw every LA at its time, its ticks before it done (8 weeks, 1 month)
    assert seen == [[(50.0, 9), (50.0, 9)]]
    assert clock.weeks_ahead == 2 * 14


def test_a_week_that_may_touch_the_coupling_waits_for_the_national_clock() -> None:
    blocked = {(0, 21.0), (0, 28.0)}
    national, las, logs, clock = _stub_clock(
        week_blocks=lambda la, t: (las.index(la), t) in blocked, lookahead_days=40.0
    )
    clock.run(until=80.0)
    first = {t: now for kind, t, now in logs[0] if kind == "week"}
    assert first[14.0] == 0.0 and first[21.0] == 21.0 and first[28.0] == 28.0
    assert first[35.0] == 28.0  # ahead again from the clock's time, at most 40 days past it
    # never more than 40 days past the national clock's next event (a week after its last)
    assert all(t < now + 7.0 + 40.0 for _, t, now in logs[0] + logs[1])
    assert [t for kind, t, _ in logs[0] if kind == "week"] == [7.0 * k for k in range(12)]
    assert {t: now for kind, t, now in logs[1]}[28.0] == 0.0  # the other LA did not wait


class _Asks:
    """Requests every 10 days from day 5; LA 1 would ask at day 25 only."""

    first, period = 5.0, 10.0

    def __init__(self, live: bool) -> None:
        self.is_live = live
        self.asked: list[tuple[int, float]] = []

    def live(self, t: float) -> bool:
        return self.is_live

    def would_act(self, i: int, t: float) -> bool:
        self.asked.append((i, t))
        return (i, t) == (1, 25.0)


@pytest.mark.parametrize("live", [True, False])
def test_las_run_past_requests_they_would_not_make(live: bool) -> None:
    asks = _Asks(live)
    national, las, logs, clock = _stub_clock(asks=asks)
    national.timeout(60.0)  # a national event: the LAs run ahead to it
    clock.run(until=60.0)
    if live:
        assert (0, 25.0) in asks.asked and (1, 25.0) in asks.asked and (1, 35.0) not in asks.asked
        weeks = {t: now for kind, t, now in logs[1] if kind == "week"}
        assert weeks[21.0] == 0.0 and weeks[28.0] == 28.0  # stopped at the request at 25
    else:
        assert asks.asked == []  # a request that cannot be served is not read
        assert all(now == 0.0 for _, t, now in logs[1][1:] if t < 60.0)


def test_the_sealed_object_is_sealed_only_while_las_run_ahead() -> None:
    sealed = SimpleNamespace(sealed=False)
    states: list[bool] = []
    national, las, logs, clock = _stub_clock(sealed=sealed)
    las[0].week = lambda now: states.append(sealed.sealed)  # type: ignore[method-assign]
    national.timeout(30.0).callbacks.append(lambda _e: states.append(sealed.sealed))
    clock.run(until=40.0)
    assert states[0] is False and True in states  # week 0 at the clock, later weeks ahead
    assert states[states.index(True) :].count(False) == 1  # the national event at 30
    assert sealed.sealed is False


def test_a_month_end_and_a_week_at_one_time_wait_for_the_clock_month_end_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With months of 14 days every other week shares its time with a month end: both happen at
    the national clock, the month end first (its tick was scheduled first), as in one
    environment; the weeks between run ahead."""
    monkeypatch.setattr(lockstep, "DAYS_PER_MONTH", 14.0)
    national, las, logs, clock = _stub_clock(n=1)
    clock.run(until=50.0)
    assert logs[0] == [
        ("week", 0.0, 0.0),
        ("week", 7.0, 0.0),
        ("month", 14.0, 14.0),
        ("week", 14.0, 14.0),
        ("week", 21.0, 14.0),
        ("month", 28.0, 28.0),
        ("week", 28.0, 28.0),
        ("week", 35.0, 28.0),
        ("month", 42.0, 42.0),
        ("week", 42.0, 42.0),
        ("week", 49.0, 42.0),
    ]


def test_a_tick_an_la_has_run_past_is_an_error_not_a_silent_reorder() -> None:
    national, las, logs, clock = _stub_clock(n=1)
    clock.done[0] = 1.0  # as if it had run past its first week
    with pytest.raises(RuntimeError, match="past a week"):
        clock.run(until=10.0)
    national, las, logs, clock = _stub_clock(n=1)
    clock.next_week[0], clock.done[0] = math.inf, 40.0
    with pytest.raises(RuntimeError, match="past a month end"):
        clock.run(until=50.0)
