"""The "Back-cast against the record" section of a population run's report.html.

Present when the run covers at least one workforce census of the record (a month ending on a
30 September from 2018 to 2025), as the back-cast does; a projection from 2025 has none and gets
no section, and so does an installation without ``calibration/targets.csv`` (a wheel ships it,
``setup.py``). Writes
``backcast.csv`` beside the report.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd

from sim.analysis.backcast.figures import (
    csww_figure,
    grades_figure,
    survival_figure,
    transitions_figure,
)
from sim.analysis.backcast.table import BACKCAST_CSV, backcast_table
from sim.analysis.html import figure, paragraph, png_image, section, table
from sim.analysis.targets.build import TARGETS_CSV
from sim.experiment.layout import write_text_atomic

ANCHOR, TITLE = "backcast", "Back-cast against the record"
FIRST_CENSUS, LAST_CENSUS = pd.Timestamp("2018-09-30"), pd.Timestamp("2025-09-30")
CAPTIONS = (
    "CSWW series at 30 September: record against the model",
    "Grade in force at 31 March 2025",
    "Transitions between consecutive graded judgements",
    "Share still inadequate after an inadequate judgement",
)


def covers_the_record(national: pd.DataFrame) -> bool:
    """Whether the run has a month ending on a census date of the record (2018-2025)."""
    dates = pd.to_datetime(national["date"])
    return bool(((dates >= FIRST_CENSUS) & (dates <= LAST_CENSUS) & (dates.dt.month == 9)).any())


def _png(fig) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def _fmt(value: float) -> str:
    return "" if not math.isfinite(value) else f"{value:.3g}"


def backcast_section(folder: Path, national: pd.DataFrame) -> str | None:
    """The section's HTML (first arm's figures, every arm's rows), or None when the run does not
    cover the record."""
    if not covers_the_record(national) or not TARGETS_CSV.is_file():
        return None  # (an installation without calibration/targets.csv: no section)
    full = backcast_table(folder)
    write_text_atomic(folder / BACKCAST_CSV, full.to_csv(index=False))
    first = full[full["arm"] == full["arm"].iloc[0]]
    makers = (csww_figure, grades_figure, transitions_figure, survival_figure)
    figures = "".join(
        figure(png_image(_png(make(first)), caption), caption)
        for make, caption in zip(makers, CAPTIONS, strict=True)
    )
    columns = ["arm", "id", "record", "record_n", "model_mean", "model_p05", "model_p95", "model_n"]
    rows = [
        [str(r["arm"]), str(r["id"]), *(_fmt(float(r[c])) for c in columns[2:])]
        for _, r in full.iterrows()
    ]
    intro = paragraph(
        "The model's statistics in the definitions of calibration/targets.csv (docs/england.md "
        "§6): national ratios of totals at each 30 September, the grade mix at 31 March 2025, "
        "transitions between consecutive graded judgements from 2018, the Kaplan-Meier share "
        "still inadequate, intervals between dated judgements. Model: mean over replications "
        f"and 5th-95th percentiles. A description, not a fit. Also in {BACKCAST_CSV}."
    )
    numeric = [False, False] + [True] * 6
    return section(ANCHOR, TITLE, intro + figures + table(columns, rows, numeric))
