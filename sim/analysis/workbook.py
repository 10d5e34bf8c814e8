"""``results.xlsx``: the report's tables for analysts' own tools (openpyxl), formatted for reading.

Sheets: ``summary`` (the rows of ``summary.csv``, same numbers), ``differences`` (paired
differences from the reference), ``per_arm`` (key outcomes per window), ``event_outcomes``,
``survival`` (Kaplan-Meier medians) and ``assumptions`` (value used, unit, source). Numbers are
stored as numbers (full precision) with a display format; headers are bold and frozen, columns
sized to their contents. Written atomically (a temporary file, then renamed).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from sim.analysis.report import ReportData

#: Widest column, in characters.
MAX_WIDTH = 60
NUMBER_FORMAT = "#,##0.000"
MONEY_FORMAT = "£#,##0"
ASSUMPTION_COLUMNS = ("parameter", "value_used", "default", "unit", "source", "description")


def _cell(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if hasattr(value, "item"):
        return value.item()
    return value


def _write_sheet(book: Any, title: str, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    sheet.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(frame.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        money = "gbp" in str(column) or "cost" in str(column)
        if pd.api.types.is_float_dtype(frame[column]):
            for cell in sheet[letter][1:]:
                cell.number_format = MONEY_FORMAT if money else NUMBER_FORMAT
        texts = [str(column), *(str(v) for v in frame[column].head(200))]
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(len(t) for t in texts) + 2)


def workbook_tables(
    summary: pd.DataFrame, data: ReportData, assumptions: Sequence[Sequence[str]]
) -> dict[str, pd.DataFrame]:
    """Sheet name -> table, in order."""
    names = data.answer.names
    diffs = data.answer.differences.assign(
        arm_name=lambda f: f["arm"].map(names), reference_name=lambda f: f["reference"].map(names)
    )
    return {
        "summary": summary,
        "differences": diffs,
        "per_arm": data.answer.estimates.assign(arm_name=lambda f: f["arm"].map(names)),
        "event_outcomes": data.outcomes,
        "survival": data.survival,
        "assumptions": pd.DataFrame(
            [list(r) for r in assumptions], columns=list(ASSUMPTION_COLUMNS)
        )
        if assumptions
        else pd.DataFrame(columns=list(ASSUMPTION_COLUMNS)),
    }


def write_workbook(
    target: Path, summary: pd.DataFrame, data: ReportData, assumptions: Sequence[Sequence[str]]
) -> Path:
    """Write ``results.xlsx`` (see the module docstring) and return its path."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, frame in workbook_tables(summary, data, assumptions).items():
        _write_sheet(book, title, frame)
    temporary = target.with_name(target.name + ".tmp")
    book.save(temporary)
    os.replace(temporary, target)
    return target
