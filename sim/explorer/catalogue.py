"""The shipped scenarios the explorer opens on: ``scenarios/reference`` and
``scenarios/experiments`` of the source checkout.

The page offers these by name only; a name is looked up in this fixed list, so nothing the
browser sends becomes a path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sim

#: Folders of shipped scenarios, in the order the page lists them.
FOLDERS: tuple[str, ...] = ("reference", "experiments")


@dataclass(frozen=True)
class Shipped:
    """A shipped scenario file.

    Attributes
    ----------
    label
        What the page shows, e.g. ``"reference/troubled"``.
    path
        The file.
    """

    label: str
    path: Path


def scenarios_root() -> Path:
    """The repository's ``scenarios/`` folder (next to the ``sim`` package)."""
    return Path(sim.__file__).resolve().parents[1] / "scenarios"


def shipped_scenarios(root: Path | None = None) -> list[Shipped]:
    """Every shipped scenario file, reference ones first, each folder sorted by name."""
    base = root if root is not None else scenarios_root()
    found = []
    for folder in FOLDERS:
        for path in sorted((base / folder).glob("*.yaml")):
            found.append(Shipped(f"{folder}/{path.stem}", path))
    return found


def by_label(label: str, root: Path | None = None) -> Shipped | None:
    """The shipped scenario with this label, or ``None``."""
    return next((s for s in shipped_scenarios(root) if s.label == label), None)
