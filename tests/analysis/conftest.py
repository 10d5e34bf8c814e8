"""Fixtures of the analysis tests: one small results folder with its report, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from tests.experiment.helpers import write_scenario

#: Text with HTML metacharacters, to check that the report escapes everything.
TRICKY = "Cost <script>alert('x')</script> & \"quotes\""


@pytest.fixture(scope="session")
def report_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-arm sweep, 2 replications, written with its curves and report."""
    root = tmp_path_factory.mktemp("report")
    file = write_scenario(root, name="tricky <b>name</b>", description=TRICKY, replications=2)
    return sim.run(file, out=root / "results").path  # type: ignore[return-value]
