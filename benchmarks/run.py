"""Performance benchmark of the model (DESIGN §7, issue 6).

Usage::

    python benchmarks/run.py            # full run, writes benchmarks/results.md (~15 minutes)
    python benchmarks/run.py --quick    # smoke test (~1 minute), writes to the temp folder
    python benchmarks/run.py --full-sweep   # also runs the 12 x 100 headline sweep in full

Everything is measured in one process and one run, so that machine noise affects the model and
its yardstick alike:

1. one 10-year baseline replication against an idiomatic bare-SimPy M/M/c queue with the same
   number of arrivals (the engine's floor), medians of interleaved repeats;
2. how the cost grows with work: referrals per year (establishment scaled alike) and horizon;
3. the speed-up of 2 worker processes over 1 (``sim.run``, process executor);
4. peak memory of one replication and of a long sweep streamed to disk;
5. the headline sweep (12 arms x 100 replications x 10 years), measured on a subset and
   extrapolated (or run in full with ``--full-sweep``);
6. the gain of drawing variates in blocks (the model with block draws replaced by one numpy
   call per variate, by monkeypatching).

Single-core timings must not overlap other heavy work on the machine: run nothing else.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import simpy  # noqa: E402

import sim  # noqa: E402
from benchmarks.bare_simpy import mmc, mmc_callbacks, rates_for  # noqa: E402
from benchmarks.flatness import flatness, relative_costs  # noqa: E402
from sim.model import simulate  # noqa: E402

BASELINE = ROOT / "scenarios" / "reference" / "baseline.yaml"
HEADLINE = ROOT / "scenarios" / "experiments" / "intervention_length_x_leadership.yaml"
RESULTS = ROOT / "benchmarks" / "results.md"
SEED = 20261129
#: Total referrals a year (with re-referrals) of the baseline's first-time referrals (2,650) and
#: establishment (130 posts): the scaling runs scale both by R / 3,400, keeping caseloads.
DEFAULT_TOTAL_REFERRALS = 3400.0
#: Arrivals of the bare queue timed alongside the scaling runs as a yardstick of machine speed.
YARDSTICK_ARRIVALS = 20_000
YARDSTICK = "bare SimPy yardstick"
#: Bare M/M/c: servers and utilisation.
BARE_SERVERS = 10
BARE_UTILISATION = 0.8
HEADLINE_ARMS = 12
HEADLINE_REPLICATIONS = 100

TARGET_RATIO = 3.0
AIM_RATIO = 2.0
#: Issue 6: "cost per referral flat within +-20%": every size's cost within 20% of the median
#: size's (``benchmarks/flatness.py``). Until session 5 the benchmark also held max/min to 1.20,
#: a band of +-9% about the middle of the range that the issue does not ask for; max/min is still
#: reported.
TARGET_DEVIATION = 0.20
TARGET_SPEEDUP = 1.8
TARGET_MEMORY_MB = 200.0


@dataclass(frozen=True)
class Config:
    """How much work each section does."""

    quick: bool
    repeats: int
    scale_referrals: tuple[int, ...]
    scale_horizons: tuple[float, ...]
    scale_repeats: int
    parallel_replications: int
    parallel_repeats: int
    sweep_replications: int
    sweep_horizon_years: float
    headline_replications: int
    full_sweep: bool
    ablation_repeats: int

    @classmethod
    def make(cls, quick: bool, full_sweep: bool) -> Config:
        if quick:
            return cls(True, 3, (1000, 5000), (5.0, 10.0), 2, 8, 1, 100, 1.0, 1, False, 1)
        return cls(
            False,
            7,
            (1000, 2000, 3400, 5000, 10000, 20000),
            (5.0, 10.0, 20.0, 40.0),
            7,
            48,
            2,
            2000,
            2.0,
            8,
            full_sweep,
            5,
        )


@dataclass
class Report:
    """Sections of the report, as markdown, and a one-line verdict per target."""

    machine: dict[str, str] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)
    verdicts: list[tuple[str, str, str, bool | None]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    conditions: list[list[str]] = field(default_factory=list)

    def add(self, title: str, body: str) -> None:
        text = f"## {title}\n\n{body.strip()}\n"
        self.sections.append(text)
        print("\n" + text, flush=True)

    def verdict(self, what: str, measured: str, target: str, ok: bool | None) -> None:
        self.verdicts.append((what, measured, target, ok))


# --- helpers -----------------------------------------------------------------------------------
def table(header: list[str], rows: list[list[str]]) -> str:
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


@dataclass
class Timing:
    """Repeated timings of one piece of work: wall and CPU seconds of this process.

    Single-core figures use CPU time (``time.process_time``): on a shared machine it does not
    bill the time other processes hold the core, while wall time does. Both are reported.
    """

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    value: Any = None

    @property
    def t(self) -> float:
        """Median CPU seconds."""
        return statistics.median(self.cpu)

    @property
    def t_wall(self) -> float:
        """Median wall seconds."""
        return statistics.median(self.wall)


def timed(fn: Callable[[], Any], timing: Timing | None = None) -> Timing:
    """Time one call (garbage collected first, so earlier garbage is not billed)."""
    timing = timing or Timing()
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    timing.value = fn()
    timing.wall.append(time.perf_counter() - wall)
    timing.cpu.append(time.process_time() - cpu)
    return timing


def interleaved(fns: dict[str, Callable[[], Any]], repeats: int) -> dict[str, Timing]:
    """Run each function ``repeats`` times, alternating between them, so drift hits all alike."""
    timings = {name: Timing() for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            timed(fn, timings[name])
    return timings


def load_average() -> str:
    """The 1, 5 and 15-minute load averages."""
    return " ".join(_read("/proc/loadavg").split()[:3]) or "n/a"


def wait_until_idle(minutes: float, threshold: float = 0.6) -> None:
    """Wait (at most ``minutes``) until the 1-minute load average is below ``threshold``."""
    deadline = time.monotonic() + 60.0 * minutes
    while time.monotonic() < deadline:
        one = float((_read("/proc/loadavg").split() or ["0"])[0])
        if one < threshold:
            return
        print(f"waiting for an idle machine: load average {load_average()}", flush=True)
        time.sleep(15)


def fmt(x: float, digits: int = 2) -> str:
    return f"{x:,.{digits}f}"


def ok_mark(ok: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "-"}[ok]


def load(overrides: dict[str, Any] | None = None) -> Any:
    return sim.load_scenario(BASELINE, overrides=overrides or {})


def volume_overrides(referrals: float) -> dict[str, float]:
    """Overrides scaling the baseline to ``referrals`` a year: first-time referrals and
    establishment both in proportion, so caseloads stay realistic."""
    base = load()
    factor = referrals / DEFAULT_TOTAL_REFERRALS
    return {
        "demand.first_referrals_per_year": round(base.demand.first_referrals_per_year * factor, 1),
        "workforce.establishment_fte": round(base.workforce.establishment_fte * factor, 1),
    }


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
        return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict[str, str]:
    """Description of this machine and software."""
    cpuinfo = _read("/proc/cpuinfo")
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mhz = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("cpu MHz")
        ),
        "",
    )
    mem = next(
        (
            line.split()[1]
            for line in _read("/proc/meminfo").splitlines()
            if line.startswith("MemTotal")
        ),
        "",
    )
    import pandas
    import pyarrow

    commit = _git("rev-parse", "HEAD")
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "CPU": model + (f" ({float(mhz):.0f} MHz)" if mhz else ""),
        "Cores (logical)": str(os.cpu_count()),
        "Memory": f"{int(mem) / 1024**2:.1f} GiB" if mem else "unknown",
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "numpy / simpy / pandas / pyarrow": f"{np.__version__} / {simpy.__version__} / {pandas.__version__} / "
        f"{pyarrow.__version__}",
        "csc-sim": sim.__version__,
        "Date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "Git commit": (commit[:12] + (" (working tree has uncommitted changes)" if dirty else ""))
        if commit
        else "unknown",
    }


def run_child(code: str, timeout: float = 3600) -> dict[str, Any]:
    """Run Python ``code`` in a fresh interpreter; it must print one JSON object last."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- 1. model against bare SimPy -------------------------------------------------------------
def section_floor(cfg: Config, report: Report) -> None:
    scenario = load()
    years = scenario.horizon_years + scenario.warmup_years
    probe = simulate(scenario, SEED, 0)  # warms caches and fixes the work to match
    n = probe.n_referrals
    lam, mu = rates_for(n / (years * 365.25), BARE_SERVERS, BARE_UTILISATION)
    mmc(n, BARE_SERVERS, lam, mu, seed=SEED)
    results = interleaved(
        {
            "model": lambda: simulate(scenario, SEED, 0),
            "bare": lambda: mmc(n, BARE_SERVERS, lam, mu, seed=SEED),
            "callbacks": lambda: mmc_callbacks(n, BARE_SERVERS, lam, mu, seed=SEED),
        },
        cfg.repeats,
    )
    model, bare_t, cb_t = results["model"], results["bare"], results["callbacks"]
    out, bare, cb = model.value, bare_t.value, cb_t.value
    ratio = model.t / bare_t.t
    ratio_wall = model.t_wall / bare_t.t_wall
    report.raw["floor"] = {
        name: {"cpu": t.cpu, "wall": t.wall, "events": t.value.n_events}
        for name, t in results.items()
    } | {"n_referrals": n}
    report.raw["t_replication"] = model.t
    report.raw["t_replication_wall"] = model.t_wall

    def row(label: str, yrs: str, t: Timing) -> list[str]:
        events = t.value.n_events
        return [
            label,
            yrs,
            fmt(n, 0),
            fmt(events, 0),
            fmt(t.t, 3),
            fmt(min(t.cpu), 3),
            fmt(t.t_wall, 3),
            fmt(events / t.t / 1e3, 0),
            fmt(t.t / n * 1e6, 1),
            fmt(t.t / bare_t.t, 2),
        ]

    rows = [
        row("model: baseline replication", f"{years:g}", model),
        row(f"bare SimPy M/M/{BARE_SERVERS} (idiomatic: the floor)", "-", bare_t),
        row(f"bare SimPy M/M/{BARE_SERVERS}, callback style", "-", cb_t),
    ]
    header = [
        "run",
        "years",
        "referrals / arrivals",
        "events",
        "median CPU s",
        "min CPU s",
        "median wall s",
        "k events/s",
        "us per referral",
        "x floor",
    ]
    body = table(header, rows)
    body += (
        f"\n\n**Ratio model / bare SimPy: {ratio:.2f}x** in CPU time ({ratio_wall:.2f}x in wall time; "
        f"target <= {TARGET_RATIO:g}x, aim {AIM_RATIO:g}x); median of {cfg.repeats} interleaved repeats "
        "each, same seed and replication every time. The floor is the textbook SimPy queue "
        "(`benchmarks/bare_simpy.py:mmc`): a Poisson source process, a process per customer, "
        f"`simpy.Resource(capacity={BARE_SERVERS})` request/hold/release, exponential service, "
        f"`random.expovariate`; arrival rate {lam:.2f}/day (the model's referrals per day), service rate "
        f"{mu:.3f}/day, utilisation {BARE_UTILISATION}, mean wait {bare.mean_wait:.3f} days. It schedules "
        f"{bare.n_events / n:.2f} events per customer; the model {out.n_events / n:.2f} per referral. "
        f"The callback-style queue (`mmc_callbacks`: the same queue and the same variates, with timeouts "
        f"carrying callbacks as the model does, no processes and no Resource) needs "
        f"{cb.n_events / n:.2f} events per customer and {cb_t.t / bare_t.t:.2f}x the floor's time: that "
        "is what scheduling by callbacks saves on identical work, and the model spends the rest on "
        "its own logic (see the profile in `benchmarks/README.md`)."
    )
    report.add(f"1. One replication against bare SimPy ({years:g} simulated years)", body)
    report.verdict(
        "model / bare SimPy time",
        f"{ratio:.2f}x",
        f"<= {TARGET_RATIO:g}x (aim {AIM_RATIO:g}x)",
        ratio <= TARGET_RATIO,
    )


# --- 2. cost against work --------------------------------------------------------------------
def _scaling_row(
    label: str, scenario: Any, timing: Timing, us: float, relative: float
) -> list[str]:
    years = scenario.horizon_years + scenario.warmup_years
    out, t = timing.value, min(timing.cpu)
    return [
        label,
        fmt(out.n_referrals / years, 0),
        f"{scenario.workforce.establishment_fte:g}",
        f"{years:g}",
        fmt(out.n_referrals, 0),
        fmt(t, 3),
        fmt(timing.t, 3),
        fmt(us, 1),
        fmt(relative, 3),
        fmt(out.n_events / out.n_referrals, 2),
    ]


def _us_per_referral(timing: Timing) -> list[float]:
    """µs per referral of each round."""
    return [t / timing.value.n_referrals * 1e6 for t in timing.cpu]


def section_scaling(cfg: Config, report: Report) -> None:
    header = [
        "run",
        "referrals/yr",
        "posts",
        "years",
        "referrals",
        "min CPU s",
        "median CPU s",
        "us per referral",
        "relative cost",
        "events per referral",
    ]
    base = load()
    first0, posts0 = base.demand.first_referrals_per_year, base.workforce.establishment_fte
    volumes = {f"{r:,} referrals/yr": load(volume_overrides(r)) for r in cfg.scale_referrals}
    horizons = {f"horizon {y:g} years": load({"horizon_years": y}) for y in cfg.scale_horizons}
    smallest = min(cfg.scale_referrals)
    idle_label = f"{smallest:,}-referral LA, 1 referral/yr"  # its fixed cost: posts, no work
    idle = load({**volume_overrides(smallest), "demand.first_referrals_per_year": 1.0})
    runs = {**volumes, **horizons, idle_label: idle}
    # the bare-SimPy queue, timed in the same rounds: a yardstick of the machine's speed
    lam, mu = rates_for(YARDSTICK_ARRIVALS / 365.25, BARE_SERVERS, BARE_UTILISATION)
    timings = interleaved(
        {
            **{label: (lambda s=s: simulate(s, SEED, 0)) for label, s in runs.items()},
            YARDSTICK: lambda: mmc(YARDSTICK_ARRIVALS, BARE_SERVERS, lam, mu, seed=SEED),
        },
        cfg.scale_repeats,
    )
    yardstick = timings.pop(YARDSTICK).cpu
    drift = max(yardstick) / min(yardstick) - 1.0
    by_round = {label: _us_per_referral(timings[label]) for label in [*volumes, *horizons]}
    relative = {
        **relative_costs({label: by_round[label] for label in volumes}),
        **relative_costs({label: by_round[label] for label in horizons}),
    }
    us = {label: min(costs) for label, costs in by_round.items()}
    rows = [
        _scaling_row(label, runs[label], timings[label], us[label], relative[label])
        for label in by_round
    ]
    us_r, us_h = [us[label] for label in volumes], [us[label] for label in horizons]
    _, dev_r = flatness([relative[label] for label in volumes])
    _, dev_h = flatness([relative[label] for label in horizons])
    ratio_r, dev_min_r = flatness(us_r)
    ratio_h, dev_min_h = flatness(us_h)
    ratio_rest, _ = flatness(us_r[1:]) if len(us_r) > 2 else (float("nan"), 0.0)
    fixed_s = min(timings[idle_label].cpu)
    weeks = (idle.horizon_years + idle.warmup_years) * 365.0 / 7.0
    smallest_label = next(iter(volumes))
    fixed_share_us = fixed_s / timings[smallest_label].value.n_referrals * 1e6
    report.raw["scaling"] = {
        "referrals_us": us_r,
        "horizon_us": us_h,
        "relative_cost": relative,
        "us_per_referral_by_round": by_round,
        "fixed_s": fixed_s,
        "fixed_us_per_week": fixed_s / weeks * 1e6,
        "yardstick_cpu_s": yardstick,
    }
    body = table(header, rows)
    body += (
        f"\n\nCost per referral: each size's **relative cost** is its µs per referral over the "
        "median size's in the same round, median over the rounds (`benchmarks/flatness.py`): the "
        "machine's speed drifts more between rounds than the sizes differ, and a round (every "
        "size once) is timed within seconds, so drift cancels. Largest deviation from the median "
        f"size: **{dev_r:.0%}** across referral volumes, **{dev_h:.0%}** across horizons (target: "
        f"within +-{TARGET_DEVIATION:.0%}). From the minimum CPU times (the usual estimate of a "
        "deterministic computation's cost, which drift between rounds can bias) the deviations "
        f"are {dev_min_r:.0%} and {dev_min_h:.0%}, and max/min is {ratio_r:.2f} and "
        f"{ratio_h:.2f}. Volume runs: 10-year horizon, first-time referrals "
        f"{first0:g} x R/{DEFAULT_TOTAL_REFERRALS:g} and establishment "
        f"{posts0:g} x R/{DEFAULT_TOTAL_REFERRALS:g} posts so caseloads stay realistic; "
        f"horizon runs: baseline ({load().warmup_years:g} warm-up years). "
        f"{cfg.scale_repeats} rounds. "
        "Times include setting up the replication (streams, initial case stock, posts). "
        f"**Machine drift**: the bare-SimPy queue ({YARDSTICK_ARRIVALS:,} arrivals), timed in the "
        f"same rounds, took {min(yardstick):.3f}-{max(yardstick):.3f} s of CPU, a spread of "
        f"{drift:.0%} between rounds."
        f"\n\n**Fixed cost.** A service of the smallest size ({idle.workforce.establishment_fte:g} "
        f"posts) with almost no referrals (1 a year) costs {fixed_s:.3f} s of CPU for the same "
        f"{idle.horizon_years + idle.warmup_years:g} years: {fixed_s / weeks * 1e6:.0f} µs per "
        "simulated week for the weekly organisational update, the month ends and the set-up. "
        f"Spread over the {smallest_label} run's referrals that is {fixed_share_us:.1f} µs per "
        "referral, which is why the smallest service costs more per referral"
        + (f"; from the second size up, max/min is {ratio_rest:.2f}." if len(us_r) > 2 else ".")
    )
    report.add("2. Cost against work", body)
    volume = "volume 1k-20k/yr" if not cfg.quick else "volume"
    report.verdict(
        f"us/referral within +-20% of the median size, {volume}",
        f"largest deviation {dev_r:.0%} (from minimum times {dev_min_r:.0%})",
        f"<= {TARGET_DEVIATION:.0%}",
        dev_r <= TARGET_DEVIATION,
    )
    report.verdict(
        f"  us/referral max/min, {volume} (informative)",
        f"{ratio_r:.2f}" + (f"; {ratio_rest:.2f} from the second size up" if len(us_r) > 2 else ""),
        "-",
        None,
    )
    report.verdict(
        "us/referral within +-20% of the median, horizon",
        f"largest deviation {dev_h:.0%} (max/min {ratio_h:.2f})",
        f"<= {TARGET_DEVIATION:.0%}",
        dev_h <= TARGET_DEVIATION,
    )


# --- 3. parallel speed-up --------------------------------------------------------------------
def _run_timed(source: Any, replications: int, workers: int) -> tuple[float, Any]:
    """Wall seconds of ``sim.run`` with the process executor, and its results."""
    timing = timed(
        lambda: sim.run(
            source,
            replications=replications,
            seed=SEED,
            workers=workers,
            executor="process",
            progress=False,
            report=False,
        )
    )
    return timing.t_wall, timing.value


def _warm_up_runner() -> None:
    """One tiny run first, so the imports of the results layer are not billed to the first timing."""
    sim.run(
        load({"horizon_years": 1}),
        replications=1,
        seed=SEED,
        workers=1,
        progress=False,
        report=False,
    )


def section_parallel(cfg: Config, report: Report) -> None:
    scenario = load()
    n = cfg.parallel_replications
    _warm_up_runner()
    t1s, t2s = [], []
    for _ in range(cfg.parallel_repeats):  # alternately, so a slow spell hits both
        t1s.append(_run_timed(scenario, n, 1)[0])
        t2, results = _run_timed(scenario, n, 2)
        t2s.append(t2)
    t1, t2 = min(t1s), min(t2s)
    speedup = t1 / t2
    report.raw["parallel"] = {"t1": t1s, "t2": t2s}
    rows = [
        ["1 worker", fmt(t1, 1), fmt(t1 / n, 3), "1.00"],
        ["2 workers", fmt(t2, 1), fmt(t2 / n, 3), fmt(speedup, 2)],
    ]
    body = table(["sim.run(executor='process')", "wall s", "s per replication", "speed-up"], rows)
    reference = ""
    if "t_replication_wall" in report.raw:
        ideal = n * report.raw["t_replication_wall"]
        reference = (
            f" For reference, {n} x the in-process median wall time of section 1 is {ideal:.1f} s, so the "
            f"1-worker run carries {t1 / ideal - 1:+.0%} overhead and the ideal 2-worker time is "
            f"{ideal / 2:.1f} s."
        )
    body += (
        f"\n\n**Speed-up of 2 workers over 1: {speedup:.2f}x** (target >= {TARGET_SPEEDUP}x) on {n} baseline "
        f"replications ({scenario.horizon_years:g} years + {scenario.warmup_years:g} warm-up), results assembled in memory (`out=None`). Wall time "
        f"includes starting the pool (start method `{results.manifest.get('start_method')}`), pickling, "
        f"and writing and reading back the tables. Each run {cfg.parallel_repeats} times, "
        f"alternately; the shortest wall time of each (1 worker: "
        f"{', '.join(f'{t:.1f}' for t in t1s)} s; 2 workers: {', '.join(f'{t:.1f}' for t in t2s)} s)."
        f"{reference}"
    )
    report.add("3. Parallel speed-up", body)
    report.verdict(
        f"speed-up 2 workers / 1 ({n} replications)",
        f"{speedup:.2f}x",
        f">= {TARGET_SPEEDUP}x",
        speedup >= TARGET_SPEEDUP,
    )


# --- 4. memory -------------------------------------------------------------------------------
#: Peak resident set of this process, from /proc: unlike ``ru_maxrss``, ``VmHWM`` starts afresh
#: at ``exec``, so a child started by a big parent does not inherit the parent's peak.
HWM = """
def hwm_kb(pid="self"):
    from pathlib import Path
    for line in Path(f"/proc/{{pid}}/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1])
    return 0
"""

ONE_REPLICATION = (
    HWM
    + """
import json, resource
import sim
from sim.model import simulate
scenario = sim.load_scenario({path!r})
before = hwm_kb()
out = simulate(scenario, {seed}, 0)
print(json.dumps({{"before_kb": before, "after_kb": hwm_kb(), "n_referrals": out.n_referrals,
                  "ru_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""
)

SWEEP = (
    HWM
    + """
import json, os, resource, threading, time
from pathlib import Path
import sim

peaks = {{}}  # pid -> {{"kind", "hwm_kb", "pss_kb"}}
stop = threading.Event()

def descendants(root):
    parent = {{}}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{{entry}}/stat").read_text().rsplit(")", 1)[1].split()
                parent[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                pass
    found, frontier = set(), {{root}}
    while frontier:
        frontier = {{p for p, pp in parent.items() if pp in frontier}} - found
        found |= frontier
    return found

def pss_kb(pid):
    for line in Path(f"/proc/{{pid}}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0

def poll():
    me = os.getpid()
    while not stop.is_set():
        for pid in descendants(me):
            try:
                cmd = Path(f"/proc/{{pid}}/cmdline").read_bytes()
                hwm, pss = hwm_kb(pid), pss_kb(pid)
            except OSError:
                continue
            # (the patterns are split so this script's own command line does not match them)
            helper = any(b"multiprocessing." + name + b" import main" in cmd
                         for name in (b"resource_tracker", b"forkserver"))
            kind = "helper" if helper else "worker"
            old = peaks.get(pid, {{"hwm_kb": 0, "pss_kb": 0}})
            peaks[pid] = {{"kind": kind, "hwm_kb": max(hwm, old["hwm_kb"]), "pss_kb": max(pss, old["pss_kb"])}}
        stop.wait(0.25)

scenario = sim.load_scenario({path!r}, overrides={{"horizon_years": {horizon}}})
imported_kb = hwm_kb()
thread = threading.Thread(target=poll, daemon=True)
thread.start()
start = time.perf_counter()
results = sim.run(scenario, replications={n}, seed={seed}, workers=2, executor="process", out={out!r},
                  progress=False, report=False)
wall = time.perf_counter() - start
stop.set()
thread.join()
size = sum(p.stat().st_size for p in Path({out!r}).rglob("*") if p.is_file())
print(json.dumps({{
    "wall_s": wall,
    "self_kb": hwm_kb(),
    "imported_kb": imported_kb,
    "self_ru_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    "peaks": list(peaks.values()),
    "start_method": results.manifest.get("start_method"),
    "bytes": size,
}}))
"""
)


def section_memory(cfg: Config, report: Report) -> None:
    scenario = load()
    simulate(scenario, SEED, 0)
    gc.collect()
    tracemalloc.start()
    simulate(scenario, SEED, 0)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    one = run_child(ONE_REPLICATION.format(path=str(BASELINE), seed=SEED))
    before_mb, after_mb = one["before_kb"] / 1024, one["after_kb"] / 1024
    traced_mb = traced_peak / 1024**2
    with tempfile.TemporaryDirectory(prefix="csc-bench-") as tmp:
        sweeps = {
            k: run_child(
                SWEEP.format(
                    path=str(BASELINE),
                    horizon=cfg.sweep_horizon_years,
                    n=k,
                    seed=SEED,
                    out=str(Path(tmp) / f"sweep-{k}"),
                )
            )
            for k in (2, cfg.sweep_replications)
        }
    small, sweep = sweeps[2], sweeps[cfg.sweep_replications]
    workers = [p for p in sweep["peaks"] if p["kind"] == "worker"]
    helpers = [p for p in sweep["peaks"] if p["kind"] == "helper"]
    worker_hwm = max((p["hwm_kb"] for p in workers), default=0) / 1024
    worker_pss = max((p["pss_kb"] for p in workers), default=0) / 1024
    parent_mb = sweep["self_kb"] / 1024
    footprint = parent_mb + sum(p["pss_kb"] for p in workers + helpers) / 1024
    report.raw["memory"] = {
        "one": one,
        "traced_peak": traced_peak,
        "sweep": sweep,
        "sweep_2": small,
    }
    n = cfg.sweep_replications
    rows = [
        [
            "one replication: tracemalloc peak (Python and numpy allocations of the run)",
            fmt(traced_mb, 1),
        ],
        [
            "one replication: peak RSS of a fresh process (VmHWM: interpreter, imports, run)",
            fmt(after_mb, 1),
        ],
        [
            "  of which before the run (interpreter, numpy, simpy, pydantic, scenario)",
            fmt(before_mb, 1),
        ],
        [
            "  ru_maxrss of the same process (inherits this benchmark's RSS at fork)",
            fmt(one["ru_maxrss_kb"] / 1024, 1),
        ],
        [f"sweep of {n:,} replications: parent peak RSS (VmHWM)", fmt(parent_mb, 1)],
        ["  parent RSS after imports, before the run", fmt(sweep["imported_kb"] / 1024, 1)],
        ["  parent peak RSS of the same run with 2 replications", fmt(small["self_kb"] / 1024, 1)],
        [
            f"  largest worker: peak RSS (VmHWM) / peak PSS ({len(workers)} workers)",
            f"{worker_hwm:.1f} / {worker_pss:.1f}",
        ],
        ["  parent peak RSS + peak PSS of every child (whole run, upper bound)", fmt(footprint, 1)],
        [
            "  getrusage ru_maxrss: RUSAGE_SELF / RUSAGE_CHILDREN",
            f"{sweep['self_ru_maxrss_kb'] / 1024:.1f} / {sweep['children_kb'] / 1024:.1f}",
        ],
    ]
    body = table(["measure", "MB"], rows)
    body += (
        f"\n\nSweep: `sim.run(baseline with horizon_years={cfg.sweep_horizon_years:g} (+{load().warmup_years:g} warm-up), "
        f"replications={n}, workers=2, executor='process', out=<tmp>, report=False)` in a fresh "
        f"process (start method `{sweep.get('start_method')}`), {sweep['wall_s']:.0f} s, "
        f"{sweep['bytes'] / 1024**2:.1f} MB written; the short horizon keeps the run to minutes. Workers "
        "stay small whatever the number of replications: finished chunks go to disk as they arrive "
        "and at most two chunks per worker are in flight. Most of the parent's peak is fixed: the run "
        "imports pandas, pyarrow, scipy and matplotlib (the same run with 2 replications peaks at "
        f"{small['self_kb'] / 1024:.0f} MB); the rest ({(sweep['self_kb'] - small['self_kb']) / 1024:.0f} MB "
        f"for {n:,} replications) is the final assembly of the tables in pandas. Peak RSS is `VmHWM` from `/proc` "
        "(children polled every 0.25 s); PSS shares pages a forked worker still has in common with "
        "its parent, so it is the fairer figure for workers. `ru_maxrss` is shown as asked but "
        "overstates: Linux carries a process's peak RSS across fork and exec, so a child reports at "
        "least its parent's RSS at the fork, and RUSAGE_CHILDREN is the largest of those."
    )
    report.add("4. Peak memory", body)
    report.verdict(
        "memory of one replication (fresh process)",
        f"{after_mb:.0f} MB",
        f"< {TARGET_MEMORY_MB:g} MB",
        after_mb < TARGET_MEMORY_MB,
    )
    report.verdict(
        f"memory of a {n:,}-replication sweep: parent; largest worker (PSS)",
        f"{parent_mb:.0f} MB; {worker_pss:.0f} MB",
        "bounded",
        None,
    )


# --- 5. headline sweep -----------------------------------------------------------------------
def section_headline(cfg: Config, report: Report) -> None:
    k = cfg.headline_replications
    _warm_up_runner()
    t_subset, _ = _run_timed(HEADLINE, k, 2)
    estimate = t_subset * HEADLINE_REPLICATIONS / k
    rows = [
        [
            f"{HEADLINE_ARMS} arms x {k} replications x 10 years, 2 workers (measured)",
            fmt(t_subset, 1),
            fmt(t_subset / 60, 2),
        ],
        [
            f"{HEADLINE_ARMS} x {HEADLINE_REPLICATIONS} x 10 years (linear extrapolation x{HEADLINE_REPLICATIONS / k:g})",
            fmt(estimate, 0),
            fmt(estimate / 60, 1),
        ],
    ]
    full = None
    if cfg.full_sweep:
        full, _ = _run_timed(HEADLINE, HEADLINE_REPLICATIONS, 2)
        rows.append(
            [
                f"{HEADLINE_ARMS} x {HEADLINE_REPLICATIONS} x 10 years, 2 workers (measured in full)",
                fmt(full, 0),
                fmt(full / 60, 1),
            ]
        )
    report.raw["headline"] = {
        "subset_s": t_subset,
        "replications": k,
        "estimate_s": estimate,
        "full_s": full,
    }
    body = table(["run", "wall s", "minutes"], rows)
    body += (
        f"\n\n`sim.run('{HEADLINE.relative_to(ROOT)}', replications=..., workers=2, executor='process')`, "
        "tables assembled, no plots or report. The extrapolation scales the measured subset linearly, "
        "so it also multiplies the pool start-up and table assembly, which do not grow with the "
        "replications: a slight over-estimate."
    )
    report.add("5. Headline sweep on this machine", body)
    report.verdict(
        "headline sweep 12 x 100 x 10 y, 2 workers",
        f"{(full or estimate) / 60:.1f} min ({'measured' if full else 'extrapolated'})",
        "-",
        None,
    )


# --- 6. block draws --------------------------------------------------------------------------
@contextmanager
def per_variate_draws() -> Iterator[None]:
    """Replace block draws with one numpy call per variate (what a straightforward model does)."""
    import sim.model.caseflow as caseflow
    import sim.model.streams as streams

    draws = streams.BlockDraws
    saved = {name: getattr(draws, name) for name in ("uniform", "exponential", "normal")}
    saved_next = caseflow.CaseFlow._next_assessment_days
    draws.uniform = lambda self: self._rng.random()  # type: ignore[method-assign]
    draws.exponential = lambda self: self._rng.standard_exponential()  # type: ignore[method-assign]
    draws.normal = lambda self: self._rng.standard_normal()  # type: ignore[method-assign]
    caseflow.CaseFlow._next_assessment_days = (  # type: ignore[method-assign]
        lambda self: float(self.durations.calendar_days(self._assessment_rng.random()))
    )
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(draws, name, fn)
        caseflow.CaseFlow._next_assessment_days = saved_next  # type: ignore[method-assign]


def section_blocks(cfg: Config, report: Report) -> None:
    scenario = load()
    try:
        with per_variate_draws():
            simulate(scenario, SEED, 0)
    except (AttributeError, TypeError) as err:
        report.add(
            "6. Block-drawn variates", f"Skipped: the model's draw interface changed ({err})."
        )
        return

    def without_blocks() -> Any:
        with per_variate_draws():
            return simulate(scenario, SEED, 0)

    results = interleaved(
        {"blocks": lambda: simulate(scenario, SEED, 0), "per_variate": without_blocks},
        cfg.ablation_repeats,
    )
    t_block, t_single = results["blocks"].t, results["per_variate"].t
    n_var = results["blocks"].value.n_referrals
    report.raw["blocks"] = {"block_s": t_block, "per_variate_s": t_single}
    body = table(
        ["variates", "median CPU s", "relative"],
        [
            ["drawn in blocks of 2,048 (`BlockDraws`, as in the model)", fmt(t_block, 3), "1.00"],
            [
                "one numpy call per variate (monkeypatched)",
                fmt(t_single, 3),
                fmt(t_single / t_block, 2),
            ],
        ],
    )
    body += (
        f"\n\nBaseline replication ({n_var:,} referrals), median of {cfg.ablation_repeats} interleaved repeats. "
        "The per-variate version calls `Generator.random()` / `standard_exponential()` / "
        "`standard_normal()` for each variate and `np.interp` on a scalar for each assessment length. "
        f"Block draws save {t_single - t_block:.3f} s ({1 - t_block / t_single:.0%}) per replication. "
        "(The random numbers come in a different order, so the trajectories differ: this compares cost, "
        "not results.)"
    )
    report.add("6. Block-drawn variates", body)


# --- main --------------------------------------------------------------------------------------
SECTIONS: dict[str, Callable[[Config, Report], None]] = {
    "floor": section_floor,
    "scaling": section_scaling,
    "parallel": section_parallel,
    "memory": section_memory,
    "headline": section_headline,
    "blocks": section_blocks,
}


def render(report: Report, cfg: Config, seconds: float) -> str:
    lines = ["# Benchmark results", ""]
    lines.append(
        f"Written by `python benchmarks/run.py{' --quick' if cfg.quick else ''}"
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
    lines += [
        "## Summary",
        "",
        table(
            ["measure", "result", "target", "met"],
            [[w, m, t, ok_mark(ok)] for w, m, t, ok in report.verdicts],
        ),
        "",
    ]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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
    cfg = Config.make(args.quick, args.full_sweep)
    wanted = {s.strip() for s in args.only.split(",") if s.strip()} or set(SECTIONS)
    chosen = [name for name in SECTIONS if name in wanted]
    unknown = wanted - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
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
    print(
        "\n"
        + table(
            ["measure", "result", "target", "met"],
            [[w, m, t, ok_mark(ok)] for w, m, t, ok in report.verdicts],
        )
    )
    print(f"\nwrote {out} ({seconds / 60:.1f} minutes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
