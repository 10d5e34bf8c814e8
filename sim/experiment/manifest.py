"""The provenance of a run: ``manifest.json`` (DESIGN §3).

Records what was run (scenario name and sha256, seed, replications, arms), with what (package
version, git commit when known, Python and dependency versions, executor, workers) and how long
it took (start and end time, wall seconds, events processed, referrals simulated).
"""

from __future__ import annotations

import functools
import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sim.experiment.plan import RunPlan

#: Packages whose versions can change results or how they are produced.
DEPENDENCIES: tuple[str, ...] = (
    "numpy",
    "simpy",
    "pandas",
    "pyarrow",
    "pydantic",
    "scipy",
    "matplotlib",
    "dask",
    "distributed",
)
#: Seconds to wait for ``git rev-parse`` before giving up.
GIT_TIMEOUT_S = 5
MANIFEST_FORMAT = 1


def now_iso() -> str:
    """The current UTC time as an ISO 8601 string."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


#: The installed distribution of this package.
DISTRIBUTION = "csc-sim"
#: Version recorded when the package is not installed (run from a source tree).
UNKNOWN_VERSION = "0.0.0+unknown"
#: The folder holding the ``sim`` package (a source checkout's top level, when it is one).
SOURCE_ROOT = Path(__file__).resolve().parents[2]


def package_version() -> str:
    """The installed version of ``csc-sim`` (``sim.__version__``), read from its metadata."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return UNKNOWN_VERSION


def _git(*args: str) -> str | None:
    """Output of ``git <args>`` in the source checkout holding the ``sim`` package, or ``None``.

    Only a repository whose top level is the package's parent folder counts, so an installed
    copy inside some other repository is not mistaken for a source checkout.
    """
    root = SOURCE_ROOT
    if not (root / ".git").exists():
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def git_commit() -> str | None:
    """The commit of the source checkout holding the ``sim`` package, or ``None``."""
    out = _git("rev-parse", "HEAD")
    return out.strip() or None if out is not None else None


def git_dirty() -> bool | None:
    """Whether tracked files of the source checkout have uncommitted changes (``None``: unknown)."""
    out = _git("status", "--porcelain", "--untracked-files=no")
    return bool(out.strip()) if out is not None else None


def dependency_versions() -> dict[str, str | None]:
    """Installed versions of :data:`DEPENDENCIES` (``None`` when absent)."""
    return dict(_dependency_versions())


@functools.cache
def _dependency_versions() -> dict[str, str | None]:
    """Read once per process: a module imported once keeps its version while the process lives,
    and reading distribution metadata costs ~20 ms, a visible share of a short ``sim.run``."""
    versions: dict[str, str | None] = {}
    for name in DEPENDENCIES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return versions


def build_manifest(
    plan: RunPlan,
    executor: dict[str, Any],
    started: str,
    ended: str,
    wall_seconds: float,
    totals: dict[str, int],
) -> dict[str, Any]:
    """Assemble the manifest of a finished run.

    Parameters
    ----------
    plan
        What was run.
    executor
        Executor details (``Executor.describe()``).
    started, ended
        ISO 8601 times of this session.
    wall_seconds
        Wall-clock seconds of this session.
    totals
        ``replications``, ``computed`` (this session), ``reused`` (from chunk files of an
        interrupted run), ``events`` and ``referrals``.
    """
    return {
        "format": MANIFEST_FORMAT,
        "scenario": plan.scenario.name,
        "description": plan.scenario.description,
        "source": plan.source,
        **({"overrides": plan.overrides} if plan.overrides else {}),
        "scenario_sha256": plan.sha256,
        "seed": plan.seed,
        "replications": plan.replications,
        "arms": [{"label": a.label, "overrides": a.overrides} for a in plan.arms],
        **({"posterior": plan.posterior.record()} if plan.posterior else {}),
        "package_version": package_version(),
        "git_commit": git_commit(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "dependencies": dependency_versions(),
        **executor,
        "start_time": started,
        "end_time": ended,
        "wall_seconds": round(wall_seconds, 3),
        "tasks": {
            "total": totals["replications"],
            "computed": totals["computed"],
            "reused": totals["reused"],
        },
        "events_processed": totals["events"],
        "referrals_simulated": totals["referrals"],
    }
