"""The answer's figures: grade shares stacked by month (one panel per arm) and Kaplan-Meier
curves of time to leave inadequate (arms grouped into panels as the outcome curves are).

Built with matplotlib's object API (no ``pyplot``), like :mod:`sim.analysis.plots`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.arms import panels
from sim.analysis.grades import GRADE_NAMES
from sim.analysis.plots import _metadata, _palette
from sim.scenario.units import MONTHS_PER_YEAR

#: Colours of the grades (Ofsted's usual green-to-red order).
GRADE_COLOURS: dict[int, str] = {1: "#1a9641", 2: "#a6d96a", 3: "#fdae61", 4: "#d7191c"}
PANEL_IN = (3.6, 2.4)
COLUMNS = 3
DPI = 100


def _grid(n: int, extra_height: float = 0.8) -> tuple[Figure, list[Any]]:
    columns = min(COLUMNS, max(n, 1))
    rows = -(-max(n, 1) // columns)
    fig = Figure(figsize=(PANEL_IN[0] * columns, PANEL_IN[1] * rows + extra_height), dpi=DPI)
    axes = fig.subplots(rows, columns, squeeze=False).ravel().tolist()
    for extra in axes[n:]:
        extra.set_visible(False)
    return fig, axes[:n]


def grade_figure(shares: pd.DataFrame, arms: Sequence[str], names: Mapping[str, str]) -> Figure:
    """One stacked-area panel per arm: the share of replications in each grade by month."""
    fig, axes = _grid(len(arms))
    for ax, arm in zip(axes, arms, strict=True):
        rows = shares.loc[shares["arm"] == str(arm)]
        wide = rows.pivot(index="month", columns="grade", values="share").sort_index()
        x = wide.index.to_numpy() / MONTHS_PER_YEAR
        ax.stackplot(
            x,
            *[wide.get(g, pd.Series(0.0, index=wide.index)).to_numpy() for g in GRADE_NAMES],
            colors=[GRADE_COLOURS[g] for g in GRADE_NAMES],
            labels=list(GRADE_NAMES.values()),
            lw=0,
        )
        ax.set_ylim(0, 1)
        ax.set_xlim(x.min() if x.size else 0, x.max() if x.size else 1)
        ax.set_title(_wrap(names.get(str(arm), str(arm))), fontsize="small")
        ax.set_ylabel("share of replications", fontsize="small")
        ax.set_xlabel("years", fontsize="small")
        ax.tick_params(labelsize="small")
    handles, labels = axes[0].get_legend_handles_labels() if axes else ([], [])
    fig.legend(handles, labels, loc="lower center", ncol=4, frameon=False, fontsize="small")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def survival_figure(
    curves: pd.DataFrame,
    arms: Sequence[str],
    overrides: Mapping[str, Mapping[str, Any]],
    names: Mapping[str, str],
) -> Figure:
    """Kaplan-Meier curves (share still inadequate) with 95% bands; panels as the outcome curves."""
    layout = panels(arms, overrides)
    fig, axes = _grid(len(layout), extra_height=0.4 + 0.25 * min(len(arms), 6))
    palette = _palette(max(len(p.arms) for p in layout))
    for ax, panel in zip(axes, layout, strict=True):
        title, legend = _shared_title(panel.arms, names)
        for i, arm in enumerate(panel.arms):
            rows = curves.loc[curves["arm"] == str(arm)]
            if rows.empty:
                continue
            x = rows["months"].to_numpy() / MONTHS_PER_YEAR
            colour = palette[i]
            ax.step(x, rows["still_inadequate"], where="post", color=colour, lw=1.5,
                    label=_wrap(legend[str(arm)], 60))  # fmt: skip
            ax.fill_between(x, rows["ci_low"], rows["ci_high"], step="post", color=colour,
                            alpha=0.12, lw=0)  # fmt: skip
        ax.set_ylim(0, 1.02)
        ax.set_title(_wrap(title or panel.title) or "Time to leave inadequate", fontsize="small")
        ax.set_ylabel("share still inadequate", fontsize="small")
        ax.set_xlabel("years since first inadequate", fontsize="small")
        ax.tick_params(labelsize="small")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="x-small", frameon=False, loc="upper right")
    fig.tight_layout()
    return fig


def _shared_title(arms: Sequence[str], names: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """The name parts every arm of a panel shares (its title), and each arm's other parts."""
    parts = {str(a): names.get(str(a), str(a)).split("; ") for a in arms}
    first = next(iter(parts.values()), [])
    shared = [p for p in first if all(p in other for other in parts.values())]
    if len(parts) < 2 or not shared:
        return "", {a: "; ".join(p) for a, p in parts.items()}
    rest = {a: "; ".join(x for x in p if x not in shared) or "; ".join(p) for a, p in parts.items()}
    return "; ".join(shared), rest


def _wrap(text: str, width: int = 45) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line] if line else lines)


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes (no creation date, so equal results give equal bytes)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata=_metadata("png"))
    return buffer.getvalue()


def empty_panel_note(curves: pd.DataFrame) -> bool:
    """Whether there is any curve to draw."""
    return bool(np.asarray(curves["months"]).size)
