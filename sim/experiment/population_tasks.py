"""Tasks of a population run (DESIGN §4.9) and the worker function every executor runs.

When a finite pool couples the LAs, a task is one replication of one arm with every LA in one
environment. Without one, the LAs are independent and a task is one LA of one replication of
one arm: the executors spread the LAs over the workers, and the results are those of one
environment (each LA's streams are keyed by its code). Seeds and LA order are fixed here,
before dispatch, so results do not depend on the executor or the number of workers.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.experiment.errors import RunInputError
from sim.experiment.plan import RunPlan
from sim.model.metrics import METRIC_NAMES
from sim.model.national import LA_POOL_SERIES, LASpec, simulate_population
from sim.model.pool import Deployment
from sim.scenario.england import Population
from sim.scenario.population_scenarios import population_las
from sim.scenario.scenario import Scenario

SpecsFor = Callable[[Scenario, str], list[LASpec]]
#: ``[arm][draw]`` -> the LAs of that arm under that draw (one draw without a posterior).
DrawSpecs = list[list[list[LASpec]]]


@dataclass(frozen=True)
class PopulationTask:
    """``(arm, replication, first LA, LAs)``: the LAs ``first .. first + n - 1`` of the arm's
    population (all of them in one task when a pool couples them)."""

    arm: int
    replication: int
    first: int
    n: int

    @property
    def key(self) -> str:
        """File-name-safe identity, for the working folder."""
        return f"a{self.arm}-r{self.replication}-l{self.first}-n{self.n}"


@dataclass(frozen=True)
class PopulationJob:
    """What an executor receives: a task, its LAs and the population section."""

    task: PopulationTask
    seed: int
    las: tuple[LASpec, ...]
    population: Population


@dataclass
class PopulationTaskOutput:
    """One finished task.

    Attributes
    ----------
    values
        ``(n_las, n_months, n_metrics)`` float64, metrics in ``METRIC_NAMES`` order.
    pool_series
        :data:`~sim.model.national.LA_POOL_SERIES` name -> ``(n_las, n_months)``.
    pool_idle
        Idle pool teams at each month end.
    """

    task: PopulationTask
    codes: list[str]
    values: np.ndarray
    events: list[dict[str, Any]]
    pool_series: dict[str, np.ndarray]
    pool_idle: np.ndarray
    deployments: list[Deployment] = field(default_factory=list)
    n_events: int = 0
    n_referrals: int = 0
    error: str | None = None
    traceback: str | None = None


def table_specs(scenario: Scenario, source: str) -> list[LASpec]:
    """The LAs of a population scenario's table (the default :data:`SpecsFor`)."""
    return [LASpec(code, name, s) for code, name, s in population_las(scenario, source)]


def draw_scenarios_of(plan: RunPlan) -> list[list[Scenario]]:
    """``[arm][draw]`` -> the arm's population scenario under each posterior draw (the arm's own
    scenario as the only draw without a posterior)."""
    if plan.posterior is None:
        return [[arm.scenario] for arm in plan.arms]
    return [list(row) for row in plan.draw_arms]


def draw_specs(plan: RunPlan, specs_for: SpecsFor = table_specs) -> DrawSpecs:
    """``[arm][draw]`` -> the LAs of the arm's population under each draw: the draw's values are
    national settings, and each LA's own figures are laid over them (:func:`table_specs`), so a
    drawn field that the table sets per LA (e.g. the funded posts) keeps the LA's figure.

    Raises
    ------
    RunInputError
        When a draw changes which LAs an arm runs (``population.las`` or ``.table`` drawn).
    """
    made: dict[int, list[LASpec]] = {}  # equal draws share one scenario object: build once
    out: DrawSpecs = []
    for arm, row in zip(plan.arms, draw_scenarios_of(plan), strict=True):
        per_draw = []
        for scenario in row:
            if id(scenario) not in made:
                made[id(scenario)] = specs_for(scenario, plan.source)
            per_draw.append(made[id(scenario)])
        if len({tuple(s.code for s in specs) for specs in per_draw}) > 1:
            raise RunInputError(
                f"--posterior {plan.posterior.path if plan.posterior else ''}",
                f"its draws change which LAs arm '{arm.label}' runs; a posterior must not set "
                "population.las or population.table.",
                "Drop those columns from the posterior.",
            )
        out.append(per_draw)
    return out


def draw_of(plan: RunPlan, replication: int) -> int:
    """The posterior draw of a replication (0 without a posterior)."""
    return replication // plan.per_draw if plan.per_draw else 0


def make_tasks(
    arms: int, replications: int, n_las: Sequence[int], coupled: Sequence[bool]
) -> list[PopulationTask]:
    """Every task, in (arm, replication, LA) order.

    Parameters
    ----------
    arms, replications
        Arms and replications per arm.
    n_las
        LAs of each arm's population.
    coupled
        Whether each arm's pool couples its LAs (one task per replication) or not (one per LA).
    """
    tasks = []
    for a in range(arms):
        for r in range(replications):
            if coupled[a]:
                tasks.append(PopulationTask(a, r, 0, n_las[a]))
            else:
                tasks.extend(PopulationTask(a, r, i, 1) for i in range(n_las[a]))
    return tasks


def run_population_task(job: PopulationJob) -> PopulationTaskOutput:
    """Run one task; an error is returned in the output (with its traceback), not raised."""
    task = job.task
    try:
        out = simulate_population(job.las, job.population, job.seed, task.replication)
        values = np.stack(
            [
                np.column_stack([np.asarray(o.timeseries[m], np.float64) for m in METRIC_NAMES])
                for o in out.outputs
            ]
        )
        series = {name: np.stack([o.extra[name] for o in out.outputs]) for name in LA_POOL_SERIES}
        return PopulationTaskOutput(
            task=task,
            codes=list(out.codes),
            values=values,
            events=[dict(o.events) for o in out.outputs],
            pool_series=series,
            pool_idle=out.pool_idle,
            deployments=out.deployments,
            n_events=out.n_events,
            n_referrals=out.n_referrals,
        )
    except Exception as err:  # noqa: BLE001 - recorded and reported by the runner
        return PopulationTaskOutput(
            task=task,
            codes=[spec.code for spec in job.las],
            values=np.empty((0, 0, len(METRIC_NAMES))),
            events=[],
            pool_series={},
            pool_idle=np.empty(0),
            error=f"{type(err).__name__}: {err}",
            traceback=traceback.format_exc(),
        )
