"""The notebooks in ``notebooks/`` run top to bottom and show the run they describe.

Each notebook is executed fresh with nbclient (kernel ``python3``, pointed at the interpreter
running the tests) at a small replication count
(``CSC_SIM_REPLICATIONS``) and a short horizon (``CSC_SIM_HORIZON_YEARS``), and must finish without
a cell error. Each notebook ends by storing its key numbers in ``NOTEBOOK_CHECK``, which it also
writes to ``$CSC_SIM_NOTEBOOK_OUT/<notebook>.json`` together with what it ran (scenario file,
overrides, seed, replications, arms). The test runs the first of those numbers again through the
public API (``sim.load_scenario`` / ``sim.run``), for that arm alone, and requires the same value:
the notebook's figures and tables come from the run it describes, not from stale or hand-typed
numbers. (Running one arm alone gives the same replications as in the sweep: the arms share their
random streams.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

import sim

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
EXPECTED = 5
REPLICATIONS = 2
HORIZON_YEARS = 3
#: Notebook 5 runs at least this many replications (a precision curve needs a few points).
MIN_REPLICATIONS_FLOOR = 4
CELL_TIMEOUT_S = 300
KERNEL = "python3"


@pytest.fixture
def this_interpreter_kernel(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Make kernel ``python3`` the interpreter running the tests, whatever kernels the machine has.

    A kernelspec in a fresh folder on ``JUPYTER_PATH`` (searched before the user's and the
    system's) points at ``sys.executable``: the notebooks run against the package under test,
    and a stale ``python3`` kernel left by another virtual environment cannot break them.
    """
    pytest.importorskip("ipykernel")
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Python 3 (tests)", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(root))


def _recompute(record: dict[str, Any], check: dict[str, Any]) -> float:
    """The checked number, computed again through the public API for its arm alone."""
    run = record["runs"][check["run"]]
    scenario = sim.load_scenario(ROOT / run["scenario"], overrides=run["overrides"] or None)
    scenario = sim.load_scenario(
        scenario, overrides={**check["arm_overrides"], "grid": None, "arms": None}
    )
    results = sim.run(scenario, replications=run["replications"], seed=run["seed"], workers=1)
    arm = results.arms[0]
    if check["kind"] == "summary_mean":
        summary = results.summary()
        row = summary[(summary["arm"] == arm) & (summary["metric"] == check["metric"])]
        return float(row["mean"].iloc[0])
    if check["kind"] == "curve_mean":
        ts = results.timeseries
        return float(ts.loc[ts["month"] == check["month"], check["metric"]].mean())
    raise AssertionError(f"unknown check kind {check['kind']!r}")


def test_all_notebooks_present() -> None:
    assert len(NOTEBOOKS) == EXPECTED, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_clean(path: Path) -> None:
    """Stored without outputs (the repository stays small; the test executes them fresh)."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(not cell.get("outputs") and cell.get("execution_count") is None for cell in code)
    source = "\n".join(cell.source for cell in code)
    assert "CSC_SIM_REPLICATIONS" in source
    assert "NOTEBOOK_CHECK" in source
    assert nb.metadata.get("kernelspec", {}).get("name") == KERNEL


@pytest.mark.slow
@pytest.mark.e2e  # whole notebooks in a kernel: run without coverage in CI (.ci/run)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_matches_its_run(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, this_interpreter_kernel: None
) -> None:
    out = tmp_path / "checks"
    monkeypatch.setenv("CSC_SIM_REPLICATIONS", str(REPLICATIONS))
    monkeypatch.setenv("CSC_SIM_HORIZON_YEARS", str(HORIZON_YEARS))
    monkeypatch.setenv("CSC_SIM_NOTEBOOK_OUT", str(out))
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    errors = [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors

    record = json.loads((out / f"{path.stem}.json").read_text(encoding="utf-8"))
    assert record["notebook"] == path.stem
    for run in record["runs"]:
        assert run["overrides"].get("horizon_years") == HORIZON_YEARS
        assert run["replications"] <= max(REPLICATIONS, MIN_REPLICATIONS_FLOOR)
    check = record["checks"][0]
    assert _recompute(record, check) == pytest.approx(check["value"], rel=1e-9, abs=1e-12)
