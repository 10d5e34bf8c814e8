"""One national clock over many LAs, each with its own event heap, run ahead where nothing
couples them (DESIGN §4.9).

A population run has one clock: the LAs' weekly updates and month ends, the pool's decisions
and the dated national events happen at the same times, in a fixed order, as if every LA ran
in one SimPy environment. The LAs' own events (referrals, allocations, closures: almost all of
the work) do not touch each other or the pool, so each LA keeps them in an environment of its
own, and the national environment holds what couples them: the weekly and month-end *ticks*
(one event each for every LA, in population order), the pool's requests and returns, the dated
events.

Lockstep would advance every LA to each national event's time before it happens. :class:`Clock`
does less switching and gives the same results: an LA's ticks touch only that LA unless its week
may call on the pool (``week_blocks``), so each LA in turn runs *ahead*, its own events and its
ticks, up to a horizon no national event can reach sooner: the next national event that may
touch every LA or the pool (a dated event, a team's return, a queued request granted), at most
``lookahead_days`` past the national clock (the soonest a team taken now could come back), and
stopping early at a week that may call on the pool or at a national request the LA may make
(``asks``). Those, and every tick at a time some national event shares, happen at the national
clock in exactly one environment's order; a tick an LA has already run is skipped there.

Why: on one shared heap every push and pop pays for the whole country's events, and LAs'
events interleave, so the working set no longer fits the caches; one LA at a time, months at a
time, runs at the speed of an LA alone (``benchmarks/national.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import simpy

from sim.model.equations import DAYS_PER_MONTH
from sim.model.simulation import LocalAuthority
from sim.model.weekly import WEEK_DAYS


def advance(env: simpy.Environment, t: float) -> None:
    """Process every event of ``env`` before time ``t`` (days) and set its clock to ``t``.

    Events at exactly ``t`` stay queued, as in a shared environment where the national event at
    ``t`` was scheduled first. The clock is set to ``t`` exactly (SimPy would reach it as
    ``now + (t - now)``, which may differ from ``t`` in the last bit), so what an LA schedules
    at a national event falls at the times a shared environment would give it.
    """
    if env.peek() < t:
        env.run(until=t)
    env._now = t  # noqa: SLF001 - SimPy has no public setter; see the docstring


def settle_start(env: simpy.Environment) -> None:
    """Process the events an LA's environment holds at time 0 (its processes' starts), which a
    shared environment would process before the national weekly update at time 0."""
    while env.peek() == 0.0:
        env.step()


class Asks(Protocol):
    """A national process that reads every LA at times ``first + k * period`` (days) and may act
    on some (the pool's requests): what :class:`Clock` needs to let LAs run past it."""

    first: float
    period: float

    def live(self, t: float) -> bool:
        """Whether the reading at ``t`` may act on any LA (its shared state as it is now)."""

    def would_act(self, i: int, t: float) -> bool:
        """Whether it may act on LA ``i`` at ``t`` (the LA advanced to ``t``)."""


class Clock:
    """The national clock of a population run: :meth:`run` drives the national environment and
    every LA's environment, running LAs ahead where that changes nothing (module docstring).

    Parameters
    ----------
    national
        The national environment.
    las
        The LAs, in population order.
    week_blocks
        ``week_blocks(la, t)``: whether the LA's week at ``t`` (days) may touch what couples the
        LAs; such a week waits for the national clock. ``None``: no week does.
    asks
        The national requests process, if any (:class:`Asks`).
    lookahead_days
        How far past the national clock an LA may run (infinite when nothing couples the LAs).
    on_month_end
        ``on_month_end(i, t)``, called right after LA ``i``'s month end at ``t``.
    after_month_end
        ``after_month_end(t)``, called by the month-end tick after every LA's month end.
    sealed
        An object with a boolean ``sealed`` attribute, set while LAs run ahead (the pool: it
        refuses to be touched then, so a missed coupling fails loudly instead of silently).
    """

    def __init__(
        self,
        national: simpy.Environment,
        las: Sequence[LocalAuthority],
        *,
        week_blocks: Callable[[LocalAuthority, float], bool] | None = None,
        asks: Asks | None = None,
        lookahead_days: float = math.inf,
        on_month_end: Callable[[int, float], None] | None = None,
        after_month_end: Callable[[float], None] | None = None,
        sealed: Any = None,
    ) -> None:
        self.national, self.las = national, las
        self.envs = [la.env for la in las]
        n = len(las)
        self.done = [0.0] * n  # LA i has processed its events and ticks before done[i]
        self.next_week = [math.inf] * n  # its next tick times (none until start_ticks)
        self.next_month = [math.inf] * n
        self.week_blocks, self.asks = week_blocks, asks
        self.next_ask = [asks.first if asks is not None else math.inf] * n
        self.lookahead_days = lookahead_days
        self.on_month_end, self.after_month_end = on_month_end, after_month_end
        self.sealed = sealed
        self._own: set[simpy.Event] = set()  # pending tick and request events of `national`
        self.weeks_ahead = 0  # LA weeks run ahead of the national clock (a diagnostic)

    # --- the national ticks ---------------------------------------------------------------
    def start_ticks(self) -> None:
        """Start the national weekly tick (from time 0) and month-end tick processes."""
        self.next_week = [0.0] * len(self.las)
        self.next_month = [0.0 + DAYS_PER_MONTH] * len(self.las)
        self.national.process(self._weeks())
        self.national.process(self._month_ends())

    def own(self, event: simpy.Event) -> simpy.Event:
        """Mark a national timeout as a tick or request (it catches LAs up itself)."""
        self._own.add(event)
        event.callbacks.append(self._own.discard)
        return event

    def _weeks(self):  # type: ignore[no-untyped-def]
        national = self.national
        while True:
            now = national.now
            for i in range(len(self.las)):
                self._tick_week(i, now)
            yield self.own(national.timeout(WEEK_DAYS))

    def _month_ends(self):  # type: ignore[no-untyped-def]
        national = self.national
        while True:
            yield self.own(national.timeout(DAYS_PER_MONTH))
            now = national.now
            for i in range(len(self.las)):
                self._tick_month(i, now)
            if self.after_month_end is not None:
                self.after_month_end(now)

    def _tick_week(self, i: int, t: float) -> None:
        if self.next_week[i] > t:  # run ahead already
            return
        if self.done[i] > t:
            raise RuntimeError("an LA ran past a week it had not updated")
        self.catch_up(i, t)
        self.las[i].week(t)
        self.next_week[i] = t + WEEK_DAYS

    def _tick_month(self, i: int, t: float) -> None:
        if self.next_month[i] > t:
            return
        if self.done[i] > t:
            raise RuntimeError("an LA ran past a month end it had not closed")
        self.catch_up(i, t)
        self.las[i].month_end(t)
        if self.on_month_end is not None:
            self.on_month_end(i, t)
        self.next_month[i] = t + DAYS_PER_MONTH

    # --- LAs' positions -----------------------------------------------------------------------
    def ahead(self, i: int, t: float) -> bool:
        """Whether LA ``i`` has run past ``t`` (so a request at ``t`` could not act on it)."""
        return self.done[i] > t

    def catch_up(self, i: int, t: float) -> None:
        """Advance LA ``i`` to ``t`` (days) if it is behind."""
        if self.done[i] < t:
            advance(self.envs[i], t)
            self.done[i] = t

    def _run_ahead(self, i: int, bound: float) -> None:
        """Run LA ``i``'s events and ticks before ``bound`` unless one must wait for the clock."""
        la, blocks, asks = self.las[i], self.week_blocks, self.asks
        while True:
            week, month, ask = self.next_week[i], self.next_month[i], self.next_ask[i]
            tick = min(week, month)
            if ask <= tick and ask < bound:  # a national request first (asks is set)
                if asks.live(ask):  # type: ignore[union-attr]
                    self.catch_up(i, ask)
                    if ask == tick or asks.would_act(i, ask):  # type: ignore[union-attr]
                        return  # at the clock, in one environment's order
                self.next_ask[i] = ask + asks.period  # type: ignore[union-attr]
                continue
            if tick >= bound:
                break
            self.catch_up(i, tick)
            if week == month:  # two ticks at one time: the clock's order
                return
            if week < month:
                if blocks is not None and blocks(la, tick):
                    return
                la.week(tick)
                self.next_week[i] = tick + WEEK_DAYS
                self.weeks_ahead += 1
            else:
                self._tick_month(i, tick)
        self.catch_up(i, bound)

    # --- the run ------------------------------------------------------------------------------
    def _horizon(self, now: float, until: float) -> float:
        """The soonest a national event other than a tick or request may touch any LA."""
        queue = self.national._queue  # noqa: SLF001 - (time, priority, id, event) entries
        hard = min((t for t, _, _, ev in queue if ev not in self._own), default=until)
        return min(hard, until, now + self.lookahead_days)

    def run(self, until: float) -> None:
        """Run the national environment and every LA's environment to ``until`` (days)."""
        national = self.national
        for env in self.envs:
            settle_start(env)
        while national.peek() < until:
            t = national.peek()
            bound = self._horizon(t, until)
            if bound > t:
                self._sealed(True)
                for i, done in enumerate(self.done):
                    if done <= t:  # needed now: run it as far as it may go
                        self._run_ahead(i, bound)
                self._sealed(False)
            if national._queue[0][3] not in self._own:  # noqa: SLF001
                for i in range(len(self.las)):
                    self.catch_up(i, t)
            national.step()
        for i in range(len(self.las)):
            self.catch_up(i, until)

    def _sealed(self, value: bool) -> None:
        if self.sealed is not None:
            self.sealed.sealed = value


def drive(national: simpy.Environment, las: Sequence[LocalAuthority], until: float) -> None:
    """Run the national environment (without ticks) and every LA's environment to ``until``
    (days): each national event sees every LA as one shared environment would show it."""
    Clock(national, las).run(until)
