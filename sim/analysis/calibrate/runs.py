"""Running parameter sets through the project's executors, journaling every replication.

Every parameter set uses the study's seed and replication numbers ``0 .. R-1``, so parameter sets
share their random streams (common random numbers, DESIGN §5), as in ``csc-sim sensitivity``.
Tasks go through :func:`sim.experiment.executors.make_executor` (serial, process pool, Dask) and
the simulator's task hook (``worker``, ``jobs``, ``collect``): :func:`sim.experiment.tasks.run_chunk`
for single-LA arms, one replication of every sampled LA for population arms. The statistics of
a replication's arms are merged by :func:`sim.analysis.calibrate.simulator.merge_arms`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.analysis.calibrate.journal import Journal
from sim.analysis.calibrate.prior import Prior
from sim.analysis.calibrate.simulator import Simulator, Stats, merge_arms
from sim.experiment.errors import RunFailedError
from sim.experiment.executors import make_executor
from sim.experiment.progress import make_progress
from sim.experiment.store import failure_table
from sim.experiment.tasks import TaskFailure, auto_chunk_size

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
    simulator: Simulator,
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
                jobs = simulator.jobs(tasks, options.seed, scenarios, chunk)
                for result in pool.imap_unordered(simulator.worker, jobs):
                    collected = simulator.collect(result)
                    for index, replication, stats in collected.stats:
                        point, arm = divmod(index, n_arms)
                        journal.record((stage, point, arm, replication), stats)
                    failures.extend(collected.failures)
                    bar.update(len(collected.stats) + len(collected.failures))
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
            arms = [journal.runs[(stage, point, arm, rep)] for arm in range(n_arms)]
            per_rep.append(merge_arms(arms))
        results.append(per_rep)
    return results
