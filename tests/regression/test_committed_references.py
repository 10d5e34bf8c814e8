"""The real regression check, as CI runs it: `csc-sim regress` against `results/reference/`.

This runs both 10-year reference scenarios at the blessed replication count (about 15-40 s on
2 cores). If it fails after an intended model change, look at the drift table, then re-bless
on purpose: `csc-sim bless --message "why"` (docs/regression.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: Seconds before the check is considered hung (the CI budget for regress is ~60 s).
TIMEOUT_S = 300
#: Workers: the CI machine has 2 cores.
WORKERS = "2"


def test_committed_references_pass() -> None:
    assert (REPO / "results" / "reference" / "baseline" / "manifest.json").is_file(), (
        "no blessed references: run `csc-sim bless --message ...` and commit results/reference/"
    )
    done = subprocess.run(
        [sys.executable, "-m", "sim.cli", "regress", "--workers", WORKERS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS: no drift." in done.stdout
