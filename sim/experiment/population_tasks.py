"""Tasks of a population run (DESIGN §4.9) and the worker function every executor runs.

When a finite pool couples the LAs, a task is one replication of one arm with every LA in one
environment. Without one, the LAs are independent and a task is one LA of one replication of
one arm: the executors spread the LAs over the workers, and the results are those of one
environment (each LA's streams are keyed by its code). Seeds and LA order are fixed here,
before dispatch, so results do not depend on the executor or the number of workers.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.model.metrics import METRIC_NAMES
from sim.model.national import LA_POOL_SERIES, LASpec, simulate_population
from sim.model.pool import Deployment
from sim.scenario.england import Population


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
