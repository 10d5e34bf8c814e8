"""Run a probe (a module of ``benchmarks/probes``) in a fresh interpreter and read its JSON.

A fresh process measures what a user's process would hold (peak RSS from the interpreter up),
free of this benchmark's own imports and allocations.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from benchmarks.common import ROOT

#: Seconds a probe may take (the 2,000-replication sweep takes minutes).
PROBE_TIMEOUT_S = 3600.0


def run_probe(module: str, *args: str, timeout: float = PROBE_TIMEOUT_S) -> dict[str, Any]:
    """Run ``python -m <module> <args>`` from the repository; it must print one JSON object last.

    Raises
    ------
    RuntimeError
        When the probe exits with an error (its stderr's last 3,000 characters are quoted).
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark probe {module} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
