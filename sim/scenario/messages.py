"""Turn a pydantic ``ValidationError`` into one plain-words :class:`ScenarioError`.

The message names the file, the dotted field, what is wrong (with the bad value) and the nearest
valid value or name: the closest field name for a typo, the bound for a value out of range, the
closest choice for a value that must be one of a list, the expected type for a wrong type.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Literal, get_args, get_origin

from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from sim.scenario.errors import ScenarioError
from sim.scenario.paths import (
    bounds_of,
    describe_type,
    field_at,
    format_value,
    nearest,
    parent_model,
    suggest_name,
    unit_of,
)
from sim.scenario.scenario import SECTIONS, Scenario

#: What each pydantic type error expected, in plain words (when the field itself is unknown).
_EXPECTED = {
    "float": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "string": "text",
    "list": "a list",
    "dict": "a mapping",
    "model": "a section (field names and values, indented below it)",
    "model_attributes": "a section (field names and values, indented below it)",
}


def loc_to_path(loc: Sequence[Any]) -> str:
    """Dotted path of a pydantic error location; list positions are shown as ``[i]``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def show(value: Any) -> str:
    """A bad value as the analyst wrote it, shortened."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, dict):
        return "a mapping"
    else:
        text = format_value(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _bound_text(kind: str, limit: float, unit: str | None) -> str:
    words = {
        "ge": "at least",
        "gt": "more than",
        "le": "at most",
        "lt": "less than",
    }[kind]
    unit_text = f" (unit: {unit})" if unit and unit not in ("1", "choice") else ""
    return f"it must be {words} {format_value(limit)}{unit_text}"


def _choice_hint(value: Any, choices: tuple[Any, ...]) -> str:
    listed = ", ".join(repr(c) for c in choices)
    if all(isinstance(c, int | float) and not isinstance(c, bool) for c in choices):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return f"Choose one of {listed}."
        if math.isfinite(number):
            best = min(choices, key=lambda c: abs(c - number))
            return f"Nearest valid value: {best!r}."
        return f"Choose one of {listed}."
    close = nearest(str(value), [str(c) for c in choices])
    if close is not None:
        return f"Did you mean '{close}'?"
    return f"Choose one of {listed}."


def _literal_choices(info: FieldInfo | None) -> tuple[Any, ...]:
    annotation = info.annotation if info is not None else None
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    return ()


def describe_error(error: ErrorDetails) -> tuple[str, str | None]:
    """Problem and suggestion for one pydantic error."""
    loc = error["loc"]
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    _, info = field_at(loc)
    unit = unit_of(info)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        model = parent_model(loc) or Scenario
        where = "the top level of a scenario" if len(loc) == 1 else f"'{loc_to_path(loc[:-1])}'"
        if model is not Scenario and len(loc) > 1 and loc[0] in SECTIONS:
            where = f"section '{loc_to_path(loc[:-1])}'"
        return f"'{name}' is not a field of {where}.", suggest_name(model, name)
    if kind == "invalid_key":
        return f"the name {show(value)} is not text.", "Field names are words such as 'workforce'."
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": "ge", "greater_than": "gt", "less_than_equal": "le"}.get(
            kind, "lt"
        )
        limit = float(ctx[bound])
        if isinstance(value, float) and math.isnan(value):
            return f"{show(value)} is not a number; {_bound_text(bound, limit, unit)}.", None
        size = "small" if bound in ("ge", "gt") else "large"
        problem = f"{show(value)} is too {size}: {_bound_text(bound, limit, unit)}."
        percent = _percent_hint(value, limit, bound)
        if percent is not None:
            return problem, percent
        if bound in ("ge", "le"):
            return problem, f"Nearest valid value: {format_value(limit)}."
        side = "above" if bound == "gt" else "below"
        return problem, f"Use a value just {side} {format_value(limit)}."
    if kind == "literal_error":
        choices = _literal_choices(info)
        listed = ", ".join(repr(c) for c in choices) if choices else str(ctx.get("expected", ""))
        problem = f"{show(value)} is not one of the allowed choices: {listed}."
        hint = _choice_hint(value, choices) if choices else None
        if hint is not None and hint.startswith("Choose one of"):
            hint = None  # the choices are listed once, in the problem
        return problem, hint
    if kind in ("model_type", "model_attributes_type") and isinstance(
        value, list | tuple | str | int | float
    ):
        section = loc_to_path(loc)
        given = (
            "a list (lines starting with '- ')"
            if isinstance(value, list | tuple)
            else "a single value"
        )
        section_model = info.annotation if info is not None else None
        fields = list(getattr(section_model, "model_fields", {}))
        example = f", such as '{fields[0]}: ...'" if fields else ""
        return (
            f"'{section}' must be a section of fields, but the file gives {given}.",
            f"Indent field names and values below '{section}:'{example}, without '- '.",
        )
    if kind in ("model_type", "model_attributes_type") and value is None:
        section = loc_to_path(loc)
        return (
            f"the section '{section}' is empty.",
            f"Remove the line '{section}:', or indent fields below it.",
        )
    for prefix, expected in _EXPECTED.items():
        if kind.startswith(prefix + "_") and kind.split("_", 1)[1] in (
            "type",
            "parsing",
            "from_float",
            "parsing_size",
            "attributes_type",
        ):
            wanted = describe_type(info.annotation) if info is not None else expected
            if kind == "int_from_float":
                wanted = "a whole number"
            hint = None
            if wanted == "a number":
                hint = _number_hint(value, info)
            elif wanted == "a whole number":
                hint = "Write a plain whole number such as 12, without units or commas."
            elif wanted == "true or false":
                hint = "Write true or false."
            return f"expected {wanted}, but got {show(value)}.", hint
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        return f"{message}.", None
    return f"{error['msg'].rstrip('.')} (got {show(value)}).", None


#: Largest value read as a percentage written into a share field (28 -> 0.28).
_PERCENT_MAX = 100.0


def _percent_hint(value: Any, limit: float, bound: str) -> str | None:
    """For a share (at most 1) given as a percentage (1 < value <= 100): how to write it."""
    if bound not in ("le", "lt") or limit > 1.0 or isinstance(value, bool):
        return None
    if not isinstance(value, int | float) or not 1.0 < float(value) <= _PERCENT_MAX:
        return None
    share = round(float(value) / 100.0, 12)
    if share > limit:
        return None
    return (
        f"This field is a share between 0 and 1: write {format_value(share)} for "
        f"{format_value(value)}%."
    )


def _number_hint(value: Any, info: FieldInfo | None) -> str:
    """How to write a number for this field; for a share (at most 1), how to write a percentage."""
    bounds = bounds_of(info) if info is not None else {}
    upper = bounds.get("le", bounds.get("lt"))
    if upper is None or upper > 1.0:
        return "Write a plain number such as 12 or 12.5, without units or commas."
    text = value.strip() if isinstance(value, str) else ""
    if text.endswith("%"):
        try:
            share = round(float(text.removesuffix("%").strip()) / 100.0, 12)
        except ValueError:
            pass
        else:
            return f"This field is a share between 0 and 1: write {format_value(share)} for {text}."
    return "This field is a share between 0 and 1: write a plain number such as 0.2 for 20%."


def to_scenario_error(
    err: ValidationError,
    file: str | Callable[[tuple[Any, ...]], str],
    field_name: Callable[[str], str] | None = None,
) -> ScenarioError:
    """Convert a pydantic ``ValidationError`` into one :class:`ScenarioError` (its first error).

    Parameters
    ----------
    err
        The validation error.
    file
        The file to name, or a function from the error location to the file that set that field
        (so an error in a parent of ``extends`` names the parent).
    field_name
        Optional rewrite of the dotted field path (e.g. to prefix ``arms.<label>.``).
    """
    errors = err.errors(include_url=False)
    first = errors[0]
    loc = tuple(first["loc"])
    where = file(loc) if callable(file) else file
    path = loc_to_path(loc)
    if field_name is not None:
        path = field_name(path)
    problem, suggestion = describe_error(first)
    others = len(errors) - 1
    if others:
        more = f"({others} more problem{'s' if others > 1 else ''} found after this one.)"
        suggestion = f"{suggestion} {more}" if suggestion else more
    return ScenarioError(where, path or None, problem, suggestion)
