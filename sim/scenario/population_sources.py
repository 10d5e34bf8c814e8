"""Read the official DfE and Ofsted files for the population table (used by the builder only).

Every DfE file here has one row per year × geography with the columns ``time_period``,
``geographic_level``, ``new_la_code`` and ``la_name`` (in varying order, some with a byte-order
mark). Suppressed or unavailable cells (``c``, ``x``, ``u``, ``z``, ``low``, ``:``, blank) are read
as missing; :func:`nearest_year` then looks for the nearest year that has a value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

SUPPRESSED = ("c", "x", "u", "z", "low", ":", "..", "")
"""Cell markers that mean 'no number here' in DfE files: c confidential (small counts),
x not available, u low reliability, z not applicable, low a figure too small to show."""

LA_LEVEL = "Local authority"
NATIONAL_LEVEL = "National"


@dataclass(frozen=True)
class Source:
    """One DfE file and the columns the table takes from it."""

    file: str
    columns: tuple[str, ...]
    filters: tuple[tuple[str, str], ...] = ()


def read_dfe(folder: Path, source: Source, level: str = LA_LEVEL) -> pd.DataFrame:
    """Rows of one geographic level of a DfE file, numeric columns with NaN for suppressed cells.

    Returns
    -------
    DataFrame
        Indexed by (``year``, ``code``); columns ``name``, ``region``, ``old_la_code`` and the
        source's columns as floats.
    """
    path = folder / source.file
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    missing = [c for c in ("time_period", "geographic_level", *source.columns) if c not in frame]
    if missing:
        raise ValueError(f"{path}: expected column(s) {', '.join(missing)}")
    frame = frame[frame["geographic_level"] == level]
    for column, value in source.filters:
        frame = frame[frame[column] == value]
    out = pd.DataFrame(
        {
            "year": frame["time_period"].astype(int),
            "code": frame.get("new_la_code", pd.Series("", index=frame.index)).str.strip(),
            "name": frame.get("la_name", pd.Series("", index=frame.index)).str.strip(),
            "region": frame.get("region_name", pd.Series("", index=frame.index)).str.strip(),
            "old_la_code": frame.get("old_la_code", pd.Series("", index=frame.index)).str.strip(),
        }
    )
    for column in source.columns:
        out[column] = to_number(frame[column])
    if level == NATIONAL_LEVEL:
        out["code"] = "E92000001"
    return out.set_index(["year", "code"]).sort_index()


def to_number(values: pd.Series) -> pd.Series:
    """Numbers of a column of text cells; suppressed markers become NaN (others must parse)."""
    text = values.astype(str).str.strip().str.replace(",", "", regex=False)
    marked = text.str.lower().isin(SUPPRESSED)
    numbers = pd.to_numeric(text.where(~marked), errors="raise")
    return numbers.astype(float)


def years_by_distance(year: int, years: Sequence[int]) -> list[int]:
    """``years`` ordered by distance from ``year``; on a tie the earlier year comes first."""
    return sorted(set(years), key=lambda y: (abs(y - year), y))


def nearest_year(
    frame: pd.DataFrame, code: str, columns: Sequence[str], year: int
) -> tuple[dict[str, float], int | None]:
    """Values of ``columns`` for one LA from the nearest year in which all of them are present.

    Returns
    -------
    (values, year_used)
        ``year_used`` is ``None`` (and the values NaN) when no year has them all.
    """
    if code not in frame.index.get_level_values("code"):
        return {c: math.nan for c in columns}, None
    rows = frame.xs(code, level="code")
    for candidate in years_by_distance(year, rows.index.tolist()):
        row = rows.loc[candidate]
        if isinstance(row, pd.DataFrame):
            row = row.iloc[0]
        values = {c: float(row[c]) for c in columns}
        if all(math.isfinite(v) for v in values.values()):
            return values, int(candidate)
    return {c: math.nan for c in columns}, None


def read_sif(path: Path) -> pd.DataFrame:
    """The last SIF judgement of each LA (code, name, judgement, publication date, grade)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["overall_effectiveness"] = frame["overall_effectiveness"].astype(int)
    frame["publication_date"] = pd.to_datetime(frame["publication_date"], format="%Y-%m-%d")
    return frame.set_index("la_code")
