"""What every benchmark section shares: settings, the report, timing, tables and scenarios.

Single-core figures are CPU time of this process (``time.process_time``), which does not bill
the time other processes hold the core; wall time is kept beside it (``benchmarks/README.md``).
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sim

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "reference" / "baseline.yaml"
HEADLINE = ROOT / "scenarios" / "experiments" / "intervention_length_x_leadership.yaml"
RESULTS = ROOT / "benchmarks" / "results.md"
SEED = 20261129
#: Total referrals a year (with re-referrals) of the baseline's first-time referrals (2,650) and
#: establishment (130 posts): the scaling runs scale both by R / 3,400, keeping caseloads.
DEFAULT_TOTAL_REFERRALS = 3400.0
#: Days in a year, to turn referrals a year into an arrival rate per day.
DAYS_PER_YEAR = 365.25
#: Bare M/M/c: servers and utilisation.
BARE_SERVERS = 10
BARE_UTILISATION = 0.8


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
        """The full run's settings, or the smoke test's (``quick``)."""
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
        """Add a section (``## title``) and print it."""
        text = f"## {title}\n\n{body.strip()}\n"
        self.sections.append(text)
        print("\n" + text, flush=True)

    def verdict(self, what: str, measured: str, target: str, ok: bool | None) -> None:
        """Add a row to the summary (``ok`` is ``None`` for an informative row)."""
        self.verdicts.append((what, measured, target, ok))


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


def fmt(x: float, digits: int = 2) -> str:
    """A number with thousands separators and ``digits`` decimals."""
    return f"{x:,.{digits}f}"


def ok_mark(ok: bool | None) -> str:
    """How a verdict shows in the summary table."""
    return {True: "yes", False: "**no**", None: "-"}[ok]


def load(overrides: dict[str, Any] | None = None) -> Any:
    """The baseline scenario, with ``overrides``."""
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


def run_sim(source: Any, replications: int, workers: int) -> tuple[float, Any]:
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


def warm_up_runner() -> None:
    """One tiny run first, so the imports of the results layer are not billed to the first timing."""
    sim.run(
        load({"horizon_years": 1}),
        replications=1,
        seed=SEED,
        workers=1,
        progress=False,
        report=False,
    )
