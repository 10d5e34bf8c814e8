"""Paired timing of two or more checkouts of the model: is a change faster, and by how much?

Usage::

    git worktree add /tmp/before HEAD~1        # or any folder holding a checkout
    python -m benchmarks.paired /tmp/before . --sizes 1000,5000 --pairs 10
    python -m benchmarks.paired /tmp/before . --sizes 3400 --floor   # the floor ratio too

One long-lived child process per checkout (``benchmarks.probes.paired_replication``) imports
that checkout's ``sim`` and simulates one replication of the baseline scaled to each size (the
scaling section's scenarios) whenever the parent asks. The parent asks the checkouts in turn,
one replication at a time and in a rotating order, so a slow spell of this shared machine (its
speed drifts by 10-25% over minutes) hits every checkout alike. It prints, for each checkout and
size, the minimum CPU time per referral and the median over pairs of its ratio to the first
checkout's time in the same round: the paired ratio, which resolves differences of about 1%
where separate runs resolve 5%. With ``--floor`` a further child times the bare SimPy queue of
section 1 (same number of arrivals as the first checkout's referrals, same rate) in every round,
and each checkout's **floor ratio** (model / bare queue, median over rounds) is printed too;
at size 3,400 (the baseline itself) that is section 1's headline ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, SEED, load, volume_overrides  # noqa: E402

PROBE = "benchmarks.probes.paired_replication"
FLOOR = "bare SimPy floor"


def _start(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-m", PROBE, "--seed", str(SEED), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("checkouts", nargs="+", type=Path, help="folders holding a checkout")
    parser.add_argument("--sizes", default="1000,5000", help="referrals a year, comma-separated")
    parser.add_argument("--pairs", type=int, default=10, help="rounds (each checkout once a size)")
    parser.add_argument("--floor", action="store_true", help="also time the bare SimPy floor")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    overrides = {size: volume_overrides(size) for size in sizes}
    base = load()
    years = base.horizon_years + base.warmup_years
    children = [_start("--root", str(c.resolve())) for c in args.checkouts]
    if args.floor:
        children.append(_start("--bare"))
    arrivals: dict[int, int] = {}

    def cpu_seconds(k: int, size: int) -> tuple[float, int]:
        child = children[k]
        assert child.stdin is not None and child.stdout is not None
        request = [size, overrides[size], arrivals.get(size, 0), years]
        child.stdin.write(json.dumps(request) + "\n")
        child.stdin.flush()
        seconds, referrals = json.loads(child.stdout.readline())
        return float(seconds), int(referrals)

    for k in range(len(args.checkouts)):  # warm up: imports, caches
        for size in sizes:
            _, referrals = cpu_seconds(k, size)
            arrivals.setdefault(size, referrals)  # the floor serves the first checkout's work
    if args.floor:
        for size in sizes:
            cpu_seconds(len(children) - 1, size)
    times: dict[tuple[int, int], list[float]] = {
        (k, size): [] for k in range(len(children)) for size in sizes
    }
    for i in range(args.pairs):
        for size in sizes:
            order = list(range(len(children)))
            order = order[i % len(order) :] + order[: i % len(order)]
            for k in order:
                seconds, referrals = cpu_seconds(k, size)
                # µs per referral (per arrival for the floor, which has as many)
                times[(k, size)].append(seconds / referrals * 1e6)
    for child in children:
        child.terminate()
    labels = [str(c) for c in args.checkouts] + ([FLOOR] if args.floor else [])
    for k, label in enumerate(labels):
        cells = []
        for size in sizes:
            ratios = [b / a for a, b in zip(times[(0, size)], times[(k, size)])]
            cell = f"{size:,}: min {min(times[(k, size)]):.2f} us, paired {statistics.median(ratios):.3f}"
            if args.floor and k < len(args.checkouts):
                floor = [m / f for m, f in zip(times[(k, size)], times[(len(children) - 1, size)])]
                cell += f", x floor {statistics.median(floor):.2f}"
            cells.append(cell)
        mins = [min(times[(k, size)]) for size in sizes]
        cells.append(f"first size / cheapest {mins[0] / min(mins):.3f}")
        print(f"{label:>24s} | " + " | ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
