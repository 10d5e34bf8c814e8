"""The working folder of a run with an output folder: ``<out>.partial/``.

Layout while a run is in progress::

    <out>.partial/
        plan.json          scenario sha256, seed, replications, arms: resume checks it
        chunks/            chunk-<ordinal>.parquet (monthly rows) + chunk-<ordinal>.json
                           (task index, event outcomes, counters); the JSON is written last,
                           so a chunk counts as finished only once both files are complete
        failures.csv       replications that raised (only when some did)
        staging/           the final folder being written, moved to <out> in one step

The final folder appears only when it is complete (``os.replace`` of ``staging``), so a results
folder is never half-written. An existing results folder is replaced only with ``force``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.experiment.errors import RunInputError
from sim.experiment.layout import FAILURES_CSV, MANIFEST_JSON, PARTIAL_SUFFIX
from sim.experiment.tasks import Task, TaskFailure, TaskOutput
from sim.model.metrics import METRIC_NAMES
from sim.model.output import ARM, LA, MONTH, REPLICATION, TASK_KEYS, series_keys

FAILURE_COLUMNS: tuple[str, ...] = (*TASK_KEYS, "error", "traceback")
CHUNK_GLOB = "chunk-*.json"


class StartMode(Enum):
    """How a run with an output folder starts."""

    FRESH = "fresh"
    RESUME = "resume"
    COMPLETE = "complete"


@dataclass(frozen=True)
class TaskLocation:
    """Where a finished task's rows are, and its per-replication outcomes.

    ``events`` holds one mapping per LA of ``entities`` (one mapping for a single-LA run).
    """

    parquet: Path
    row_start: int
    n_rows: int
    events: list[dict[str, Any]]
    n_events: int
    n_referrals: int
    entities: tuple[str, ...] = ()


def partial_path(out: Path) -> Path:
    """The working folder of the results folder ``out``."""
    return out.with_name(out.name + PARTIAL_SUFFIX)


#: Arrow type of each key column in chunk files (the arm is its index in the run's arm order).
CHUNK_KEY_TYPES: dict[str, pa.DataType] = {
    ARM: pa.int32(),
    REPLICATION: pa.int32(),
    LA: pa.string(),
    MONTH: pa.int32(),
}


def chunk_schema(entities: bool = False) -> pa.Schema:
    """Columns of a chunk file: the key columns (arm as an index), then every metric."""
    keys = [pa.field(name, CHUNK_KEY_TYPES[name]) for name in series_keys(entities)]
    return pa.schema(keys + [pa.field(name, pa.float64()) for name in METRIC_NAMES])


def key_columns(output: TaskOutput) -> dict[str, np.ndarray]:
    """The key columns of a finished task's rows (``la`` only for a population replication)."""
    n_rows, n_months = output.values.shape[0], output.n_months
    columns: dict[str, np.ndarray] = {
        ARM: np.full(n_rows, output.arm, dtype=np.int32),
        REPLICATION: np.full(n_rows, output.replication, dtype=np.int32),
    }
    if output.entities:
        columns[LA] = np.repeat(np.asarray(output.entities, dtype=object), n_months)
    columns[MONTH] = np.tile(
        np.arange(1, n_months + 1, dtype=np.int32), max(len(output.entities), 1)
    )
    return columns


def _stored_events(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A chunk entry's outcomes as a list (a single-LA entry stores one mapping)."""
    events = item["events"]
    return [dict(e) for e in events] if isinstance(events, list) else [dict(events)]


def _json_value(value: Any) -> Any:
    """A JSON-serialisable copy of an event outcome (numpy scalars become Python numbers)."""
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _mismatch(stored: Mapping[str, Any], wanted: Mapping[str, Any]) -> str | None:
    """Describe the first difference between a stored plan and this run's plan."""
    for key, what in (
        ("seed", "seed {}"),
        ("replications", "{} replications per arm"),
        ("scenario_sha256", "a resolved scenario with sha256 {}"),
    ):
        if stored.get(key) != wanted.get(key):
            return f"it used {what.format(stored.get(key))}, this run asks for {what.format(wanted.get(key))}"
    stored_arms = [a.get("label") for a in stored.get("arms", [])]
    wanted_arms = [a["label"] for a in wanted["arms"]]
    if stored_arms != wanted_arms:
        return f"it had arms {stored_arms}, this run has {wanted_arms}"
    if stored.get("posterior") != wanted.get("posterior"):
        return (
            f"it used posterior draws {stored.get('posterior')}, this run asks for "
            f"{wanted.get('posterior')}"
        )
    return None


def _load_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def check_output(out: Path, plan: Mapping[str, Any], resume: bool, force: bool) -> StartMode:
    """Decide how to start a run into ``out``, creating nothing.

    Parameters
    ----------
    out
        The results folder to create.
    plan
        This run's plan record (:meth:`RunPlan.record`).
    resume, force
        The ``--resume`` and ``--force`` options.

    Raises
    ------
    RunInputError
        When ``out`` exists and ``force`` is not given, when it is not a results folder, or when
        an unfinished run is in the way (or does not match on ``resume``).
    """
    partial = partial_path(out)
    if out.exists():
        manifest = _load_json(out / MANIFEST_JSON) if out.is_dir() else None
        if resume and manifest is not None and _mismatch(manifest, plan) is None:
            return StartMode.COMPLETE
        if out.is_file() or (manifest is None and any(out.iterdir())):
            raise RunInputError(
                str(out),
                "exists and is not a results folder (no manifest.json); it will not be overwritten.",
                "Choose another --out.",
            )
        if not force and manifest is not None:
            raise RunInputError(
                str(out),
                "a results folder already exists here.",
                "Use --force to overwrite it, or choose another --out.",
            )
    if not partial.exists():
        return StartMode.FRESH
    if resume:
        stored = _load_json(partial / "plan.json")
        if stored is None:
            raise RunInputError(
                str(partial),
                "cannot resume: the unfinished run has no readable plan.json.",
                "Use --force to discard it and start again.",
            )
        difference = _mismatch(stored, plan)
        if difference:
            raise RunInputError(
                str(partial),
                f"cannot resume: {difference}.",
                "Run with the same scenario and options, or use --force to discard the unfinished run.",
            )
        return StartMode.RESUME
    if force:
        return StartMode.FRESH
    raise RunInputError(
        str(partial),
        "an unfinished run of this results folder exists.",
        "Use --resume to continue it, or --force to discard it and start again.",
    )


class PartialStore:
    """Chunk files, failures and staging of one run.

    Parameters
    ----------
    out
        The final results folder.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.partial = partial_path(out)
        self.chunks_dir = self.partial / "chunks"
        self.staging = self.partial / "staging"

    def create(self, plan: Mapping[str, Any], mode: StartMode) -> None:
        """Make the working folder (fresh: discarding any old one) and record the plan."""
        if mode is StartMode.FRESH and self.partial.exists():
            shutil.rmtree(self.partial)
        self.chunks_dir.mkdir(parents=True, exist_ok=True)
        if self.staging.exists():
            shutil.rmtree(self.staging)
        if mode is StartMode.FRESH or not (self.partial / "plan.json").exists():
            _write_atomic(self.partial / "plan.json", json.dumps(plan, indent=2).encode("utf-8"))

    def completed(self) -> dict[Task, TaskLocation]:
        """Finished tasks found in the chunk files (a chunk without its JSON is ignored)."""
        index: dict[Task, TaskLocation] = {}
        for meta_path in sorted(self.chunks_dir.glob(CHUNK_GLOB)):
            parquet = meta_path.with_suffix(".parquet")
            meta = _load_json(meta_path)
            if meta is None or not parquet.exists():
                continue
            for item in meta.get("tasks", []):
                task = (int(item["arm"]), int(item["replication"]))
                index.setdefault(
                    task,
                    TaskLocation(
                        parquet=parquet,
                        row_start=int(item["row_start"]),
                        n_rows=int(item["n_rows"]),
                        events=_stored_events(item),
                        n_events=int(item["n_events"]),
                        n_referrals=int(item["n_referrals"]),
                        entities=tuple(item.get("entities", ())),
                    ),
                )
        return index

    def write_chunk(
        self, outputs: Iterable[TaskOutput], replications: int
    ) -> dict[Task, TaskLocation]:
        """Write finished tasks as one chunk; return their locations.

        Parameters
        ----------
        outputs
            Finished tasks of one chunk.
        replications
            Replications per arm (numbers the chunk file by its first task).
        """
        ordered = sorted(outputs, key=lambda o: (o.arm, o.replication))
        if not ordered:
            return {}
        stem = f"chunk-{ordered[0].arm * replications + ordered[0].replication:09d}"
        parquet = self.chunks_dir / f"{stem}.parquet"
        tables, meta, locations, row = [], [], {}, 0
        entities = {bool(output.entities) for output in ordered}
        if len(entities) != 1:
            raise ValueError("a chunk mixes single-LA and population replications")
        schema = chunk_schema(entities.pop())
        for output in ordered:
            n_rows = output.values.shape[0]
            columns: dict[str, Any] = key_columns(output)
            columns.update({name: output.values[:, i] for i, name in enumerate(METRIC_NAMES)})
            tables.append(pa.table(columns, schema=schema))
            events = [
                {key: _json_value(value) for key, value in part.items()} for part in output.events
            ]
            entry: dict[str, Any] = {
                "arm": output.arm,
                "replication": output.replication,
                "row_start": row,
                "n_rows": n_rows,
                "n_events": output.n_events,
                "n_referrals": output.n_referrals,
                "events": events if output.entities else events[0],
            }
            if output.entities:
                entry["entities"] = list(output.entities)
            meta.append(entry)
            locations[(output.arm, output.replication)] = TaskLocation(
                parquet, row, n_rows, events, output.n_events, output.n_referrals, output.entities
            )
            row += n_rows
        tmp = parquet.with_name(parquet.name + ".tmp")
        pq.write_table(pa.concat_tables(tables), tmp)
        os.replace(tmp, parquet)
        _write_atomic(parquet.with_suffix(".json"), json.dumps({"tasks": meta}).encode("utf-8"))
        return locations

    def write_failures(self, failures: Iterable[TaskFailure], labels: list[str]) -> pd.DataFrame:
        """Write ``failures.csv`` (arm, replication, error, traceback); return it as a table."""
        table = failure_table(failures, labels)
        self.partial.mkdir(parents=True, exist_ok=True)
        table.to_csv(self.partial / FAILURES_CSV, index=False)
        return table

    def commit(self) -> None:
        """Move the staged folder to ``out`` in one step (replacing an old one) and clean up."""
        previous = self.partial / "previous"
        if self.out.exists():
            os.replace(self.out, previous)
        os.replace(self.staging, self.out)
        shutil.rmtree(self.partial, ignore_errors=True)


def failure_table(failures: Iterable[TaskFailure], labels: list[str]) -> pd.DataFrame:
    """Failed replications as a table: arm label, replication, error, traceback."""
    rows = [
        {
            ARM: labels[f.arm],
            REPLICATION: f.replication,
            "error": f.error,
            "traceback": f.traceback,
        }
        for f in sorted(failures, key=lambda f: (f.arm, f.replication))
    ]
    return pd.DataFrame(rows, columns=list(FAILURE_COLUMNS))
