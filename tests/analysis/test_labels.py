"""Readable arm names: field words and values with their units (sim/analysis/labels.py)."""

from __future__ import annotations

import pytest

from sim.analysis.labels import arm_label, singular_unit, value_words


def test_one_team_is_singular_and_others_plural() -> None:
    assert value_words("population.pool.teams", 1) == "1 team"
    assert value_words("population.pool.teams", 5) == "5 teams"
    assert value_words("intervention.duration_months", 1) == "1 month"
    assert value_words("intervention.duration_months", 18) == "18 months"


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("teams", "team"),
        ("months", "month"),
        ("cases/FTE", "cases/FTE"),
        ("FTE", "FTE"),
        ("gbp", "gbp"),
    ],
)
def test_singular_unit_keeps_compounds_and_abbreviations(unit: str, expected: str) -> None:
    assert singular_unit(unit) == expected


def test_arm_label_joins_fields_with_units() -> None:
    label = arm_label("a", {"population.pool.teams": 1, "intervention.duration_months": 24})
    assert label == "population pool teams: 1 team; intervention duration: 24 months"
