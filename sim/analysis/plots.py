"""Outcome curves: the mean of each arm over time with its 95% confidence band.

Figures are built with matplotlib's object API (no ``pyplot``, no global backend change), so
they render with Agg when saved and display inline in notebooks. Each panel shows, per arm, the
mean over replications month by month and a shaded 95% t-interval of that mean; optionally a
lighter band for the 10-90% range of replications (labelled as such: it is the spread of
outcomes, not the uncertainty of the mean). Periods when most replications of an arm are under
intervention are shaded (one arm) or shown as coloured strips along the bottom (several arms),
and months in which most replications received a new Ofsted grade are marked with a triangle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from sim.analysis.arms import Panel, colour_keys, legend_names, panel_factor, panels
from sim.analysis.overlays import GRADE_METRIC, MONTHS_PER_YEAR, Overlay, overlays
from sim.analysis.stats import MetricReader, curve_table, value_range
from sim.model.metrics import METRIC_BY_NAME, METRIC_NAMES

BAND_ALPHA, SPREAD_ALPHA, SHADE_ALPHA = 0.25, 0.10, 0.12
#: Lighter bands when several arms share a panel, so overlapping bands stay readable.
BAND_ALPHA_MANY, FEW_ARMS = 0.12, 2
#: Height of one arm's intervention strip, as a fraction of the panel height.
STRIP_HEIGHT = 0.025
PANEL_SIZE_IN = (5.2, 3.3)
LEGEND_WIDTH_IN, TITLE_HEIGHT_IN, MARGIN_LEFT_IN, MARGIN_BOTTOM_IN = 3.2, 0.6, 0.9, 0.6
MAX_COLUMNS = 3
DPI = 110
GRADE_TICKS = [1, 2, 3, 4]
GRADE_AXIS_LABEL = "Ofsted grade (1 outstanding, 4 inadequate)"
X_LABEL = "Years since recording started (after warm-up)"


def _palette(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(max(n, 1))]


def axis_label(metric: str) -> str:
    """``Label (unit)`` of a metric, from ``METRICS``."""
    info = METRIC_BY_NAME.get(metric)
    return f"{info.label} ({info.unit})" if info else metric


def _format_axis(ax: Axes, metric: str) -> None:
    info = METRIC_BY_NAME.get(metric)
    ax.set_xlabel(X_LABEL)
    ax.set_ylabel(axis_label(metric))
    ax.grid(True, alpha=0.3)
    if metric == GRADE_METRIC:
        ax.set_ylim(4.3, 0.7)  # better grades at the top
        ax.set_yticks(GRADE_TICKS)
        ax.set_ylabel(GRADE_AXIS_LABEL)
    elif info is not None and info.unit == "GBP":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v / 1e6:,.1f}m"))


def draw_panel(
    ax: Axes,
    curves: pd.DataFrame,
    metric: str,
    arms: Sequence[str],
    colours: Mapping[str, Any],
    marks: Mapping[str, Overlay],
    spread: bool = False,
) -> list[Any]:
    """Draw one metric's curves for some arms on ``ax``; return legend handles."""
    handles: list[Any] = []
    low, high = value_range(metric)
    for arm in arms:
        rows = curves.loc[curves["arm"] == str(arm)]
        x = rows["month"].to_numpy() / MONTHS_PER_YEAR
        colour = colours[arm]
        (line,) = ax.plot(x, rows["mean"], color=colour, lw=1.6, label=str(arm))
        band = np.clip(rows[["ci_low", "ci_high"]].to_numpy(), low, high)
        alpha = BAND_ALPHA if len(arms) <= FEW_ARMS else BAND_ALPHA_MANY
        ax.fill_between(x, band[:, 0], band[:, 1], color=colour, alpha=alpha, lw=0)
        if spread:
            ax.fill_between(
                x, rows["p10"], rows["p90"], color=colour, alpha=SPREAD_ALPHA, lw=0, hatch=".."
            )
        handles.append(line)
    for position, arm in enumerate(arms):
        overlay = marks.get(str(arm), Overlay())
        for start, end in overlay.intervention:
            if len(arms) == 1:
                ax.axvspan(start, end, color="grey", alpha=SHADE_ALPHA, lw=0)
            else:
                low = position * STRIP_HEIGHT
                ax.axvspan(
                    start,
                    end,
                    ymin=low,
                    ymax=low + STRIP_HEIGHT,
                    color=colours[arm],
                    alpha=0.8,
                    lw=0,
                )
        if overlay.new_grades:
            ax.plot(
                overlay.new_grades,
                [0.97] * len(overlay.new_grades),
                linestyle="none",
                marker="v",
                color=colours[arm],
                ms=5,
                transform=ax.get_xaxis_transform(),
            )
    _format_axis(ax, metric)
    handles.append(Patch(color="grey", alpha=BAND_ALPHA, label="95% CI of the mean"))
    if spread:
        handles.append(
            Patch(color="grey", alpha=SPREAD_ALPHA, hatch="..", label="10-90% of replications")
        )
    if any(marks.get(str(a), Overlay()).intervention for a in arms):
        text = "Under intervention (most replications)"
        handles.append(
            Patch(color="grey", alpha=SHADE_ALPHA if len(arms) == 1 else 0.8, label=text)
        )
    if any(marks.get(str(a), Overlay()).new_grades for a in arms):
        handles.append(
            Line2D(
                [],
                [],
                color="grey",
                marker="v",
                linestyle="none",
                label="New Ofsted grade (most replications)",
            )
        )
    return handles


def _figure(n_panels: int) -> tuple[Figure, list[Axes]]:
    """A grid of panels with a fixed margin on the right for the legend.

    The layout is computed once here (not by constrained layout at every draw), which keeps
    drawing a report's figures fast.
    """
    columns = min(MAX_COLUMNS, n_panels)
    rows = -(-n_panels // columns)
    width = PANEL_SIZE_IN[0] * columns + LEGEND_WIDTH_IN
    height = PANEL_SIZE_IN[1] * rows + TITLE_HEIGHT_IN
    fig = Figure(figsize=(width, height), dpi=DPI)
    fig.subplots_adjust(
        left=MARGIN_LEFT_IN / width,
        right=1 - LEGEND_WIDTH_IN / width,
        bottom=MARGIN_BOTTOM_IN / height,
        top=1 - TITLE_HEIGHT_IN / height,
        wspace=0.35,
        hspace=0.55,
    )
    axes = fig.subplots(rows, columns, squeeze=False).ravel().tolist()
    for extra in axes[n_panels:]:
        extra.set_visible(False)
    return fig, axes[:n_panels]


def _legend(fig: Figure, handles: list[Any]) -> None:
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1 - LEGEND_WIDTH_IN / fig.get_figwidth() + 0.01, 0.98),
        fontsize="small",
        frameon=False,
    )


def plot_metrics(
    reader: MetricReader, metrics: Sequence[str], arms: Sequence[str], spread: bool = False
) -> Figure:
    """One panel per metric, every chosen arm on each (``Results.plot``)."""
    unknown = [m for m in metrics if m not in METRIC_NAMES]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}; choose from: {', '.join(METRIC_NAMES)}")
    arms = [str(a) for a in arms]
    palette = _palette(len(arms))
    colours = {arm: palette[i] for i, arm in enumerate(arms)}
    marks = overlays(reader, arms)
    fig, axes = _figure(len(metrics))
    handles: list[Any] = []
    for ax, metric in zip(axes, metrics, strict=True):
        data = reader(metric)
        data = data.loc[data["arm"].astype(str).isin(arms)]
        handles = draw_panel(ax, curve_table(data, metric), metric, arms, colours, marks, spread)
        ax.set_title(METRIC_BY_NAME[metric].label)
    _legend(fig, handles)
    return fig


def plot_metric(
    reader: MetricReader,
    metric: str,
    arms: Sequence[str],
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    spread: bool = False,
    marks: Mapping[str, Overlay] | None = None,
) -> Figure:
    """One metric for every arm; a large sweep is split into small multiples (see ``arms``).

    In small multiples, arms that differ only in the panel factor share a colour, so one legend
    (naming the other settings) serves every panel.
    """
    arms = [str(a) for a in arms]
    layout: list[Panel] = panels(arms, overrides)
    factor = panel_factor(arms, overrides or {}) if len(layout) > 1 else None
    keys = colour_keys(arms, overrides, factor)
    palette = _palette(max(keys.values(), default=0) + 1)
    colours = {arm: palette[keys[arm]] for arm in arms}
    names = legend_names(arms, overrides, factor)
    marks = marks if marks is not None else overlays(reader, arms)
    curves = curve_table(reader(metric), metric)
    fig, axes = _figure(len(layout))
    handles: dict[str, Any] = {}
    for ax, panel in zip(axes, layout, strict=True):
        for handle in draw_panel(ax, curves, metric, panel.arms, colours, marks, spread):
            label = handle.get_label()
            handles.setdefault(names.get(label, label), handle)
        ax.set_title(panel.title or METRIC_BY_NAME[metric].label, fontsize="medium")
    for name, handle in handles.items():
        if handle.get_label() != name:
            handle.set_label(name)
    _legend(fig, list(handles.values()))
    if len(layout) > 1:
        _share_y(axes)
        fig.suptitle(METRIC_BY_NAME[metric].label)
    return fig


def _share_y(axes: Sequence[Axes]) -> None:
    """Give small multiples one y-range (the union of theirs), so panels compare at a glance."""
    limits = [ax.get_ylim() for ax in axes]
    if any(top < bottom for bottom, top in limits):  # an inverted axis (grades) has fixed limits
        return
    bottom, top = min(lim[0] for lim in limits), max(lim[1] for lim in limits)
    for ax in axes:
        ax.set_ylim(bottom, top)


def save_curves(
    folder: Path,
    reader: MetricReader,
    arms: Sequence[str],
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    metrics: Sequence[str] = METRIC_NAMES,
    formats: Sequence[str] = ("png", "svg"),
) -> dict[str, Path]:
    """Draw every metric to ``folder/<metric>.<format>``; return metric -> PNG path."""
    folder.mkdir(parents=True, exist_ok=True)
    marks = overlays(reader, arms)
    written: dict[str, Path] = {}
    for metric in metrics:
        fig = plot_metric(reader, metric, arms, overrides, marks=marks)
        for fmt in formats:
            fig.savefig(folder / f"{metric}.{fmt}", format=fmt, metadata=_metadata(fmt))
        written[metric] = folder / f"{metric}.png"
    return written


def _metadata(fmt: str) -> dict[str, Any]:
    """Metadata without a creation date, so the same results give the same files."""
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}
