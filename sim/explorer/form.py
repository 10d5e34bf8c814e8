"""The scenario form: one Streamlit control per field, grouped by section, with the field's
unit, bounds, source and description as help, presets shown, and a marker on every value that
differs from its default or from the file.

Controls do not clamp numbers to the field's bounds: a value out of range reaches the loader and
comes back as the same message ``csc-sim validate`` prints, shown above the form.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import streamlit as st

from sim.explorer.editing import TYPE_PATH, same_value
from sim.explorer.fields import (
    PRESET_SECTION,
    TOP_LEVEL,
    FieldSpec,
    preset_values,
    sections,
    value_at,
)
from sim.scenario import Scenario
from sim.scenario.paths import format_value

#: Most decimals a number control shows.
MAX_DECIMALS = 8
NAME_PATH = "name"


def widget_key(token: str, path: str, intervention_type: str | None = None) -> str:
    """The session-state key of a field's control.

    A preset field's key includes the intervention type, so that choosing another type shows
    the new type's values rather than keeping the old control's state.
    """
    if intervention_type is not None:
        return f"f|{token}|{intervention_type}|{path}"
    return f"f|{token}|{path}"


def _decimals(value: Any) -> int:
    if not isinstance(value, float) or value.is_integer():
        return 0
    text = repr(value)
    if "e" in text:
        return MAX_DECIMALS
    return min(len(text.split(".", 1)[1]), MAX_DECIMALS)


def _number(spec: FieldSpec, value: Any, key: str) -> Any:
    if spec.kind == "integer":
        return st.number_input(spec.label, value=int(value), step=1, key=key, help=spec.help)
    decimals = max(_decimals(value), _decimals(spec.default))
    step = 1.0 if decimals == 0 else 10.0**-decimals
    return st.number_input(
        spec.label,
        value=float(value),
        step=step,
        format=f"%.{max(decimals, 1)}f",
        key=key,
        help=spec.help,
    )


def _text_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, (str, datetime.date)):
        return str(value)  # ISO date or a name as typed
    return format_value(value)


def _parse_text(spec: FieldSpec, text: str) -> Any:
    """A typed value from a text control; text that is not a number goes on to the loader as
    it is, so its message is the loader's."""
    text = text.strip()
    if spec.kind == "text":  # dates (ISO), names, lists of names: the loader parses them
        if not text:
            return None
        try:  # an ISO date stays a date, so an untouched date field is not "edited"
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        if isinstance(spec.default, list) or "," in text:
            return [p.strip() for p in text.split(",") if p.strip()]
        return text
    if spec.kind == "optional_number":
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            return text
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        return [float(p) for p in parts]
    except ValueError:
        return parts


def draw_field(spec: FieldSpec, value: Any, key: str) -> Any:
    """Draw one field's control and return its value."""
    if spec.kind in ("number", "integer"):
        return _number(spec, value, key)
    if spec.kind == "switch":
        return st.toggle(spec.label, value=bool(value), key=key, help=spec.help)
    if spec.kind == "choice":
        options = list(spec.choices)
        index = options.index(value) if value in options else 0
        return st.selectbox(spec.label, options, index=index, key=key, help=spec.help)
    text = st.text_input(
        spec.label
        + {"optional_number": " (blank = none)", "text": ""}.get(spec.kind, " (comma-separated)"),
        value=_text_value(value),
        key=key,
        help=spec.help,
    )
    return _parse_text(spec, text)


def default_of(spec: FieldSpec, intervention_type: str) -> Any:
    """A field's default; for a preset field, the chosen type's preset value."""
    if spec.preset:
        return preset_values(intervention_type).get(spec.name, spec.default)
    return spec.default


def marker(spec: FieldSpec, value: Any, opened: Any, intervention_type: str) -> str | None:
    """The note under a control: changed from the default, and/or edited here."""
    notes = []
    default = default_of(spec, intervention_type)
    if not same_value(value, default):
        notes.append(f"changed from default ({format_value(default)})")
    if not same_value(value, opened):
        notes.append(f"edited here (file: {format_value(opened)})")
    return "● " + "; ".join(notes) if notes else None


def draw_form(
    specs: list[FieldSpec], shown: Scenario, opened: Scenario, token: str
) -> dict[str, Any]:
    """Draw every section's controls; return dotted path -> the value in the form now.

    Parameters
    ----------
    specs
        The fields (:func:`~sim.explorer.fields.field_specs`).
    shown
        The values the controls open with (the source, with the type chosen in the form).
    opened
        The source as loaded, for the "edited here" marker.
    token
        Identifies the source, so that another source opens fresh controls.
    """
    kind = shown.intervention.type
    values: dict[str, Any] = {}
    values[NAME_PATH] = st.text_input(
        "Scenario name",
        value=shown.name,
        key=widget_key(token, NAME_PATH),
        help="Short name; names the results folder.",
    )
    for section, doc in sections():
        rows = [s for s in specs if s.section == section]
        changed = sum(not same_value(_current(s, shown, token), default_of(s, kind)) for s in rows)
        title = "Top level" if section == TOP_LEVEL else section
        suffix = f" · {changed} changed from default" if changed else ""
        with st.expander(f"{title}: {doc}{suffix}", expanded=section == PRESET_SECTION):
            if section == PRESET_SECTION:
                _draw_presets(kind)
            for spec in rows:
                preset_type = kind if spec.preset else None
                key = widget_key(token, spec.path, preset_type)
                value = draw_field(spec, value_at(shown, spec.path), key)
                values[spec.path] = value
                note = marker(spec, value, value_at(opened, spec.path), kind)
                if note:
                    st.caption(note)
    return values


def _current(spec: FieldSpec, shown: Scenario, token: str) -> Any:
    """A field's value in the form now (before its control is drawn in this rerun)."""
    key = widget_key(token, spec.path, shown.intervention.type if spec.preset else None)
    if key not in st.session_state:
        return value_at(shown, spec.path)
    value = st.session_state[key]
    return (
        _parse_text(spec, value)
        if isinstance(value, str) and spec.kind not in ("choice",)
        else value
    )


def _draw_presets(intervention_type: str) -> None:
    preset = preset_values(intervention_type)
    rows = [{"field": name, "value": format_value(v)} for name, v in preset.items()]
    st.markdown(
        f"**Preset of `{intervention_type}`**: choosing a type sets these fields "
        "(a value changed below overrides it)."
    )
    st.dataframe(rows, hide_index=True, width="content")


def type_choice(token: str, opened: Scenario, state: Mapping[str, Any]) -> str:
    """The intervention type chosen in the form (its control may not be drawn yet)."""
    chosen = state.get(widget_key(token, TYPE_PATH))
    return str(chosen) if chosen is not None else opened.intervention.type
