"""Tasks, chunks and the worker function.

A task is one replication of one arm, ``(arm, replication)``. Every arm of an experiment gets
the same seed and the same replication numbers, so arms share their random streams (common
random numbers, DESIGN §5); seeds are fixed here, before dispatch, so results do not depend
on the executor, the number of workers or the order in which chunks finish.

Tasks are dispatched in chunks of several replications, so thousands of short replications do
not drown in scheduling overhead. A chunk never fails as a whole: a replication that raises is
recorded (arm, replication, traceback) and the chunk carries on with the others.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.model import simulate
from sim.model.metrics import METRIC_NAMES
from sim.model.output import ReplicationOutput
from sim.scenario.scenario import Scenario

#: Chunks per worker the automatic chunk size aims for (load balance against overhead).
CHUNKS_PER_WORKER = 4
#: Largest automatic chunk (replications), so checkpoints stay frequent on long runs.
MAX_AUTO_CHUNK = 50

Task = tuple[int, int]
"""``(arm index, replication number)``."""


@dataclass(frozen=True)
class ChunkJob:
    """Work sent to an executor: some tasks and the scenarios of their arms.

    Attributes
    ----------
    seed
        Base seed of the experiment (the same for every arm).
    tasks
        ``(arm, replication)`` pairs in (arm, replication) order.
    scenarios
        Arm index -> that arm's scenario (only the arms this chunk needs).
    draws
        ``(arm, draw)`` -> that arm's scenario under a posterior draw (only those this chunk
        needs); empty without a posterior.
    per_draw
        Replications per posterior draw: replication ``n`` belongs to draw ``n // per_draw``.
    """

    seed: int
    tasks: tuple[Task, ...]
    scenarios: dict[int, Scenario]
    draws: dict[tuple[int, int], Scenario] = field(default_factory=dict)
    per_draw: int = 0

    def scenario(self, arm: int, replication: int) -> Scenario:
        """The scenario replication ``replication`` of ``arm`` runs."""
        if self.per_draw:
            return self.draws[(arm, replication // self.per_draw)]
        return self.scenarios[arm]


@dataclass
class TaskOutput:
    """One finished replication (of one LA, or of several on one clock).

    Attributes
    ----------
    values
        ``(n_rows, n_metrics)`` float64 array, metrics in ``METRIC_NAMES`` order: ``n_months``
        rows, or one block of ``n_months`` rows per LA of :attr:`entities`, in that order.
    events
        Event outcomes: one mapping, or one per LA of :attr:`entities`.
    entities
        LA codes of a population replication, in row order; empty for a single-LA run.
    """

    arm: int
    replication: int
    values: np.ndarray
    events: list[dict[str, Any]]
    n_events: int
    n_referrals: int
    entities: tuple[str, ...] = ()

    @property
    def n_months(self) -> int:
        """Recorded months (of each LA)."""
        return self.values.shape[0] // max(len(self.entities), 1)


@dataclass(frozen=True)
class TaskFailure:
    """One replication that raised."""

    arm: int
    replication: int
    error: str
    traceback: str


@dataclass
class ChunkResult:
    """What a worker sends back for one :class:`ChunkJob`."""

    outputs: list[TaskOutput] = field(default_factory=list)
    failures: list[TaskFailure] = field(default_factory=list)

    @property
    def n_tasks(self) -> int:
        """Tasks this chunk accounted for, finished or failed."""
        return len(self.outputs) + len(self.failures)


def auto_chunk_size(n_tasks: int, workers: int) -> int:
    """Replications per chunk: about ``n_tasks / (workers * 4)``, between 1 and 50.

    Parameters
    ----------
    n_tasks
        Tasks still to run.
    workers
        Workers that will run them.
    """
    if n_tasks <= 0:
        return 1
    size = math.ceil(n_tasks / (max(workers, 1) * CHUNKS_PER_WORKER))
    return max(1, min(MAX_AUTO_CHUNK, size))


def make_jobs(
    tasks: Sequence[Task],
    seed: int,
    scenarios: Sequence[Scenario],
    chunk_size: int,
    *,
    draws: Sequence[Sequence[Scenario]] = (),
    per_draw: int = 0,
) -> list[ChunkJob]:
    """Split tasks (already in order) into consecutive chunks of at most ``chunk_size``.

    Parameters
    ----------
    tasks
        ``(arm, replication)`` pairs still to run, in (arm, replication) order.
    seed
        Base seed of the experiment.
    scenarios
        Scenario of each arm, by arm index.
    chunk_size
        Largest number of tasks per chunk (at least 1).
    draws, per_draw
        ``[arm][draw]`` -> scenario and replications per draw, for a run over a posterior.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    jobs = []
    for start in range(0, len(tasks), chunk_size):
        part = tuple(tasks[start : start + chunk_size])
        if per_draw:
            needed = sorted({(arm, rep // per_draw) for arm, rep in part})
            jobs.append(
                ChunkJob(
                    seed=seed,
                    tasks=part,
                    scenarios={},
                    draws={(a, k): draws[a][k] for a, k in needed},
                    per_draw=per_draw,
                )
            )
            continue
        arms = sorted({arm for arm, _ in part})
        jobs.append(ChunkJob(seed=seed, tasks=part, scenarios={a: scenarios[a] for a in arms}))
    return jobs


def metric_matrix(timeseries: dict[str, np.ndarray]) -> np.ndarray:
    """Stack a replication's metrics into an ``(n_months, n_metrics)`` float64 array.

    Raises
    ------
    ValueError
        When a metric of the contract is missing or the series have different lengths.
    """
    missing = [name for name in METRIC_NAMES if name not in timeseries]
    if missing:
        raise ValueError(f"the model returned no series for: {', '.join(missing)}")
    columns = [np.asarray(timeseries[name], dtype=np.float64).ravel() for name in METRIC_NAMES]
    lengths = {len(c) for c in columns}
    if len(lengths) != 1:
        raise ValueError(f"metric series have different lengths: {sorted(lengths)}")
    return np.column_stack(columns)


def task_output(arm: int, replication: int, output: ReplicationOutput) -> TaskOutput:
    """A replication's output as the rows of the output tables (checked against the contract).

    Raises
    ------
    ValueError
        When a metric is missing or the series (of an LA, or across LAs) differ in length.
    """
    parts = output.parts()
    blocks = [metric_matrix(part.timeseries) for _, part in parts]
    if len({block.shape[0] for block in blocks}) != 1:
        raise ValueError("the LAs of a replication recorded different numbers of months")
    return TaskOutput(
        arm=arm,
        replication=replication,
        values=blocks[0] if len(blocks) == 1 else np.concatenate(blocks),
        events=[dict(part.events) for _, part in parts],
        n_events=int(output.n_events),
        n_referrals=int(output.n_referrals),
        entities=tuple(str(code) for code, _ in parts if code is not None),
    )


def run_chunk(job: ChunkJob) -> ChunkResult:
    """Run every task of a chunk; the worker function of all executors.

    A replication that raises is recorded as a :class:`TaskFailure` and the others still run.
    """
    result = ChunkResult()
    for arm, replication in job.tasks:
        try:
            output = task_output(
                arm, replication, simulate(job.scenario(arm, replication), job.seed, replication)
            )
        except Exception as err:  # noqa: BLE001 - any model error is recorded, not fatal
            result.failures.append(
                TaskFailure(
                    arm=arm,
                    replication=replication,
                    error=f"{type(err).__name__}: {err}",
                    traceback=traceback.format_exc(),
                )
            )
            continue
        result.outputs.append(output)
    return result
