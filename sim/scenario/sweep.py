"""Sweeps: expand a scenario's ``grid:`` and ``arms:`` into arms, and check ``uncertain:``.

``grid:`` maps dotted field paths to lists of values, crossed in the order written (the first key
varies slowest). ``arms:`` maps a label to dotted overrides. With both, the grid is crossed within
each named arm. An arm's label names each varied field by the last part of its path and its value,
e.g. ``duration_months=18 dcs_mean_tenure_months=12``, after the arm's own label when it has one.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.scenario.errors import ScenarioError
from sim.scenario.loader import apply_overrides
from sim.scenario.paths import (
    FieldRef,
    bounds_of,
    describe_type,
    format_value,
    is_numeric,
    model_of,
    resolve_path,
)
from sim.scenario.scenario import Scenario

MAX_ARMS = 10_000
"""Most arms one sweep may expand to."""

_NOT_VARIED = ("grid", "arms", "uncertain", "extends", "labels", "reference")


@dataclass
class Arm:
    """One arm of an experiment.

    Attributes
    ----------
    label
        Human-readable label, unique within the sweep.
    overrides
        The dotted overrides that make this arm differ from the base scenario.
    scenario
        The complete, validated scenario of the arm (``grid`` and ``arms`` cleared).
    """

    label: str
    overrides: dict[str, Any]
    scenario: Scenario


def _check_varied_path(path: Any, source: str, where: str) -> FieldRef:
    ref = resolve_path(path, file=source, field=where)
    if ref.path in _NOT_VARIED:
        raise ScenarioError(source, where, f"'{ref.path}' cannot be varied in a sweep.")
    if model_of(ref.info.annotation) is not None:
        raise ScenarioError(
            source,
            where,
            f"'{ref.path}' is a whole section; a sweep varies single fields.",
            f"Name a field inside it, such as '{ref.path}.{next(iter(ref.info.annotation.model_fields))}'.",  # type: ignore[union-attr]
        )
    return ref


def _grid_names(paths: list[str]) -> dict[str, str]:
    """Label name of each grid path: its last part, or the whole path when two last parts clash."""
    lasts = [p.rsplit(".", 1)[-1] for p in paths]
    return {
        p: (last if lasts.count(last) == 1 else p) for p, last in zip(paths, lasts, strict=True)
    }


def _grid_points(grid: Mapping[str, list[Any]], source: str) -> list[tuple[str, dict[str, Any]]]:
    paths = list(grid)
    for path in paths:
        _check_varied_path(path, source, f"grid.{path}")
    names = _grid_names(paths)
    points = []
    for values in itertools.product(*(grid[p] for p in paths)):
        label = " ".join(
            f"{names[p]}={format_value(v)}" for p, v in zip(paths, values, strict=True)
        )
        points.append((label, dict(zip(paths, values, strict=True))))
    return points


def _named_arms(
    arms: Mapping[str, Mapping[str, Any]], source: str
) -> list[tuple[str, dict[str, Any]]]:
    named = []
    for label, overrides in arms.items():
        for path in overrides:
            _check_varied_path(path, source, f"arms.{label}.{path}")
        named.append((str(label), dict(overrides)))
    return named


def _count(scenario: Scenario) -> int:
    n_arms = len(scenario.arms) if scenario.arms else 1
    n_grid = math.prod(len(v) for v in scenario.grid.values()) if scenario.grid else 1
    return n_arms * n_grid


def expand_arms(scenario: Scenario, source: str = "<scenario>") -> list[Arm]:
    """Expand a scenario's ``grid`` and ``arms`` into validated arms.

    Parameters
    ----------
    scenario
        A loaded scenario (it is not modified).
    source
        File to name in error messages.

    Returns
    -------
    list of Arm
        In the order written: named arms first-to-last, the grid crossed within each (first grid key
        slowest). Without ``grid`` or ``arms``: one arm labelled with the scenario's name.

    Raises
    ------
    ScenarioError
        For an unknown path (with the nearest valid name), an invalid value (field
        ``grid.<path>`` or ``arms.<label>.<path>``), repeated labels, or too many arms.
    """
    if not scenario.is_sweep:
        return [Arm(scenario.name, {}, scenario)]
    total = _count(scenario)
    if total > MAX_ARMS:
        raise ScenarioError(
            source, "grid", f"the sweep expands to {total:,} arms; the limit is {MAX_ARMS:,}."
        )
    grid = _grid_points(scenario.grid, source) if scenario.grid else [("", {})]
    named = _named_arms(scenario.arms, source) if scenario.arms else [("", {})]
    base = scenario.model_copy(update={"grid": None, "arms": None})
    arms: list[Arm] = []
    labels: set[str] = set()
    for arm_label, arm_overrides in named:
        for grid_label, grid_overrides in grid:
            clash = sorted(grid_overrides.keys() & arm_overrides.keys())
            if clash:
                path = clash[0]
                raise ScenarioError(
                    source,
                    f"arms.{arm_label}.{path}",
                    f"'{path}' is set by arm '{arm_label}' and also varied by the grid.",
                    "Set it in one place only.",
                )
            label = " ".join(part for part in (arm_label, grid_label) if part)
            if label in labels:
                raise ScenarioError(
                    source,
                    "grid" if grid_label else "arms",
                    f"two arms would have the same label '{label}' (a value is repeated).",
                    "Give each arm or grid value once.",
                )
            labels.add(label)
            overrides = {**arm_overrides, **grid_overrides}

            def name(
                path: str, _arm: str = arm_label, _grid: dict[str, Any] = grid_overrides
            ) -> str:
                key = next((p for p in _grid if path == p or path.startswith(p + ".")), None)
                return f"grid.{key}" if key else f"arms.{_arm}.{path}"

            arm_scenario = apply_overrides(base, overrides, source=source, field_name=name)
            arms.append(Arm(label, overrides, arm_scenario))
    return arms


def validate_uncertain(scenario: Scenario, source: str = "<scenario>") -> None:
    """Check the ``uncertain:`` section: each path names a numeric field, ``low < high``, and the
    range lies within the field's bounds.

    Raises
    ------
    ScenarioError
        Naming the field as ``uncertain.<path>``.
    """
    for path, spec in (scenario.uncertain or {}).items():
        where = f"uncertain.{path}"
        ref = resolve_path(path, file=source, field=where)
        if not is_numeric(ref.info.annotation):
            raise ScenarioError(
                source,
                where,
                f"'{path}' holds {describe_type(ref.info.annotation)}, not a number; "
                "only numeric parameters can be uncertain.",
            )
        if not spec.low < spec.high:
            raise ScenarioError(
                source,
                where,
                f"low ({format_value(spec.low)}) must be less than high ({format_value(spec.high)}).",
            )
        limits = bounds_of(ref.info)
        checks = [
            ("ge", "low", spec.low, spec.low >= limits.get("ge", -math.inf), "at least"),
            ("gt", "low", spec.low, spec.low > limits.get("gt", -math.inf), "more than"),
            ("le", "high", spec.high, spec.high <= limits.get("le", math.inf), "at most"),
            ("lt", "high", spec.high, spec.high < limits.get("lt", math.inf), "less than"),
        ]
        for key, end, value, ok, words in checks:
            if not ok:
                raise ScenarioError(
                    f"{source}",
                    f"{where}.{end}",
                    f"{format_value(value)} is outside the range of '{path}': "
                    f"it must be {words} {format_value(limits[key])}.",
                    f"Nearest valid value: {format_value(limits[key])}."
                    if key in ("ge", "le")
                    else None,
                )
