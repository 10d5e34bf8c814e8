"""The dimensioned output contract: key columns declared once, replications of several LAs.

A population replication (several LAs on one clock, DESIGN §4.9) goes through the same path as a
single-LA one: worker -> chunk file -> resume index -> assembled ``timeseries`` (with an ``la``
column) and ``events.csv`` (one row per LA); in memory the same tables are built without files.
A single-LA run keeps its columns (no ``la``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from sim.experiment import tasks
from sim.experiment.assemble import (
    events_frame,
    read_events,
    timeseries_frame,
    timeseries_schema,
    write_tables,
)
from sim.experiment.store import PartialStore, StartMode, chunk_schema
from sim.experiment.tasks import ChunkJob, run_chunk
from sim.model.metrics import EVENT_COLUMNS, METRIC_NAMES
from sim.model.output import ARM, LA, MONTH, ReplicationOutput, event_keys, series_keys
from sim.scenario.scenario import Scenario

MONTHS = 4
#: Two LAs; their order is the row order (not sorted: the contract keeps the model's order).
CODES = ("E09000002", "E06000001")
PLAN = {
    "format": 1,
    "scenario": "s",
    "scenario_sha256": "abc",
    "seed": 1,
    "replications": 2,
    "arms": [{"label": "a", "overrides": {}}, {"label": "b", "overrides": {}}],
}
LABELS = ["a", "b"]


def one_la(value: float, inspections: int) -> ReplicationOutput:
    """A single-LA output whose metric ``i`` in month ``m`` is ``value + m + i / 100``."""
    series = {
        name: value + np.arange(1, MONTHS + 1) + i / 100 for i, name in enumerate(METRIC_NAMES)
    }
    return ReplicationOutput(series, {"inspections": inspections, "grades": "4-3"}, 7, 3)


def population(scenario: Scenario, seed: int, replication: int) -> ReplicationOutput:
    """A fake model: two LAs whose values encode the LA, the arm's tag and the replication."""
    tag = 1000.0 * scenario.horizon_years
    return ReplicationOutput.of_entities(
        {
            code: one_la(tag + 100 * k + 10 * replication, inspections=k + replication)
            for k, code in enumerate(CODES)
        },
        n_events=11,
    )


def test_keys_are_declared_once_and_la_sits_before_month() -> None:
    assert series_keys() == (ARM, "replication", MONTH)
    assert series_keys(entities=True) == (ARM, "replication", LA, MONTH)
    assert event_keys(entities=True) == (ARM, "replication", LA)
    assert chunk_schema().names[:3] == list(series_keys())
    assert timeseries_schema(entities=True).names == [*series_keys(True), *METRIC_NAMES]


def test_a_population_output_needs_las_with_the_same_months() -> None:
    with pytest.raises(ValueError, match="at least one LA"):
        ReplicationOutput.of_entities({})
    short = ReplicationOutput({n: np.zeros(MONTHS - 1) for n in METRIC_NAMES}, {})
    with pytest.raises(ValueError, match="different numbers of months"):
        ReplicationOutput.of_entities({"x": one_la(0, 0), "y": short})
    both = ReplicationOutput.of_entities({"x": one_la(0, 0), "y": one_la(1, 0)})
    assert (both.n_months, both.n_referrals, both.n_events) == (MONTHS, 6, 14)
    with pytest.raises(ValueError, match="cannot itself"):
        ReplicationOutput.of_entities({"z": both})


def test_two_la_replications_go_through_chunks_store_and_assembly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "simulate", population)
    scenarios = {0: Scenario(horizon_years=1), 1: Scenario(horizon_years=2)}
    order = [(0, 0), (0, 1), (1, 0), (1, 1)]
    first = run_chunk(ChunkJob(seed=1, tasks=tuple(order[:3]), scenarios=scenarios))
    second = run_chunk(ChunkJob(seed=1, tasks=tuple(order[3:]), scenarios=scenarios))
    assert not first.failures and not second.failures
    assert first.outputs[0].entities == CODES and first.outputs[0].values.shape[0] == 2 * MONTHS

    store = PartialStore(tmp_path / "run")
    store.create(PLAN, StartMode.FRESH)
    store.write_chunk(second.outputs, replications=2)
    store.write_chunk(first.outputs, replications=2)
    index = store.completed()  # as a resumed run finds them: from the files alone
    assert index[(1, 1)].entities == CODES and len(index[(1, 1)].events) == 2
    chunk = pq.read_table(store.chunks_dir / "chunk-000000000.parquet")
    assert chunk.schema.equals(chunk_schema(entities=True))

    folder = tmp_path / "final"
    folder.mkdir()
    totals = write_tables(folder, order, index, LABELS)
    assert (totals.replications, totals.events, totals.referrals) == (4, 44, 24)
    frame = pd.read_parquet(folder / "timeseries.parquet")
    assert frame.columns.tolist() == [*series_keys(entities=True), *METRIC_NAMES]
    assert len(frame) == len(order) * len(CODES) * MONTHS
    one = frame[(frame[ARM] == "b") & (frame["replication"] == 1) & (frame[LA] == CODES[1])]
    assert one[MONTH].tolist() == list(range(1, MONTHS + 1))
    assert one["referrals"].tolist() == [2000 + 100 + 10 + m for m in range(1, MONTHS + 1)]
    assert frame[LA].tolist()[: 2 * MONTHS] == [CODES[0]] * MONTHS + [CODES[1]] * MONTHS
    csv = pd.read_csv(folder / "timeseries.csv")
    assert csv.columns.tolist() == frame.columns.tolist() and csv[LA].tolist() == frame[LA].tolist()

    events = read_events(folder / "events.csv", LABELS)
    assert events.columns.tolist() == [*event_keys(entities=True), *EVENT_COLUMNS]
    assert (
        events[[LA, "inspections"]].values.tolist()
        == [
            [CODES[0], 0],
            [CODES[1], 1],
            [CODES[0], 1],
            [CODES[1], 2],
        ]
        * 2
    )

    # In memory: the same tables, without files.
    outputs = sorted(first.outputs + second.outputs, key=lambda o: (o.arm, o.replication))
    in_memory = timeseries_frame(outputs, LABELS)
    frame[ARM] = pd.Categorical(frame[ARM], categories=LABELS)
    pd.testing.assert_frame_equal(in_memory, frame, check_exact=True)
    pd.testing.assert_frame_equal(events_frame(outputs, LABELS), events, check_exact=True)


def test_a_single_la_run_has_no_la_column(tmp_path: Path) -> None:
    output = tasks.task_output(0, 0, one_la(0.0, 1))
    assert output.entities == () and len(output.events) == 1
    frame = timeseries_frame([output], LABELS)
    assert frame.columns.tolist() == [*series_keys(), *METRIC_NAMES]
    assert events_frame([output], LABELS).columns.tolist() == [*event_keys(), *EVENT_COLUMNS]


def test_a_run_cannot_mix_single_la_and_population_replications(tmp_path: Path) -> None:
    single = tasks.task_output(0, 0, one_la(0.0, 1))
    several = tasks.task_output(0, 1, population(Scenario(), 1, 1))
    with pytest.raises(ValueError, match="mixes"):
        timeseries_frame([single, several], LABELS)
    store = PartialStore(tmp_path / "run")
    store.create(PLAN, StartMode.FRESH)
    with pytest.raises(ValueError, match="mixes"):
        store.write_chunk([single, several], replications=2)


def test_no_module_spells_the_key_columns_out_again() -> None:
    """The keys are written once (``sim/model/output.py``); every other module derives them."""
    pattern = re.compile(r"""["']arm["']\s*,\s*["']replication["']""")
    package = Path(__file__).resolve().parents[2] / "sim"
    spelled = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "output.py" and pattern.search(path.read_text(encoding="utf-8"))
    )
    assert spelled == [], f"key columns spelled out in {spelled}: use sim.model.output"
