"""The national clock in lockstep (sim.model.lockstep): LAs' own environments advanced to each
national event's time, in the order one shared environment would give."""

from __future__ import annotations

from types import SimpleNamespace

import simpy

from sim.model.lockstep import advance, drive


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
