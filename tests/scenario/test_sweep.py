"""Sweeps: grid crossing, named arms, both together, labels, and the uncertain section."""

from __future__ import annotations

from typing import Any

import pytest

from sim.scenario.errors import ScenarioError
from sim.scenario.loader import scenario_from_dict
from sim.scenario.sweep import MAX_ARMS, Arm, expand_arms, validate_uncertain


def arms_of(data: dict[str, Any]) -> list[Arm]:
    return expand_arms(scenario_from_dict(data, source="sweep.yaml"), source="sweep.yaml")


def sweep_error(data: dict[str, Any]) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        arms_of(data)
    assert info.value.file == "sweep.yaml"
    return info.value


def test_no_sweep_is_one_arm_named_after_the_scenario() -> None:
    (arm,) = arms_of({"name": "baseline"})
    assert arm.label == "baseline" and arm.overrides == {}
    assert arm.scenario.name == "baseline"


def test_grid_is_crossed_first_key_slowest() -> None:
    arms = arms_of(
        {
            "grid": {
                "intervention.duration_months": [6, 18.0, 24.5],
                "leadership.dcs_mean_tenure_months": [12, 60],
            }
        }
    )
    assert [a.label for a in arms] == [
        "duration_months=6 dcs_mean_tenure_months=12",
        "duration_months=6 dcs_mean_tenure_months=60",
        "duration_months=18 dcs_mean_tenure_months=12",
        "duration_months=18 dcs_mean_tenure_months=60",
        "duration_months=24.5 dcs_mean_tenure_months=12",
        "duration_months=24.5 dcs_mean_tenure_months=60",
    ]
    third = arms[2]
    assert third.overrides == {
        "intervention.duration_months": 18.0,
        "leadership.dcs_mean_tenure_months": 12,
    }
    assert third.scenario.intervention.duration_months == 18
    assert third.scenario.leadership.dcs_mean_tenure_months == 12
    assert third.scenario.grid is None and third.scenario.arms is None


def test_clashing_last_names_use_the_full_path() -> None:
    arms = arms_of({"grid": {"workforce.caseload_cap": [20], "seed": [1, 2]}})
    assert arms[0].label == "caseload_cap=20 seed=1"


def test_named_arms_in_order_with_presets() -> None:
    arms = arms_of(
        {
            "arms": {
                "notice": {},
                "trust": {"intervention.type": "trust"},
                "pool": {"intervention.formation": "pool", "intervention.change_team_fte": 4},
            }
        }
    )
    assert [a.label for a in arms] == ["notice", "trust", "pool"]
    assert arms[1].scenario.intervention.change_team_fte == 6.0  # trust preset
    assert arms[2].scenario.intervention.formation == "pool"


def test_grid_is_crossed_within_each_named_arm() -> None:
    arms = arms_of(
        {
            "arms": {"adhoc": {}, "pool": {"intervention.formation": "pool"}},
            "grid": {"intervention.duration_months": [6, 24]},
        }
    )
    assert [a.label for a in arms] == [
        "adhoc duration_months=6",
        "adhoc duration_months=24",
        "pool duration_months=6",
        "pool duration_months=24",
    ]
    assert arms[3].scenario.intervention.formation == "pool"
    assert arms[3].scenario.intervention.duration_months == 24


def test_grid_unknown_path_names_nearest() -> None:
    err = sweep_error({"grid": {"intervention.duraton_months": [6]}})
    assert err.field == "grid.intervention.duraton_months"
    assert "Did you mean 'intervention.duration_months'?" in err.message


def test_grid_invalid_value_names_grid_field() -> None:
    err = sweep_error({"grid": {"intervention.duration_months": [6, -1]}})
    assert err.field == "grid.intervention.duration_months"
    assert "-1" in err.message and "more than 0" in err.message


def test_arm_invalid_value_names_arm_field() -> None:
    err = sweep_error({"arms": {"fast": {"intervention.formation": "poool"}}})
    assert err.field == "arms.fast.intervention.formation"
    assert "Did you mean 'pool'?" in err.message


def test_arm_unknown_path() -> None:
    err = sweep_error({"arms": {"fast": {"intervention.formaton": "pool"}}})
    assert err.field == "arms.fast.intervention.formaton"


@pytest.mark.parametrize(
    ("grid", "words"),
    [
        ({"workforce": [1]}, "whole section"),
        ({"grid": [1]}, "cannot be varied"),
        ({"intervention.duration_months": [6, 6.0]}, "same label"),
    ],
)
def test_grid_mistakes(grid: dict[str, list[Any]], words: str) -> None:
    assert words in sweep_error({"grid": grid}).message


def test_empty_grid_list_is_refused_on_load() -> None:
    with pytest.raises(ScenarioError, match="has no values"):
        scenario_from_dict({"grid": {"seed": []}})


def test_arm_and_grid_setting_the_same_field() -> None:
    err = sweep_error(
        {
            "arms": {"a": {"intervention.duration_months": 5}},
            "grid": {"intervention.duration_months": [6]},
        }
    )
    assert err.field == "arms.a.intervention.duration_months"


def test_too_many_arms() -> None:
    grid = {"seed": list(range(MAX_ARMS // 10 + 1)), "replications": list(range(1, 12))}
    assert "limit" in sweep_error({"grid": grid}).message


# --- uncertain -----------------------------------------------------------------------------


def check_uncertain(spec: dict[str, Any]) -> None:
    validate_uncertain(scenario_from_dict({"uncertain": spec}), source="u.yaml")


def test_valid_uncertain() -> None:
    check_uncertain({"workforce.establishment_fte": {"low": 100, "high": 150}})
    check_uncertain({"intervention.oversight_bodies": {"low": 0, "high": 4}})


@pytest.mark.parametrize(
    ("spec", "field", "words"),
    [
        (
            {"workforce.establishmen_fte": {}},
            "uncertain.workforce.establishmen_fte",
            "Did you mean",
        ),
        (
            {"workforce.agency_rules_2024": {}},
            "uncertain.workforce.agency_rules_2024",
            "not a number",
        ),
        (
            {"workforce.establishment_fte": {"low": 200, "high": 150}},
            "uncertain.workforce.establishment_fte",
            "less than high",
        ),
        (
            {"workforce.establishment_fte": {"low": 0, "high": 150}},
            "uncertain.workforce.establishment_fte.low",
            "at least 1",
        ),
        (
            {"cases.front_door_nfa_share": {"low": 0.5, "high": 2}},
            "uncertain.cases.front_door_nfa_share.high",
            "at most 1",
        ),
    ],
)
def test_uncertain_mistakes(spec: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(ScenarioError) as info:
        check_uncertain(spec)
    assert info.value.file == "u.yaml" and info.value.field == field
    assert words in info.value.message
