"""Fixtures of the experiment tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.experiment.helpers import write_scenario


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    """A two-arm sweep (change team for 6 or 24 months from the start), 3 replications."""
    return write_scenario(tmp_path / "scenarios")
