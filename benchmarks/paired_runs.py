"""Paired timing of two or more checkouts on the troubled reference and on population LAs.

Usage::

    git archive HEAD~3 | tar -x -C /tmp/before     # or any folder holding a checkout
    python benchmarks/paired_runs.py /tmp/before . --pairs 8

As ``paired.py`` (one long-lived child process per checkout, asked in turn, one run at a time,
in a rotating order; CPU time; median over rounds of the ratio to the first checkout), but the
runs are the ones the national experiment and calibration pay for: ``troubled`` (one replication
of ``scenarios/reference/troubled.yaml``) and ``pop`` (the LAs ``--las`` of
``scenarios/england/england.yaml``, each on its own clock through ``simulate_population``, as a
population run's tasks without a pool are). Prints µs of CPU per referral (minimum over rounds)
and the paired ratio with its range.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SEED = 7
DEFAULT_LAS = "Hartlepool,Westminster,E06000002"


def _child(root: str, las: list[str]) -> None:
    """Answer each line of stdin (a run's name) with ``[cpu_seconds, referrals]``."""
    sys.path.insert(0, root)  # this checkout's sim, whatever else is on the path
    import sim
    from sim.model import simulate
    from sim.model.national import LASpec, simulate_population
    from sim.scenario.population_scenarios import population_las

    troubled = sim.load_scenario(f"{root}/scenarios/reference/troubled.yaml")
    england = f"{root}/scenarios/england/england.yaml"
    population = sim.load_scenario(england, overrides={"population.las": las})
    specs = [LASpec(c, n, s) for c, n, s in population_las(population, england)]

    def run(kind: str) -> int:
        if kind == "troubled":
            return int(simulate(troubled, SEED, 0).n_referrals)
        out = [simulate_population([spec], population.population, SEED, 0) for spec in specs]
        return sum(o.n_referrals for o in out)

    for line in sys.stdin:
        start = time.process_time()
        referrals = run(line.strip())
        print(json.dumps([time.process_time() - start, referrals]), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("checkouts", nargs="*", type=Path, help="folders holding a checkout")
    parser.add_argument("--runs", default="troubled,pop", help="comma-separated: troubled, pop")
    parser.add_argument("--las", default=DEFAULT_LAS, help="LAs of the pop run (codes or names)")
    parser.add_argument("--pairs", type=int, default=8, help="rounds (each checkout once a run)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    las = args.las.split(",")
    if args.child:
        _child(args.child, las)
        return 0
    kinds = args.runs.split(",")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    me = str(Path(__file__).resolve())
    children = [
        subprocess.Popen(
            [sys.executable, me, "--child", str(c.resolve()), "--las", args.las],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=c,
        )
        for c in args.checkouts
    ]

    def ask(k: int, kind: str) -> Any:
        child = children[k]
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(kind + "\n")
        child.stdin.flush()
        return json.loads(child.stdout.readline())

    referrals = {(k, kind): ask(k, kind)[1] for k in range(len(children)) for kind in kinds}
    times: dict[tuple[int, str], list[float]] = {key: [] for key in referrals}
    for i in range(args.pairs):
        for kind in kinds:
            order = list(range(len(children)))
            for k in order[i % len(order) :] + order[: i % len(order)]:
                seconds, n = ask(k, kind)
                times[(k, kind)].append(seconds / n * 1e6)
    for child in children:
        child.terminate()
    for k, checkout in enumerate(args.checkouts):
        cells = []
        for kind in kinds:
            ratios = [b / a for a, b in zip(times[(0, kind)], times[(k, kind)])]
            cells.append(
                f"{kind}: min {min(times[(k, kind)]):.2f} us/referral "
                f"({referrals[(k, kind)]:,} referrals), paired {statistics.median(ratios):.3f} "
                f"[{min(ratios):.3f}-{max(ratios):.3f}]"
            )
        print(f"{str(checkout):>24s} | " + " | ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
