"""``sim.run``: run a scenario or a sweep, replications spread over an executor.

Steps: validate everything (scenario, arms, options, output folder) before creating anything;
run the (arm, replication) tasks not yet done on the executor (the task stream,
:mod:`sim.experiment.stream`); with an output folder, write each finished chunk to
``<out>.partial/chunks/`` as it arrives and, when all are done, write the results folder into
``<out>.partial/staging/`` and move it to ``<out>`` in one step; without one, build the tables
in memory from the outputs (no files: what a calibration loop calling ``sim.run`` thousands of
times pays per call).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.experiment.assemble import events_frame, timeseries_frame, write_tables
from sim.experiment.errors import RunCancelled, RunFailedError, RunInputError
from sim.experiment.executors import Executor, check_executor_options, make_executor
from sim.experiment.layout import FAILURES_CSV, MANIFEST_JSON, RESOLVED_YAML
from sim.experiment.manifest import build_manifest, now_iso
from sim.experiment.partial import PartialCallback, PartialCollector
from sim.experiment.plan import RunPlan, ScenarioLike, prepare_plan
from sim.experiment.progress import ProgressOption
from sim.experiment.results import Finisher, Results, load_results, write_json
from sim.experiment.store import (
    PartialStore,
    StartMode,
    TaskLocation,
    check_output,
    failure_table,
)
from sim.experiment.stream import OutputSink, failure_message, stream_tasks
from sim.experiment.tasks import Task, TaskFailure, TaskOutput


def _check_chunk_size(chunk_size: int | None) -> None:
    if chunk_size is None:
        return
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise RunInputError(
            "chunk_size", f"must be a whole number of at least 1, got {chunk_size!r}."
        )


@dataclass(frozen=True)
class _Options:
    """How to run the tasks: the executor and its options, progress and chunking."""

    workers: int
    executor: str | None
    scheduler: str | None
    progress: ProgressOption
    chunk_size: int | None
    partial: PartialCallback | None = None


class _ExecutorFailed(Exception):
    """The executor itself broke down (not a replication): worded by the caller."""


def _stream(
    plan: RunPlan, pool: Executor, tasks: list[Task], sink: OutputSink, options: _Options
) -> list[TaskFailure]:
    """Run ``tasks`` of ``plan`` on ``pool``; an executor breakdown becomes a run failure."""
    try:
        return stream_tasks(
            pool,
            tasks,
            plan.seed,
            [arm.scenario for arm in plan.arms],
            sink,
            progress=options.progress,
            title=plan.scenario.name,
            total=plan.n_tasks,
            chunk_size=options.chunk_size,
            draws=plan.draw_arms,
            per_draw=plan.per_draw,
        )
    except RunCancelled:
        raise  # the caller asked to stop: not an executor failure
    except Exception as err:
        raise _ExecutorFailed(
            f"The {pool.name} executor failed: {type(err).__name__}: {err}."
        ) from err


def _observed(plan: RunPlan, sink: OutputSink, options: _Options) -> OutputSink:
    """``sink``, also reporting the results so far when the caller asked for them."""
    if options.partial is None:
        return sink
    collector = PartialCollector(plan.record()["arms"], plan.n_tasks, options.partial)

    def both(outputs: list[TaskOutput]) -> None:
        sink(outputs)
        collector.add(outputs)

    return both


def _arm_names(plan: RunPlan) -> list[str]:
    return [f"arm '{arm.label}'" for arm in plan.arms]


def _manifest(
    plan: RunPlan, pool: Executor, started: str, clock: float, totals: dict[str, int]
) -> dict[str, Any]:
    return build_manifest(
        plan, pool.describe(), started, now_iso(), time.perf_counter() - clock, totals
    )


def _execute(
    plan: RunPlan, out: Path, mode: StartMode, options: _Options, finish: Finisher | None
) -> None:
    """Run the tasks not yet done and write the complete results folder ``out``.

    Each finished chunk is written to ``<out>.partial/chunks/`` as it arrives; ``finish`` adds
    the derived files to the staged folder before it is moved into place.
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
    pool = make_executor(options.executor, options.workers, options.scheduler)

    def write(outputs: list[TaskOutput]) -> None:
        index.update(store.write_chunk(outputs, plan.replications))

    try:
        if remaining:
            failures = _stream(plan, pool, remaining, _observed(plan, write, options), options)
    except _ExecutorFailed as err:
        raise RunFailedError(
            f"{err} Finished replications are kept in {store.partial}; rerun with --resume to "
            "continue.",
            failure_table([], labels),
            store.partial,
        ) from err.__cause__
    if failures:
        table = store.write_failures(failures, labels)
        message = failure_message(
            failures, _arm_names(plan), len(order), store.partial / FAILURES_CSV
        )
        raise RunFailedError(message, table, store.partial)
    store.staging.mkdir(parents=True)
    totals = write_tables(store.staging, order, index, labels, per_draw=plan.per_draw)
    (store.staging / RESOLVED_YAML).write_text(plan.resolved_yaml, encoding="utf-8")
    manifest = _manifest(
        plan,
        pool,
        started,
        clock,
        {
            "replications": totals.replications,
            "computed": len(remaining),
            "reused": len(order) - len(remaining),
            "events": totals.events,
            "referrals": totals.referrals,
        },
    )
    write_json(store.staging / MANIFEST_JSON, manifest)
    if finish is not None:
        finish(store.staging)
    store.commit()


def _execute_in_memory(plan: RunPlan, options: _Options) -> Results:
    """Run every task and build the results in memory (no folder, no files)."""
    order: list[Task] = [(a, r) for a in range(len(plan.arms)) for r in range(plan.replications)]
    labels = [arm.label for arm in plan.arms]
    outputs: list[TaskOutput] = []
    started, clock = now_iso(), time.perf_counter()
    pool = make_executor(options.executor, options.workers, options.scheduler)
    try:
        failures = _stream(plan, pool, order, _observed(plan, outputs.extend, options), options)
    except _ExecutorFailed as err:
        raise RunFailedError(str(err), failure_table([], labels)) from err.__cause__
    if failures:
        message = failure_message(failures, _arm_names(plan), len(order))
        raise RunFailedError(message, failure_table(failures, labels))
    outputs.sort(key=lambda o: (o.arm, o.replication))
    manifest = _manifest(
        plan,
        pool,
        started,
        clock,
        {
            "replications": len(outputs),
            "computed": len(outputs),
            "reused": 0,
            "events": sum(o.n_events for o in outputs),
            "referrals": sum(o.n_referrals for o in outputs),
        },
    )
    return Results(
        manifest,
        timeseries=timeseries_frame(outputs, labels, per_draw=plan.per_draw),
        events=events_frame(outputs, labels, per_draw=plan.per_draw),
        scenario_yaml=lambda: plan.resolved_yaml,
    )


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
    finish: Finisher | None = None,
    partial: PartialCallback | None = None,
    overrides: dict[str, Any] | None = None,
    posterior: str | os.PathLike[str] | None = None,
    draws: int | None = None,
) -> Results:
    """Run a scenario (or every arm of a sweep) for several replications.

    Every arm runs with the same seed and replication numbers (common random numbers), and
    seeds are fixed before dispatch, so results are bit-identical whatever the executor and
    the number of workers. ``sim.run`` (:func:`sim.api.run`) is this function with the
    analysis layer's summary and report as ``finish``, returning the :class:`sim.api.Results`
    facade.

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
        Results folder to write. ``None`` builds the results in memory only (no files).
    resume
        Continue an interrupted run of ``out`` from its chunk files.
    force
        Overwrite an existing results folder (or discard an unfinished run).
    progress
        Show a progress bar; ``None`` shows one only on an interactive terminal; a function
        ``(done, total)`` is called instead as replications finish (the explorer's bar).
    chunk_size
        Replications per task sent to a worker; default about tasks / (workers x 4).
    finish
        Adds derived files to the staged results folder before it is moved into place (only
        with ``out``).
    partial
        Called after every finished chunk with the results so far
        (:class:`~sim.experiment.partial.PartialResults`: the tables of the replications
        finished, in (arm, replication) order); raising
        :class:`~sim.experiment.errors.RunCancelled` from it stops the run. Not called for a
        population run.
    overrides
        Dotted field path -> value applied to the scenario file (``--set``); the manifest
        records the file as ``source`` and these as ``overrides``.
    posterior, draws
        Run every arm over ``draws`` parameter sets drawn from this ``posterior.parquet``
        (:mod:`sim.experiment.posterior`): ``replications`` per draw, a ``draw`` column in
        the tables, common random numbers across arms within each draw.

    Returns
    -------
    Results
        The tables and the manifest (plain data).

    Raises
    ------
    ScenarioError
        Bad input (scenario, arm, option, output folder); nothing is created.
    RunFailedError
        Some replications raised; with ``out``, the others are kept for ``resume``.
    """
    plan = prepare_plan(
        scenario, replications, seed, overrides=overrides, posterior=posterior, draws=draws
    )
    check_executor_options(executor, workers, scheduler)
    _check_chunk_size(chunk_size)
    if out is None and plan.scenario.is_population:
        raise RunInputError(
            "out",
            "a population run writes a results folder; give one.",
            f"For example out='results/{plan.scenario.name}'.",
        )
    options = _Options(workers, executor, scheduler, progress, chunk_size, partial)
    if out is None:
        return _execute_in_memory(plan, options)
    target = Path(out)
    mode = check_output(target, plan.record(), resume, force)
    if plan.scenario.is_population:  # every LA of a table (DESIGN §4.9)
        from sim.experiment.population_run import execute_population

        if mode is not StartMode.COMPLETE:
            execute_population(
                plan,
                target,
                mode,
                workers=workers,
                executor=executor,
                scheduler=scheduler,
                progress=progress,
                finish=finish,
            )
        return load_results(target)
    if mode is not StartMode.COMPLETE:
        _execute(plan, target, mode, options, finish)
    return load_results(target)
