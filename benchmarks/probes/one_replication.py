"""Probe: peak memory of one replication in a fresh process.

Usage: ``python -m benchmarks.probes.one_replication SCENARIO SEED``; prints the peak RSS before
and after the run, its referrals and ``ru_maxrss``, as JSON.
"""

from __future__ import annotations

import argparse
import json
import resource

from benchmarks.probes.procfs import hwm_kb


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("seed", type=int)
    args = parser.parse_args(argv)
    import sim
    from sim.model import simulate

    scenario = sim.load_scenario(args.scenario)
    before = hwm_kb()
    out = simulate(scenario, args.seed, 0)
    print(
        json.dumps(
            {
                "before_kb": before,
                "after_kb": hwm_kb(),
                "n_referrals": out.n_referrals,
                "ru_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )


if __name__ == "__main__":
    main()
