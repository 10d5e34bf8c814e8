"""The report's parameter tables: the assumptions with the values used, and the provenance of
every parameter (its source: a citation, an assumption or a calibration target)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.scenario.errors import ScenarioError
from sim.scenario.paths import format_value
from sim.scenario.scenario import Scenario

PARAMETER_COLUMNS: tuple[str, ...] = (
    "Parameter",
    "Value used",
    "Default",
    "Unit",
    "Source of the default",
    "Description",
)


def load_resolved(path: Path) -> Scenario | None:
    """The scenario of ``scenario.resolved.yaml``, or ``None`` if it is missing or invalid."""
    from sim.scenario.loader import load_scenario

    if not path.is_file():
        return None
    try:
        return load_scenario(path)
    except ScenarioError:
        return None


def _value_text(path: str, value: Any, overrides: Mapping[str, Mapping[str, Any]]) -> str:
    """The base value, plus the arms' values when a sweep varies the parameter."""
    varied = {arm: o[path] for arm, o in overrides.items() if path in o}
    text = format_value(value)
    if varied:
        values = sorted({str(v) for v in varied.values()})
        text += f" (varied by the arms: {', '.join(values)})"
    return text


def parameter_rows(
    scenario: Scenario, overrides: Mapping[str, Mapping[str, Any]], only_assumptions: bool
) -> list[tuple[str, str, str, str, str, str]]:
    """Rows of ``PARAMETER_COLUMNS`` for every parameter, or only the assumptions.

    Parameters
    ----------
    scenario
        The resolved base scenario (its values are the ones used).
    overrides
        Arm label -> dotted overrides, to show values that differ between arms.
    only_assumptions
        Keep only parameters whose source starts with "assumption".
    """
    from sim.scenario.schema import assumptions, iter_parameters

    chosen = assumptions(scenario) if only_assumptions else iter_parameters(scenario)
    return [
        (
            p.path,
            _value_text(p.path, p.value, overrides),
            format_value(p.default),
            p.unit,
            p.source,
            p.description,
        )
        for p in chosen
    ]
