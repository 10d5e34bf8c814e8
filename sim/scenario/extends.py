"""``extends``: follow a chain of parent scenarios and deep-merge them, the child winning.

``extends: other.yaml`` is relative to the file that contains it. Chains are allowed; a cycle, a
missing parent or a chain longer than :data:`MAX_EXTENDS_DEPTH` is a
:class:`~sim.scenario.errors.ScenarioError` naming the referring file and the field ``extends``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.scenario.errors import ScenarioError
from sim.scenario.messages import show
from sim.scenario.paths import deep_merge, nearest
from sim.scenario.yaml_safe import load_yaml_file

MAX_EXTENDS_DEPTH = 20
"""Longest chain of ``extends`` followed."""


@dataclass(frozen=True)
class Layer:
    """One file of an ``extends`` chain: its name as shown to the analyst, and its raw data."""

    file: str
    data: dict[str, Any]


#: How close a file name must be to be suggested for a missing parent (difflib ratio).
NEAREST_CUTOFF = 0.75


def _candidates(folder: Path, referrer_folder: Path) -> dict[str, str]:
    """Scenario files near the missing parent: its folder, the folders beside it, and the
    referring file's folder; name as written from the referrer -> file name."""
    found: dict[str, str] = {}
    for place in (
        folder,
        *(sorted(folder.parent.glob("*/")) if folder.parent.is_dir() else []),
        referrer_folder,
    ):
        if not place.is_dir():
            continue
        for path in sorted(place.glob("*.y*ml")):
            written = os.path.relpath(path, referrer_folder)
            found.setdefault(written, path.name)
    return found


def _missing_parent(referrer: str, parent: str, looked_for: str) -> ScenarioError:
    referrer_folder = Path(os.path.dirname(referrer) or ".")
    candidates = _candidates(Path(looked_for).parent, referrer_folder)
    by_name: dict[str, str] = {}
    itself = os.path.realpath(referrer)
    for written, name in candidates.items():
        if os.path.realpath(referrer_folder / written) != itself:
            by_name.setdefault(name, written)
    close = nearest(Path(looked_for).name, list(by_name), cutoff=NEAREST_CUTOFF)
    if close is not None:
        hint = f"Did you mean '{by_name[close]}'?"
    else:
        hint = "The path is relative to the folder of the file that names it."
    where = os.path.abspath(looked_for)
    return ScenarioError(
        referrer,
        "extends",
        f"the parent scenario '{parent}' does not exist (looked for {where}).",
        hint,
    )


def read_layers(first: dict[str, Any], file: str, base_dir: str | None) -> list[Layer]:
    """Follow ``extends`` from already-parsed data; return the chain, the child first.

    Parameters
    ----------
    first
        Parsed data of the child.
    file
        Name of the child (a path, or ``"<dict>"``).
    base_dir
        Folder that the child's ``extends`` is relative to.

    Raises
    ------
    ScenarioError
        When a parent is missing, unreadable or invalid YAML, when ``extends`` is not a path,
        when the chain loops back on itself, or when it is longer than :data:`MAX_EXTENDS_DEPTH`.
    """
    layers = [Layer(file, first)]
    seen = {os.path.realpath(file)} if base_dir is None else set()
    folder = base_dir if base_dir is not None else os.path.dirname(file)
    while (parent := layers[-1].data.get("extends")) is not None:
        referrer = layers[-1].file
        if not isinstance(parent, str) or not parent.strip():
            raise ScenarioError(
                referrer,
                "extends",
                f"expected the path of a parent scenario file, but got {show(parent)}.",
                "Write it like 'extends: baseline.yaml'.",
            )
        target = os.path.normpath(os.path.join(folder, parent))
        if os.path.realpath(target) in seen:
            chain = " -> ".join([layer.file for layer in layers] + [target])
            raise ScenarioError(
                referrer,
                "extends",
                f"the files extend each other in a circle: {chain}.",
                "Remove 'extends' from one of them.",
            )
        if len(layers) > MAX_EXTENDS_DEPTH:
            raise ScenarioError(
                referrer, "extends", f"the chain of 'extends' is longer than {MAX_EXTENDS_DEPTH}."
            )
        if not os.path.exists(target):
            raise _missing_parent(referrer, parent, target)
        seen.add(os.path.realpath(target))
        layers.append(Layer(target, load_yaml_file(target)))
        folder = os.path.dirname(target)
    return layers


def merge_layers(layers: list[Layer]) -> dict[str, Any]:
    """Deep-merge an ``extends`` chain (child first) into one mapping; the child wins."""
    merged: dict[str, Any] = {}
    for layer in reversed(layers):
        merged = deep_merge(merged, layer.data)
    return merged
