"""``sim.run``: run a scenario or a sweep, replications spread over an executor.

Steps: validate everything (scenario, arms, options, output folder) before creating anything;
split the (arm, replication) tasks not yet done into chunks; run them on the executor; write
each finished chunk to ``<out>.partial/chunks/`` as it arrives; when all are done, write the
results folder into ``<out>.partial/staging/`` and move it to ``<out>`` in one step.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from sim.experiment.assemble import write_tables
from sim.experiment.errors import RunFailedError, RunInputError
from sim.experiment.executors import Executor, check_executor_options, make_executor
from sim.experiment.layout import FAILURES_CSV, MANIFEST_JSON, RESOLVED_YAML
from sim.experiment.manifest import build_manifest, now_iso
from sim.experiment.plan import RunPlan, ScenarioLike, prepare_plan
from sim.experiment.progress import ProgressOption, make_progress
from sim.experiment.results import Results, load_results, write_derived, write_json
from sim.experiment.store import (
    PartialStore,
    StartMode,
    TaskLocation,
    check_output,
    failure_table,
)
from sim.experiment.tasks import Task, TaskFailure, auto_chunk_size, make_jobs, run_chunk

#: Failures quoted in the error message (the rest are in failures.csv).
FAILURES_QUOTED = 3


def _check_chunk_size(chunk_size: int | None) -> None:
    if chunk_size is None:
        return
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise RunInputError(
            "chunk_size", f"must be a whole number of at least 1, got {chunk_size!r}."
        )


def _failure_message(
    failures: list[TaskFailure], labels: list[str], n_tasks: int, partial: Path | None
) -> str:
    quoted = "; ".join(
        f"arm '{labels[f.arm]}' replication {f.replication}: {f.error}"
        for f in failures[:FAILURES_QUOTED]
    )
    more = (
        f" (and {len(failures) - FAILURES_QUOTED} more)" if len(failures) > FAILURES_QUOTED else ""
    )
    text = f"{len(failures)} of {n_tasks} replications failed: {quoted}{more}."
    if partial is None:
        return text + " The tracebacks are in the error's `failures` table."
    return (
        f"{text} Details (with tracebacks) are in {partial / FAILURES_CSV}. The other replications "
        "finished and were kept; fix the cause and rerun with --resume to compute only the "
        "missing ones."
    )


def _compute(
    plan: RunPlan,
    store: PartialStore,
    remaining: list[Task],
    index: dict[Task, TaskLocation],
    pool: Executor,
    progress: ProgressOption,
    chunk_size: int | None,
) -> list[TaskFailure]:
    """Run the remaining tasks on ``pool``, writing each chunk as it arrives (updates ``index``)."""
    failures: list[TaskFailure] = []
    with pool:  # started before the progress bar's thread exists (see executors)
        bar = make_progress(
            plan.n_tasks, plan.n_tasks - len(remaining), progress, plan.scenario.name
        )
        try:
            size = chunk_size or auto_chunk_size(len(remaining), pool.workers)
            jobs = make_jobs(remaining, plan.seed, [arm.scenario for arm in plan.arms], size)
            for result in pool.imap_unordered(run_chunk, jobs):
                index.update(store.write_chunk(result.outputs, plan.replications))
                failures.extend(result.failures)
                bar.update(result.n_tasks)
        finally:
            bar.close()
    return failures


def _execute(
    plan: RunPlan,
    out: Path,
    mode: StartMode,
    *,
    workers: int,
    executor: str | None,
    scheduler: str | None,
    progress: ProgressOption,
    chunk_size: int | None,
    report: bool,
    resumable: bool = True,
) -> None:
    """Run the tasks not yet done and write the complete results folder ``out``.

    ``resumable`` is false for a run into a temporary folder (no ``out``): messages then do
    not point at a working folder that is about to disappear.
    """
    store = PartialStore(out)
    store.create(plan.record(), mode)
    order: list[Task] = [(a, r) for a in range(len(plan.arms)) for r in range(plan.replications)]
    found = store.completed() if mode is StartMode.RESUME else {}
    index: dict[Task, TaskLocation] = {t: found[t] for t in order if t in found}
    remaining = [t for t in order if t not in index]
    labels = [arm.label for arm in plan.arms]
    failures: list[TaskFailure] = []
    started, clock = now_iso(), time.perf_counter()
    pool = make_executor(executor, workers, scheduler)
    try:
        if remaining:
            failures = _compute(plan, store, remaining, index, pool, progress, chunk_size)
    except Exception as err:
        kept = (
            f" Finished replications are kept in {store.partial}; rerun with --resume to continue."
        )
        raise RunFailedError(
            f"The {pool.name} executor failed: {type(err).__name__}: {err}.{kept if resumable else ''}",
            failure_table([], labels),
            store.partial if resumable else None,
        ) from err
    if failures:
        failures.sort(key=lambda f: (f.arm, f.replication))
        table = store.write_failures(failures, labels)
        partial = store.partial if resumable else None
        raise RunFailedError(
            _failure_message(failures, labels, len(order), partial), table, partial
        )
    store.staging.mkdir(parents=True)
    totals = write_tables(store.staging, order, index, labels)
    (store.staging / RESOLVED_YAML).write_text(plan.resolved_yaml, encoding="utf-8")
    manifest = build_manifest(
        plan,
        pool.describe(),
        started,
        now_iso(),
        time.perf_counter() - clock,
        {
            "replications": totals.replications,
            "computed": len(remaining),
            "reused": len(order) - len(remaining),
            "events": totals.events,
            "referrals": totals.referrals,
        },
    )
    write_json(store.staging / MANIFEST_JSON, manifest)
    write_derived(store.staging, report=report)
    store.commit()


def run(
    scenario: ScenarioLike,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    executor: str | None = None,
    scheduler: str | None = None,
    out: str | os.PathLike[str] | None = None,
    resume: bool = False,
    force: bool = False,
    progress: ProgressOption = None,
    chunk_size: int | None = None,
    *,
    report: bool = True,
) -> Results:
    """Run a scenario (or every arm of a sweep) for several replications.

    Every arm runs with the same seed and replication numbers (common random numbers), and
    seeds are fixed before dispatch, so results are bit-identical whatever the executor and
    the number of workers.

    Parameters
    ----------
    scenario
        A :class:`~sim.scenario.scenario.Scenario` or the path of a scenario or sweep file.
    replications, seed
        Replications per arm and base seed; default: the scenario's own.
    workers
        Worker processes (at least 1).
    executor
        ``"serial"``, ``"process"`` or ``"dask"``; default serial for one worker, else process.
    scheduler
        Address of an existing Dask scheduler (implies ``executor="dask"``).
    out
        Results folder to write. ``None`` keeps the results in memory only.
    resume
        Continue an interrupted run of ``out`` from its chunk files.
    force
        Overwrite an existing results folder (or discard an unfinished run).
    progress
        Show a progress bar; ``None`` shows one only on an interactive terminal; a function
        ``(done, total)`` is called instead as replications finish (the explorer's bar).
    chunk_size
        Replications per task sent to a worker; default about tasks / (workers x 4).
    report
        Also draw the curves and write ``report.html`` (only with ``out``).

    Returns
    -------
    Results
        The tables, the manifest, and methods to summarise and plot them.

    Raises
    ------
    ScenarioError
        Bad input (scenario, arm, option, output folder); nothing is created.
    RunFailedError
        Some replications raised; the others are kept for ``resume``.
    """
    plan = prepare_plan(scenario, replications, seed)
    check_executor_options(executor, workers, scheduler)
    _check_chunk_size(chunk_size)
    if out is None:
        with tempfile.TemporaryDirectory(prefix="csc-sim-") as tmp:
            folder = Path(tmp) / "run"
            _execute(
                plan,
                folder,
                StartMode.FRESH,
                workers=workers,
                executor=executor,
                scheduler=scheduler,
                progress=progress,
                chunk_size=chunk_size,
                report=False,
                resumable=False,
            )
            return load_results(folder).in_memory()
    target = Path(out)
    mode = check_output(target, plan.record(), resume, force)
    if mode is not StartMode.COMPLETE:
        _execute(
            plan,
            target,
            mode,
            workers=workers,
            executor=executor,
            scheduler=scheduler,
            progress=progress,
            chunk_size=chunk_size,
            report=report,
        )
    return load_results(target)
