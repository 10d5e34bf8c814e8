"""notebooks/backcast.ipynb runs top to bottom on a tiny back-cast (6 LAs, to March 2020, 2
replications) and its numbers are the back-cast table's, computed again here, and, for the
agency rate, the run's own national aggregate at 30 September 2019 (an independent sum)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.backcast import backcast_table
from tests.backcast_fixture import write_tiny_backcast
from tests.notebooks.test_notebooks import (  # the kernel fixture is shared
    CELL_TIMEOUT_S,
    KERNEL,
    NOTEBOOK_DIR,
    this_interpreter_kernel,  # noqa: F401
)

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")


@pytest.mark.e2e  # a whole notebook in a kernel: run without coverage in CI (.ci/run)
@pytest.mark.usefixtures("this_interpreter_kernel")
def test_backcast_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_tiny_backcast(tmp_path / "run")
    out = tmp_path / "out"
    monkeypatch.setenv("CSC_SIM_BACKCAST_FOLDER", str(folder))
    monkeypatch.setenv("CSC_SIM_BACKCAST_IMG", str(tmp_path / "img"))
    monkeypatch.setenv("CSC_SIM_NOTEBOOK_OUT", str(out))
    notebook = nbformat.read(NOTEBOOK_DIR / "backcast.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()
    check = json.loads((out / "backcast.json").read_text(encoding="utf-8"))
    table = backcast_table(folder).set_index("id")
    for key in ("grade_mix_2025_4", "csww_agency_rate_pct_2019", "transition_4_to_4"):
        assert check[key] == pytest.approx(float(table.loc[key, "model_mean"]), nan_ok=True)
    national = pd.read_parquet(folder / "national.parquet")
    september = national[pd.to_datetime(national["date"]) == pd.Timestamp("2019-09-30")]
    assert check["csww_agency_rate_pct_2019"] == pytest.approx(september["agency_rate_pct"].mean())
    assert len(list((tmp_path / "img").glob("backcast_*.png"))) == 4
