"""Cost per referral of a population run against a single-LA run, in one process (issue 14).

Ratios are taken within rounds, alternating the runs, so the machine's drift between rounds
cancels (as ``flatness.py`` does), and each run is timed in CPU time of this process
(``time.process_time``: the runs are single-threaded), so other work on a shared machine does not
count against it. The comparison is per referral simulated: every run covers the same months
(the population's start to end, after the same warm-up), and the single LA is the baseline
reference at the median LA's size, so the LAs' mix of sizes (a small LA costs more per
referral: its weekly update is spread over fewer referrals) shows in ``uncoupled``, and the cost
of the coupling itself is ``coupled / uncoupled``. A round times:

* ``single``: the median LA (the baseline reference) alone, over the population's length;
* ``uncoupled``: ``--las`` LAs of the table, each on its own environment (as one task per LA);
* ``coupled``: the same LAs on one national clock with a finite pool (``--teams`` teams).

``--record`` writes the figures into ``benchmarks/results.md`` (its section "Population runs",
replaced in place).

Peak memory of a coupled run of every LA is measured in a fresh process (``--memory``):
``resource.getrusage`` maximum resident set size.

The speed-up of an uncoupled population run on 2 workers over 1 (``--speedup``): the back-cast
of ``--las`` LAs (every k-th of the table), one replication, through ``sim.run`` on the process
pool (a results folder in a temporary directory, no report), 1 and 2 workers alternately ``--rounds`` times;
wall time, shortest of each. ``--record`` writes it to its own section of ``results.md``.

Usage::

    python benchmarks/national.py --las 12 --rounds 3
    python benchmarks/national.py --memory          # all LAs coupled, one replication
    python benchmarks/national.py --speedup --las 24 --rounds 2 --record
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sim.model.national import LASpec, simulate_population  # noqa: E402
from sim.model.simulation import simulate  # noqa: E402
from sim.scenario.loader import load_scenario  # noqa: E402
from sim.scenario.population_scenarios import population_las, single_la_base  # noqa: E402

ENGLAND = REPO / "scenarios" / "england" / "england.yaml"


def _specs(n: int | None, teams: int | None) -> tuple[list[LASpec], object]:
    scenario = load_scenario(ENGLAND, overrides={"population.pool.teams": teams})
    las = population_las(scenario, str(ENGLAND))
    if n is not None:  # an even spread over sizes: every k-th LA of the table
        step = max(1, len(las) // n)
        las = las[::step][:n]
    return [LASpec(c, name, s) for c, name, s in las], scenario


RESULTS_MD = REPO / "benchmarks" / "results.md"
SECTION = "## Population runs (benchmarks/national.py)"
CONDITIONS = "## Conditions"  # the last section of results.md (benchmarks/run.py)
SPEEDUP_SECTION = "## Population runs on 2 workers against 1 (benchmarks/national.py --speedup)"


def _us_per_referral(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    referrals = fn()
    return 1e6 * (time.process_time() - start) / referrals


def record(lines: list[str], section: str = SECTION) -> None:
    """Replace (or append) ``section`` (a heading) of ``benchmarks/results.md``."""
    text = RESULTS_MD.read_text(encoding="utf-8")
    if section not in text and CONDITIONS in text:  # a new section goes before the conditions
        text = text.replace(CONDITIONS, f"{section}\n\n{CONDITIONS}", 1)
    head, found, tail = text.partition(section)
    rest = tail.split("\n## ", 1)
    after = "\n## " + rest[1] if found and len(rest) == 2 else ""
    body = "\n".join([section, "", *lines, ""])
    RESULTS_MD.write_text(head.rstrip("\n") + "\n\n" + body + after, encoding="utf-8")


def timing(n_las: int, rounds: int, teams: int, write: bool = False) -> None:
    """Print µs per referral of the three runs and their ratios to the single LA, per round."""
    uncoupled, population = _specs(n_las, None)
    coupled, coupled_population = _specs(n_las, teams)
    single = single_la_base(population)  # type: ignore[arg-type]

    def run_single() -> int:
        return simulate(single, 1, 0).n_referrals

    def run_uncoupled() -> int:
        return sum(
            simulate_population([s], population.population, 1, 0).n_referrals  # type: ignore[attr-defined]
            for s in uncoupled
        )

    def run_coupled() -> int:
        return simulate_population(coupled, coupled_population.population, 1, 0).n_referrals  # type: ignore[attr-defined]

    ratios: dict[str, list[float]] = {"uncoupled": [], "coupled": [], "coupled/uncoupled": []}
    rows = []
    for r in range(rounds):
        base = _us_per_referral(run_single)
        u = _us_per_referral(run_uncoupled)
        c = _us_per_referral(run_coupled)
        ratios["uncoupled"].append(u / base)
        ratios["coupled"].append(c / base)
        ratios["coupled/uncoupled"].append(c / u)
        row = (
            f"round {r + 1}: single {base:.2f} µs/referral; {n_las} LAs uncoupled {u:.2f} "
            f"({u / base:.2f}x); coupled, {teams} teams {c:.2f} ({c / base:.2f}x)"
        )
        rows.append(row)
        print(row, flush=True)
    summary = []
    for name, values in ratios.items():
        summary.append(
            f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} |"
        )
        print(summary[-1])
    if write:
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        record(
            [
                f"`python benchmarks/national.py --las {n_las} --rounds {rounds} --teams {teams} "
                f"--record` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load "
                f"average after the run {load}); CPU µs per referral over the same months "
                "(the population's start to end after the warm-up), ratios within rounds. "
                f"Single: the median LA alone; uncoupled: {n_las} LAs of the table (every k-th) "
                f"each on its own clock; coupled: the same LAs on one national clock with a pool "
                f"of {teams} teams (sim/model/lockstep.py).",
                "",
                "| ratio (CPU per referral) | median | min | max |",
                "|---:|---:|---:|---:|",
                *summary,
                "",
                *[f"- {row}" for row in rows],
            ]
        )


def memory(teams: int) -> None:
    """Run every LA coupled in this process; print wall time, referrals and peak RSS."""
    specs, scenario = _specs(None, teams)
    start = time.perf_counter()
    out = simulate_population(specs, scenario.population, 1, 0)  # type: ignore[attr-defined]
    wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"coupled run of {len(specs)} LAs, {teams} pool teams: {wall:.1f} s, "
        f"{out.n_referrals:,} referrals ({1e6 * wall / out.n_referrals:.2f} µs/referral), "
        f"peak RSS {peak_mb:.0f} MB"
    )


def speedup(n_las: int, rounds: int, write: bool = False) -> None:
    """Wall time of an uncoupled back-cast of ``n_las`` LAs on 1 and on 2 workers."""
    import tempfile

    import sim

    _, scenario = _specs(None, None)
    codes = [code for code, _name, _s in population_las(scenario, str(ENGLAND))]
    step = max(1, len(codes) // n_las)
    chosen = codes[::step][:n_las]
    overrides: dict[str, object] = {"population.las": chosen}
    walls: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(rounds):
        for workers in (1, 2):
            with tempfile.TemporaryDirectory() as folder:
                start = time.perf_counter()
                sim.run(ENGLAND, replications=1, workers=workers, executor="process",
                        out=Path(folder) / "run", report=False, progress=False,
                        overrides=overrides)  # fmt: skip
                walls[workers].append(time.perf_counter() - start)
            print(f"{workers} worker(s): {walls[workers][-1]:.1f} s", flush=True)
    one, two = min(walls[1]), min(walls[2])
    line = (
        f"| {n_las} LAs (every {step}th of the table), back-cast, 1 replication | {one:.1f} | "
        f"{two:.1f} | **{one / two:.2f}x** |"
    )
    print(line)
    if write:
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        record(
            [
                f"`python benchmarks/national.py --speedup --las {n_las} --rounds {rounds} "
                f"--record` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
                f"after the run {load}): `sim.run` of `scenarios/england/england.yaml` (October "
                "2017 to March 2025 after the warm-up) with `population.las` set, no pool (each LA "
                "its own task), process pool, results folder in a temporary directory, no report; 1 and 2 workers "
                f"alternately, {rounds} times each, the shortest wall time of each (target: "
                "2 workers at least 1.8x faster than 1).",
                "",
                "| run | 1 worker, s | 2 workers, s | speed-up |",
                "|---:|---:|---:|---:|",
                line,
                "",
                "All wall times: 1 worker "
                + ", ".join(f"{w:.1f}" for w in walls[1])
                + " s; 2 workers "
                + ", ".join(f"{w:.1f}" for w in walls[2])
                + " s.",
            ],
            SPEEDUP_SECTION,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--las", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--speedup", action="store_true", help="2 workers against 1, uncoupled")
    parser.add_argument("--record", action="store_true", help="write benchmarks/results.md")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory and not args.in_process:
        cmd = [sys.executable, __file__, "--memory", "--in-process", "--teams", str(args.teams)]
        subprocess.run(cmd, check=True)
    elif args.memory:
        memory(args.teams)
    elif args.speedup:
        speedup(args.las, args.rounds, write=args.record)
    else:
        timing(args.las, args.rounds, args.teams, write=args.record)


if __name__ == "__main__":
    main()
