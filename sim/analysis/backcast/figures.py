"""Figures of the back-cast table: the record against the model's mean and 90% interval.

Built with matplotlib's object API (no ``pyplot``; Agg when saved, inline in notebooks), from the
table of :func:`sim.analysis.backcast.backcast_table` alone, one arm at a time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

RECORD_COLOUR, MODEL_COLOUR = "#333333", "#2166ac"
DPI = 110
BAR_WIDTH = 0.4
"""Width of one bar of a record-and-model pair (the pair fills 0.8 of a category)."""
GRADE_LABELS = ("outstanding", "good", "requires\nimprovement", "inadequate")
CSWW_PANELS: tuple[tuple[str, str], ...] = (
    ("csww_turnover_rate_pct", "Turnover (%)"),
    ("csww_vacancy_rate_pct", "Vacancy rate (%)"),
    ("csww_agency_rate_pct", "Agency rate (%)"),
    ("csww_caseload_per_fte", "Caseload (cases per FTE)"),
)
FILES = (
    "backcast_csww.png",
    "backcast_grades.png",
    "backcast_transitions.png",
    "backcast_survival.png",
)


def _group(table: pd.DataFrame, group: str) -> pd.DataFrame:
    return table[table["group"] == group].reset_index(drop=True)


def _model_errorbars(ax: Axes, x: np.ndarray, rows: pd.DataFrame, **kw: object) -> None:
    mean = rows["model_mean"].to_numpy(dtype=float)
    low = mean - rows["model_p05"].to_numpy(dtype=float)
    high = rows["model_p95"].to_numpy(dtype=float) - mean
    ax.errorbar(x, mean, yerr=[low, high], fmt="o", color=MODEL_COLOUR, capsize=3, **kw)  # type: ignore[arg-type]


def _one_axes(size_in: tuple[float, float]) -> tuple[Figure, Axes]:
    """A figure of ``size_in`` (inches) with one axes."""
    fig = Figure(figsize=size_in, dpi=DPI, layout="constrained")
    return fig, fig.subplots()


def _record_line_model_points(ax: Axes, x: np.ndarray, rows: pd.DataFrame, record: str) -> None:
    """The record as a line (legend ``record``) and the model's mean and 90% interval as points
    where the model has a value."""
    ax.plot(x, rows["record"], "s-", color=RECORD_COLOUR, label=record)
    done = rows["model_mean"].notna().to_numpy()
    _model_errorbars(ax, x[done], rows[done], label="model, mean and 90% interval")


def _record_model_bars(ax: Axes, x: np.ndarray, rows: pd.DataFrame, **kw: object) -> None:
    """Record and model side by side at ``x``, the model's 90% interval on its bar (``kw``: the
    interval's legend label, if any)."""
    ax.bar(
        x - BAR_WIDTH / 2,
        rows["record"],
        width=BAR_WIDTH,
        color=RECORD_COLOUR,
        alpha=0.7,
        label="record",
    )
    ax.bar(
        x + BAR_WIDTH / 2,
        rows["model_mean"],
        width=BAR_WIDTH,
        color=MODEL_COLOUR,
        alpha=0.7,
        label="model",
    )
    _model_errorbars(ax, x + BAR_WIDTH / 2, rows, **kw)


def csww_figure(table: pd.DataFrame) -> Figure:
    """The national CSWW series by census year: record (line) and model (points, 90% interval)."""
    fig = Figure(figsize=(10, 6.5), dpi=DPI, layout="constrained")
    axes = fig.subplots(2, 2)
    for ax, (group, label) in zip(axes.flat, CSWW_PANELS, strict=True):
        rows = _group(table, group)
        years = rows["id"].str.rsplit("_", n=1).str[1].astype(int).to_numpy()
        _record_line_model_points(ax, years, rows, record="record (CSWW)")
        ax.set_title(label)
        ax.set_xticks(years)
        ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("England's workforce at 30 September: the record against the back-cast")
    return fig


def grades_figure(table: pd.DataFrame) -> Figure:
    """Share of LAs in each grade at 31 March 2025: record against model."""
    fig, ax = _one_axes((7, 4))
    rows = _group(table, "grade_mix_2025")
    x = np.arange(len(rows))
    _record_model_bars(ax, x, rows, label="model 90% interval")
    ax.set_xticks(x, GRADE_LABELS[: len(rows)])
    ax.set_ylabel("share of LAs")
    ax.set_title("Grade in force at 31 March 2025")
    ax.legend(fontsize=8)
    return fig


def transitions_figure(table: pd.DataFrame) -> Figure:
    """Next graded judgement per origin grade: record against model (one panel per origin)."""
    fig = Figure(figsize=(12, 3.6), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, 4, sharey=True)
    for origin, ax in enumerate(axes, start=1):
        rows = _group(table, f"transition_from_{origin}")
        x = np.arange(len(rows))
        _record_model_bars(ax, x, rows)
        n_rec = rows["record_n"].iloc[0] if len(rows) else 0
        n_mod = rows["model_n"].iloc[0] if len(rows) else 0
        ax.set_title(
            f"from {GRADE_LABELS[origin - 1].replace(chr(10), ' ')}\n"
            f"(record n={n_rec:.0f}, model n={n_mod:.0f})",
            fontsize=9,
        )
        ax.set_xticks(x, ["1", "2", "3", "4"][: len(rows)])
        ax.set_xlabel("next grade")
    axes[0].set_ylabel("share of re-inspections")
    axes[0].legend(fontsize=8)
    fig.suptitle("Transitions between consecutive graded (ILACS) judgements")
    return fig


def survival_figure(table: pd.DataFrame) -> Figure:
    """Share of inadequate spells still inadequate 2-5 years on (Kaplan-Meier)."""
    fig, ax = _one_axes((6, 4))
    rows = _group(table, "inadequate_survival")
    years = rows["id"].str.extract(r"(\d+)y")[0].astype(int).to_numpy()
    _record_line_model_points(ax, years, rows, record="record (Kaplan-Meier)")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("years after the inadequate judgement")
    ax.set_ylabel("share still inadequate")
    ax.set_title("Time inadequate until a better graded judgement")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def write_figures(table: pd.DataFrame, folder: Path, arm: str | None = None) -> list[Path]:
    """Write the four figures of one arm (default the first) as PNGs into ``folder``."""
    chosen = arm if arm is not None else str(table["arm"].iloc[0])
    rows = table[table["arm"] == chosen]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    makers = (csww_figure, grades_figure, transitions_figure, survival_figure)
    for name, make in zip(FILES, makers, strict=True):
        path = folder / name
        tmp = path.with_name(path.stem + ".tmp.png")
        make(rows).savefig(tmp)
        tmp.replace(path)
        paths.append(path)
    return paths
