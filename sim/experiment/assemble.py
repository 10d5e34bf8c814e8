"""Final tables of a run, written chunk by chunk in (arm, replication) order.

``timeseries.parquet`` is written with a ``pyarrow.parquet.ParquetWriter`` in row groups of a
fixed size, so memory stays bounded however many replications there are, and the file's bytes do
not depend on how the work was chunked (an interrupted and resumed run writes the same file as
an uninterrupted one). ``timeseries.csv`` is streamed alongside; ``events.csv`` has one small row
per replication.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sim.experiment.layout import EVENTS_CSV, TIMESERIES_CSV, TIMESERIES_PARQUET
from sim.experiment.store import CHUNK_KEY_TYPES, TaskLocation, key_columns
from sim.experiment.tasks import Task, TaskOutput
from sim.model.metrics import EVENT_COLUMNS, METRIC_NAMES, TEXT_EVENT_COLUMNS
from sim.model.output import ARM, DRAW, LA, REPLICATION, event_keys, series_keys

#: Rows per Parquet row group (fixed, so the file does not depend on chunking).
ROW_GROUP_ROWS = 65_536
#: Chunk tables kept in memory while assembling (a resumed run may interleave chunks).
CHUNK_CACHE = 2


def _with_draw(names: Sequence[str], draws: bool) -> list[str]:
    """Column names with ``draw`` after ``replication`` (a run over a posterior)."""
    out = list(names)
    if draws:
        out.insert(out.index(REPLICATION) + 1, DRAW)
    return out


def timeseries_schema(entities: bool = False, draws: bool = False) -> pa.Schema:
    """Columns of ``timeseries``: the key columns (arm as its label), then every metric.

    Parameters
    ----------
    entities
        A population run: an ``la`` column before ``month``.
    draws
        A run over a posterior: a ``draw`` column after ``replication``.
    """
    types = {**CHUNK_KEY_TYPES, ARM: pa.string(), DRAW: pa.int32()}
    keys = [pa.field(name, types[name]) for name in _with_draw(series_keys(entities), draws)]
    return pa.schema(keys + [pa.field(name, pa.float64()) for name in METRIC_NAMES])


def events_columns(entities: bool = False, draws: bool = False) -> list[str]:
    """Columns of ``events.csv``: the key columns (and ``draw``), then every event outcome."""
    return [*_with_draw(event_keys(entities), draws), *EVENT_COLUMNS]


def with_arm_order(frame: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """Make ``arm`` a categorical column whose categories follow the run's arm order."""
    frame[ARM] = pd.Categorical(frame[ARM].astype(str), categories=list(labels))
    return frame


def read_events(source: Path | io.StringIO, labels: Sequence[str]) -> pd.DataFrame:
    """``events.csv`` as a table (the one reader, so in-memory and saved results agree).

    Floats are parsed exactly (``float_precision="round_trip"``): pandas' default parser can be
    one unit in the last place off, so a table read, written and read again (a blessed
    reference) would differ from the run it came from."""
    frame = pd.read_csv(
        source,
        dtype=dict.fromkeys(TEXT_EVENT_COLUMNS, "string"),
        keep_default_na=True,
        float_precision="round_trip",
    )
    return with_arm_order(frame, labels)


def has_entities(items: Iterable[TaskOutput | TaskLocation]) -> bool:
    """Whether a run's replications are population replications (an ``la`` column).

    Raises
    ------
    ValueError
        When some are and some are not.
    """
    kinds = {bool(item.entities) for item in items}
    if len(kinds) > 1:
        raise ValueError("a run mixes single-LA and population replications")
    return kinds == {True}


def events_table(
    items: Iterable[tuple[int, int, TaskOutput | TaskLocation]],
    labels: Sequence[str],
    per_draw: int = 0,
) -> pd.DataFrame:
    """One row per arm x replication (x LA): the key columns and the event outcomes.

    Parameters
    ----------
    items
        ``(arm, replication, finished task)`` in (arm, replication) order.
    labels
        Arm labels by arm index.
    per_draw
        Replications per posterior draw (adds the ``draw`` column); 0 without a posterior.
    """
    listed = list(items)
    entities = has_entities(item for _, _, item in listed)
    rows: list[dict[str, Any]] = []
    for arm, rep, item in listed:
        codes: Sequence[str | None] = item.entities or [None]
        for code, events in zip(codes, item.events, strict=True):
            keys: dict[str, Any] = {ARM: labels[arm], REPLICATION: rep}
            if per_draw:
                keys[DRAW] = rep // per_draw
            if entities:
                keys[LA] = code
            rows.append({**keys, **{c: events.get(c) for c in EVENT_COLUMNS}})
    return pd.DataFrame(rows, columns=events_columns(entities, bool(per_draw)))


@dataclass(frozen=True)
class Totals:
    """Counters summed over all replications, for the manifest."""

    replications: int
    events: int
    referrals: int


class _ChunkCache:
    """The last few chunk tables read, so consecutive runs of rows cost one read."""

    def __init__(self) -> None:
        self._tables: OrderedDict[Path, pa.Table] = OrderedDict()

    def get(self, path: Path) -> pa.Table:
        if path in self._tables:
            self._tables.move_to_end(path)
        else:
            self._tables[path] = pq.read_table(path)
            if len(self._tables) > CHUNK_CACHE:
                self._tables.popitem(last=False)
        return self._tables[path]


def _blank_nan(table: pa.Table) -> pa.Table:
    """NaN floats as nulls, so the CSV shows an empty cell (not ``nan``) for an undefined value."""
    for i, column in enumerate(table.columns):
        if pa.types.is_floating(column.type):
            cleaned = pc.if_else(pc.is_nan(column), pa.scalar(None, column.type), column)
            table = table.set_column(i, table.field(i), cleaned)
    return table


class _RowGroupWriter:
    """Buffers tables and writes Parquet row groups of exactly ``ROW_GROUP_ROWS`` rows."""

    def __init__(self, parquet: Path, csv: Path, schema: pa.Schema) -> None:
        self._parquet = pq.ParquetWriter(parquet, schema)
        self._csv = pacsv.CSVWriter(str(csv), schema)
        self._buffer: list[pa.Table] = []
        self._rows = 0

    def write(self, table: pa.Table) -> None:
        self._csv.write_table(_blank_nan(table))
        self._buffer.append(table)
        self._rows += table.num_rows
        if self._rows >= ROW_GROUP_ROWS:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        if not self._buffer:
            return
        pending = pa.concat_tables(self._buffer)
        start = 0
        while pending.num_rows - start >= ROW_GROUP_ROWS or (final and start < pending.num_rows):
            group = pending.slice(start, ROW_GROUP_ROWS)
            self._parquet.write_table(group, row_group_size=ROW_GROUP_ROWS)
            start += group.num_rows
        rest = pending.slice(start)
        self._buffer = [rest] if rest.num_rows else []
        self._rows = rest.num_rows

    def close(self) -> None:
        self._flush(final=True)
        self._parquet.close()
        self._csv.close()


def _runs(
    order: Sequence[Task], index: Mapping[Task, TaskLocation]
) -> list[tuple[Path, int, int, list[Task]]]:
    """Group consecutive tasks whose rows are contiguous in one chunk file."""
    runs: list[tuple[Path, int, int, list[Task]]] = []
    for task in order:
        loc = index[task]
        if runs and runs[-1][0] == loc.parquet and runs[-1][1] + runs[-1][2] == loc.row_start:
            path, start, length, tasks = runs[-1]
            runs[-1] = (path, start, length + loc.n_rows, [*tasks, task])
        else:
            runs.append((loc.parquet, loc.row_start, loc.n_rows, [task]))
    return runs


def write_tables(
    folder: Path,
    order: Sequence[Task],
    index: Mapping[Task, TaskLocation],
    labels: Sequence[str],
    per_draw: int = 0,
) -> Totals:
    """Write ``timeseries.parquet``, ``timeseries.csv`` and ``events.csv`` into ``folder``.

    Parameters
    ----------
    folder
        Destination folder (exists).
    order
        Every task, in (arm, replication) order.
    index
        Where each task's rows and outcomes are.
    labels
        Arm labels by arm index.
    per_draw
        Replications per posterior draw (adds the ``draw`` column); 0 without a posterior.
    """
    schema = timeseries_schema(has_entities(index[t] for t in order), bool(per_draw))
    writer = _RowGroupWriter(folder / TIMESERIES_PARQUET, folder / TIMESERIES_CSV, schema)
    cache = _ChunkCache()
    label_array = pa.array(list(labels), pa.string())
    try:
        for path, start, length, _ in _runs(order, index):
            rows = cache.get(path).slice(start, length)
            arm = pc.take(label_array, rows.column(ARM))
            rows = rows.set_column(0, schema.field(ARM), arm)
            if per_draw:
                rep = rows.column(REPLICATION).to_numpy()
                draw = pa.array((rep // per_draw).astype(np.int32))
                rows = rows.add_column(rows.schema.get_field_index(REPLICATION) + 1, DRAW, draw)
            writer.write(rows.cast(schema))
    finally:
        writer.close()
    events = events_table(((arm, rep, index[(arm, rep)]) for arm, rep in order), labels, per_draw)
    events.to_csv(folder / EVENTS_CSV, index=False)
    return Totals(
        replications=len(order),
        events=sum(index[t].n_events for t in order),
        referrals=sum(index[t].n_referrals for t in order),
    )


def write_timeseries_frame(frame: pd.DataFrame, folder: Path) -> None:
    """Write an in-memory ``timeseries`` table as ``timeseries.parquet`` and ``timeseries.csv``.

    Produces the same files as :func:`write_tables` for the same rows.
    """
    schema = timeseries_schema(LA in frame.columns, DRAW in frame.columns)
    data = frame.loc[:, list(schema.names)].copy()
    data[ARM] = data[ARM].astype(str)
    table = pa.Table.from_pandas(data, schema=schema, preserve_index=False)
    writer = _RowGroupWriter(folder / TIMESERIES_PARQUET, folder / TIMESERIES_CSV, schema)
    try:
        for batch in table.to_batches(max_chunksize=ROW_GROUP_ROWS):
            writer.write(pa.Table.from_batches([batch], schema=schema))
    finally:
        writer.close()


def timeseries_frame(
    outputs: Sequence[TaskOutput], labels: Sequence[str], per_draw: int = 0
) -> pd.DataFrame:
    """The ``timeseries`` table of finished tasks, built in memory.

    The same table as ``timeseries.parquet`` read back (``Results.timeseries``): key columns
    (``arm`` categorical in arm order, ``replication`` and ``month`` int32, ``la`` text), then
    every metric as float64.

    Parameters
    ----------
    outputs
        Finished tasks in (arm, replication) order.
    labels
        Arm labels by arm index.
    per_draw
        Replications per posterior draw (adds the ``draw`` column); 0 without a posterior.
    """
    entities = has_entities(outputs)
    keys = [key_columns(output) for output in outputs]
    columns: dict[str, Any] = {}
    for name in series_keys(entities):
        parts = [k[name] for k in keys]
        joined = (
            np.concatenate(parts) if parts else np.empty(0, CHUNK_KEY_TYPES[name].to_pandas_dtype())
        )
        columns[name] = (
            pd.Categorical.from_codes(joined.astype(np.int32), categories=pd.Index(list(labels)))
            if name == ARM
            else joined
        )
        if name == REPLICATION and per_draw:
            columns[DRAW] = (joined // per_draw).astype(np.int32)
    values = (
        np.concatenate([o.values for o in outputs]) if outputs else np.empty((0, len(METRIC_NAMES)))
    )
    columns.update({name: values[:, i] for i, name in enumerate(METRIC_NAMES)})
    return pd.DataFrame(columns)


def events_frame(
    outputs: Sequence[TaskOutput], labels: Sequence[str], per_draw: int = 0
) -> pd.DataFrame:
    """The ``events`` table of finished tasks, built in memory as ``events.csv`` reads back.

    The table goes through CSV text in memory, so its column types are exactly those of a
    saved folder's ``events.csv`` (one row per replication: a few kilobytes).
    """
    table = events_table(((o.arm, o.replication, o) for o in outputs), labels, per_draw)
    text = io.StringIO(table.to_csv(index=False))
    return read_events(text, labels)
