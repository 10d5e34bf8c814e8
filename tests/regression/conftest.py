"""Fixtures of the regression tests: short copies of the reference scenarios, blessed once.

The copies run 2 years instead of 10 (``horizon_years: 2``) so that each bless or regress of
both scenarios takes a few seconds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from sim.analysis.regression import bless

REPO = Path(__file__).resolve().parents[2]
#: Short horizon of the test copies (years): long enough for the troubled LA's intervention.
TEST_HORIZON_YEARS = 2
#: Replications of the test references: the fewest that make the statistical rule meaningful
#: while keeping each regress of both scenarios to a few seconds.
TEST_REPLICATIONS = 4


def copy_reference_scenarios(target: Path, **changes: object) -> Path:
    """Copy ``scenarios/reference/*.yaml`` into ``target`` with a short horizon.

    ``changes`` are extra top-level sections/values merged into ``baseline.yaml`` (which
    ``troubled.yaml`` extends), e.g. ``demand={"first_referrals_per_year": 3000}``.
    """
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted((REPO / "scenarios" / "reference").glob("*.yaml")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        if source.name == "baseline.yaml":
            data["horizon_years"] = TEST_HORIZON_YEARS
            for key, value in changes.items():
                data[key] = {**data.get(key, {}), **value} if isinstance(value, dict) else value
        (target / source.name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def blessed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``(scenarios folder, reference folder)``: short reference scenarios, blessed once."""
    root = tmp_path_factory.mktemp("regression")
    scenarios = copy_reference_scenarios(root / "scenarios")
    bless("test references", scenarios, root / "reference", replications=TEST_REPLICATIONS)
    return scenarios, root / "reference"


@pytest.fixture
def reference_copy(blessed: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the blessed references that a test may damage."""
    scenarios, reference = blessed
    copy = tmp_path / "reference"
    shutil.copytree(reference, copy)
    return scenarios, copy
