"""The working folder: start modes, chunk files, assembly in order, atomic commit."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from sim.experiment import assemble
from sim.experiment.assemble import timeseries_schema, write_tables, write_timeseries_frame
from sim.experiment.errors import RunInputError
from sim.experiment.store import PartialStore, StartMode, check_output, partial_path
from sim.experiment.tasks import TaskOutput
from sim.model import EVENT_COLUMNS, METRIC_NAMES
from sim.model.output import TASK_KEYS, event_keys

PLAN = {
    "format": 1,
    "scenario": "s",
    "scenario_sha256": "abc",
    "seed": 1,
    "replications": 4,
    "arms": [{"label": "a", "overrides": {}}, {"label": "b", "overrides": {"x": 1}}],
}
MONTHS = 3


def output(arm: int, replication: int) -> TaskOutput:
    """A fake replication whose values encode its arm, replication and month."""
    base = 100 * arm + 10 * replication
    values = np.add.outer(np.arange(1, MONTHS + 1), np.arange(len(METRIC_NAMES)) / 100) + base
    events = {
        "inspections": np.int64(replication),
        "grades": "4-3",
        "months_to_exit_inadequate": float("nan"),
    }
    return TaskOutput(arm, replication, values, [events], n_events=10, n_referrals=3)


def test_start_modes(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert check_output(out, PLAN, resume=False, force=False) is StartMode.FRESH
    assert check_output(out, PLAN, resume=True, force=False) is StartMode.FRESH  # nothing to resume
    store = PartialStore(out)
    store.create(PLAN, StartMode.FRESH)
    with pytest.raises(RunInputError, match="--resume"):
        check_output(out, PLAN, resume=False, force=False)
    assert check_output(out, PLAN, resume=False, force=True) is StartMode.FRESH
    assert check_output(out, PLAN, resume=True, force=False) is StartMode.RESUME
    with pytest.raises(RunInputError, match="arms"):
        check_output(out, {**PLAN, "arms": PLAN["arms"][:1]}, resume=True, force=False)
    with pytest.raises(RunInputError, match="sha256"):
        check_output(out, {**PLAN, "scenario_sha256": "def"}, resume=True, force=False)
    (store.partial / "plan.json").write_text("not json")
    with pytest.raises(RunInputError, match="plan.json"):
        check_output(out, PLAN, resume=True, force=False)


def test_an_existing_results_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps(PLAN))
    with pytest.raises(RunInputError, match="--force"):
        check_output(out, PLAN, resume=False, force=False)
    assert check_output(out, PLAN, resume=False, force=True) is StartMode.FRESH
    assert check_output(out, PLAN, resume=True, force=False) is StartMode.COMPLETE
    (tmp_path / "file").write_text("x")
    with pytest.raises(RunInputError, match="not a results folder"):
        check_output(tmp_path / "file", PLAN, resume=False, force=True)


def test_chunks_round_trip_and_incomplete_chunks_are_ignored(tmp_path: Path) -> None:
    store = PartialStore(tmp_path / "run")
    store.create(PLAN, StartMode.FRESH)
    written = store.write_chunk([output(0, 1), output(0, 0)], replications=4)
    assert sorted(written) == [(0, 0), (0, 1)]
    assert (store.chunks_dir / "chunk-000000000.parquet").is_file()
    store.write_chunk([output(1, 2)], replications=4)
    (store.chunks_dir / "chunk-000000003.parquet").write_bytes(
        b"half-written"
    )  # no JSON: not finished
    found = store.completed()
    assert sorted(found) == [(0, 0), (0, 1), (1, 2)]
    assert found[(0, 1)].row_start == MONTHS and found[(0, 1)].events[0]["inspections"] == 1
    assert np.isnan(found[(0, 0)].events[0]["months_to_exit_inadequate"])
    assert store.write_chunk([], replications=4) == {}


def test_tables_are_assembled_in_order_from_interleaved_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A resumed run can hold a task between two tasks of another chunk; the final table is
    still in (arm, replication) order, in row groups of a fixed size."""
    monkeypatch.setattr(assemble, "ROW_GROUP_ROWS", 4)
    store = PartialStore(tmp_path / "run")
    store.create(PLAN, StartMode.FRESH)
    index = store.write_chunk([output(0, 0), output(0, 2), output(1, 0)], replications=4)
    index |= store.write_chunk([output(0, 1), output(1, 1)], replications=4)
    order = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1)]
    folder = tmp_path / "final"
    folder.mkdir()
    totals = write_tables(folder, order, index, ["a", "b"])
    assert (totals.replications, totals.events, totals.referrals) == (5, 50, 15)
    frame = pd.read_parquet(folder / "timeseries.parquet")
    assert frame[list(TASK_KEYS)].drop_duplicates().values.tolist() == [
        ["a", 0],
        ["a", 1],
        ["a", 2],
        ["b", 0],
        ["b", 1],
    ]
    assert frame["month"].tolist() == [1, 2, 3] * 5
    assert frame.loc[frame["arm"] == "b", "referrals"].tolist() == [101, 102, 103, 111, 112, 113]
    metadata = pq.ParquetFile(folder / "timeseries.parquet").metadata
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [4, 4, 4, 3]
    events = pd.read_csv(folder / "events.csv")
    assert list(events.columns) == [*event_keys(), *EVENT_COLUMNS]
    assert events["inspections"].tolist() == [0, 1, 2, 0, 1]
    assert events["months_to_exit_inadequate"].isna().all()

    again = tmp_path / "again"
    again.mkdir()
    write_timeseries_frame(frame, again)
    for name in ("timeseries.parquet", "timeseries.csv"):
        assert (again / name).read_bytes() == (folder / name).read_bytes()
    assert frame.columns.tolist() == timeseries_schema().names


def test_commit_replaces_the_final_folder_in_one_step(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "old.txt").write_text("old")
    store = PartialStore(out)
    store.create(PLAN, StartMode.FRESH)
    store.staging.mkdir()
    (store.staging / "new.txt").write_text("new")
    store.commit()
    assert [p.name for p in out.iterdir()] == ["new.txt"]
    assert not partial_path(out).exists()


def test_undefined_values_are_blank_in_the_csv_and_nan_in_parquet(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"arm": ["a", "a"], "replication": [0, 0], "month": [1, 2]}
        | {name: [1.0, np.nan] for name in METRIC_NAMES}
    )
    write_timeseries_frame(frame, tmp_path)
    last_line = (tmp_path / "timeseries.csv").read_text().splitlines()[-1]
    assert last_line == '"a",0,2' + "," * len(METRIC_NAMES)
    assert pd.read_parquet(tmp_path / "timeseries.parquet")["morale"].isna().tolist() == [
        False,
        True,
    ]
