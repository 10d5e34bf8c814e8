"""Profile baseline replications: where the time of one replication goes.

Usage::

    python benchmarks/profile_model.py [--replications N] [--top K] [--no-py-spy]

Two views, because they disagree in instructive ways:

* **py-spy** (a sampling profiler, ``pip install py-spy``; not a project dependency) runs the
  replications in a child process and samples its stack 500 times a second. It barely slows the
  program, so its percentages are the trustworthy ones. Self time is charged to the innermost
  Python frame (time in C code such as numpy or heapq is charged to the Python line calling it).
* **cProfile** counts every call, which makes cheap, frequently called functions look more
  expensive than they are (it adds ~1 µs per call), but gives exact call counts.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "reference" / "baseline.yaml"
SEED = 20261129
FRAME = re.compile(r"^(?P<func>.*) \((?P<file>.*?):(?P<line>\d+)\)$")

CHILD = """
import sim
from sim.model import simulate
scenario = sim.load_scenario({path!r})
for replication in range({n}):
    simulate(scenario, {seed}, replication)
"""


def _short(path: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def py_spy(replications: int, top: int) -> str | None:
    """Sample ``replications`` baseline replications with py-spy; a text report, or None."""
    exe = shutil.which("py-spy")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="csc-profile-") as tmp:
        raw = Path(tmp) / "raw.txt"
        code = CHILD.format(path=str(BASELINE), n=replications, seed=SEED)
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        done = subprocess.run(
            [
                exe,
                "record",
                "-r",
                "500",
                "-f",
                "raw",
                "-o",
                str(raw),
                "--",
                sys.executable,
                "-c",
                code,
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        if done.returncode != 0 or not raw.exists():
            return f"py-spy failed: {done.stderr.strip()[-500:]}"
        lines = raw.read_text().splitlines()
    total = 0
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    hot_lines: collections.Counter[str] = collections.Counter()
    for line in lines:
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not any(f.startswith("simulate (") for f in frames):
            continue  # imports and scenario loading
        n = int(count)
        total += n
        names = []
        for frame in frames:
            m = FRAME.match(frame)
            names.append(f"{_short(m['file'])}:{m['func']}" if m else frame)
        own[names[-1]] += n
        m = FRAME.match(frames[-1])
        hot_lines[f"{_short(m['file'])}:{m['line']} ({m['func']})" if m else frames[-1]] += n
        for name in set(names):
            inclusive[name] += n
    if total == 0:
        return "py-spy recorded no samples inside simulate()"
    out = [f"py-spy: {total} samples inside simulate() over {replications} replications", ""]
    out.append("self %   function (innermost Python frame)")
    out += [f"{100 * v / total:6.1f}   {k}" for k, v in own.most_common(top)]
    out += ["", "incl %   function (time with everything it calls)"]
    out += [f"{100 * v / total:6.1f}   {k}" for k, v in inclusive.most_common(top + 5)]
    out += ["", "self %   line"]
    out += [f"{100 * v / total:6.1f}   {k}" for k, v in hot_lines.most_common(top)]
    return "\n".join(out)


def c_profile(top: int) -> str:
    """cProfile of one baseline replication (after one unprofiled warm-up run)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import sim
    from sim.model import simulate

    scenario = sim.load_scenario(BASELINE)
    simulate(scenario, SEED, 0)
    profiler = cProfile.Profile()
    profiler.enable()
    simulate(scenario, SEED, 0)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)  # type: ignore[attr-defined]
    out = [
        f"cProfile: one replication, {total:.2f} s under the profiler",
        "",
        "  tottime %    calls  function",
    ]
    for (file, line, func), (_, calls, tottime, _cum, _) in rows[:top]:
        out.append(f"  {100 * tottime / total:8.1f} {calls:8d}  {_short(file)}:{line}({func})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--replications", type=int, default=8, help="replications sampled by py-spy"
    )
    parser.add_argument("--top", type=int, default=20, help="rows per table")
    parser.add_argument("--no-py-spy", action="store_true", help="cProfile only")
    args = parser.parse_args(argv)
    if not args.no_py_spy:
        report = py_spy(args.replications, args.top)
        print(
            report
            if report is not None
            else "py-spy not installed (pip install py-spy); cProfile only"
        )
        print()
    print(c_profile(args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
