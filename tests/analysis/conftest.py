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


#: The demo's sweep, made small for tests: two durations x two director tenures, 2 replications,
#: 9 recorded years (so the years 8-10 window is clipped to months 85-108).
DEMO_FILE = (
    Path(__file__).resolve().parents[2]
    / "scenarios/experiments/intervention_length_x_leadership.yaml"
)
DEMO_SMALL = f"""extends: {DEMO_FILE}
name: demo_small
horizon_years: 9
warmup_years: 0.5
replications: 2
grid:
  intervention.duration_months: [6, 24]
  leadership.dcs_mean_tenure_months: [12, 60]
"""


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's experiment, small (see :data:`DEMO_SMALL`), with its report."""
    root = tmp_path_factory.mktemp("demo")
    file = root / "demo_small.yaml"
    file.write_text(DEMO_SMALL, encoding="utf-8")
    return sim.run(file, out=root / "results", workers=2).path  # type: ignore[return-value]
