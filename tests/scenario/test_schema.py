"""JSON Schema export and the generated parameter documentation."""

from __future__ import annotations

from pathlib import Path

from sim.scenario.paths import unit_of
from sim.scenario.scenario import SECTIONS, Scenario
from sim.scenario.schema import (
    REGENERATE,
    assumptions,
    iter_parameters,
    parameters_markdown,
    scenario_json_schema,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "parameters.md"


def test_json_schema_carries_units_and_sources() -> None:
    schema = scenario_json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    field = schema["$defs"]["Workforce"]["properties"]["establishment_fte"]
    assert field["unit"] == "FTE" and field["minimum"] == 1 and field["source"]
    assert "grid" in schema["properties"] and "uncertain" in schema["properties"]


def test_every_section_field_has_a_unit_and_a_source() -> None:
    for section, model in SECTIONS.items():
        for name, field in model.model_fields.items():
            assert unit_of(field), f"{section}.{name} has no unit"
    params = iter_parameters()
    assert all(p.unit and p.source.strip() and p.description for p in params)
    paths = {p.path for p in params}
    assert {"horizon_years", "seed", "workforce.establishment_fte"} <= paths
    expected = sum(_leaf_fields(m) for m in SECTIONS.values())
    assert sum(p.section != "scenario" for p in params) == expected


def _leaf_fields(model: type) -> int:
    """Fields of a section, a nested section (``population.pool``) counted by its own fields."""
    count = 0
    for field in model.model_fields.values():  # type: ignore[attr-defined]
        nested = field.annotation
        is_section = isinstance(nested, type) and hasattr(nested, "model_fields")
        count += _leaf_fields(nested) if is_section else 1
    return count


def test_parameter_bounds_and_values() -> None:
    by_path = {p.path: p for p in iter_parameters()}
    assert by_path["workforce.establishment_fte"].ge == 1
    assert by_path["intervention.duration_months"].gt == 0
    scenario = Scenario.model_validate({"intervention": {"duration_months": 18}})
    mine = {p.path: p for p in iter_parameters(scenario)}
    assert mine["intervention.duration_months"].value == 18
    assert mine["intervention.duration_months"].default == 12


def test_assumptions_are_marked_as_such() -> None:
    found = assumptions()
    assert found and all(p.source.lower().startswith("assumption") for p in found)


def test_docs_parameters_md_is_up_to_date() -> None:
    current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    assert current == parameters_markdown(), (
        f"docs/parameters.md is out of date with the scenario fields; regenerate it with `{REGENERATE}`"
    )
