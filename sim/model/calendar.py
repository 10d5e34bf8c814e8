"""Far-future events kept off SimPy's event heap until their week comes (a timing wheel).

A service holds thousands of open plans, each with a closure scheduled months ahead. On SimPy's
heap alone, every push and pop would pay ``log(n)`` comparisons and cache misses that grow with
the size of the service, so the cost per referral would grow with it. The calendar parks events
due after next week in weekly buckets and moves a bucket onto the heap a week before it is due,
at the exact times first computed. Results are unchanged (events at exactly equal times aside,
which continuous durations do not produce); the heap holds about two weeks of events.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import simpy

Callback = Callable[[simpy.Event], None]
#: Marks an unused value slot (case numbers and versions are never negative).
NO_VALUE = -1


class Calendar:
    """Schedules callbacks ``delay`` days ahead, near ones on SimPy's heap, far ones in buckets.

    A parked event is a tuple (due time, callback handle, ``a``, ``b``). The cyclic garbage
    collector is paused while a replication runs (``sim.model.simulation.collector_paused``), so
    tens of thousands of parked tuples cost nothing to keep.

    Parameters
    ----------
    env
        The SimPy environment.
    bucket_days
        Width of a bucket (days). :meth:`release` must be called at times ``0, bucket_days,
        2 × bucket_days, ...`` (the weekly process does this).
    """

    def __init__(self, env: simpy.Environment, bucket_days: float) -> None:
        self.env = env
        self.bucket_days = bucket_days
        self._on_heap = 1  # buckets 0..this are scheduled on SimPy's heap
        self._callbacks: list[Callback] = []
        # bucket -> parked events (due time, callback handle, a, b)
        self._buckets: dict[int, list[tuple[float, int, int, int]]] = {}

    def register(self, callback: Callback) -> int:
        """Register a callback; returns the handle to pass to :meth:`after`."""
        self._callbacks.append(callback)
        return len(self._callbacks) - 1

    def after(self, delay: float, handle: int, a: int = NO_VALUE, b: int = NO_VALUE) -> None:
        """Call the callback ``handle`` in ``delay`` days with ``event.value`` = ``None`` (no
        ``a``), ``a`` (no ``b``) or ``(a, b)``; ``a`` and ``b`` are non-negative integers."""
        env = self.env
        due = env.now + delay
        bucket = int(due // self.bucket_days)
        if bucket <= self._on_heap:
            env.timeout(delay, _value(a, b)).callbacks.append(self._callbacks[handle])
            return
        parked = self._buckets.get(bucket)
        if parked is None:
            self._buckets[bucket] = [(due, handle, a, b)]
        else:
            parked.append((due, handle, a, b))

    def release(self) -> None:
        """Move the next bucket onto SimPy's heap (called at the start of each bucket period).

        ``due - now`` is exact because ``now`` is a whole number of days no later than ``due``, so
        each event fires at exactly the time computed when it was scheduled.
        """
        self._on_heap += 1
        parked = self._buckets.pop(self._on_heap, None)
        if parked is None:
            return
        env, callbacks = self.env, self._callbacks
        now = env.now
        for due, handle, a, b in parked:
            env.timeout(due - now, _value(a, b)).callbacks.append(callbacks[handle])

    def __len__(self) -> int:
        """Events parked in buckets (not yet on SimPy's heap)."""
        return sum(len(b) for b in self._buckets.values())


def _value(a: int, b: int) -> Any:
    """``event.value`` of a scheduled callback: ``None``, ``a`` or ``(a, b)``."""
    if a == NO_VALUE:
        return None
    return a if b == NO_VALUE else (a, b)
