"""One national clock over many LAs, each with its own event heap (DESIGN §4.9).

A population run has one clock: the LAs' weekly updates and month ends, the pool's decisions
and the dated national events happen at the same times, in a fixed order, as if every LA ran
in one SimPy environment. The LAs' own events (referrals, allocations, closures: almost all of
the work) do not touch each other or the pool, so each LA keeps them in an environment of its
own, and the national environment holds only what couples them. Before each national event at
time ``t`` every LA is advanced to ``t`` (its events before ``t`` are processed), so the national
event sees every LA exactly as one shared environment would show it.

Why: on one shared heap every push and pop pays for the whole country's events, and LAs'
events interleave, so the working set no longer fits the caches; one LA at a time, a week at a
time, runs at the speed of an LA alone (``benchmarks/national.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

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


def drive(national: simpy.Environment, las: Sequence[LocalAuthority], until: float) -> None:
    """Run the national environment and every LA's environment to ``until`` (days), in lockstep."""
    envs = [la.env for la in las]
    for env in envs:
        settle_start(env)
    while national.peek() < until:
        t = national.peek()
        for env in envs:
            advance(env, t)
        national.step()
    for env in envs:
        advance(env, until)


def national_weeks(national: simpy.Environment, las: Sequence[LocalAuthority]):  # type: ignore[no-untyped-def]
    """The national weekly process: every LA's weekly update, in population order, every week
    from time 0 (as each LA's own weekly process would)."""
    while True:
        now = national.now
        for la in las:
            la.week(now)
        yield national.timeout(WEEK_DAYS)


def national_month_ends(  # type: ignore[no-untyped-def]
    national: simpy.Environment, las: Sequence[LocalAuthority], after: Sequence[object] = ()
):
    """The national month-end process: every LA's month end, in population order, then each of
    ``after`` (objects with ``record(now)``, such as the national recorder)."""
    while True:
        yield national.timeout(DAYS_PER_MONTH)
        now = national.now
        for la in las:
            la.month_end(now)
        for reader in after:
            reader.record(now)  # type: ignore[attr-defined]
