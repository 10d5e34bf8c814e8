"""The form is built from the schema: every parameter, its kind, bounds, unit and presets."""

from __future__ import annotations

from sim.explorer.caps import MAX_HORIZON_YEARS, MAX_REPLICATIONS, MAX_RUNS, cap, full_run_command
from sim.explorer.editing import edits_from_form, same_value
from sim.explorer.fields import field_specs, preset_values, sections, sweepable
from sim.scenario import Scenario, iter_parameters, load_scenario
from sim.scenario.intervention import PRESETS


def test_every_parameter_has_one_control_in_its_section() -> None:
    specs = field_specs()
    assert [s.path for s in specs] == [p.path for p in iter_parameters()]
    names = [name for name, _ in sections()]
    assert {s.section for s in specs} <= set(names)


def test_kinds_follow_the_types() -> None:
    by_path = {s.path: s for s in field_specs()}
    assert by_path["intervention.type"].kind == "choice"
    assert by_path["intervention.type"].choices == tuple(PRESETS)
    assert by_path["replications"].kind == "integer"
    assert by_path["initial.dcs_months_in_post"].kind == "optional_number"
    assert by_path["cases.assessment_wd_bin_edges"].kind == "numbers"
    duration = by_path["intervention.duration_months"]
    assert duration.kind == "number" and duration.bounds == "> 0, ≤ 120"
    assert duration.label == "duration_months (months)"
    assert "seed article" in duration.help and "**Unit:** months" in duration.help
    assert by_path["intervention.change_team_fte"].preset
    assert not by_path["intervention.duration_months"].preset
    assert all(s.kind != "numbers" for s in sweepable(field_specs()))


def test_presets_are_the_schema_presets() -> None:
    assert preset_values("trust") == PRESETS["trust"]
    assert preset_values("no such type") == {}


def test_edits_are_the_values_that_differ() -> None:
    shown = {"a": 2650.0, "b": 1, "c": False, "d": "adhoc"}
    values = {"a": 2650, "b": True, "c": False, "d": "pool"}
    assert edits_from_form(values, shown) == {"b": True, "d": "pool"}
    assert same_value(2, 2.0) and not same_value(True, 1)


def test_the_cap_bounds_replications_horizon_and_runs() -> None:
    long = load_scenario(Scenario(), overrides={"horizon_years": MAX_HORIZON_YEARS + 5})
    capped = cap(long, MAX_REPLICATIONS + 10, arms=1)
    assert capped.replications == MAX_REPLICATIONS
    assert capped.scenario.horizon_years == MAX_HORIZON_YEARS
    assert len(capped.notes) == 2
    many = cap(Scenario(), MAX_REPLICATIONS, arms=20)
    assert many.replications * 20 <= MAX_RUNS
    plain = cap(Scenario(), 4, arms=2)
    assert not plain.capped and plain.scenario == Scenario() and plain.replications == 4
    assert full_run_command("my scenario.yaml").startswith(
        "csc-sim run 'my scenario.yaml' --workers"
    )
