"""Running parameter sets through the project's executors, journaling every replication.

Every parameter set uses the study's seed and replication numbers ``0 .. R-1``, so parameter sets
share their random streams (common random numbers, DESIGN §5), as in ``csc-sim sensitivity``.
Tasks go through :func:`sim.experiment.executors.make_executor` (serial, process pool, Dask) and
:func:`sim.experiment.tasks.run_chunk`, the worker function of ``sim.run``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.analysis.calibrate.journal import Journal
from sim.analysis.calibrate.prior import Prior
from sim.analysis.calibrate.simulator import SingleLASimulator, Stats
from sim.experiment.errors import RunFailedError
from sim.experiment.executors import make_executor
from sim.experiment.progress import make_progress
from sim.experiment.store import failure_table
from sim.experiment.tasks import TaskFailure, auto_chunk_size, make_jobs, run_chunk

FAILURES_QUOTED = 3
#: Most replications per chunk: the journal is written as chunks finish, so a kill loses at most
#: this many finished replications per worker (each a fraction of a second to a few seconds).
JOURNAL_CHUNK = 8


@dataclass(frozen=True)
class RunOptions:
    """How to run: seed, replications, executor."""

    seed: int
    replications: int
    workers: int = 1
    executor: str | None = None
    scheduler: str | None = None
    progress: bool | None = None


def run_points(
    stage: str,
    values: np.ndarray,
    prior: Prior,
    simulator: SingleLASimulator,
    journal: Journal,
    options: RunOptions,
) -> list[list[Stats]]:
    """Statistics of every replication of every parameter set (``[point][replication]``).

    Replications already in the journal are not run again.
    """
    n_arms = len(simulator.arm_names)
    scenarios = []
    for point, row in enumerate(values):
        scenarios.extend(
            simulator.scenarios(prior.overrides(row), source=f"<{stage} point {point}>")
        )
    reps = range(options.replications)
    tasks = [
        (index, rep)
        for index in range(len(scenarios))
        for rep in reps
        if (stage, *divmod(index, n_arms), rep) not in journal.runs
    ]
    total = len(scenarios) * options.replications
    failures: list[TaskFailure] = []
    if tasks:
        pool = make_executor(options.executor, options.workers, options.scheduler)
        with pool:
            bar = make_progress(total, total - len(tasks), options.progress, f"calibrate {stage}")
            try:
                chunk = min(auto_chunk_size(len(tasks), pool.workers), JOURNAL_CHUNK)
                for result in pool.imap_unordered(
                    run_chunk, make_jobs(tasks, options.seed, scenarios, chunk)
                ):
                    for out in result.outputs:
                        point, arm = divmod(out.arm, n_arms)
                        journal.record(
                            (stage, point, arm, out.replication), simulator.statistics(arm, out)
                        )
                    failures.extend(result.failures)
                    bar.update(result.n_tasks)
            finally:
                bar.close()
    if failures:
        labels = [
            f"{stage} point {i // n_arms} {simulator.arm_names[i % n_arms]}"
            for i in range(len(scenarios))
        ]
        quoted = "; ".join(
            f"{labels[f.arm]} replication {f.replication}: {f.error}"
            for f in failures[:FAILURES_QUOTED]
        )
        raise RunFailedError(
            f"{len(failures)} of {total} calibration replications failed: {quoted}.",
            failure_table(failures, labels),
        )
    results: list[list[Stats]] = []
    for point in range(len(values)):
        per_rep = []
        for rep in reps:
            merged: Stats = {}
            for arm in range(n_arms):
                merged.update(journal.runs[(stage, point, arm, rep)])
            per_rep.append(merged)
        results.append(per_rep)
    return results
