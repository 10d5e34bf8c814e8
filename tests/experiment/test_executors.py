"""Executors give bit-identical results, whatever the executor and number of workers."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.experiment.errors import RunInputError
from sim.experiment.executors import (
    ProcessExecutor,
    SerialExecutor,
    check_executor_options,
    make_executor,
    resolve_executor_name,
)
from tests.experiment.helpers import MONTHS, read_table


def _square(x: int) -> int:
    return x * x


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_serial_process_and_dask_runs_are_bit_identical(
    scenario_file: Path, tmp_path: Path
) -> None:
    """The same seed gives the same tables on one process, a process pool of 2, and a real
    Dask LocalCluster of 2 workers; even the Parquet and CSV files are byte-identical."""
    folders = {
        "serial": tmp_path / "serial",
        "process": tmp_path / "process",
        "dask": tmp_path / "dask",
    }
    sim.run(scenario_file, out=folders["serial"], report=False)
    sim.run(
        scenario_file,
        workers=2,
        executor="process",
        chunk_size=1,
        out=folders["process"],
        report=False,
    )
    sim.run(scenario_file, workers=2, executor="dask", out=folders["dask"], report=False)
    serial = read_table(folders["serial"])
    assert len(serial) == 2 * 3 * MONTHS
    for name in ("process", "dask"):
        pd.testing.assert_frame_equal(read_table(folders[name]), serial, check_exact=True)
        for file in ("timeseries.parquet", "timeseries.csv", "events.csv", "summary.csv"):
            assert _digest(folders[name] / file) == _digest(folders["serial"] / file), (name, file)
    manifests = {k: sim.load_results(v).manifest for k, v in folders.items()}
    assert manifests["process"]["executor"] == "process" and manifests["process"]["workers"] == 2
    assert manifests["dask"]["executor"] == "dask"
    assert manifests["serial"]["scenario_sha256"] == manifests["dask"]["scenario_sha256"]


def test_executors_yield_every_result() -> None:
    with SerialExecutor() as serial:
        assert list(serial.imap_unordered(_square, range(5))) == [0, 1, 4, 9, 16]
    with ProcessExecutor(2) as pool:
        assert sorted(pool.imap_unordered(_square, range(9))) == [i * i for i in range(9)]


@pytest.mark.parametrize(
    ("name", "workers", "scheduler", "expected"),
    [
        (None, 1, None, "serial"),
        (None, 2, None, "process"),
        (None, 1, "tcp://h:8786", "dask"),
        ("dask", 3, None, "dask"),
    ],
)
def test_default_executor(
    name: str | None, workers: int, scheduler: str | None, expected: str
) -> None:
    assert resolve_executor_name(name, workers, scheduler) == expected


@pytest.mark.parametrize(
    ("name", "workers", "scheduler", "flag"),
    [
        (None, 0, None, "--workers"),
        ("threads", 1, None, "--executor"),
        ("process", 2, "tcp://h:8786", "--scheduler"),
        ("serial", 2, None, "--workers"),
    ],
)
def test_bad_executor_options_are_bad_input(
    name: str | None, workers: int, scheduler: str | None, flag: str
) -> None:
    with pytest.raises(RunInputError) as caught:
        check_executor_options(name, workers, scheduler)
    assert caught.value.message.startswith(flag)
    with pytest.raises(RunInputError):
        make_executor(name, workers, scheduler)
