"""Dotted field paths (``workforce.establishment_fte``): lookup, nearest names, and dict helpers.

Overrides, sweeps (``grid:``, ``arms:``), the ``uncertain:`` section and error messages all name
a field by its dotted path from the top of a scenario. This module resolves such paths against
the pydantic models and suggests the nearest valid name when one is misspelt.
"""

from __future__ import annotations

import copy
import difflib
import math
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.scenario.errors import ScenarioError
from sim.scenario.scenario import SECTIONS, Scenario


@dataclass(frozen=True)
class FieldRef:
    """A field found at a dotted path.

    Attributes
    ----------
    path
        The dotted path.
    model
        The model class that declares the field.
    name
        The field's own name (last component of the path).
    info
        The pydantic field description (annotation, bounds, unit, source).
    """

    path: str
    model: type[BaseModel]
    name: str
    info: FieldInfo


def model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model class an annotation stands for, if it is one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def nearest(name: str, candidates: Sequence[str], cutoff: float = 0.6) -> str | None:
    """The candidate closest to ``name`` (difflib), or ``None`` when nothing is close."""
    matches = difflib.get_close_matches(str(name), list(candidates), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def _where(model: type[BaseModel]) -> str:
    if model is Scenario:
        return "the top level of a scenario"
    for section, cls in SECTIONS.items():
        if cls is model:
            return f"section '{section}'"
    return f"'{model.__name__}'"


def suggest_name(model: type[BaseModel], name: str, prefix: str = "") -> str:
    """Suggest the valid field nearest to a wrong ``name`` in ``model``.

    Parameters
    ----------
    model
        Model in which ``name`` was looked up.
    name
        The unknown name.
    prefix
        Dotted path of ``model`` from the top (``""`` for the top level); when given, the
        suggestion is a full dotted path.
    """
    names = list(model.model_fields)
    lead = f"{prefix}." if prefix else ""
    homes = [section for section, cls in SECTIONS.items() if name in cls.model_fields]
    if homes and name not in names:
        return f"'{name}' is a field of section '{homes[0]}' ('{homes[0]}.{name}')."
    close = nearest(name, names)
    if close is not None:
        return f"Did you mean '{lead}{close}'?"
    return f"Valid names in {_where(model)}: {', '.join(names)}."


def resolve_path(path: str, *, file: str, field: str | None = None) -> FieldRef:
    """Find the field a dotted path names.

    Parameters
    ----------
    path
        Dotted path such as ``"intervention.duration_months"``; a whole section (``"workforce"``)
        is allowed too.
    file
        File to name in an error.
    field
        Field to name in an error (default: ``path``), e.g. ``"grid.intervention.duration_months"``.

    Raises
    ------
    ScenarioError
        When a component of the path is not a field, with the nearest valid name.
    """
    where_field = field or path
    if not isinstance(path, str) or not path or any(not part for part in path.split(".")):
        raise ScenarioError(
            file,
            where_field,
            f"{path!r} is not a dotted field path.",
            "Write it like 'workforce.establishment_fte'.",
        )
    parts = path.split(".")
    model: type[BaseModel] = Scenario
    for i, part in enumerate(parts):
        prefix = ".".join(parts[:i])
        if part not in model.model_fields:
            raise ScenarioError(
                file,
                where_field,
                f"'{part}' is not a field of {_where(model)}.",
                suggest_name(model, part, prefix),
            )
        info = model.model_fields[part]
        if i == len(parts) - 1:
            return FieldRef(path, model, part, info)
        sub = model_of(info.annotation)
        if sub is None:
            raise ScenarioError(
                file,
                where_field,
                f"'{'.'.join(parts[: i + 1])}' is a single value and has no field '{parts[i + 1]}'.",
                f"Write the path as '{'.'.join(parts[: i + 1])}'.",
            )
        model = sub
    raise AssertionError("unreachable")  # pragma: no cover


def field_at(loc: Sequence[Any]) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model and field a pydantic error location points to (either may be ``None``).

    Follows sections and ``dict[str, Model]`` fields (such as ``uncertain``); stops at anything else.
    """
    model: type[BaseModel] | None = Scenario
    info: FieldInfo | None = None
    skip_key = False
    for part in loc:
        if skip_key:
            skip_key = False
            continue
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            return model, None
        info = model.model_fields[part]
        annotation = info.annotation
        sub = model_of(annotation)
        if sub is None and get_origin(annotation) is dict:
            sub = model_of(get_args(annotation)[1])
            skip_key = sub is not None
        model = sub
    return model, info


def parent_model(loc: Sequence[Any]) -> type[BaseModel] | None:
    """The model in which the last element of a location was looked up."""
    model, _ = field_at(loc[:-1])
    return model


def unit_of(info: FieldInfo | None) -> str | None:
    """The unit declared with :func:`sim.scenario.fields.param`, if any."""
    extra = info.json_schema_extra if info is not None else None
    if isinstance(extra, dict):
        unit = extra.get("unit")
        return str(unit) if unit is not None else None
    return None


def bounds_of(info: FieldInfo) -> dict[str, float]:
    """The ``ge``/``gt``/``le``/``lt`` bounds of a field."""
    found: dict[str, float] = {}
    for item in info.metadata:
        for key in ("ge", "gt", "le", "lt"):
            value = getattr(item, key, None)
            if isinstance(value, int | float) and not isinstance(value, bool):
                found[key] = value
    return found


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def is_numeric(annotation: Any) -> bool:
    """Whether a field holds a number (``float``, ``int``, or either or ``None``); not ``bool``."""
    if _is_union(annotation):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return len(args) == 1 and is_numeric(args[0])
    return annotation in (float, int)


def describe_type(annotation: Any) -> str:
    """A plain-words description of what a field accepts, e.g. ``"a number"``."""
    if _is_union(annotation):
        args = [a for a in get_args(annotation) if a is not type(None)]
        text = " or ".join(describe_type(a) for a in args)
        return f"{text} or blank" if len(args) < len(get_args(annotation)) else text
    if get_origin(annotation) is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(annotation))
    if get_origin(annotation) in (list, typing.List):  # noqa: UP006
        (item,) = get_args(annotation) or (Any,)
        return f"a list of {describe_type(item).removeprefix('a ').removeprefix('an ')}s"
    if get_origin(annotation) is dict:
        return "a mapping"
    names = {float: "a number", int: "a whole number", bool: "true or false", str: "text"}
    if annotation in names:
        return names[annotation]
    if model_of(annotation) is not None:
        return "a section (field names and values, indented below it)"
    return "a value"


def format_value(value: Any) -> str:
    """Show a value compactly: ``18.0`` -> ``18``, ``0.25`` -> ``0.25``, text as it is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    return str(value)


def deep_merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``top`` over ``base``: mappings merge key by key, anything else is replaced."""
    merged: dict[str, Any] = copy.deepcopy(dict(base))
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def set_dotted(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``data[a][b][c] = value`` for ``path == "a.b.c"``, creating mappings on the way."""
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = copy.deepcopy(value)


def has_keys(data: Mapping[str, Any], keys: Sequence[Any]) -> bool:
    """Whether a nested mapping holds a value under ``keys`` (e.g. ``("workforce", "caseload_cap")``)."""
    node: Any = data
    for part in keys:
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True
