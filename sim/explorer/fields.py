"""One form control per scenario field, read from the schema (DESIGN §3, docs/parameters.md).

Each :class:`FieldSpec` carries what the page needs to draw a control suited to the field: its
kind (number, whole number, switch, choice, optional number, list of numbers), unit, bounds,
default, source and description, and whether the chosen intervention type presets it. Sections
follow ``docs/parameters.md``: the top level, then each section in the schema's order.
"""

from __future__ import annotations

import datetime
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from sim.scenario import SECTIONS, Scenario, iter_parameters
from sim.scenario.intervention import PRESETS
from sim.scenario.paths import format_value, resolve_path

Kind = Literal["number", "integer", "switch", "choice", "optional_number", "numbers", "text"]
TOP_LEVEL = "scenario"
PRESET_SECTION = "intervention"
PRESET_FIELDS: frozenset[str] = frozenset(name for preset in PRESETS.values() for name in preset)
"""Intervention fields that an intervention ``type`` presets."""


@dataclass(frozen=True)
class FieldSpec:
    """What the page needs to draw one field.

    Attributes
    ----------
    path
        Dotted path, e.g. ``"intervention.duration_months"``.
    section
        Section name (``"scenario"`` for the top level).
    kind
        Which control to draw.
    unit, source, description
        From the field's declaration.
    default
        The schema default (for a preset field, the default type's preset).
    bounds
        Bounds in words, e.g. ``"≥ 0, ≤ 1"`` (empty when none).
    choices
        Allowed values of a choice.
    preset
        Whether the intervention type presets this field.
    """

    path: str
    section: str
    kind: Kind
    unit: str
    source: str
    description: str
    default: Any
    bounds: str
    choices: tuple[Any, ...] = ()
    preset: bool = False

    @property
    def name(self) -> str:
        """The field's own name (last part of the path)."""
        return self.path.rsplit(".", 1)[-1]

    @property
    def label(self) -> str:
        """Name and unit, as the control's label."""
        shown = self.unit not in ("1", "choice", "true/false", "")
        return f"{self.name} ({self.unit})" if shown else self.name

    @property
    def help(self) -> str:
        """Description, unit, bounds, default and source (Markdown), as the control's help."""
        parts = [self.description, f"**Unit:** {self.unit}"]
        if self.bounds:
            parts.append(f"**Bounds:** {self.bounds}")
        parts.append(f"**Default:** {format_value(self.default)}")
        if self.preset:
            parts.append("**Preset** by the intervention type (a value set here overrides it).")
        parts.append(f"**Source:** {self.source}")
        return "  \n".join(parts)


def _kind(annotation: Any) -> tuple[Kind, tuple[Any, ...]]:
    origin = get_origin(annotation)
    if origin is Literal:
        return "choice", get_args(annotation)
    inner = [a for a in get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        return ("optional_number", ()) if inner[0] in (int, float) else ("text", ())
    if origin is list:
        return ("numbers", ()) if inner and inner[0] in (int, float) else ("text", ())
    if annotation in (str, datetime.date):
        return "text", ()
    if annotation is bool:
        return "switch", ()
    if annotation is int:
        return "integer", ()
    return "number", ()


def _bounds(ge: Any, gt: Any, le: Any, lt: Any) -> str:
    low = f"≥ {format_value(ge)}" if ge is not None else ""
    low = f"> {format_value(gt)}" if gt is not None else low
    high = f"≤ {format_value(le)}" if le is not None else ""
    high = f"< {format_value(lt)}" if lt is not None else high
    return ", ".join(part for part in (low, high) if part)


def field_specs() -> list[FieldSpec]:
    """Every parameter of a scenario, top level first, then each section in order."""
    specs = []
    for info in iter_parameters():
        ref = resolve_path(info.path, file="<schema>")
        kind, choices = _kind(ref.info.annotation)
        specs.append(
            FieldSpec(
                path=info.path,
                section=info.section,
                kind=kind,
                unit=info.unit,
                source=info.source,
                description=info.description,
                default=info.default,
                bounds="" if kind == "choice" else _bounds(info.ge, info.gt, info.le, info.lt),
                choices=choices,
                preset=info.section == PRESET_SECTION and ref.name in PRESET_FIELDS,
            )
        )
    return specs


def sections() -> list[tuple[str, str]]:
    """``(section, first line of its docstring)`` in the order of ``docs/parameters.md``."""
    found = [(TOP_LEVEL, (Scenario.__doc__ or "").strip().split("\n")[0])]
    for name, model in SECTIONS.items():
        doc = (model.__doc__ or "").strip().split("\n")[0]
        found.append((name, doc))
    return found


def preset_values(intervention_type: str) -> dict[str, Any]:
    """The fields an intervention type sets, and their values (empty for an unknown type)."""
    return dict(PRESETS.get(intervention_type, {}))


def sweepable(specs: list[FieldSpec]) -> list[FieldSpec]:
    """Fields a sweep may vary: single values (numbers, whole numbers, switches, choices)."""
    return [s for s in specs if s.kind in ("number", "integer", "switch", "choice")]


def value_at(scenario: Scenario, path: str) -> Any:
    """The scenario's value at a dotted path."""
    value: Any = scenario
    for part in path.split("."):
        value = getattr(value, part)
    return value
