"""Executors benchmark: speed-up of a process pool, and per-replication overhead of Dask.

Usage::

    python benchmarks/executors.py                 # 48 baseline replications; ~2 minutes on 2 cores
    python benchmarks/executors.py --quick         # smoke test (a few seconds)

Prints two tables (paste them into ``docs/running-at-scale.md``, "Measured speed-up"):

1. 48 replications of the 10-year baseline with the process executor on 1 and 2 workers (and
   the serial executor), wall seconds and speed-up;
2. many replications of a tiny scenario (one recorded month, no warm-up), so the model costs
   almost nothing and the wall time is overhead: per replication for serial, a process pool and a
   Dask LocalCluster, with automatic chunks and with one replication per task, plus the time to
   start each executor.

Run nothing else on the machine meanwhile.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sim  # noqa: E402
from sim.experiment.executors import make_executor  # noqa: E402

BASELINE = ROOT / "scenarios" / "reference" / "baseline.yaml"
SEED = 20261129
TINY = {"horizon_years": 1 / 12, "warmup_years": 0.0}


def timed_run(scenario: object, **options: object) -> float:
    """Wall seconds of one ``sim.run`` (results kept in memory, no report)."""
    start = time.perf_counter()
    sim.run(scenario, seed=SEED, progress=False, **options)  # type: ignore[arg-type]
    return time.perf_counter() - start


def startup_seconds(name: str, workers: int) -> float:
    """Seconds to start and stop an executor with nothing to run."""
    start = time.perf_counter()
    with make_executor(name, workers) as pool:
        list(pool.imap_unordered(abs, [1]))
    return time.perf_counter() - start


def speedup(replications: int, workers: int) -> None:
    """Table 1: the baseline on 1 and ``workers`` process workers."""
    scenario = sim.load_scenario(BASELINE)
    serial = timed_run(scenario, replications=replications)
    one = timed_run(scenario, replications=replications, workers=1, executor="process")
    many = timed_run(scenario, replications=replications, workers=workers, executor="process")
    print(f"\n{replications} baseline replications (10 years each)\n")
    print("| executor | workers | wall s | s per replication | speed-up vs 1 process worker |")
    print("|---|---|---|---|---|")
    for label, n, wall in (("serial", 1, serial), ("process", 1, one), ("process", workers, many)):
        print(f"| {label} | {n} | {wall:.1f} | {wall / replications:.2f} | {one / wall:.2f} |")


def overhead(replications: int, workers: int) -> None:
    """Table 2: per-replication overhead with a model that costs almost nothing.

    Overhead per replication = (wall - start-up - serial wall / workers) / replications: what a
    replication costs beyond its share of the serial compute.
    """
    scenario = sim.load_scenario(BASELINE, overrides=TINY)
    serial = timed_run(scenario, replications=replications)
    print(f"\n{replications} replications of a 1-month scenario ({workers} workers)\n")
    print(
        "| executor | tasks | start-up s | wall s (incl. start-up) | overhead ms per replication |"
    )
    print("|---|---|---|---|---|")
    print(
        f"| serial | - | 0.00 | {serial:.2f} | 0 (reference: {1000 * serial / replications:.1f} ms compute) |"
    )
    rows = [("process", None), ("process", 1), ("dask", None), ("dask", 1)]
    for name, chunk in rows:
        start = startup_seconds(name, workers)
        wall = timed_run(
            scenario, replications=replications, workers=workers, executor=name, chunk_size=chunk
        )
        extra = 1000 * (wall - start - serial / workers) / replications
        label = "1 replication each" if chunk == 1 else "automatic chunks"
        print(f"| {name} | {label} | {start:.2f} | {wall:.2f} | {extra:.1f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a few replications only")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, csc-sim {sim.__version__}"
    )
    speedup(4 if args.quick else 48, args.workers)
    overhead(40 if args.quick else 400, args.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
