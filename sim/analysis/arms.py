"""Grouping the arms of a large sweep into panels (small multiples) and giving them colours.

With a few arms every curve goes on one panel. With more, the arms are split into panels by one
grid factor (the dotted field with the fewest distinct values, so that, for example, a
duration x leadership sweep gets one panel per leadership setting with one line per duration).
Arms that share their other settings get the same colour in every panel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Most arms drawn on one panel before the arms are split into small multiples.
MAX_ARMS_PER_PANEL = 6


@dataclass(frozen=True)
class Panel:
    """One panel of a figure: a title and the arms drawn on it."""

    title: str
    arms: tuple[str, ...]


def _key(value: Any) -> str:
    return repr(value)


def panel_factor(arms: Sequence[str], overrides: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The override path to split panels by: set in every arm, 2+ values, the fewest values."""
    if not arms:
        return None
    common = set.intersection(*(set(overrides.get(arm, {})) for arm in arms))
    candidates = []
    for position, path in enumerate(sorted(common)):
        values = {_key(overrides[arm][path]) for arm in arms}
        if len(values) >= 2:
            candidates.append((len(values), -position, path))
    return min(candidates)[2] if candidates else None


def _split(title: str, arms: list[str], size: int) -> list[Panel]:
    if len(arms) <= size:
        return [Panel(title, tuple(arms))]
    parts = [arms[i : i + size] for i in range(0, len(arms), size)]
    return [Panel(f"{title} ({k + 1}/{len(parts)})".strip(), tuple(p)) for k, p in enumerate(parts)]


def panels(
    arms: Sequence[str],
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    max_per_panel: int = MAX_ARMS_PER_PANEL,
) -> list[Panel]:
    """Split arms into panels of at most ``max_per_panel`` arms, by a grid factor when possible."""
    arms = list(arms)
    if len(arms) <= max_per_panel:
        return [Panel("", tuple(arms))]
    overrides = overrides or {}
    factor = panel_factor(arms, overrides)
    if factor is None:
        return _split("Arms", arms, max_per_panel)
    groups: dict[str, list[str]] = {}
    for arm in arms:
        groups.setdefault(f"{factor} = {overrides[arm][factor]}", []).append(arm)
    result: list[Panel] = []
    for title, members in groups.items():
        result.extend(_split(title, members, max_per_panel))
    return result


def colour_keys(
    arms: Sequence[str], overrides: Mapping[str, Mapping[str, Any]] | None, factor: str | None
) -> dict[str, int]:
    """Arm -> colour index; arms equal apart from the panel factor share a colour."""
    overrides = overrides or {}
    keys: dict[str, int] = {}
    seen: dict[tuple[tuple[str, str], ...], int] = {}
    for arm in arms:
        settings = overrides.get(arm, {})
        if factor is None or factor not in settings:
            keys[arm] = len(seen)
            seen[(("arm", arm),)] = keys[arm]
            continue
        rest = tuple(sorted((k, _key(v)) for k, v in settings.items() if k != factor))
        keys[arm] = seen.setdefault(rest, len(seen))
    return keys


def legend_names(
    arms: Sequence[str], overrides: Mapping[str, Mapping[str, Any]] | None, factor: str | None
) -> dict[str, str]:
    """Arm -> legend text: in small multiples, the arm's settings other than the panel factor."""
    if factor is None:
        return {arm: arm for arm in arms}
    overrides = overrides or {}
    names = {}
    for arm in arms:
        rest = [
            f"{k.rsplit('.', 1)[-1]}={v}" for k, v in overrides.get(arm, {}).items() if k != factor
        ]
        names[arm] = " ".join(rest) or arm
    return names
