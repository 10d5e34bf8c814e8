"""Final tables of a run, written chunk by chunk in (arm, replication) order.

``timeseries.parquet`` is written with a ``pyarrow.parquet.ParquetWriter`` in row groups of a
fixed size, so memory stays bounded however many replications there are, and the file's bytes do
not depend on how the work was chunked (an interrupted and resumed run writes the same file as
an uninterrupted one). ``timeseries.csv`` is streamed alongside; ``events.csv`` has one small row
per replication.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sim.experiment.layout import EVENTS_CSV, TIMESERIES_CSV, TIMESERIES_PARQUET
from sim.experiment.store import TaskLocation
from sim.experiment.tasks import Task
from sim.model.metrics import EVENT_COLUMNS, METRIC_NAMES

#: Rows per Parquet row group (fixed, so the file does not depend on chunking).
ROW_GROUP_ROWS = 65_536
#: Chunk tables kept in memory while assembling (a resumed run may interleave chunks).
CHUNK_CACHE = 2


def timeseries_schema() -> pa.Schema:
    """Columns of ``timeseries``: arm label, replication, month (1..n), then every metric."""
    fields = [
        pa.field("arm", pa.string()),
        pa.field("replication", pa.int32()),
        pa.field("month", pa.int32()),
    ]
    return pa.schema(fields + [pa.field(name, pa.float64()) for name in METRIC_NAMES])


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
    folder: Path, order: Sequence[Task], index: Mapping[Task, TaskLocation], labels: Sequence[str]
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
    """
    schema = timeseries_schema()
    writer = _RowGroupWriter(folder / TIMESERIES_PARQUET, folder / TIMESERIES_CSV, schema)
    cache = _ChunkCache()
    label_array = pa.array(list(labels), pa.string())
    try:
        for path, start, length, _ in _runs(order, index):
            rows = cache.get(path).slice(start, length)
            arm = pc.take(label_array, rows.column("arm"))
            writer.write(rows.set_column(0, schema.field("arm"), arm).cast(schema))
    finally:
        writer.close()
    events = pd.DataFrame(
        [
            {
                "arm": labels[arm],
                "replication": rep,
                **{c: index[(arm, rep)].events.get(c) for c in EVENT_COLUMNS},
            }
            for arm, rep in order
        ],
        columns=["arm", "replication", *EVENT_COLUMNS],
    )
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
    schema = timeseries_schema()
    data = frame.loc[:, list(schema.names)].copy()
    data["arm"] = data["arm"].astype(str)
    table = pa.Table.from_pandas(data, schema=schema, preserve_index=False)
    writer = _RowGroupWriter(folder / TIMESERIES_PARQUET, folder / TIMESERIES_CSV, schema)
    try:
        for batch in table.to_batches(max_chunksize=ROW_GROUP_ROWS):
            writer.write(pa.Table.from_batches([batch], schema=schema))
    finally:
        writer.close()
