"""``england_sample``: the calibration's simulator over a stratified sample of England's LAs.

One parameter set is one arm: the population scenario (``population_scenario:`` of the
calibration file, by default ``scenarios/england/england.yaml``, which carries the national
events: graded inspections paused 17 March 2020 - 12 April 2021, the DfE agency rules from
31 October 2024) restricted to the sample of :func:`sim.analysis.backcast.sample.stratified_sample`
(``sample_size`` LAs of the study's settings, drawn with the study's seed), with the parameter
set as overrides. A task is one replication of one parameter set with every sampled LA on one
clock (:func:`sim.experiment.population_tasks.run_population_task`, whose results do not depend
on how LAs are grouped into tasks); the worker turns it into statistics at once, so only a few
hundred numbers travel back from a worker, not the monthly series.

Statistics (the ``statistic`` column of ``calibration/targets.csv``) come from
:func:`sim.analysis.backcast.table.replication_statistics`, in the targets' definitions: the CSWW
census series ``<metric>@<year>`` (the 30 Septembers 2018-2024 inside October 2017 - March 2025),
the grade mix at 31 March 2025 and the ILACS transitions as shares with their counts
(``grade_in_force:<g>``, ``next_grade_from_<o>:<g>``, see :func:`share_key`), the Kaplan-Meier
``still_inadequate_<n>y``, ``interval_after_<g>_months`` and ``dcs_changes_per_year`` (the mean
over LAs and months of the trailing-12-month count of director changes, from the 12th recorded
month). Each statistic that is a ratio or a share carries its weight (:func:`weight_key`: the
FTE denominator, the LAs, the re-inspections, the spells), so arms merge exactly
(:func:`sim.analysis.calibrate.simulator.merge_arms`).
"""

from __future__ import annotations

import datetime as dt
import math
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.backcast.sample import stratified_sample
from sim.analysis.backcast.statistics import CENSUS_MONTH, CLIFF_METRICS, GRADES
from sim.analysis.backcast.table import replication_statistics
from sim.analysis.calibrate.simulator import (
    MONTHS_PER_YEAR,
    SURVIVAL_YEARS,
    Collected,
    Stats,
    share_key,
    weight_key,
)
from sim.analysis.targets.workforce import CLIFF_OFFSETS
from sim.experiment.population_run import month_end_dates, table_specs
from sim.experiment.population_tasks import (
    PopulationJob,
    PopulationTask,
    PopulationTaskOutput,
    run_population_task,
)
from sim.experiment.tasks import Task, TaskFailure
from sim.model.metrics import METRIC_NAMES, TEXT_EVENT_COLUMNS
from sim.model.national import LASpec
from sim.model.output import LA, MONTH
from sim.scenario.england import Population
from sim.scenario.loader import apply_overrides
from sim.scenario.scenario import Scenario

#: Day of the CSWW census (30 September): a census year is provided when it lies in the run.
CENSUS_DAY = 30
CENSUS_METRICS: tuple[str, ...] = (
    "turnover_rate_pct",
    "vacancy_rate_pct",
    "agency_rate_pct",
    "caseload_per_fte",
)
#: The statistic of the grade mix at the end of the record, and of the transitions by origin.
GRADE_IN_FORCE = "grade_in_force"
NEXT_GRADE = "next_grade_from_{origin}"


@dataclass(frozen=True)
class SampleJob:
    """One replication of one parameter set over the whole sample (what a worker receives)."""

    index: int
    replication: int
    seed: int
    las: tuple[LASpec, ...]
    population: Population
    dates: tuple[str, ...]


@dataclass
class SampleResult:
    """A finished :class:`SampleJob`: its statistics, or the error that stopped it."""

    index: int
    replication: int
    stats: Stats
    error: str | None = None
    traceback: str | None = None


def census_weights(timeseries: pd.DataFrame, dates: pd.Series) -> Stats:
    """The FTE denominators of the national CSWW ratios at each 30 September (their weights)."""
    out: Stats = {}
    for month, date in dates.items():
        if date.month != CENSUS_MONTH:
            continue
        rows = timeseries[timeseries[MONTH] == month]
        employed = float(rows["employed_fte"].sum())
        agency = float(rows["agency_fte"].sum())
        vacant = float(rows["vacancy_fte"].sum())
        year = date.year
        out[weight_key(f"turnover_rate_pct@{year}")] = employed
        out[weight_key(f"vacancy_rate_pct@{year}")] = vacant + employed
        out[weight_key(f"agency_rate_pct@{year}")] = agency + employed
        out[weight_key(f"caseload_per_fte@{year}")] = employed + agency
    return out


def as_statistics(by_id: dict[str, float], counts: dict[str, float]) -> Stats:
    """The back-cast's values by target id as the simulator's statistics, with weights."""
    out: Stats = {}
    for key, value in by_id.items():
        if key.startswith("csww_"):
            metric, year = key.removeprefix("csww_").rsplit("_", 1)
            out[f"{metric}@{year}"] = value
        elif key.startswith("grade_mix_2025_"):
            grade = int(key.rsplit("_", 1)[-1])
            out[share_key(GRADE_IN_FORCE, grade)] = value
            out[weight_key(share_key(GRADE_IN_FORCE, grade))] = counts[key]
        elif key.startswith("transition_"):
            origin, grade = (int(p) for p in key.removeprefix("transition_").split("_to_"))
            name = share_key(NEXT_GRADE.format(origin=origin), grade)
            out[name] = value
            out[weight_key(name)] = counts[key]
        elif key.startswith("cliff_"):  # cliff_<metric>_<offset>: statistic cliff_<metric>@<offset>
            metric, offset = key.rsplit("_", 1)
            out[f"{metric}@{offset}"] = value
            out[weight_key(f"{metric}@{offset}")] = counts[key]
        else:  # still_inadequate_<n>y, interval_after_<g>_months: the targets' own names
            out[key] = value
            if key in counts:
                out[weight_key(key)] = counts[key]
    return out


def sample_statistics(output: PopulationTaskOutput, dates: Sequence[str]) -> Stats:
    """Statistics of one replication of the sample (module docstring)."""
    n_las, n_months, _ = output.values.shape
    frame = pd.DataFrame(output.values.reshape(n_las * n_months, -1), columns=list(METRIC_NAMES))
    frame.insert(0, MONTH, np.tile(np.arange(1, n_months + 1), n_las))
    frame.insert(0, LA, np.repeat(output.codes, n_months))
    events = pd.DataFrame(
        [
            {LA: code}
            | {
                c: ev.get(c) if isinstance(ev.get(c), str) and ev.get(c) else None
                for c in TEXT_EVENT_COLUMNS
            }
            for code, ev in zip(output.codes, output.events, strict=True)
        ]
    )
    calendar = pd.Series(pd.to_datetime(list(dates[:n_months])), index=np.arange(1, n_months + 1))
    by_id, counts = replication_statistics(frame, events, calendar)
    stats = as_statistics(by_id, counts)
    stats.update(census_weights(frame, calendar))
    trailing = output.values[:, MONTHS_PER_YEAR - 1 :, METRIC_NAMES.index("dcs_changes_12m")]
    stats["dcs_changes_per_year"] = float(np.mean(trailing)) if trailing.size else math.nan
    stats[weight_key("dcs_changes_per_year")] = float(n_las)
    return stats


def run_sample_job(job: SampleJob) -> SampleResult:
    """Run one replication of the sample and compute its statistics (the worker function); an
    error is returned in the result, with its traceback, not raised."""
    task = PopulationTask(job.index, job.replication, 0, len(job.las))
    output = run_population_task(PopulationJob(task, job.seed, job.las, job.population))
    if output.error is not None:
        return SampleResult(job.index, job.replication, {}, output.error, output.traceback)
    try:
        return SampleResult(job.index, job.replication, sample_statistics(output, job.dates))
    except Exception as err:  # noqa: BLE001 - recorded and reported by the study
        error = f"{type(err).__name__}: {err}"
        return SampleResult(job.index, job.replication, {}, error, traceback.format_exc())


class EnglandSampleSimulator:
    """Population arms over a stratified sample of LAs (module docstring).

    Parameters
    ----------
    population
        The population scenario (its dates and national events are the back-cast's).
    codes
        The sampled LAs' codes.
    """

    name = "england_sample"

    def __init__(self, population: Scenario, codes: Sequence[str]) -> None:
        self.population = population
        self.codes = list(codes)
        self.arm_names = ["england_sample"]

    def provides(self) -> tuple[str, ...]:
        population = self.population.population
        census = [
            f"{m}@{y}"
            for m in CENSUS_METRICS
            for y in range(population.start.year, population.end.year + 1)
            if population.start <= dt.date(y, CENSUS_MONTH, CENSUS_DAY) <= population.end
        ]
        origins = [NEXT_GRADE.format(origin=o) for o in GRADES]
        return (
            *census,
            GRADE_IN_FORCE,
            *origins,
            *(f"still_inadequate_{y}y" for y in SURVIVAL_YEARS),
            *(f"interval_after_{g}_months" for g in GRADES),
            "dcs_changes_per_year",
            *(f"cliff_{m}@{o:+d}" for m in CLIFF_METRICS for o in CLIFF_OFFSETS),
        )

    def scenarios(self, overrides: dict[str, float | int], source: str) -> list[Scenario]:
        changes = {**overrides, "population.las": self.codes}
        return [apply_overrides(self.population, changes, source=source)]

    @staticmethod
    def worker(job: SampleJob) -> SampleResult:
        """The function every executor runs (:func:`run_sample_job`)."""
        return run_sample_job(job)

    def jobs(
        self, tasks: Sequence[Task], seed: int, scenarios: Sequence[Scenario], chunk: int
    ) -> Iterable[SampleJob]:
        """One job per task ``(scenario index, replication)``; ``chunk`` is not needed (a job is
        already one replication of every sampled LA)."""
        specs: dict[int, tuple[LASpec, ...]] = {}
        for index, replication in tasks:
            if index not in specs:
                scenario = scenarios[index]
                specs[index] = tuple(table_specs(scenario, str(self.population.name)))
            scenario = scenarios[index]
            yield SampleJob(
                index,
                replication,
                seed,
                specs[index],
                scenario.population,
                tuple(month_end_dates(scenario)),
            )

    def collect(self, result: Any) -> Collected:
        """Statistics (or the failure) of one finished job."""
        if result.error is not None:
            failure = TaskFailure(result.index, result.replication, result.error, result.traceback)
            return Collected([], [failure])
        return Collected([(result.index, result.replication, result.stats)], [])


def england_sample(population: Scenario, size: int, seed: int) -> EnglandSampleSimulator:
    """The simulator over a stratified sample of ``size`` LAs of the population scenario's table
    (drawn with ``seed``; the calibration file's checks have made the size possible)."""
    codes = stratified_sample(size, seed, population.population.table)
    return EnglandSampleSimulator(population, codes)
