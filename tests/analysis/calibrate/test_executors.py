"""A study gives the same posterior on one worker and on a process pool of two (DESIGN §5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from sim.analysis.calibrate import calibrate
from tests.analysis.calibrate.conftest import write_study


def test_same_posterior_serial_and_process_pool(twin_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "files"
    shutil.copytree(twin_folder, folder)
    file = write_study(folder)
    calibrate(file, out=tmp_path / "serial", quick=True)
    calibrate(file, out=tmp_path / "pool", quick=True, workers=2, executor="process")
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "serial" / "posterior.parquet"),
        pd.read_parquet(tmp_path / "pool" / "posterior.parquet"),
    )
