"""What a scenario changes from the defaults (with where each value comes from), and warnings
for settings that do nothing."""

from __future__ import annotations

from pathlib import Path

import sim
from sim.scenario.changes import changed_fields, inert_settings
from sim.scenario.extends import read_layers
from sim.scenario.yaml_safe import load_yaml_file


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_trust_preset_is_named_as_the_source(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "intervention:\n  trigger: inadequate\n  type: trust\n  change_team_fte: 8\n"
    )
    scenario = sim.load_scenario(path)
    layers = read_layers(load_yaml_file(path), str(path), None)
    found = {c.path: c for c in changed_fields(scenario, layers)}
    preset = "preset of intervention type 'trust'"
    for name in ("ownership", "oversight_bodies", "replaces_leadership", "setup_cost_gbp"):
        assert found[f"intervention.{name}"].source == preset, name
    assert found["intervention.change_team_fte"].value == 8  # the file's value wins
    assert found["intervention.change_team_fte"].source == f"set in {path}"
    assert found["intervention.type"].default == "improvement_notice"
    assert "workforce.establishment_fte" not in found  # unchanged fields are not listed


def test_varied_fields_and_run_settings(tmp_path: Path) -> None:
    path = _write(tmp_path, "replications: 100\n")
    scenario = sim.load_scenario(path, overrides={"replications": 8})
    layers = read_layers(load_yaml_file(path), str(path), None)
    arms = {"a": {"intervention.duration_months": 6}, "b": {"intervention.duration_months": 24}}
    found = {c.path: c for c in changed_fields(scenario, layers, arms)}
    assert found["replications"].source.startswith("set for this run (the file")
    assert found["intervention.duration_months"].value == "6, 24"


def test_intervention_settings_without_a_trigger_are_warned_about() -> None:
    scenario = sim.load_scenario({"intervention": {"type": "trust", "duration_months": 18}})
    (warning,) = inert_settings(scenario)
    assert "intervention.type = trust" in warning and "duration_months = 18" in warning
    assert "change_team_fte" not in warning  # preset values follow the type: named once
    live = sim.load_scenario({"intervention": {"trigger": "at_start", "type": "trust"}})
    assert inert_settings(live) == []
