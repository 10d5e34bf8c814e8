"""Probe: peak memory of a long sweep streamed to disk, parent and every worker.

Usage: ``python -m benchmarks.probes.sweep_memory SCENARIO --horizon YEARS --replications N
--seed SEED --out FOLDER``; runs ``sim.run(..., workers=2, executor="process", out=FOLDER)``
while a thread polls the peak RSS and PSS of every descendant every 0.25 s, and prints them
with the parent's own figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.probes.procfs import descendants, hwm_kb, pss_kb

#: Seconds between two polls of the descendants' memory.
POLL_S = 0.25
#: Command lines of multiprocessing's helper processes (not workers). The module names are
#: joined at run time so this file's own command line never matches them.
HELPER_MODULES = (b"resource_tracker", b"forkserver")


def _kind(cmd: bytes) -> str:
    helper = any(b"multiprocessing." + name + b" import main" in cmd for name in HELPER_MODULES)
    return "helper" if helper else "worker"


def poll(peaks: dict[int, dict[str, Any]], stop: threading.Event) -> None:
    """Record the peak RSS and PSS of every descendant until ``stop`` is set."""
    me = os.getpid()
    while not stop.is_set():
        for pid in descendants(me):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
                hwm, pss = hwm_kb(pid), pss_kb(pid)
            except OSError:
                continue
            old = peaks.get(pid, {"hwm_kb": 0, "pss_kb": 0})
            peaks[pid] = {
                "kind": _kind(cmd),
                "hwm_kb": max(hwm, old["hwm_kb"]),
                "pss_kb": max(pss, old["pss_kb"]),
            }
        stop.wait(POLL_S)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("--horizon", type=float, required=True)
    parser.add_argument("--replications", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    import sim

    scenario = sim.load_scenario(args.scenario, overrides={"horizon_years": args.horizon})
    imported_kb = hwm_kb()
    peaks: dict[int, dict[str, Any]] = {}
    stop = threading.Event()
    thread = threading.Thread(target=poll, args=(peaks, stop), daemon=True)
    thread.start()
    start = time.perf_counter()
    results = sim.run(
        scenario,
        replications=args.replications,
        seed=args.seed,
        workers=2,
        executor="process",
        out=args.out,
        progress=False,
        report=False,
    )
    wall = time.perf_counter() - start
    stop.set()
    thread.join()
    size = sum(p.stat().st_size for p in Path(args.out).rglob("*") if p.is_file())
    print(
        json.dumps(
            {
                "wall_s": wall,
                "self_kb": hwm_kb(),
                "imported_kb": imported_kb,
                "self_ru_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                "peaks": list(peaks.values()),
                "start_method": results.manifest.get("start_method"),
                "bytes": size,
            }
        )
    )


if __name__ == "__main__":
    main()
