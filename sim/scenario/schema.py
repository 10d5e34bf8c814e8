"""The scenario file's JSON Schema, and the list of parameters with their units and sources.

``docs/parameters.md`` is generated from here; regenerate it with::

    python -m sim.scenario.schema --markdown > docs/parameters.md
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.scenario.fields import is_assumption
from sim.scenario.paths import bounds_of, describe_type, format_value, unit_of
from sim.scenario.scenario import SECTIONS, Scenario

REGENERATE = "python -m sim.scenario.schema --markdown > docs/parameters.md"
"""The command that rewrites ``docs/parameters.md``."""

_UNSET: Any = object()


@dataclass(frozen=True)
class ParameterInfo:
    """One scenario parameter and its provenance.

    Attributes
    ----------
    path
        Dotted path, e.g. ``"workforce.establishment_fte"``.
    type
        What the field accepts, in plain words.
    unit
        Unit of the value.
    default
        Default value.
    ge, le, gt, lt
        Bounds (``None`` when absent).
    source
        Citation, ``"assumption..."`` or ``"calibrated: <target>"``.
    description
        One sentence.
    value
        The value in a given scenario (equal to ``default`` when no scenario was given).
    """

    path: str
    type: str
    unit: str
    default: Any
    ge: float | None
    le: float | None
    gt: float | None
    lt: float | None
    source: str
    description: str
    value: Any = None

    @property
    def section(self) -> str:
        """The section the parameter belongs to (``"scenario"`` for top-level parameters)."""
        return self.path.split(".", 1)[0] if "." in self.path else "scenario"

    @property
    def is_assumption(self) -> bool:
        """Whether the source marks this parameter as a modelling assumption."""
        return is_assumption(self.source)


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file; each parameter carries its unit and
    source as ``unit`` and ``source`` keywords."""
    schema = Scenario.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


def _info(path: str, field: FieldInfo, value: Any) -> ParameterInfo | None:
    unit = unit_of(field)
    if unit is None:
        return None
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    bounds = bounds_of(field)
    default = field.get_default(call_default_factory=True)
    return ParameterInfo(
        path=path,
        type=describe_type(field.annotation),
        unit=unit,
        default=default,
        ge=bounds.get("ge"),
        le=bounds.get("le"),
        gt=bounds.get("gt"),
        lt=bounds.get("lt"),
        source=str(extra.get("source", "")),
        description=field.description or "",
        value=default if value is _UNSET else value,
    )


def iter_parameters(scenario: Scenario | None = None) -> list[ParameterInfo]:
    """Every parameter that has a unit: top-level ones first, then each section in order.

    Parameters
    ----------
    scenario
        When given, each :attr:`ParameterInfo.value` is this scenario's value.
    """
    found: list[ParameterInfo] = []
    for name, field in Scenario.model_fields.items():
        value = getattr(scenario, name) if scenario is not None else _UNSET
        info = _info(name, field, value)
        if info is not None:
            found.append(info)
    for section, model in SECTIONS.items():
        part: BaseModel | None = getattr(scenario, section) if scenario is not None else None
        found.extend(_section_parameters(section, model, part))
    return found


def _section_parameters(
    prefix: str, model: type[BaseModel], part: BaseModel | None
) -> list[ParameterInfo]:
    """The parameters of a section, those of a section nested in it (``population.pool``) after."""
    found: list[ParameterInfo] = []
    for name, field in model.model_fields.items():
        value = getattr(part, name) if part is not None else _UNSET
        nested = field.annotation
        if isinstance(nested, type) and issubclass(nested, BaseModel):
            inner = value if isinstance(value, BaseModel) else None
            found.extend(_section_parameters(f"{prefix}.{name}", nested, inner))
            continue
        info = _info(f"{prefix}.{name}", field, value)
        if info is not None:
            found.append(info)
    return found


def assumptions(scenario: Scenario | None = None) -> list[ParameterInfo]:
    """The parameters whose source is an assumption (the report lists them with their values)."""
    return [p for p in iter_parameters(scenario) if p.is_assumption]


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _bounds_text(p: ParameterInfo) -> str:
    low = f"≥ {format_value(p.ge)}" if p.ge is not None else ""
    low = f"> {format_value(p.gt)}" if p.gt is not None else low
    high = f"≤ {format_value(p.le)}" if p.le is not None else ""
    high = f"< {format_value(p.lt)}" if p.lt is not None else high
    if p.type.startswith("one of"):
        return p.type.removeprefix("one of ")
    return ", ".join(part for part in (low, high) if part) or "—"


def parameters_markdown() -> str:
    """``docs/parameters.md``: a table per section of every parameter's unit, default, bounds,
    source and description."""
    lines = [
        "# Scenario parameters",
        "",
        "Every number a scenario file can set, with its unit, default, bounds and source. A source",
        "is a citation (see `docs/evidence.md`), *assumption*, or *calibrated* with its target.",
        "",
        f"Generated from the code; do not edit by hand. Regenerate with `{REGENERATE}`.",
    ]
    params = iter_parameters()
    sections = ["scenario", *SECTIONS]
    for section in sections:
        rows = [p for p in params if p.section == section]
        if not rows:
            continue
        title = "Top level" if section == "scenario" else f"`{section}`"
        doc = (Scenario if section == "scenario" else SECTIONS[section]).__doc__ or ""
        lines += ["", f"## {title}", "", doc.strip().split("\n")[0], ""]
        lines.append("| name | unit | default | bounds | source | description |")
        lines.append("|---|---|---|---|---|---|")
        for p in rows:
            name = p.path.split(".", 1)[-1]
            cells = (
                f"`{name}`",
                p.unit,
                format_value(p.default),
                _bounds_text(p),
                p.source,
                p.description,
            )
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m sim.scenario.schema [--markdown | --json]``: print the parameter table or the
    JSON Schema."""
    parser = argparse.ArgumentParser(prog="python -m sim.scenario.schema")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--markdown", action="store_true", help="docs/parameters.md (default)")
    group.add_argument("--json", action="store_true", help="the JSON Schema")
    args = parser.parse_args(argv)
    if args.json:
        sys.stdout.write(json.dumps(scenario_json_schema(), indent=2) + "\n")
    else:
        sys.stdout.write(parameters_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
