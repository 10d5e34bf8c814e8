"""Readable names for the arms of a sweep.

An arm is named, in order of preference, by the file's ``labels:`` section (``labels: {arm
label: text}`` for a named arm, or ``labels: {dotted.path: {value: text}}`` for a grid field,
the texts of the arm's fields joined by "; "), else from the fields' own names and units
(``intervention duration: 6 months; leadership dcs mean tenure: 12 months``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sim.scenario.errors import ScenarioError
from sim.scenario.paths import format_value, resolve_path

#: Units shown after a value (others, such as "1" or "choice", are left out).
SILENT_UNITS = frozenset({"1", "choice", "0-1", "integer", "as the parameter", ""})
#: Endings of field names that repeat the unit.
UNIT_SUFFIXES = ("_months", "_years", "_fte", "_pct", "_gbp", "_days", "_weeks")


def field_words(path: str) -> str:
    """``intervention.duration_months`` -> ``intervention duration``."""
    section, _, name = path.rpartition(".")
    for suffix in UNIT_SUFFIXES:
        if name.endswith(suffix) and name != suffix.lstrip("_"):
            name = name.removesuffix(suffix)
            break
    words = name.replace("_", " ")
    return f"{section.replace('.', ' ').replace('_', ' ')} {words}".strip()


def value_words(path: str, value: Any) -> str:
    """A field's value with its unit (``6 months``), from the field's declaration."""
    text = format_value(value)
    try:
        ref = resolve_path(path, file="<labels>")
    except ScenarioError:
        return text
    extra = ref.info.json_schema_extra
    unit = str(extra.get("unit", "")) if isinstance(extra, dict) else ""
    if unit in SILENT_UNITS:
        return text
    return f"{text} {singular_unit(unit) if _is_one(value) else unit}"


def _is_one(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and value == 1


def singular_unit(unit: str) -> str:
    """``teams`` -> ``team`` (for a value of 1); a compound unit (``cases/FTE``), an
    abbreviation (``FTE``) or a word not ending in ``s`` is kept."""
    if unit.isalpha() and unit.islower() and unit.endswith("s") and len(unit) > 2:
        return unit[:-1]
    return unit


def _given(labels: Mapping[str, Any], path: str, value: Any) -> str | None:
    texts = labels.get(path)
    if not isinstance(texts, Mapping):
        return None
    wanted = format_value(value)
    for key, text in texts.items():
        if format_value(key) == wanted:
            return str(text)
    return None


def arm_label(
    arm: str, overrides: Mapping[str, Any], labels: Mapping[str, Any] | None = None
) -> str:
    """The readable name of one arm (see the module docstring)."""
    labels = labels or {}
    if isinstance(labels.get(arm), str):
        return str(labels[arm])
    if not overrides:
        return arm
    parts = []
    for path, value in overrides.items():
        given = _given(labels, path, value)
        parts.append(
            given if given is not None else f"{field_words(path)}: {value_words(path, value)}"
        )
    return "; ".join(parts)


def arm_labels(
    arms: Sequence[str],
    overrides: Mapping[str, Mapping[str, Any]],
    labels: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """Arm -> readable name; falls back to the arm's own label when two names would clash."""
    names = {arm: arm_label(arm, overrides.get(arm, {}), labels) for arm in arms}
    if len(set(names.values())) < len(names):
        return {arm: arm for arm in arms}
    return names
