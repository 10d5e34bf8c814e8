"""The import contract of DESIGN §2 (``[tool.importlinter]`` in pyproject.toml) holds, and fails
on an upward import.

``lint-imports`` runs on the repository in ``.ci/run``; here it also runs on a copy of the
package with one upward import injected (the model importing the analysis layer), which must
break the contract, so the check is shown to bite rather than assumed to.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parents[1]
#: The top layer: the only modules that may import the package root ``sim``, whose lazy
#: attributes (``sim.run``, ``sim.load_results``) reach the API facade.
TOP_LAYER = ("sim.cli", "sim.api", "sim.explorer")
LINT_TIMEOUT_S = 120


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` with the contract of ``root/pyproject.toml`` on ``root/sim``."""
    executable = Path(sys.executable).with_name("lint-imports")
    command = [str(executable)] if executable.exists() else ["lint-imports"]
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [*command, "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=LINT_TIMEOUT_S,
        check=False,
    )


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the package and its pyproject.toml (the contract) in a temporary folder."""
    shutil.copytree(REPO / "sim", tmp_path / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contract_is_kept_and_breaks_on_an_upward_import(package_copy: Path) -> None:
    kept = lint_imports(package_copy)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "1 kept, 0 broken" in kept.stdout or "0 broken" in kept.stdout

    target = package_copy / "sim" / "model" / "output.py"
    target.write_text(
        target.read_text(encoding="utf-8") + "\nfrom sim.analysis import stats  # upward\n",
        encoding="utf-8",
    )
    broken = lint_imports(package_copy)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "BROKEN" in broken.stdout
    assert "sim.model.output -> sim.analysis.stats" in broken.stdout


def test_only_the_top_layer_imports_the_package_root() -> None:
    graph = grimp.build_graph("sim")
    importers = graph.find_modules_that_directly_import("sim")
    below = sorted(m for m in importers if not m.startswith(TOP_LAYER) and m != "sim")
    assert below == [], f"lower layers import the package root `sim`: {below}"
