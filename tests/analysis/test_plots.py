"""Outcome curves: bands, units, intervention shading, small multiples and files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis.overlays import overlays, spans
from sim.analysis.plots import axis_label, plot_metric, save_curves
from sim.analysis.stats import frame_reader
from sim.model import METRIC_NAMES

MONTHS = 24


def _timeseries(arms: list[str], replications: int = 3) -> pd.DataFrame:
    """Synthetic series: intervention in months 4-9 for most replications, a new grade in month 12."""
    rows = []
    for arm in arms:
        for rep in range(replications):
            for month in range(1, MONTHS + 1):
                row = {name: float(month + rep) for name in METRIC_NAMES}
                row["under_intervention"] = float(4 <= month <= 9 and rep < replications - 1)
                row["ofsted_grade"] = 4.0 if month < 12 else 3.0
                rows.append({"arm": arm, "replication": rep, "month": month, **row})
    return pd.DataFrame(rows)


def test_overlays_find_intervention_months_and_new_grades() -> None:
    marks = overlays(frame_reader(_timeseries(["a"])), ["a"])
    assert marks["a"].intervention == [pytest.approx((3 / 12, 9 / 12))]
    assert marks["a"].new_grades == [pytest.approx(1.0)]


def test_consecutive_months_merge_into_spans() -> None:
    assert spans(np.array([5, 3, 4, 9])) == [(2 / 12, 5 / 12), (8 / 12, 9 / 12)]
    assert spans(np.array([], dtype=int)) == []


def test_one_arm_figure_has_units_band_and_shading() -> None:
    fig = plot_metric(frame_reader(_timeseries(["a"])), "caseload_per_fte", ["a"])
    (ax,) = fig.axes
    assert ax.get_ylabel() == axis_label("caseload_per_fte") == "Caseload per FTE (cases/FTE)"
    x = ax.get_lines()[0].get_xdata()
    np.testing.assert_allclose(x, np.arange(1, MONTHS + 1) / 12)  # months shown in years
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[:2] == ["a", "95% CI of the mean"]
    assert "Under intervention (most replications)" in labels
    assert "New Ofsted grade (most replications)" in labels


def test_a_large_sweep_becomes_small_multiples() -> None:
    arms = [f"d={d} t={t}" for d in (6, 12, 18, 24) for t in (12, 33, 60)]
    overrides = {a: {"d": int(a.split()[0][2:]), "t": int(a.split()[1][2:])} for a in arms}
    fig = plot_metric(frame_reader(_timeseries(arms, replications=2)), "morale", arms, overrides)
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles == ["t = 12", "t = 33", "t = 60"]
    assert [t.get_text() for t in fig.legends[0].get_texts()][:4] == ["d=6", "d=12", "d=18", "d=24"]


def test_small_multiples_share_one_y_range() -> None:
    """Panels of one metric are read across (one leadership setting against another), so they
    share their y-range, whatever range each panel's own data would give it."""
    arms = [f"d={d} t={t}" for d in (6, 12, 18, 24) for t in (12, 33, 60)]
    overrides = {a: {"d": int(a.split()[0][2:]), "t": int(a.split()[1][2:])} for a in arms}
    frame = _timeseries(arms, replications=2)
    frame["morale"] *= frame["arm"].str.endswith("t=60") * 9.0 + 1.0  # one panel ten times higher
    fig = plot_metric(frame_reader(frame), "morale", arms, overrides)
    limits = {ax.get_ylim() for ax in fig.axes if ax.get_visible()}
    assert len(limits) == 1
    (bottom, top), high = limits.pop(), frame.loc[frame["arm"].str.endswith("t=60"), "morale"]
    assert top >= high.max() and bottom <= frame["morale"].min()


def test_curves_are_written_as_png_and_svg(tmp_path: Path) -> None:
    written = save_curves(
        tmp_path, frame_reader(_timeseries(["a", "b"])), ["a", "b"], metrics=["morale"]
    )
    assert written == {"morale": tmp_path / "morale.png"}
    assert (tmp_path / "morale.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "morale.svg").read_bytes()[:500]
