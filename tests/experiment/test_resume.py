"""An interrupted ``csc-sim run`` (SIGKILL) resumes from its chunk files without recomputing
them and ends identical to an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

import sim
from sim.cli import main
from tests.experiment.helpers import read_table, write_scenario

REPLICATIONS = 8
#: Seconds each replication is slowed by in the killed process, so the kill lands mid-run.
SLOWDOWN_S = 0.4
POLL_S = 0.05
TIMEOUT_S = 120

# Runs `csc-sim` with every replication slowed down by SLOWDOWN_S (the results are unchanged).
SLOW_CLI = """
import os, time
import sim.experiment.tasks as tasks
original = tasks.simulate
def slow(*args):
    time.sleep(float(os.environ["SLOWDOWN_S"]))
    return original(*args)
tasks.simulate = slow
from sim.cli import main
main()
"""


def _tasks_in_chunks(partial: Path) -> set[tuple[int, int]]:
    found = set()
    for path in (partial / "chunks").glob("chunk-*.json"):
        for task in json.loads(path.read_text())["tasks"]:
            found.add((task["arm"], task["replication"]))
    return found


def test_resume_after_sigkill_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    file = write_scenario(tmp_path, durations=None, replications=REPLICATIONS)
    out = tmp_path / "killed"
    partial = tmp_path / "killed.partial"
    args = ["run", str(file), "--out", str(out), "--no-report"]
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_CLI, *args],
        cwd=tmp_path,
        env={**os.environ, "SLOWDOWN_S": str(SLOWDOWN_S)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + TIMEOUT_S
    try:
        while not list((partial / "chunks").glob("chunk-*.json")):
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "no chunk was written in time"
            time.sleep(POLL_S)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert not out.exists(), "the run finished before it could be interrupted"
    done_before = _tasks_in_chunks(partial)
    assert 0 < len(done_before) < REPLICATIONS

    result = CliRunner().invoke(main, [*args, "--resume"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tasks"] == {
        "total": REPLICATIONS,
        "reused": len(done_before),
        "computed": REPLICATIONS - len(done_before),
    }
    assert not partial.exists()

    reference = sim.run(file, out=tmp_path / "uninterrupted", report=False)
    pd.testing.assert_frame_equal(read_table(out), read_table(reference.path), check_exact=True)
    for name in ("timeseries.parquet", "timeseries.csv", "events.csv", "summary.csv"):
        assert (out / name).read_bytes() == (reference.path / name).read_bytes(), name
