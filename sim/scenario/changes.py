"""What a scenario changes from the defaults, and settings that do nothing.

* :func:`changed_fields`: every parameter whose value differs from its default, with where the
  value comes from: an intervention type's preset (a trust sets team size, ownership, oversight
  bodies, a new director and set-up cost), the file (or a file it extends) that sets it, or the
  arms of a sweep.
* :func:`inert_settings`: warnings for settings that cannot change a run, such as intervention
  fields while ``intervention.trigger`` is ``none`` (no intervention ever starts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim.scenario.extends import Layer
from sim.scenario.intervention import PRESETS
from sim.scenario.paths import format_value, has_keys
from sim.scenario.scenario import Scenario

INTERVENTION = "intervention"
#: Intervention fields that matter even without a trigger (none: every field needs one).
_TRIGGER = "intervention.trigger"


@dataclass(frozen=True)
class Change:
    """A parameter whose value differs from its default."""

    path: str
    value: Any
    default: Any
    unit: str
    source: str


def _origin(path: str, scenario: Scenario, layers: Sequence[Layer] | None) -> str:
    section, _, name = path.partition(".")
    kind = scenario.intervention.type
    if section == INTERVENTION and name in PRESETS.get(kind, {}):
        value = getattr(scenario.intervention, name)
        if value == PRESETS[kind][name]:
            set_in_file = layers is not None and any(
                has_keys(layer.data, tuple(path.split("."))) for layer in layers
            )
            if not set_in_file:
                return f"preset of intervention type '{kind}'"
    for layer in layers or ():
        if has_keys(layer.data, tuple(path.split("."))):
            return f"set in {layer.file}"
    return "set by the scenario (or a file it extends)"


def changed_fields(scenario: Scenario, layers: Sequence[Layer] | None = None) -> list[Change]:
    """Every parameter of ``scenario`` that differs from its default, in schema order.

    Parameters
    ----------
    scenario
        The resolved scenario.
    layers
        The ``extends`` chain it was read from (child first), to say which file set a value.
    """
    from sim.scenario.schema import iter_parameters

    defaults = {p.path: p.value for p in iter_parameters(Scenario.model_validate({}))}
    changes = []
    for p in iter_parameters(scenario):
        if p.path in defaults and p.value != defaults[p.path]:
            changes.append(
                Change(p.path, p.value, defaults[p.path], p.unit, _origin(p.path, scenario, layers))
            )
    return changes


def _varied_paths(scenario: Scenario) -> list[str]:
    paths = list(scenario.grid or {})
    for overrides in (scenario.arms or {}).values():
        paths.extend(p for p in overrides if p not in paths)
    return paths


def inert_settings(
    scenario: Scenario, arm_overrides: Mapping[str, Mapping[str, Any]] | None = None
) -> list[str]:
    """Plain-words warnings for settings that cannot change the run (empty when none)."""
    varied = _varied_paths(scenario)
    for overrides in (arm_overrides or {}).values():
        varied.extend(p for p in overrides if p not in varied)
    triggers: set[str] = {str(scenario.intervention.trigger)}
    for overrides in (arm_overrides or {}).values():
        if _TRIGGER in overrides:
            triggers.add(str(overrides[_TRIGGER]))
    triggers |= {str(v) for v in (scenario.grid or {}).get(_TRIGGER, [])}
    if triggers != {"none"}:
        return []
    warnings = []
    swept = [p for p in varied if p.startswith(INTERVENTION + ".") and p != _TRIGGER]
    if swept:
        warnings.append(
            f"The sweep varies {', '.join(swept)}, but intervention.trigger is 'none', so no "
            "intervention ever starts and these arms cannot differ. Set intervention.trigger "
            "to 'inadequate' or 'at_start'."
        )
    changed = [
        c.path
        for c in changed_fields(scenario)
        if c.path.startswith(INTERVENTION + ".") and c.path != _TRIGGER and c.path not in swept
    ]
    if changed:
        shown = ", ".join(f"{p} = {format_value(_value(scenario, p))}" for p in changed)
        warnings.append(
            f"{shown}: intervention settings that do nothing while intervention.trigger is "
            "'none'. Set the trigger to 'inadequate' or 'at_start', or remove them."
        )
    return warnings


def _value(scenario: Scenario, path: str) -> Any:
    section, _, name = path.partition(".")
    return getattr(getattr(scenario, section), name)
