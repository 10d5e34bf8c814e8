"""The task stream: (arm, replication) tasks run on an executor, results handed on as they come.

One loop for every caller that runs replications (``sim.run``, sensitivity designs): it splits
the tasks into chunks, runs them on the executor behind a progress bar, hands each finished
chunk's outputs to the caller, collects the replications that raised, and words the error that
quotes them. Callers differ only in what they do with each output (write a chunk file, keep it
in memory, reduce it to a statistic).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sim.experiment.executors import Executor
from sim.experiment.progress import ProgressOption, make_progress
from sim.experiment.tasks import (
    Task,
    TaskFailure,
    TaskOutput,
    auto_chunk_size,
    make_jobs,
    run_chunk,
)
from sim.scenario.scenario import Scenario

#: Failures quoted in the error message (the rest are in the failures table).
FAILURES_QUOTED = 3

OutputSink = Callable[[list[TaskOutput]], None]
"""Receives the finished outputs of one chunk, in the order the chunk ran them."""


def stream_tasks(
    pool: Executor,
    tasks: Sequence[Task],
    seed: int,
    scenarios: Sequence[Scenario],
    sink: OutputSink,
    *,
    progress: ProgressOption,
    title: str,
    total: int | None = None,
    chunk_size: int | None = None,
    draws: Sequence[Sequence[Scenario]] = (),
    per_draw: int = 0,
) -> list[TaskFailure]:
    """Run ``tasks`` on ``pool`` and hand each finished chunk's outputs to ``sink``.

    Parameters
    ----------
    pool
        The executor (not yet entered: it is started before the progress bar's thread exists).
    tasks
        ``(arm, replication)`` pairs still to run, in (arm, replication) order.
    seed
        Base seed of the experiment (the same for every arm: common random numbers).
    scenarios
        Scenario of each arm, by arm index.
    sink
        Called with each chunk's finished outputs as the chunk arrives.
    progress
        Show a progress bar; ``None`` shows one only on an interactive terminal; a function
        ``(done, total)`` is called instead as replications finish.
    title
        Name on the progress bar.
    total
        Tasks of the whole run, when some were done before (resume); default ``len(tasks)``.
    chunk_size
        Replications per chunk; default about tasks / (workers x 4).
    draws, per_draw
        ``[arm][draw]`` -> scenario and replications per draw, for a run over a posterior
        (:func:`~sim.experiment.tasks.make_jobs`).

    Returns
    -------
    list of TaskFailure
        The replications that raised, in (arm, replication) order; the others all reached
        ``sink``.
    """
    failures: list[TaskFailure] = []
    total = len(tasks) if total is None else total
    with pool:  # started before the progress bar's thread exists (see executors)
        bar = make_progress(total, total - len(tasks), progress, title)
        try:
            size = chunk_size or auto_chunk_size(len(tasks), pool.workers)
            jobs = make_jobs(tasks, seed, scenarios, size, draws=draws, per_draw=per_draw)
            for result in pool.imap_unordered(run_chunk, jobs):
                sink(result.outputs)
                failures.extend(result.failures)
                bar.update(result.n_tasks)
        finally:
            bar.close()
    return sorted(failures, key=lambda f: (f.arm, f.replication))


def failure_message(
    failures: Sequence[TaskFailure],
    names: Sequence[str],
    n_tasks: int,
    details: Path | None = None,
    what: str = "replications",
) -> str:
    """The one-paragraph error of a run whose replications raised, quoting the first few.

    Parameters
    ----------
    failures
        The failed replications, in (arm, replication) order.
    names
        How to name each arm index in the message (``arm '6 months'``, ``point 3, arm ...``).
    n_tasks
        Replications of the whole run.
    details
        ``failures.csv`` of the working folder that keeps the finished replications for
        ``--resume``, when there is one.
    what
        What the tasks are called (``"replications"``, ``"sensitivity replications"``).
    """
    quoted = "; ".join(
        f"{names[f.arm]} replication {f.replication}: {f.error}" for f in failures[:FAILURES_QUOTED]
    )
    more = (
        f" (and {len(failures) - FAILURES_QUOTED} more)" if len(failures) > FAILURES_QUOTED else ""
    )
    text = f"{len(failures)} of {n_tasks} {what} failed: {quoted}{more}."
    if details is None:
        return text + " The tracebacks are in the error's `failures` table."
    return (
        f"{text} Details (with tracebacks) are in {details}. The other replications "
        "finished and were kept; fix the cause and rerun with --resume to compute only the "
        "missing ones."
    )
