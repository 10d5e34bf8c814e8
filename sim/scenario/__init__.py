"""Scenarios: pydantic models of a scenario file, safe YAML loading, ``extends``, overrides,
sweeps and the JSON Schema.

Public names::

    from sim.scenario import Scenario, ScenarioError, load_scenario, expand_arms
"""

from __future__ import annotations

from typing import Any

from sim.scenario.errors import ScenarioError
from sim.scenario.loader import (
    apply_overrides,
    load_scenario,
    resolved_yaml,
    scenario_from_dict,
    scenario_sha256,
)
from sim.scenario.scenario import SECTIONS, Scenario
from sim.scenario.sweep import Arm, expand_arms, validate_uncertain

__all__ = [
    "SECTIONS",
    "Arm",
    "ParameterInfo",
    "Scenario",
    "ScenarioError",
    "apply_overrides",
    "assumptions",
    "expand_arms",
    "iter_parameters",
    "load_scenario",
    "resolved_yaml",
    "scenario_from_dict",
    "scenario_json_schema",
    "scenario_sha256",
    "validate_uncertain",
]

_SCHEMA_NAMES = ("ParameterInfo", "assumptions", "iter_parameters", "scenario_json_schema")


def __getattr__(name: str) -> Any:
    # Imported lazily so that `python -m sim.scenario.schema` runs the module only once.
    if name in _SCHEMA_NAMES:
        from sim.scenario import schema

        return getattr(schema, name)
    raise AttributeError(f"module 'sim.scenario' has no attribute '{name}'")
