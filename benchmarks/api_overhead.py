"""What the Python API adds to a replication: ``sim.run`` against the bare SimPy floor.

Usage::

    python benchmarks/api_overhead.py              # 9 rounds, prints the ratios
    python benchmarks/api_overhead.py --rounds 5 --profile

Times, in one process and alternately (so a slow spell of the shared machine hits all alike):

- ``api``: ``sim.run(baseline, replications=1, workers=1)``, the baseline's 10-year horizon
  after its warm-up, results built in memory (no ``out``): plan, task, replication, tables and
  manifest, everything a caller such as a calibration loop pays per call;
- ``replication``: the replication alone (``sim.model.simulate``), for reference;
- ``bare``: the idiomatic SimPy M/M/c queue of ``bare_simpy.py`` with as many arrivals as the
  replication simulates (warm-up included), as in the floor section of ``run.py``.

It prints the median CPU time of each and the median over rounds of the per-round ratios
``api / bare`` and ``replication / bare`` (the ratio of the same round cancels drift). The
target of issue 13 is ``api / bare <= 2.0``. ``--profile`` adds a cProfile of one API call
outside the timed rounds, sorted by cumulative time, to see what the API adds.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bare_simpy import mmc, rates_for  # noqa: E402

import sim  # noqa: E402
from sim.model import simulate  # noqa: E402

BASELINE = ROOT / "scenarios" / "reference" / "baseline.yaml"
#: Seed of every timed call (the benchmark's seed, as in ``run.py``).
SEED = 20261129
#: Bare M/M/c servers and utilisation, as in the floor section of ``run.py``.
BARE_SERVERS = 10
BARE_UTILISATION = 0.8
#: Issue 13: the API costs at most this many times the bare queue.
TARGET_RATIO = 2.0
#: Days per year of the bare queue's arrival rate (as in ``run.py``).
DAYS_PER_YEAR = 365.25


def cpu_seconds(fn: Callable[[], Any]) -> tuple[float, float]:
    """CPU and wall seconds of one call of ``fn`` (garbage collected first).

    CPU time counts this process *and* the child processes it waited for (a ``git`` call of the
    manifest, a pool's workers), so work moved into a subprocess is not hidden.
    """
    gc.collect()
    cpu, wall = _cpu_now(), time.perf_counter()
    fn()
    return _cpu_now() - cpu, time.perf_counter() - wall


def _cpu_now() -> float:
    """CPU seconds of this process plus those of its finished (waited-for) children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9, help="timed rounds (default 9)")
    parser.add_argument("--profile", action="store_true", help="also profile one API call")
    args = parser.parse_args(argv)

    scenario = sim.load_scenario(BASELINE)
    if scenario.horizon_years != 10:
        raise SystemExit(f"the baseline's horizon is {scenario.horizon_years} years, not 10")
    years = scenario.horizon_years + scenario.warmup_years
    probe = simulate(scenario, SEED, 0)  # fixes the work to match, warms caches
    n = probe.n_referrals
    lam, mu = rates_for(n / (years * DAYS_PER_YEAR), BARE_SERVERS, BARE_UTILISATION)

    calls: dict[str, Callable[[], Any]] = {
        "api": lambda: sim.run(scenario, replications=1, seed=SEED, workers=1),
        "replication": lambda: simulate(scenario, SEED, 0),
        "bare": lambda: mmc(n, BARE_SERVERS, lam, mu, seed=SEED),
    }
    for fn in calls.values():  # warm up: imports (pyarrow, pandas), caches
        fn()
    cpu: dict[str, list[float]] = {name: [] for name in calls}
    wall: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(args.rounds):
        for name, fn in calls.items():
            spent, elapsed = cpu_seconds(fn)
            cpu[name].append(spent)
            wall[name].append(elapsed)

    def ratio(times: dict[str, list[float]], name: str) -> float:
        pairs = zip(times[name], times["bare"], strict=True)
        return statistics.median(a / b for a, b in pairs)

    print(
        f"baseline: {scenario.horizon_years:g}-year horizon + {scenario.warmup_years:g}-year "
        f"warm-up, {n:,} referrals; {args.rounds} rounds, medians (CPU includes children)"
    )
    print(f"  {'':<12} {'CPU s':>7} {'wall s':>7} {'CPU ratio':>10} {'wall ratio':>11}")
    for name in calls:
        print(
            f"  {name:<12} {statistics.median(cpu[name]):7.3f} {statistics.median(wall[name]):7.3f}"
            f" {ratio(cpu, name):9.2f}x {ratio(wall, name):10.2f}x"
        )
    api = max(ratio(cpu, "api"), ratio(wall, "api"))
    added = statistics.median(a - r for a, r in zip(cpu["api"], cpu["replication"], strict=True))
    print(f"api adds {added * 1e3:.0f} ms CPU per call to the replication")
    verdict = "met" if api <= TARGET_RATIO else "NOT met"
    print(
        f"api / bare: {api:.2f}x (the larger of CPU and wall); target <= {TARGET_RATIO:.1f}x: {verdict}"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(calls["api"])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
