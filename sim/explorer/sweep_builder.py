"""The sweep builder: one or two levers, each with a list of values, crossed into a ``grid:``.

Values are typed as a YAML list through the safe loader (so ``6, 18, 24`` are numbers and
``trust, commissioner`` are names); the sweep is then checked by the loader like a file's own
``grid:``, so a bad value gets the house message.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from sim.explorer.fields import FieldSpec, sweepable
from sim.scenario import ScenarioError
from sim.scenario.yaml_safe import parse_yaml

#: Most levers the builder crosses.
MAX_LEVERS = 2
SOURCE = "sweep builder"
NONE = "(none)"


def parse_values(text: str, lever: str) -> list[Any]:
    """The values typed for a lever, as a list (raises the loader's message when broken)."""
    data = parse_yaml(f"values: [{text}]", SOURCE)
    values = data.get("values")
    if not isinstance(values, list) or not values:
        raise ScenarioError(SOURCE, f"grid.{lever}", "give at least one value, e.g. 6, 18, 24.")
    return values


def draw_sweep(specs: list[FieldSpec], token: str) -> dict[str, Any]:
    """Draw the builder; return the edits it makes (``grid`` and ``arms``), or nothing."""
    st.markdown(
        "Vary one or two levers; the values are crossed into arms that share random numbers "
        "(for example `intervention.duration_months` × `leadership.dcs_mean_tenure_months`)."
    )
    on = st.toggle("Build a sweep here (replaces the file's grid and arms)", key=f"s|{token}|on")
    paths = [NONE] + [s.path for s in sweepable(specs)]
    grid: dict[str, list[Any]] = {}
    for n in range(1, MAX_LEVERS + 1):
        left, right = st.columns([2, 3])
        lever = left.selectbox(f"Lever {n}", paths, key=f"s|{token}|lever{n}", disabled=not on)
        text = right.text_input(
            f"Values of lever {n} (comma-separated)",
            key=f"s|{token}|values{n}",
            disabled=not on,
            placeholder="6, 18, 24",
        )
        if on and lever != NONE and text.strip():
            grid[lever] = parse_values(text, lever)
    if not on or not grid:
        return {}
    return {"grid": grid, "arms": None}
