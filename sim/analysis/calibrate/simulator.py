"""Simulators: what maps a parameter set to the target statistics (pluggable).

A simulator names the statistics it provides, builds the scenarios ("arms") one parameter set
needs, and turns one finished replication of one arm into statistics. The study runs the arms
through the project's executors and journals each replication's statistics.

``single_la`` is a **stand-in for the England population**: the national workforce bands come
from the baseline LA's last 12 months, and the transitions from grade 4 and the time inadequate
from one LA started at an inadequate judgement (``inadequate_start``). ``england_sample``
(:mod:`sim.analysis.calibrate.sample_simulator`) runs a stratified sample of England's LAs over
the back-cast's dates, with the national events. A simulator registers in ``SIMULATORS``.

**The task hook.** A simulator says how its tasks run on the study's executors: ``worker`` (a
picklable function every executor runs), ``jobs`` (the work for some ``(scenario index,
replication)`` tasks) and ``collect`` (a finished job's statistics by task, and its failures).

**Statistics.** A dict of floats per replication of an arm. A statistic may carry a weight under
:func:`weight_key` (an FTE denominator, the LAs or re-inspections behind a share); a share of a
count vector is stored under :func:`share_key`. :func:`merge_arms` combines the arms of one
replication: a statistic given by one arm is kept, one given by several is their weighted mean
(weight 1 when none is given), so arms merge rather than overwrite each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from sim.analysis.stats import LAST_MONTHS
from sim.experiment.tasks import (
    ChunkResult,
    Task,
    TaskFailure,
    TaskOutput,
    make_jobs,
    run_chunk,
)
from sim.model.metrics import METRIC_NAMES
from sim.scenario.errors import ScenarioError
from sim.scenario.loader import apply_overrides
from sim.scenario.scenario import Scenario
from sim.scenario.units import MONTHS_PER_YEAR

#: Workforce and children-in-need metrics the baseline arm reports (last 12 months' mean).
BAND_METRICS: tuple[str, ...] = (
    "turnover_rate_pct",
    "vacancy_rate_pct",
    "agency_rate_pct",
    "caseload_per_fte",
    "rereferral_rate_pct",
    "assessments_within_45wd_pct",
)
SURVIVAL_YEARS: tuple[int, ...] = (2, 3, 4, 5)
Stats = dict[str, float]
#: Suffix of a statistic's weight, and separator of a share's category.
WEIGHT_SUFFIX = ":weight"
CATEGORY_SEPARATOR = ":"

if TYPE_CHECKING:
    from sim.analysis.calibrate.config import Study


def weight_key(statistic: str) -> str:
    """Where a statistic's weight is stored (``"x"`` -> ``"x:weight"``)."""
    return statistic + WEIGHT_SUFFIX


def share_key(statistic: str, category: float) -> str:
    """Where the share of category ``category`` of a count vector is stored
    (``("grade_in_force", 2)`` -> ``"grade_in_force:2"``)."""
    return f"{statistic}{CATEGORY_SEPARATOR}{int(category)}"


def merge_arms(parts: Sequence[Stats]) -> Stats:
    """One replication's statistics from its arms' (see the module docstring).

    A statistic several arms give is the mean of their finite values weighted by
    :func:`weight_key` (1 when absent, a share's count when present), and its weight the sum of
    theirs; NaN (with weight 0) when no arm has a finite value of positive weight.
    """
    seen: dict[str, list[tuple[float, float]]] = {}
    for part in parts:
        for key, value in part.items():
            if not key.endswith(WEIGHT_SUFFIX):
                seen.setdefault(key, []).append((value, part.get(weight_key(key), 1.0)))
    merged: Stats = {}
    for key, pairs in seen.items():
        weighted = any(weight_key(key) in part for part in parts)
        if len(pairs) == 1:
            merged[key] = pairs[0][0]
            if weighted:
                merged[weight_key(key)] = pairs[0][1]
            continue
        usable = [(v, w) for v, w in pairs if math.isfinite(v) and w > 0]
        total = sum(w for _, w in usable)
        merged[key] = sum(v * w for v, w in usable) / total if total > 0 else math.nan
        if weighted:
            merged[weight_key(key)] = total
    return merged


@dataclass
class Collected:
    """What a finished job gave: ``(scenario index, replication, statistics)`` per task done,
    and the failures."""

    stats: list[tuple[int, int, Stats]] = field(default_factory=list)
    failures: list[TaskFailure] = field(default_factory=list)


class Simulator(Protocol):
    """What the study needs from a simulator."""

    name: str

    @property
    def arm_names(self) -> list[str]:
        """Label of each arm."""
        ...

    def provides(self) -> tuple[str, ...]:
        """Names of the statistics it can compute."""
        ...

    def scenarios(self, overrides: dict[str, float | int], source: str) -> list[Scenario]:
        """The scenarios (arms) one parameter set needs, with ``overrides`` applied."""
        ...

    @property
    def worker(self) -> Callable[[Any], Any]:
        """The (picklable, module-level) function the executors run on each job."""
        ...

    def jobs(
        self, tasks: Sequence[Task], seed: int, scenarios: Sequence[Scenario], chunk: int
    ) -> Iterable[Any]:
        """The jobs of ``(scenario index, replication)`` tasks, at most ``chunk`` tasks each."""
        ...

    def collect(self, result: Any) -> Collected:
        """The statistics and failures of one finished job."""
        ...


def first_grade(grades: object) -> float:
    """The first graded judgement in an events ``grades`` string (``"3-2"`` -> 3; none: NaN)."""
    if not isinstance(grades, str) or not grades:
        return math.nan
    return float(grades.split("-")[0])


def still_inadequate(
    months_to_exit: object, censored: object, horizon_months: float, years: int
) -> float:
    """1 if still inadequate ``years`` after the start, 0 if out by then, NaN if not followed."""
    limit = years * MONTHS_PER_YEAR
    exit_months = float(months_to_exit) if isinstance(months_to_exit, (int, float)) else math.nan
    if math.isfinite(exit_months) and not censored:
        return float(exit_months > limit)
    return 1.0 if horizon_months >= limit else math.nan


class SingleLASimulator:
    """The stand-in: the baseline LA for the bands, an inadequate start for the transitions.

    Parameters
    ----------
    base
        The baseline scenario (a median LA).
    inadequate
        A scenario starting at an inadequate judgement, or None when no target needs it.
    horizon_years
        Recorded years of each run (the warm-up is the scenario's).
    needed
        The statistics the study fits (arms that no statistic needs are not run).
    """

    name = "single_la"

    def __init__(
        self,
        base: Scenario,
        inadequate: Scenario | None,
        horizon_years: float,
        needed: tuple[str, ...],
    ) -> None:
        self.horizon_years = horizon_years
        self._arms: list[tuple[str, Scenario]] = []
        baseline = {*BAND_METRICS, "dcs_changes_per_year"}
        from_four = {"next_grade_from_4", *(f"still_inadequate_{y}y" for y in SURVIVAL_YEARS)}
        if baseline & set(needed) or not needed:
            self._arms.append(("baseline", base))
        if from_four & set(needed):
            if inadequate is None:
                raise ScenarioError(
                    "<calibration file>",
                    "inadequate_start",
                    "the targets need runs from an inadequate start, and none is named.",
                    "Add inadequate_start: ../scenarios/reference/troubled.yaml.",
                )
            self._arms.append(("inadequate_start", inadequate))

    def provides(self) -> tuple[str, ...]:
        return (
            *BAND_METRICS,
            "dcs_changes_per_year",
            "next_grade_from_4",
            *(f"still_inadequate_{y}y" for y in SURVIVAL_YEARS),
        )

    @property
    def arm_names(self) -> list[str]:
        """Label of each arm."""
        return [name for name, _ in self._arms]

    def scenarios(self, overrides: dict[str, float | int], source: str) -> list[Scenario]:
        changes = {**overrides, "horizon_years": self.horizon_years}
        return [apply_overrides(s, changes, source=source) for _, s in self._arms]

    @property
    def worker(self) -> Callable[[Any], Any]:
        """:func:`sim.experiment.tasks.run_chunk`, the worker function of ``sim.run``."""
        return run_chunk

    def jobs(
        self, tasks: Sequence[Task], seed: int, scenarios: Sequence[Scenario], chunk: int
    ) -> Iterable[Any]:
        return make_jobs(tasks, seed, scenarios, chunk)

    def collect(self, result: Any) -> Collected:
        assert isinstance(result, ChunkResult)
        n_arms = len(self._arms)
        stats = [
            (out.arm, out.replication, self.statistics(out.arm % n_arms, out))
            for out in result.outputs
        ]
        return Collected(stats, list(result.failures))

    def statistics(self, arm: int, output: TaskOutput) -> Stats:
        """Statistics from one finished replication of arm ``arm``."""
        name = self._arms[arm][0]
        months = output.values.shape[0]
        if name == "baseline":
            last = output.values[-LAST_MONTHS:]
            stats = {m: float(np.mean(last[:, METRIC_NAMES.index(m)])) for m in BAND_METRICS}
            # Director changes in the trailing 12 months, averaged over the recorded months
            # after the first year (so every month's window lies inside the record).
            trailing = output.values[MONTHS_PER_YEAR - 1 :, METRIC_NAMES.index("dcs_changes_12m")]
            stats["dcs_changes_per_year"] = float(np.mean(trailing))
            return stats
        events = output.events[0]  # a single-LA replication: one entity
        stats = {"next_grade_from_4": first_grade(events.get("grades"))}
        for years in SURVIVAL_YEARS:
            stats[f"still_inadequate_{years}y"] = still_inadequate(
                events.get("months_to_exit_inadequate"), events.get("censored"), months, years
            )
        return stats


def single_la(study: Study, quick: bool) -> Simulator:
    """The stand-in simulator of a study (its base and inadequate-start scenarios)."""
    needed = tuple(dict.fromkeys(study.targets["statistic"]))
    horizon = study.settings(quick).horizon_years
    return SingleLASimulator(study.base, study.inadequate, horizon, needed)


def england_sample(study: Study, quick: bool) -> Simulator:
    """The England-sample simulator of a study (its population scenario and sample size)."""
    from sim.analysis.calibrate.sample_simulator import england_sample as build

    assert study.population is not None  # load_study loads it for this simulator
    return build(study.population, study.settings(quick).sample_size, study.spec.seed)


#: Simulators by the name a calibration file gives in ``simulator:``.
SIMULATORS: dict[str, Callable[[Study, bool], Simulator]] = {
    "single_la": single_la,
    "england_sample": england_sample,
}
