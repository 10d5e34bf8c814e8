"""Probe of ``benchmarks/paired.py``: a long-lived process timing one replication on request.

Usage: ``python -m benchmarks.probes.paired_replication --root CHECKOUT --seed SEED`` imports the
``sim`` of the checkout at CHECKOUT (put first on ``sys.path``); ``--bare`` instead times the
bare SimPy queue (``benchmarks.bare_simpy.mmc``) with as many arrivals as asked. Each line read
from stdin is a JSON request ``[size, overrides, arrivals, years]``; the answer, one JSON line,
is ``[cpu_seconds, referrals]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any


def _model(root: str, seed: int) -> Any:
    sys.path.insert(0, root)  # this checkout's sim, whatever else is on the path
    import sim
    from sim.model import simulate

    baseline = f"{root}/scenarios/reference/baseline.yaml"
    scenarios: dict[int, Any] = {}

    def replicate(size: int, overrides: dict[str, float], arrivals: int, years: float) -> int:
        if size not in scenarios:
            scenarios[size] = sim.load_scenario(baseline, overrides=overrides)
        return int(simulate(scenarios[size], seed, 0).n_referrals)

    return replicate


def _bare(seed: int) -> Any:
    from benchmarks.bare_simpy import mmc, rates_for
    from benchmarks.common import BARE_SERVERS, BARE_UTILISATION, DAYS_PER_YEAR

    def replicate(size: int, overrides: dict[str, float], arrivals: int, years: float) -> int:
        lam, mu = rates_for(arrivals / (years * DAYS_PER_YEAR), BARE_SERVERS, BARE_UTILISATION)
        return int(mmc(arrivals, BARE_SERVERS, lam, mu, seed=seed).n_arrivals)

    return replicate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--root", help="folder of the checkout whose model is timed")
    parser.add_argument("--bare", action="store_true", help="time the bare SimPy queue instead")
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args(argv)
    if args.bare == bool(args.root):
        parser.error("give either --root or --bare")
    replicate = _bare(args.seed) if args.bare else _model(args.root, args.seed)
    for line in sys.stdin:
        size, overrides, arrivals, years = json.loads(line)
        start = time.process_time()
        referrals = replicate(size, overrides, arrivals, years)
        print(json.dumps([time.process_time() - start, referrals]), flush=True)


if __name__ == "__main__":
    main()
