"""Paired timing of two or more checkouts of the model: is a change faster, and by how much?

Usage::

    git worktree add /tmp/before HEAD~1        # or any folder holding a checkout
    python benchmarks/paired.py /tmp/before . --sizes 1000,5000 --pairs 10

One long-lived child process per checkout imports that checkout's ``sim`` and simulates one
replication of the baseline scaled to each size (the scaling section's scenarios) whenever the
parent asks. The parent asks the checkouts in turn, one replication at a time and in a rotating
order, so a slow spell of this shared machine (its speed drifts by 10-25% over minutes) hits
every checkout alike. It prints, for each checkout and size, the minimum CPU time per referral
and the median over pairs of its ratio to the first checkout's time in the same round: the
paired ratio, which resolves differences of about 1% where separate runs resolve 5%.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from run import SEED, volume_overrides  # the scaling section's seed and scenarios

CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
import sim
from sim.model import simulate
baseline = {root!r} + "/scenarios/reference/baseline.yaml"
scenarios = {{}}
for line in sys.stdin:
    size, overrides = json.loads(line)
    if size not in scenarios:
        scenarios[size] = sim.load_scenario(baseline, overrides=overrides)
    start = time.process_time()
    out = simulate(scenarios[size], {seed}, 0)
    print(json.dumps([time.process_time() - start, out.n_referrals]), flush=True)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="+", type=Path, help="folders holding a checkout")
    parser.add_argument("--sizes", default="1000,5000", help="referrals a year, comma-separated")
    parser.add_argument("--pairs", type=int, default=10, help="rounds (each checkout once a size)")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    overrides = {size: volume_overrides(size) for size in sizes}
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD.format(root=str(c.resolve()), seed=SEED),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for c in args.checkouts
    ]

    def us_per_referral(k: int, size: int) -> float:
        child = children[k]
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(json.dumps([size, overrides[size]]) + "\n")
        child.stdin.flush()
        seconds, referrals = json.loads(child.stdout.readline())
        return float(seconds) / referrals * 1e6

    for k in range(len(children)):  # warm up: imports, caches
        for size in sizes:
            us_per_referral(k, size)
    times: dict[tuple[int, int], list[float]] = {
        (k, size): [] for k in range(len(children)) for size in sizes
    }
    for i in range(args.pairs):
        for size in sizes:
            order = list(range(len(children)))
            order = order[i % len(order) :] + order[: i % len(order)]
            for k in order:
                times[(k, size)].append(us_per_referral(k, size))
    for child in children:
        child.terminate()
    for k, checkout in enumerate(args.checkouts):
        cells = []
        for size in sizes:
            ratios = [b / a for a, b in zip(times[(0, size)], times[(k, size)])]
            cells.append(
                f"{size:,}: min {min(times[(k, size)]):.2f} us, paired {statistics.median(ratios):.3f}"
            )
        mins = [min(times[(k, size)]) for size in sizes]
        cells.append(f"first size / cheapest {mins[0] / min(mins):.3f}")
        print(f"{str(checkout):>24s} | " + " | ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
