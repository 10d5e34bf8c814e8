"""Loading scenarios: validation messages, extends, overrides, resolved YAML and hashing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.scenario.errors import ScenarioError
from sim.scenario.loader import (
    load_scenario,
    resolved_yaml,
    scenario_from_dict,
    scenario_sha256,
)
from sim.scenario.scenario import Scenario
from sim.scenario.yaml_safe import parse_yaml

Writer = Callable[[str, str], Path]


def error_for(path: Path, **kwargs: object) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, **kwargs)  # type: ignore[arg-type]
    return info.value


def test_loads_a_file_with_defaults(write: Writer) -> None:
    scenario = sim.load_scenario(write("s.yaml", "name: s\nworkforce:\n  establishment_fte: 125\n"))
    assert scenario.name == "s"
    assert scenario.workforce.establishment_fte == 125
    assert (
        scenario.workforce.caseload_target == Scenario.model_validate({}).workforce.caseload_target
    )


# --- one plain-words error per kind of mistake ---------------------------------------------


def test_typo_field_suggests_the_nearest_name(write: Writer) -> None:
    err = error_for(write("s.yaml", "workforce:\n  establishmnet_fte: 140\n"))
    assert err.field == "workforce.establishmnet_fte"
    assert "did you mean 'establishment_fte'?" in err.message.lower()
    assert "s.yaml" in err.message


def test_unknown_field_without_close_match_lists_valid_names(write: Writer) -> None:
    err = error_for(write("s.yaml", "workforce:\n  zzz: 1\n"))
    assert "Valid names in section 'workforce'" in err.message
    assert "establishment_fte" in err.message


def test_field_in_the_wrong_section_names_its_section(write: Writer) -> None:
    err = error_for(write("s.yaml", "establishment_fte: 140\n"))
    assert "section 'workforce'" in err.message


def test_wrong_type_names_expected_type_and_value(write: Writer) -> None:
    err = error_for(write("s.yaml", "workforce:\n  establishment_fte: lots\n"))
    assert err.field == "workforce.establishment_fte"
    assert "expected a number" in err.message and "'lots'" in err.message


def test_a_percentage_in_a_share_field_suggests_the_share(write: Writer) -> None:
    """'20%' in a field bounded by 1 is a share written as a percentage: the hint gives the
    share, not "a number such as 12" (which is out of range there)."""
    err = error_for(write("s.yaml", "demand:\n  rereferral_base_probability: 20%\n"))
    assert err.field == "demand.rereferral_base_probability"
    assert "share between 0 and 1: write 0.2 for 20%" in err.message
    err = error_for(write("s.yaml", "demand:\n  rereferral_base_probability: a fifth\n"))
    assert "such as 0.2 for 20%" in err.message
    err = error_for(write("s.yaml", "workforce:\n  establishment_fte: 20%\n"))
    assert "such as 12 or 12.5" in err.message  # not a share: no percentage hint


def test_fractional_integer(write: Writer) -> None:
    err = error_for(write("s.yaml", "seed: 1.5\n"))
    assert err.field == "seed" and "whole number" in err.message


def test_out_of_range_names_the_bound(write: Writer) -> None:
    err = error_for(write("s.yaml", "workforce:\n  establishment_fte: 0\n"))
    assert err.field == "workforce.establishment_fte"
    assert "must be at least 1" in err.message
    assert "Nearest valid value: 1." in err.message


def test_above_maximum(write: Writer) -> None:
    err = error_for(write("s.yaml", "cases:\n  front_door_nfa_share: 1.5\n"))
    assert "must be at most 1" in err.message and "1.5" in err.message


def test_strict_bound(write: Writer) -> None:
    err = error_for(write("s.yaml", "intervention:\n  duration_months: 0\n"))
    assert "must be more than 0" in err.message


def test_bad_literal_suggests_closest_choice(write: Writer) -> None:
    err = error_for(write("s.yaml", "intervention:\n  formation: adhok\n"))
    assert err.field == "intervention.formation"
    assert "'adhok'" in err.message and "Did you mean 'adhoc'?" in err.message


def test_bad_numeric_literal_suggests_nearest_value(write: Writer) -> None:
    err = error_for(write("s.yaml", "initial:\n  grade: 7\n"))
    assert "Nearest valid value: 4." in err.message


def test_bad_boolean(write: Writer) -> None:
    err = error_for(write("s.yaml", "workforce:\n  agency_rules_2024: maybe\n"))
    assert "expected true or false" in err.message


def test_empty_section(write: Writer) -> None:
    err = error_for(write("s.yaml", "workforce:\n"))
    assert err.field == "workforce" and "is empty" in err.message


def test_list_item_error_names_position(write: Writer) -> None:
    err = error_for(write("s.yaml", "cases:\n  assessment_wd_bin_edges: [0, x]\n"))
    assert err.field == "cases.assessment_wd_bin_edges[1]"


def test_several_errors_are_counted(write: Writer) -> None:
    err = error_for(write("s.yaml", "seed: -1\nworkforce:\n  establishment_fte: 0\n  zzz: 1\n"))
    assert "2 more problems" in err.message


# --- files that are not scenarios ----------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    err = error_for(tmp_path / "nope.yaml")
    assert "nope.yaml" in err.message and "does not exist" in err.message


def test_directory(tmp_path: Path) -> None:
    assert "directory" in error_for(tmp_path).message


def test_empty_file(write: Writer) -> None:
    assert "empty" in error_for(write("e.yaml", "")).message


def test_top_level_list(write: Writer) -> None:
    assert "must be a mapping" in error_for(write("l.yaml", "- name: x\n")).message


# --- extends -------------------------------------------------------------------------------


def test_extends_deep_merges_child_over_parent(write: Writer) -> None:
    write("base.yaml", "name: base\nworkforce:\n  establishment_fte: 120\n  caseload_cap: 25\n")
    child = write("child.yaml", "extends: base.yaml\nname: child\nworkforce:\n  caseload_cap: 20\n")
    scenario = load_scenario(child)
    assert scenario.name == "child"
    assert scenario.extends == "base.yaml"
    assert scenario.workforce.establishment_fte == 120
    assert scenario.workforce.caseload_cap == 20


def test_extends_chain_is_relative_to_each_file(write: Writer, tmp_path: Path) -> None:
    write("base.yaml", "workforce:\n  establishment_fte: 120\n")
    write("mid/child.yaml", "extends: ../base.yaml\nintervention:\n  type: trust\n")
    grandchild = write("mid/deeper/gc.yaml", "extends: ../child.yaml\ninitial:\n  grade: 4\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cwd = os.getcwd()
    os.chdir(elsewhere)
    try:
        scenario = load_scenario(os.path.relpath(grandchild, elsewhere))
    finally:
        os.chdir(cwd)
    assert scenario.workforce.establishment_fte == 120
    assert scenario.intervention.type == "trust"
    assert scenario.intervention.change_team_fte == 6.0  # the trust preset
    assert scenario.initial.grade == 4


def test_missing_parent_names_the_referring_file(write: Writer) -> None:
    write("baseline.yaml", "name: b\n")
    child = write("child.yaml", "extends: baselin.yaml\n")
    err = error_for(child)
    assert err.file == str(child) and err.field == "extends"
    assert "baselin.yaml" in err.message and "Did you mean 'baseline.yaml'?" in err.message


def test_extends_must_be_a_path(write: Writer) -> None:
    err = error_for(write("c.yaml", "extends: 5\n"))
    assert err.field == "extends" and "expected the path" in err.message


def test_cycle_of_two_files(write: Writer) -> None:
    a = write("a.yaml", "extends: b.yaml\n")
    write("b.yaml", "extends: a.yaml\n")
    err = error_for(a)
    assert err.field == "extends"
    assert "circle" in err.message and "a.yaml -> " in err.message and "b.yaml" in err.message


def test_file_extending_itself(write: Writer) -> None:
    err = error_for(write("self.yaml", "extends: self.yaml\n"))
    assert "self.yaml -> " in err.message and "circle" in err.message


def test_error_in_a_parent_names_the_parent(write: Writer) -> None:
    parent = write("parent.yaml", "workforce:\n  caseload_cap: -1\n")
    err = error_for(write("child.yaml", "extends: parent.yaml\nname: c\n"))
    assert err.file == str(parent) and err.field == "workforce.caseload_cap"


def test_broken_parent_names_the_parent(write: Writer) -> None:
    write("parent.yaml", "a: [1\n")
    err = error_for(write("child.yaml", "extends: parent.yaml\n"))
    assert "parent.yaml" in err.file


# --- overrides, dicts and Scenario objects -------------------------------------------------


def test_overrides_apply_after_extends(write: Writer) -> None:
    write("base.yaml", "workforce:\n  establishment_fte: 120\n")
    child = write("child.yaml", "extends: base.yaml\n")
    scenario = load_scenario(child, overrides={"workforce.establishment_fte": 140})
    assert scenario.workforce.establishment_fte == 140


def test_override_unknown_path_suggests_nearest(write: Writer) -> None:
    err = error_for(write("s.yaml", "name: s\n"), overrides={"workforce.establishmnet_fte": 1})
    assert err.file == "<overrides>"
    assert "Did you mean 'workforce.establishment_fte'?" in err.message


def test_override_invalid_value_is_validated(write: Writer) -> None:
    err = error_for(write("s.yaml", "name: s\n"), overrides={"workforce.establishment_fte": -5})
    assert err.file == "<overrides>" and err.field == "workforce.establishment_fte"
    assert "at least 1" in err.message


def test_override_through_a_value_is_refused(write: Writer) -> None:
    err = error_for(write("s.yaml", "name: s\n"), overrides={"seed.x": 1})
    assert "has no field 'x'" in err.message


def test_override_intervention_type_takes_the_new_preset(write: Writer) -> None:
    scenario = load_scenario(write("s.yaml", "intervention:\n  type: trust\n"))
    changed = load_scenario(scenario, overrides={"intervention.type": "commissioner"})
    assert changed.intervention.change_team_fte == 3.0
    assert scenario.intervention.type == "trust"  # the original is not modified


def test_scenario_instance_override_keeps_custom_values() -> None:
    scenario = scenario_from_dict({"intervention": {"type": "trust", "change_team_fte": 9}})
    changed = load_scenario(scenario, overrides={"intervention.type": "commissioner"})
    assert changed.intervention.change_team_fte == 9
    assert changed.intervention.replaces_leadership is True


def test_dict_source() -> None:
    scenario = load_scenario({"name": "d", "seed": 3}, overrides={"replications": 2})
    assert (scenario.name, scenario.seed, scenario.replications) == ("d", 3, 2)
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict({"sed": 3}, source="my dict")
    assert info.value.file == "my dict" and "Did you mean 'seed'?" in info.value.message


def test_dict_extends_is_relative_to_base_dir(write: Writer, tmp_path: Path) -> None:
    write("base.yaml", "seed: 7\n")
    assert scenario_from_dict({"extends": "base.yaml"}, base_dir=tmp_path).seed == 7


def test_unsupported_source_type() -> None:
    with pytest.raises(ScenarioError, match="cannot load"):
        load_scenario(42)  # type: ignore[arg-type]


# --- resolved YAML and hash ----------------------------------------------------------------


def test_resolved_yaml_round_trips(write: Writer) -> None:
    scenario = load_scenario(
        write(
            "s.yaml",
            "name: s\ndescription: 'A: b'\nintervention:\n  type: trust\n"
            "grid:\n  intervention.duration_months: [6, 24]\n",
        ),
    )
    text = resolved_yaml(scenario)
    again = load_scenario(write("resolved.yaml", text))
    assert again == scenario
    assert scenario_sha256(again) == scenario_sha256(scenario)
    assert list(parse_yaml(text, "r")) == list(Scenario.model_fields)


def test_resolved_yaml_of_an_extending_scenario_is_self_contained(write: Writer) -> None:
    write("base.yaml", "workforce:\n  establishment_fte: 120\n")
    scenario = load_scenario(write("child.yaml", "extends: base.yaml\n"))
    text = resolved_yaml(scenario)
    assert "# It extended 'base.yaml'" in text
    again = load_scenario(write("elsewhere/resolved.yaml", text))
    assert again == scenario.model_copy(update={"extends": None})
    assert scenario_sha256(again) == scenario_sha256(scenario)


def test_resolved_yaml_names_the_population_table_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A results folder's ``scenario.resolved.yaml`` finds its table whatever the working
    directory: a table relative to the working directory is written as an absolute path."""
    project = tmp_path / "project"
    (project / "tables").mkdir(parents=True)
    table = Path(__file__).resolve().parents[2] / "data" / "england" / "population.csv"
    (project / "tables" / "t.csv").write_bytes(table.read_bytes())
    (project / "run.yaml").write_text("name: r\npopulation:\n  table: tables/t.csv\n")
    monkeypatch.chdir(project)
    scenario = load_scenario("run.yaml")
    assert scenario.population.table == os.path.join("tables", "t.csv")  # from the cwd
    text = resolved_yaml(scenario)
    results = tmp_path / "results" / "r"
    results.mkdir(parents=True)
    (results / "scenario.resolved.yaml").write_text(text)
    monkeypatch.chdir(tmp_path / "results")
    again = load_scenario(results / "scenario.resolved.yaml")
    assert again.population.table == str(project / "tables" / "t.csv")
    assert again == scenario.model_copy(
        update={
            "population": scenario.population.model_copy(update={"table": again.population.table})
        }
    )
    # An absolute table is written as it is, with no note.
    assert "absolute path" not in resolved_yaml(again)
    assert yaml.safe_load(resolved_yaml(again))["population"]["table"] == again.population.table


def test_sha256_is_stable_and_sensitive() -> None:
    a = scenario_from_dict({"name": "x", "workforce": {"establishment_fte": 120}})
    b = scenario_from_dict({"workforce": {"establishment_fte": 120.0}, "name": "x"})
    assert scenario_sha256(a) == scenario_sha256(b)
    assert len(scenario_sha256(a)) == 64
    c = load_scenario(a, overrides={"workforce.establishment_fte": 121})
    assert scenario_sha256(c) != scenario_sha256(a)
    assert yaml.safe_load(resolved_yaml(a))["workforce"]["establishment_fte"] == 120


@settings(max_examples=25, deadline=None)
@given(
    fte=st.floats(min_value=1, max_value=2000, allow_nan=False),
    grade=st.sampled_from([1, 2, 3, 4]),
    kind=st.sampled_from(["improvement_notice", "commissioner", "trust", "private_partner"]),
    name=st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s.isprintable()),
)
def test_resolved_yaml_round_trips_any_valid_scenario(
    fte: float, grade: int, kind: str, name: str
) -> None:
    scenario = scenario_from_dict(
        {
            "name": name,
            "workforce": {"establishment_fte": fte},
            "initial": {"grade": grade},
            "intervention": {"type": kind},
        }
    )
    again = scenario_from_dict(parse_yaml(resolved_yaml(scenario), "resolved.yaml"))
    assert again == scenario
    assert scenario_sha256(again) == scenario_sha256(scenario)


# --- the small mendings of issue 16 ------------------------------------------------------------


def _error(tmp_path, text: str, name: str = "s.yaml"):  # type: ignore[no-untyped-def]
    import pytest as _pytest

    import sim
    from sim.scenario.errors import ScenarioError

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with _pytest.raises(ScenarioError) as caught:
        sim.load_scenario(path)
    return caught.value.message


def test_a_bare_percentage_in_a_share_field_suggests_the_share(tmp_path) -> None:  # type: ignore[no-untyped-def]
    message = _error(tmp_path, "initial:\n  vacancy_rate: 28\n")
    assert "write 0.28 for 28%" in message


def test_a_list_where_a_section_is_expected_reads_plainly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    message = _error(tmp_path, "workforce:\n  - 1\n  - 2\n")
    assert "'workforce' must be a section of fields, but the file gives a list" in message
    assert "[1, 2]" not in message


def test_yaml_errors_point_at_the_line_to_fix(tmp_path) -> None:  # type: ignore[no-untyped-def]
    no_colon = _error(tmp_path, "name: x\nworkforce:\n  establishment_fte 120\n  agency: 3\n")
    assert "broken at line 3: 'establishment_fte 120' has no ':'" in no_colon
    bracket = _error(tmp_path, "name: x\ngrid:\n  a.b: [6, 12\nhorizon_years: 3\n")
    assert "broken at line 3: the bracket or quote opened at column" in bracket
    quote = _error(tmp_path, 'name: "x\nhorizon_years: 3\n')
    assert "broken at line 1:" in quote


def test_choice_lists_are_printed_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    message = _error(tmp_path, "intervention:\n  type: zzz\n")
    assert message.count("'commissioner'") == 1


def test_missing_extends_says_where_it_looked_and_the_nearest(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "troubled.yaml").write_text("name: t\n", encoding="utf-8")
    message = _error(tmp_path, "extends: troubld.yaml\n")
    assert f"looked for {tmp_path / 'troubld.yaml'}" in message
    assert "Did you mean 'troubled.yaml'?" in message
