"""Far-future events kept off SimPy's event heap until their week comes (a timing wheel).

A service holds thousands of open plans, each with a closure scheduled months ahead. On SimPy's
heap alone, every push and pop would pay ``log(n)`` comparisons and cache misses that grow with
the size of the service, so the cost per referral would grow with it. The calendar parks events
due after next week in weekly buckets and moves a bucket onto the heap a week before it is due,
at the exact times first computed. Results are unchanged (events at exactly equal times aside,
which continuous durations do not produce); the heap holds about two weeks of events.

What goes onto the heap is a :class:`Call`, not a :class:`simpy.Timeout`: the entry SimPy's own
``Environment.schedule`` would push (due time, priority, next event id, event), with an event
that holds only what ``Environment.step`` reads (its callbacks and ``_ok``) and the value, and
whose callbacks are a tuple shared by every call of the same callback. Events keep their times
and their order exactly (the same ids in the same order); a Timeout's construction and
``Environment.schedule`` call were a fifth of a replication's time.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from typing import Any

import simpy
from simpy.events import NORMAL

Callback = Callable[[Any], None]
#: Marks an unused value slot (case numbers and versions are never negative).
NO_VALUE = -1


class Call:
    """A callback scheduled on SimPy's heap: what :meth:`simpy.Environment.step` reads of an
    event (``callbacks``, iterated once, and ``_ok``: a call cannot fail) and the ``value`` it
    carries.

    Callbacks receive the :class:`Call` as the event and read ``event.value`` as they would a
    Timeout's. ``callbacks`` is a tuple, shared by the calls of one callback (SimPy replaces it
    by ``None`` once it has run them, which leaves the shared tuple alone).
    """

    __slots__ = ("callbacks", "value")
    _ok = True

    def __init__(self, callbacks: tuple[Callback], value: Any) -> None:
        self.callbacks: tuple[Callback] | None = callbacks
        self.value = value


def call_at(
    env: simpy.Environment,
    due: float,
    callbacks: tuple[Callback],
    value: Any = None,
    priority: int = NORMAL,
) -> None:
    """Call ``callbacks[0]`` at time ``due`` (days; not before ``env.now``) with
    ``event.value`` = ``value``.

    The heap entry is the one ``env.timeout(delay, value)`` makes (SimPy's
    ``Environment.schedule``: time ``now + delay``, priority, the environment's next event id),
    so the call is ordered among SimPy's own events as that Timeout would be; pass
    ``due = env.now + delay`` computed the same way. ``priority`` is SimPy's
    (``simpy.events.URGENT`` for what a process's start does)."""
    queue: list[Any] = env._queue  # noqa: SLF001 - SimPy's heap of (time, priority, id, event)
    heappush(queue, (due, priority, next(env._eid), Call(callbacks, value)))  # noqa: SLF001


class Calendar:
    """Schedules callbacks ``delay`` days ahead, near ones on SimPy's heap, far ones in buckets.

    A parked event is a tuple (due time, :class:`Call`). The cyclic garbage collector is paused
    while a replication runs (``sim.model.simulation.collector_paused``), so tens of thousands
    of parked calls cost nothing to keep.

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
        self._callbacks: list[tuple[Callback]] = []
        # bucket -> parked events (due time, call)
        self._buckets: dict[int, list[tuple[float, Call]]] = {}

    def register(self, callback: Callback) -> int:
        """Register a callback; returns the handle to pass to :meth:`after`."""
        self._callbacks.append((callback,))
        return len(self._callbacks) - 1

    def after(self, delay: float, handle: int, a: int = NO_VALUE, b: int = NO_VALUE) -> None:
        """Call the callback ``handle`` in ``delay`` days with ``event.value`` = ``None`` (no
        ``a``), ``a`` (no ``b``) or ``(a, b)``; ``a`` and ``b`` are non-negative integers."""
        env = self.env
        due = env._now + delay  # noqa: SLF001 - as Environment.schedule computes it
        value = None if a == NO_VALUE else a if b == NO_VALUE else (a, b)
        bucket = int(due // self.bucket_days)
        if bucket <= self._on_heap:  # call_at, inlined
            if delay < 0:
                raise ValueError(f"Negative delay {delay}")
            queue: list[Any] = env._queue  # noqa: SLF001
            eid = next(env._eid)  # noqa: SLF001
            heappush(queue, (due, NORMAL, eid, Call(self._callbacks[handle], value)))
            return
        parked = self._buckets.get(bucket)
        call = Call(self._callbacks[handle], value)
        if parked is None:
            self._buckets[bucket] = [(due, call)]
        else:
            parked.append((due, call))

    def release(self) -> None:
        """Move the next bucket onto SimPy's heap (called at the start of each bucket period).

        ``due - now`` is exact because ``now`` is a whole number of days no later than ``due``, so
        each event fires at exactly the time computed when it was scheduled.
        """
        self._on_heap += 1
        parked = self._buckets.pop(self._on_heap, None)
        if parked is None:
            return
        env = self.env
        now = env.now
        queue: list[Any] = env._queue  # noqa: SLF001 - call_at, inlined for a whole bucket
        eid = env._eid  # noqa: SLF001
        for due, call in parked:
            # ``now + (due - now)`` is what env.timeout(due - now) would schedule (it is ``due``)
            heappush(queue, (now + (due - now), NORMAL, next(eid), call))

    def __len__(self) -> int:
        """Events parked in buckets (not yet on SimPy's heap)."""
        return sum(len(b) for b in self._buckets.values())
