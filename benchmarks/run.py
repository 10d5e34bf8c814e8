"""Performance benchmark of the model (DESIGN §7, issue 6).

Usage::

    python -m benchmarks.run            # full run, writes benchmarks/results.md (~15 minutes)
    python -m benchmarks.run --quick    # smoke test (~1 minute), writes to the temp folder
    python -m benchmarks.run --full-sweep   # also runs the 12 x 100 headline sweep in full

(``python benchmarks/run.py`` works too.) Everything is measured in one process and one run, so
that machine noise affects the model and its yardstick alike; each section is a module of
``benchmarks/sections`` (``benchmarks/README.md`` says what each measures):

1. ``floor``: one 10-year baseline replication against an idiomatic bare-SimPy M/M/c queue with
   the same number of arrivals (the engine's floor), medians of interleaved repeats;
2. ``scaling``: how the cost grows with work: referrals per year (establishment scaled alike) and
   horizon;
3. ``parallel``: the speed-up of 2 worker processes over 1 (``sim.run``, process executor);
4. ``memory``: peak memory of one replication and of a long sweep streamed to disk;
5. ``headline``: the headline sweep (12 arms x 100 replications x 10 years), measured on a subset
   and extrapolated (or run in full with ``--full-sweep``);
6. ``blocks``: the gain of drawing variates in blocks (the model with block draws replaced by one
   numpy call per variate, by monkeypatching).

Single-core timings must not overlap other heavy work on the machine: run nothing else.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import RESULTS, Config, Report, fmt, ok_mark, table  # noqa: E402
from benchmarks.machine import load_average, machine, wait_until_idle  # noqa: E402
from benchmarks.sections import blocks, floor, headline, memory, parallel, scaling  # noqa: E402

SECTIONS: dict[str, Callable[[Config, Report], None]] = {
    "floor": floor.run,
    "scaling": scaling.run,
    "parallel": parallel.run,
    "memory": memory.run,
    "headline": headline.run,
    "blocks": blocks.run,
}


def summary_table(report: Report) -> str:
    """The verdicts as a markdown table."""
    return table(
        ["measure", "result", "target", "met"],
        [[w, m, t, ok_mark(ok)] for w, m, t, ok in report.verdicts],
    )


def render(report: Report, cfg: Config, seconds: float) -> str:
    """``results.md``: machine, summary, the sections, and the load before and after each."""
    lines = ["# Benchmark results", ""]
    lines.append(
        f"Written by `python -m benchmarks.run{' --quick' if cfg.quick else ''}"
        f"{' --full-sweep' if cfg.full_sweep else ''}` in one process and one run "
        f"({seconds / 60:.1f} minutes). See `benchmarks/README.md` for what is measured and the profile."
    )
    lines += [
        "",
        "## Machine",
        "",
        table(["", ""], [[k, v] for k, v in report.machine.items()]).replace(
            "|---:|---:|", "|---|---|"
        ),
        "",
    ]
    lines += ["## Summary", "", summary_table(report), ""]
    lines += report.sections
    lines += [
        "## Conditions",
        "",
        "Load averages (1, 5, 15 min) of the machine before and after each section: "
        "other processes running at the same time slow the wall-clock figures (sections 3 and 5 most).",
        "",
        table(["section", "load before", "load after", "wall s"], report.conditions),
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


def parse_args(argv: list[str] | None) -> tuple[argparse.Namespace, list[str]]:
    """The options, and the sections chosen (in report order)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="reduced version for smoke-testing (~1 minute)"
    )
    parser.add_argument(
        "--full-sweep", action="store_true", help="also run the 12 x 100 headline sweep in full"
    )
    parser.add_argument(
        "--only", default="", help=f"comma-separated sections: {', '.join(SECTIONS)}"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="markdown file to write, with the raw figures beside it as .json (default: "
        "benchmarks/results.md; with --quick or --only: the temp folder)",
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="MINUTES",
        help="first wait (at most MINUTES) for the 1-minute load average to fall below 0.6",
    )
    args = parser.parse_args(argv)
    wanted = {s.strip() for s in args.only.split(",") if s.strip()} or set(SECTIONS)
    unknown = wanted - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    return args, [name for name in SECTIONS if name in wanted]


def main(argv: list[str] | None = None) -> int:
    args, chosen = parse_args(argv)
    cfg = Config.make(args.quick, args.full_sweep)
    if args.wait_idle > 0:
        wait_until_idle(args.wait_idle)
    report = Report(machine=machine())
    print(table(["", ""], [[k, v] for k, v in report.machine.items()]), flush=True)
    start = time.perf_counter()
    for name in chosen:
        before, clock = load_average(), time.perf_counter()
        SECTIONS[name](cfg, report)
        report.conditions.append(
            [name, before, load_average(), fmt(time.perf_counter() - clock, 0)]
        )
    seconds = time.perf_counter() - start
    text = render(report, cfg, seconds)
    partial = cfg.quick or bool(args.only)
    out = args.out or (Path(tempfile.gettempdir()) / "csc-sim-benchmark.md" if partial else RESULTS)
    out.write_text(text, encoding="utf-8")
    out.with_suffix(".json").write_text(
        json.dumps(report.raw, indent=1, default=str) + "\n", encoding="utf-8"
    )
    print("\n" + summary_table(report))
    print(f"\nwrote {out} ({seconds / 60:.1f} minutes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
