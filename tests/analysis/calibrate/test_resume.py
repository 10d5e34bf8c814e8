"""``--resume`` after a SIGKILL continues the study without repeating finished simulations,
and ends with the same posterior as a study that was never interrupted."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sim.cli import main
from tests.analysis.calibrate.conftest import HORIZON_YEARS, REPO, write_study

#: Replications finished before the kill (of 32 in the study below).
KILL_AFTER = 10
#: The tiny study made smaller still: resuming is about the journal, not the fit, so two waves
#: (a kill can land in either) of 4 points and 8 posterior points, 2 replications each, are
#: enough: 32 simulations, of which the kill leaves at least 10 done and more to do.
RESUME_STUDY = {
    "replications": 2,
    "waves": 2,
    "points_per_wave": 4,
    "posterior_points": 8,
    "candidates": 1000,
    "horizon_years": HORIZON_YEARS,
}
TIMEOUT_S = 300


def _keys(runs: Path) -> list[tuple[str, int, int, int]]:
    return [
        (r["stage"], r["point"], r["arm"], r["replication"])
        for r in map(json.loads, runs.read_text().splitlines())
    ]


def test_resume_after_sigkill(twin_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "files"
    shutil.copytree(twin_folder, folder)
    file = write_study(folder, study=RESUME_STUDY)
    out = tmp_path / "killed"
    runs = out / "journal" / "runs.jsonl"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "calibrate", str(file), "--out", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if runs.is_file() and runs.read_text().count("\n") >= KILL_AFTER:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (out / "posterior.parquet").exists()
    before = _keys(runs) if runs.read_text().endswith("\n") else _keys(runs)[:-1]
    assert len(before) >= KILL_AFTER
    result = CliRunner().invoke(main, ["calibrate", str(file), "--out", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    after = _keys(runs)
    assert after[: len(before)] == before  # the finished runs were kept, not repeated
    assert len(after) == len(set(after))  # no simulation ran twice
    straight = tmp_path / "straight"
    result = CliRunner().invoke(main, ["calibrate", str(file), "--out", str(straight)])
    assert result.exit_code == 0, result.output
    assert sorted(after) == sorted(_keys(straight / "journal" / "runs.jsonl"))
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "posterior.parquet"), pd.read_parquet(straight / "posterior.parquet")
    )
