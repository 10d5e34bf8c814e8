"""A wheel built from the repository, installed in a fresh venv, runs ``csc-sim demo`` with no
source checkout around: the scenarios (and ``data/`` and ``calibration/``) ship inside the package.

No download: the wheel is built without build isolation from the current environment's
setuptools, and the fresh venv sees the current environment's packages (``--system-site-packages``
plus a ``.pth`` line naming this environment's site-packages, when it is itself a venv), so only
the wheel is installed, with ``--no-deps``. The build runs on a copy of the repository's files,
so nothing is written into the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: What a build needs from the repository (the package, its metadata and the shipped folders).
BUILD_INPUTS = (
    "sim",
    "scenarios",
    "data",
    "calibration",
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
)
BUILD_FILES = ("README.md", "LICENSE")
#: Seconds allowed for the build and the install (each), and for the demo (12 arms x 1 run).
STEP_TIMEOUT_S = 300

#: Build, install and run the demo from a wheel: run without coverage in CI (``e2e``, ``.ci/run``).
pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT_S
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _clean_env() -> dict[str, str]:
    """This environment without anything that points Python at the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["MPLBACKEND"] = "Agg"
    env["PIP_NO_INDEX"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _build_wheel(work: Path, env: dict[str, str]) -> Path:
    source = work / "source"
    source.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_shipped")
    for name in BUILD_INPUTS:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    for name in BUILD_FILES:
        shutil.copy2(REPO / name, source / name)
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            ".",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(work / "dist"),
        ],
        cwd=source,
        env=env,
    )
    (wheel,) = (work / "dist").glob("csc_sim-*.whl")
    return wheel


def _fresh_venv(folder: Path) -> Path:
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(folder)
    python = folder / "bin" / "python"
    if sys.prefix != sys.base_prefix:  # this environment is a venv: let the fresh one see it
        site = Path(
            subprocess.check_output(
                [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                text=True,
            ).strip()
        )
        paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
        # plain path lines: this environment's own .pth files (its editable install of the
        # checkout among them) are not processed, so the checkout stays out of sight
        (site / "_parent_env.pth").write_text("\n".join(sorted(paths)) + "\n", encoding="utf-8")
    return python


@pytest.mark.skipif(sys.platform == "win32", reason="venv layout (bin/) of POSIX systems")
def test_installed_wheel_runs_the_demo_outside_a_checkout(tmp_path: Path) -> None:
    env = _clean_env()
    wheel = _build_wheel(tmp_path / "build", env)
    python = _fresh_venv(tmp_path / "venv")
    _run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], tmp_path, env
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([str(python), "-c", "import sim; print(sim.__file__)"], elsewhere, env).stdout
    assert Path(where.strip()).is_relative_to(tmp_path / "venv"), where
    script = tmp_path / "venv" / "bin" / "csc-sim"
    done = _run(
        [str(script), "demo", "--replications", "1", "--workers", "1", "--out", "demo"],
        elsewhere,
        env,
    )
    assert (elsewhere / "demo" / "report.html").is_file(), done.stdout
    assert (elsewhere / "demo" / "manifest.json").is_file()
    shipped = Path(where.strip()).parent / "_shipped"
    assert (shipped / "scenarios" / "reference" / "baseline.yaml").is_file()
    assert any((shipped / "data").rglob("*.csv")), "data/ is not shipped"
    # The back-cast section of a population run's report reads the record's targets from here.
    targets = _run(
        [str(python), "-c", "from sim.analysis.targets import TARGETS_CSV; print(TARGETS_CSV)"],
        elsewhere,
        env,
    ).stdout
    assert Path(targets.strip()) == shipped / "calibration" / "targets.csv"
    assert (shipped / "calibration" / "targets.csv").read_bytes() == (
        REPO / "calibration" / "targets.csv"
    ).read_bytes()
    assert (shipped / "calibration" / "england.yaml").is_file()
