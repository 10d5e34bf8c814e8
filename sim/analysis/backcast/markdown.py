"""The back-cast table as the Markdown tables of docs/england.md (one arm)."""

from __future__ import annotations

import math

import pandas as pd

from sim.analysis.backcast.figures import CSWW_PANELS, GRADE_LABELS
from sim.analysis.targets.workforce import CLIFF_OFFSETS


def _cell(value: float, digits: int) -> str:
    return "–" if not math.isfinite(value) else f"{value:.{digits}f}"


def _model(row: pd.Series, digits: int) -> str:
    if not math.isfinite(float(row["model_mean"])):
        return "–"
    return (
        f"{float(row['model_mean']):.{digits}f} "
        f"({float(row['model_p05']):.{digits}f}–{float(row['model_p95']):.{digits}f})"
    )


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def csww_markdown(table: pd.DataFrame) -> str:
    """Census year x measure: record, and model mean (90% interval)."""
    by_id = table.set_index("id")
    years = sorted(
        {
            int(i.rsplit("_", 1)[1])
            for i in by_id.index
            if str(i).startswith("csww_") and i[-4:].isdigit()
        }
    )
    header = ["census (30 Sept)"]
    for _, label in CSWW_PANELS:
        header += [f"{label}: record", "model"]
    rows = []
    for year in years:
        cells = [str(year)]
        for group, _ in CSWW_PANELS:
            row = table[table["id"] == f"{group}_{year}"].iloc[0]
            cells += [_cell(float(row["record"]), 1), _model(row, 1)]
        rows.append(cells)
    return _table(header, rows)


def grades_markdown(table: pd.DataFrame) -> str:
    """Grade mix at 31 March 2025: share of LAs, record and model."""
    rows = table[table["group"] == "grade_mix_2025"]
    body = [
        [GRADE_LABELS[i].replace("\n", " "), _cell(float(r["record"]), 3), _model(r, 3)]
        for i, (_, r) in enumerate(rows.iterrows())
    ]
    n_rec, n_mod = rows["record_n"].iloc[0], rows["model_n"].iloc[0]
    return _table(["grade", f"record (of {n_rec:.0f} LAs)", f"model (of {n_mod:.0f})"], body)


def transitions_markdown(table: pd.DataFrame) -> str:
    """Per origin grade: the next grade's share, record / model, and the counts."""
    body = []
    for origin in range(1, 5):
        rows = table[table["group"] == f"transition_from_{origin}"]
        cells = [GRADE_LABELS[origin - 1].replace("\n", " ")]
        cells += [
            f"{float(r['record']):.2f} / {_cell(float(r['model_mean']), 2)}"
            for _, r in rows.iterrows()
        ]
        cells += [f"{rows['record_n'].iloc[0]:.0f} / {rows['model_n'].iloc[0]:.1f}"]
        body.append(cells)
    header = ["from \\ next (record / model)", *(g.replace("\n", " ") for g in GRADE_LABELS), "n"]
    return _table(header, body)


def later_markdown(table: pd.DataFrame) -> str:
    """Survival from inadequate and inspection intervals."""
    rows = table[table["group"].isin(["inadequate_survival", "inspection_interval"])]
    body = [
        [
            str(r["id"]),
            _cell(float(r["record"]), 2),
            f"{r['record_n']:.0f}",
            _model(r, 2),
            _cell(float(r["model_n"]), 1),
        ]
        for _, r in rows.iterrows()
    ]
    return _table(["target", "record", "record n", "model (90% interval)", "model n"], body)


def cliff_markdown(table: pd.DataFrame) -> str:
    """The workforce around an inadequate judgement: census offset x measure, record / model."""
    header = ["census from the judgement"]
    for _, label in CSWW_PANELS:
        header += [f"{label}: record", "model"]
    rows = []
    for offset in CLIFF_OFFSETS:
        cells = [f"{offset:+d}"]
        for group, _ in CSWW_PANELS:
            found = table[table["id"] == f"cliff_{group.removeprefix('csww_')}_{offset:+d}"]
            if found.empty:
                cells += ["–", "–"]
                continue
            row = found.iloc[0]
            cells += [_cell(float(row["record"]), 1), _model(row, 1)]
        rows.append(cells)
    return _table(header, rows)


def backcast_markdown(table: pd.DataFrame, arm: str | None = None) -> str:
    """All five tables of one arm (default the first), separated by blank lines."""
    chosen = arm if arm is not None else str(table["arm"].iloc[0])
    rows = table[table["arm"] == chosen]
    parts = (csww_markdown, grades_markdown, transitions_markdown, later_markdown, cliff_markdown)
    return "\n\n".join(make(rows) for make in parts) + "\n"
