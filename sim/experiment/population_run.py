"""Run a population scenario (DESIGN §4.9): every LA of the table, per arm and replication.

Arms whose finite pool couples the LAs run one task per replication (every LA in one
environment); the others one task per LA, spread over the executor. Finished tasks are kept in
``<out>.partial/tasks/`` as they arrive, so ``--resume`` recomputes only the missing ones; the
results folder is written into ``<out>.partial/staging/`` and moved to ``<out>`` in one step.

Files (DESIGN §3): ``timeseries.parquet``/``.csv`` (arm, replication, la, month, metrics),
``national.parquet``/``.csv`` (arm, replication, month, date, national aggregates),
``events.csv`` (arm, replication, la, event outcomes), ``deployments.csv`` (every change team),
``summary.csv`` (national aggregates per arm), ``scenario.resolved.yaml``, ``manifest.json``.

Over posterior draws (``--posterior``), each draw's parameter set is laid over every arm as
national settings, under each LA's own figures (as ``--set`` is), replication ``r`` belongs to
draw ``r // R`` (common random numbers across arms within a draw) and every table gains a
``draw`` column after ``replication``; ``summary.csv`` then gives intervals over the draws
(:mod:`sim.experiment.population_summary`).
"""

from __future__ import annotations

import json
import pickle
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.experiment.errors import RunFailedError
from sim.experiment.executors import make_executor
from sim.experiment.layout import (
    EVENTS_CSV,
    MANIFEST_JSON,
    RESOLVED_YAML,
    SUMMARY_CSV,
    TIMESERIES_CSV,
    TIMESERIES_PARQUET,
)
from sim.experiment.manifest import build_manifest, now_iso
from sim.experiment.plan import RunPlan
from sim.experiment.population_summary import national_summary
from sim.experiment.population_tasks import (
    DrawSpecs,
    PopulationJob,
    PopulationTask,
    PopulationTaskOutput,
    SpecsFor,
    draw_of,
    draw_scenarios_of,
    draw_specs,
    make_tasks,
    run_population_task,
    table_specs,
)
from sim.experiment.progress import ProgressOption, make_progress
from sim.experiment.results import Finisher
from sim.experiment.store import StartMode, partial_path
from sim.model.equations import DAYS_PER_YEAR
from sim.model.metrics import EVENT_COLUMNS, METRIC_NAMES
from sim.model.national import LA_POOL_SERIES
from sim.model.national_aggregates import NATIONAL_COLUMNS, national_rows
from sim.model.output import ARM, DRAW, LA, MONTH, REPLICATION
from sim.scenario.scenario import Scenario

#: What a population run's progress counts: an LA in one replication.
LA_RUNS = "LA runs"

NATIONAL_PARQUET = "national.parquet"
NATIONAL_CSV = "national.csv"
DEPLOYMENTS_CSV = "deployments.csv"
TASKS_DIR = "tasks"
PLAN_JSON = "plan.json"


def month_end_dates(scenario: Scenario) -> list[str]:
    """ISO date of each recorded month's end (month 1 ends a month after ``start``)."""
    start = pd.Timestamp(scenario.population.start)
    n = scenario.population.months()
    return [
        (start + pd.DateOffset(months=m) - pd.Timedelta(days=1)).date().isoformat()
        for m in range(1, n + 1)
    ]


class _TaskStore:
    """Finished tasks of an unfinished run, one pickle each, written atomically."""

    def __init__(self, out: Path) -> None:
        self.partial = partial_path(out)
        self.tasks = self.partial / TASKS_DIR
        self.staging = self.partial / "staging"

    def create(self, record: dict[str, Any], mode: StartMode) -> None:
        if mode is StartMode.FRESH and self.partial.exists():
            shutil.rmtree(self.partial)
        self.tasks.mkdir(parents=True, exist_ok=True)
        if self.staging.exists():
            shutil.rmtree(self.staging)
        (self.partial / PLAN_JSON).write_text(json.dumps(record, sort_keys=True), encoding="utf-8")

    def put(self, result: PopulationTaskOutput) -> None:
        path = self.tasks / f"{result.task.key}.pkl"
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)

    def get(self, task: PopulationTask) -> PopulationTaskOutput | None:
        path = self.tasks / f"{task.key}.pkl"
        if not path.is_file():
            return None
        result = pickle.loads(path.read_bytes())  # noqa: S301 - our own working files
        return result if isinstance(result, PopulationTaskOutput) else None

    def commit(self, out: Path) -> None:
        if out.exists():
            shutil.rmtree(out)
        self.staging.replace(out)
        shutil.rmtree(self.partial, ignore_errors=True)


def _combine(
    parts: Sequence[PopulationTaskOutput],
) -> tuple[
    list[str], np.ndarray, list[dict[str, Any]], dict[str, np.ndarray], np.ndarray, list[Any]
]:
    """One replication of one arm from its tasks (in LA order)."""
    parts = sorted(parts, key=lambda p: p.task.first)
    codes = [c for p in parts for c in p.codes]
    values = np.concatenate([p.values for p in parts])
    events = [e for p in parts for e in p.events]
    series = {n: np.concatenate([p.pool_series[n] for p in parts]) for n in LA_POOL_SERIES}
    idle = np.sum([p.pool_idle for p in parts], axis=0)
    deployments = [d for p in parts for d in p.deployments]
    return codes, values, events, series, idle, deployments


def write_population_tables(
    folder: Path,
    plan: RunPlan,
    specs: DrawSpecs,
    tasks: Sequence[PopulationTask],
    store: _TaskStore,
) -> tuple[int, int]:
    """Write the tables of a finished population run into ``folder``; return (events, referrals).

    Tasks are read back from the working folder one replication of one arm at a time and the
    monthly rows streamed to ``timeseries.parquet``/``.csv``, so memory holds one replication's
    rows, not the experiment's. Over posterior draws every table has a ``draw`` column.
    """
    scenarios = draw_scenarios_of(plan)
    drawn = plan.posterior is not None
    key_columns = [ARM, REPLICATION, DRAW] if drawn else [ARM, REPLICATION]
    nat_frames, ev_rows, dep_rows = [], [], []
    by_rep: dict[tuple[int, int], list[PopulationTask]] = {}
    for task in tasks:
        by_rep.setdefault((task.arm, task.replication), []).append(task)
    writer: pq.ParquetWriter | None = None
    csv_path = folder / TIMESERIES_CSV
    n_events = n_referrals = 0
    for (a, r), keys in sorted(by_rep.items()):
        parts: list[PopulationTaskOutput] = []
        for t in keys:
            found = store.get(t)
            if found is None:
                raise RuntimeError(f"the finished task {t.key} is missing from {store.tasks}")
            parts.append(found)
        arm, k = plan.arms[a], draw_of(plan, r)
        scenario, draw = scenarios[a][k], {DRAW: np.int32(k)} if drawn else {}
        codes, values, events, series, idle, deployments = _combine(parts)
        n_las, n_months, _ = values.shape
        n_events += sum(p.n_events for p in parts)
        n_referrals += sum(p.n_referrals for p in parts)
        frame = pd.DataFrame(values.reshape(n_las * n_months, -1), columns=list(METRIC_NAMES))
        frame.insert(0, MONTH, np.tile(np.arange(1, n_months + 1, dtype=np.int32), n_las))
        frame.insert(0, LA, np.repeat(codes, n_months))
        frame.insert(0, REPLICATION, np.int32(r))
        frame.insert(0, ARM, arm.label)
        if drawn:
            frame.insert(2, DRAW, np.int32(k))
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(folder / TIMESERIES_PARQUET, table.schema)
        writer.write_table(table)
        frame.to_csv(csv_path, index=False, mode="a", header=not csv_path.exists())
        metrics = {m: values[:, :, j] for j, m in enumerate(METRIC_NAMES)}
        warmup = specs[a][k][0].scenario.warmup_years * DAYS_PER_YEAR
        rows = national_rows(metrics, series, idle, scenario.population, warmup)
        nat = pd.DataFrame({name: rows[name] for name in NATIONAL_COLUMNS})
        nat.insert(0, "date", month_end_dates(scenario)[:n_months])
        nat.insert(0, MONTH, np.arange(1, n_months + 1, dtype=np.int32))
        nat.insert(0, REPLICATION, np.int32(r))
        nat.insert(0, ARM, arm.label)
        if drawn:
            nat.insert(2, DRAW, np.int32(k))
        nat_frames.append(nat)
        names = {s.code: s.name for s in specs[a][k]}
        for code, ev in zip(codes, events, strict=True):
            ev_rows.append(
                {ARM: arm.label, REPLICATION: r, **draw, LA: code, "la_name": names[code]}
                | {c: ev.get(c) for c in EVENT_COLUMNS}
            )
        for d in deployments:
            dep_rows.append({ARM: arm.label, REPLICATION: r, **draw} | asdict(d))
    if writer is not None:
        writer.close()
    national = pd.concat(nat_frames, ignore_index=True)
    national.to_parquet(folder / NATIONAL_PARQUET, index=False)
    national.to_csv(folder / NATIONAL_CSV, index=False)
    pd.DataFrame(ev_rows, columns=[*key_columns, LA, "la_name", *EVENT_COLUMNS]).to_csv(
        folder / EVENTS_CSV, index=False
    )
    dep_columns = [
        *key_columns,
        LA,
        "reason",
        "formation",
        "requested",
        "decided",
        "start",
        "end",
        "team",
    ]
    pd.DataFrame(dep_rows, columns=dep_columns).to_csv(folder / DEPLOYMENTS_CSV, index=False)
    national_summary(national, [a.label for a in plan.arms]).to_csv(
        folder / SUMMARY_CSV, index=False
    )
    return n_events, n_referrals


def execute_population(
    plan: RunPlan,
    out: Path,
    mode: StartMode,
    *,
    workers: int,
    executor: str | None,
    scheduler: str | None,
    progress: ProgressOption,
    finish: Finisher | None = None,
    specs_for: SpecsFor = table_specs,
) -> None:
    """Run the population tasks not yet done and write the complete results folder ``out``."""
    specs = draw_specs(plan, specs_for)
    scenarios = draw_scenarios_of(plan)
    coupled = [row[0].population.coupled for row in scenarios]
    tasks = make_tasks(len(plan.arms), plan.replications, [len(s[0]) for s in specs], coupled)
    store = _TaskStore(out)
    store.create(plan.record(), mode)
    done: set[PopulationTask] = set()  # finished tasks, kept on disk (bounded memory)
    if mode is StartMode.RESUME:
        for task in tasks:
            found = store.get(task)
            if found is not None and found.error is None:
                done.add(task)
    remaining = [t for t in tasks if t not in done]
    jobs = (
        PopulationJob(
            task=t,
            seed=plan.seed,
            las=tuple(specs[t.arm][draw_of(plan, t.replication)][t.first : t.first + t.n]),
            population=scenarios[t.arm][draw_of(plan, t.replication)].population,
        )
        for t in remaining
    )
    started, clock = now_iso(), time.perf_counter()
    pool = make_executor(executor, workers, scheduler)
    failures: list[PopulationTaskOutput] = []
    with pool:
        # Counted in LA runs: a coupled task of every LA is that many LAs' work.
        bar = make_progress(
            sum(t.n for t in tasks),
            sum(t.n for t in done),
            progress,
            plan.scenario.name,
            unit=LA_RUNS,
        )
        try:
            for result in pool.imap_unordered(run_population_task, jobs):
                if result.error is not None:
                    failures.append(result)
                else:
                    store.put(result)
                    done.add(result.task)
                bar.update(result.task.n)
        finally:
            bar.close()
    if failures:
        first = failures[0]
        raise RunFailedError(
            f"{len(failures)} of {len(tasks)} population tasks failed; the first (arm "
            f"'{plan.arms[first.task.arm].label}', replication {first.task.replication}, LA "
            f"{first.codes[0] if first.codes else '?'}): {first.error}. Finished tasks are kept "
            f"in {store.partial}; fix the cause and rerun with --resume.",
            pd.DataFrame(
                [
                    {
                        ARM: plan.arms[f.task.arm].label,
                        REPLICATION: f.task.replication,
                        "error": f.error,
                        "traceback": f.traceback,
                    }
                    for f in failures
                ]
            ),
            store.partial,
        )
    store.staging.mkdir(parents=True)
    n_events, n_referrals = write_population_tables(store.staging, plan, specs, tasks, store)
    (store.staging / RESOLVED_YAML).write_text(plan.resolved_yaml, encoding="utf-8")
    manifest = build_manifest(
        plan,
        pool.describe(),
        started,
        now_iso(),
        time.perf_counter() - clock,
        {
            "replications": len(tasks),  # population tasks (LAs or whole replications)
            "computed": len(remaining),
            "reused": len(tasks) - len(remaining),
            "events": n_events,
            "referrals": n_referrals,
        },
    )
    la_years = sum(
        t.n
        * (
            plan.arms[t.arm].scenario.warmup_years
            + plan.arms[t.arm].scenario.population.months() / 12
        )
        for t in remaining
    )
    wall = float(manifest["wall_seconds"])
    manifest["population"] = {
        "la_years_computed": round(la_years, 3),
        "seconds_per_la_year": round(wall / la_years, 6) if la_years else None,
        "las": [len(s[0]) for s in specs],
        "coupled": coupled,
        "tasks": len(tasks),
        "start": plan.scenario.population.start.isoformat(),
        "end": plan.scenario.population.end.isoformat(),
    }
    (store.staging / MANIFEST_JSON).write_text(
        json.dumps(manifest, indent=2, default=str), encoding="utf-8"
    )
    if finish is not None:
        finish(store.staging)
    store.commit(out)


def estimate_seconds(
    seconds_per_la_year: float,
    file: str | Path,
    *,
    replications: int | None = None,
    draws: int = 1,
) -> float:
    """Wall seconds a population experiment file would take at ``seconds_per_la_year`` (as
    measured by a run on the same executor and workers), with the file's own replications (or
    ``replications``) for each of ``draws`` posterior draws."""
    from sim.scenario.loader import load_scenario
    from sim.scenario.population import load_population_table
    from sim.scenario.sweep import expand_arms

    scenario = load_scenario(file)
    population = scenario.population
    arms = expand_arms(scenario, source=str(file))
    n_las = len(population.las or load_population_table(population.table or "").rows)
    years = scenario.warmup_years + population.months() / 12
    per_arm = (replications or scenario.replications) * draws
    return seconds_per_la_year * n_las * years * per_arm * len(arms)
