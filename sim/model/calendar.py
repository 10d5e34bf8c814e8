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


class Calendar:
    """Schedules callbacks ``delay`` days ahead, near ones on SimPy's heap, far ones in buckets.

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
        self._buckets: dict[int, list[tuple[float, Callback, Any]]] = {}

    def after(self, delay: float, callback: Callback, value: Any = None) -> None:
        """Call ``callback(event)`` in ``delay`` days, with ``event.value == value``."""
        env = self.env
        due = env.now + delay
        bucket = int(due // self.bucket_days)
        if bucket <= self._on_heap:
            env.timeout(delay, value).callbacks.append(callback)
        elif bucket in self._buckets:
            self._buckets[bucket].append((due, callback, value))
        else:
            self._buckets[bucket] = [(due, callback, value)]

    def release(self) -> None:
        """Move the next bucket onto SimPy's heap (called at the start of each bucket period).

        ``due - now`` is exact because ``now`` is a whole number of days no later than ``due``, so
        each event fires at exactly the time computed when it was scheduled.
        """
        self._on_heap += 1
        env = self.env
        now = env.now
        for due, callback, value in self._buckets.pop(self._on_heap, ()):
            env.timeout(due - now, value).callbacks.append(callback)

    def __len__(self) -> int:
        """Events parked in buckets (not yet on SimPy's heap)."""
        return sum(len(b) for b in self._buckets.values())
