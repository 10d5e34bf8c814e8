"""Read a population table as untrusted input (:func:`load_population_table`).

Any problem is one :class:`TableError` (a :class:`~sim.scenario.errors.ScenarioError`, so the
command line exits 2) naming the file, the row and the column, with the nearest valid value or
name; nothing is returned half-read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
from typing import Any, get_type_hints

from sim.scenario.errors import ScenarioError
from sim.scenario.paths import nearest
from sim.scenario.population_table import COLUMNS, DEFAULT_TABLE, LARow, PopulationTable

MAX_TABLE_BYTES = 5_000_000
"""Largest table file read (the shipped one is ~40 kB); a bigger file is refused, not parsed."""


class TableError(ScenarioError):
    """A population table file, row or column is invalid (exit code 2 on the command line)."""

    def __init__(
        self,
        file: str,
        problem: str,
        suggestion: str | None = None,
        *,
        row: int | None = None,
        column: str | None = None,
        la: str | None = None,
    ) -> None:
        self.row = row
        self.column = column
        self.la = la
        super().__init__(file, column, problem, suggestion)

    @property
    def message(self) -> str:
        """One paragraph: which file, row and column, what is wrong, what would be valid."""
        where = f"In population table '{self.file}'"
        if self.row is not None:
            where += f", row {self.row}"
            if self.la:
                where += f" ({self.la})"
        elif self.la:
            where += f", the row of {self.la}"
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.problem}"
        if self.suggestion:
            text += f" {self.suggestion}"
        return text


_TYPES: dict[str, Any] = get_type_hints(LARow)
_OPTIONAL_TEXT = ("imputed", "notes", "old_la_code", "judgement")
_PERCENT = ("turnover_rate_pct", "vacancy_rate_pct", "agency_rate_pct")


def _parse(file: str, line: int, la: str, column: str, text: str) -> Any:
    """One cell, typed and checked; errors name the row and column."""
    kind = _TYPES[column]
    text = text.strip()
    if kind == tuple[str, ...]:
        codes = tuple(c.strip() for c in text.split(";") if c.strip())
        if not codes:
            raise TableError(
                file,
                "the cell is empty; a value is required.",
                "Write the authority's own code.",
                row=line,
                la=la,
                column=column,
            )
        return codes
    if kind is str:
        if not text and column not in _OPTIONAL_TEXT:
            raise TableError(
                file, "the cell is empty; a value is required.", row=line, la=la, column=column
            )
        return text
    if not text:
        raise TableError(
            file,
            "the cell is empty; a value is required.",
            "Write a number such as 12.5.",
            row=line,
            la=la,
            column=column,
        )
    if kind is dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise TableError(
                file,
                f"{text!r} is not a date.",
                "Write it as YYYY-MM-DD, e.g. 2016-05-23.",
                row=line,
                la=la,
                column=column,
            ) from None
    try:
        value = float(text.replace(",", "")) if kind is float else int(text)
    except ValueError:
        wanted = "a number" if kind is float else "a whole number"
        raise TableError(
            file,
            f"expected {wanted}, but got {text!r}.",
            "Write a plain number without units (suppressed cells are filled by the builder).",
            row=line,
            la=la,
            column=column,
        ) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise TableError(
            file,
            f"{text!r} is not a number; a value is required.",
            "Rebuild the table with 'python -m sim.scenario.population_build'.",
            row=line,
            la=la,
            column=column,
        )
    if value < 0:
        raise TableError(
            file,
            f"{text} is negative; counts and rates cannot be.",
            "Nearest valid value: 0.",
            row=line,
            la=la,
            column=column,
        )
    if column in _PERCENT and value > 100:
        raise TableError(
            file,
            f"{text} is more than 100%.",
            "Nearest valid value: 100.",
            row=line,
            la=la,
            column=column,
        )
    if column == "grade" and value not in (1, 2, 3, 4):
        best = min((1, 2, 3, 4), key=lambda g: abs(g - value))
        raise TableError(
            file,
            f"{text} is not an Ofsted grade (1 outstanding ... 4 inadequate).",
            f"Nearest valid value: {best}.",
            row=line,
            la=la,
            column=column,
        )
    return value


def _check_header(file: str, header: list[str]) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise TableError(file, f"column '{name}' appears twice.", row=1, column=name)
        seen.add(name)
        if name not in COLUMNS:
            close = nearest(name, list(COLUMNS))
            hint = (
                f"Did you mean '{close}'?"
                if close
                else "Valid columns: " + ", ".join(COLUMNS) + "."
            )
            raise TableError(
                file, f"'{name}' is not a column of the population table.", hint, row=1, column=name
            )
    missing = [c for c in COLUMNS if c not in seen]
    if missing:
        raise TableError(
            file,
            "the header lacks column"
            + ("s " if len(missing) > 1 else " ")
            + ", ".join(f"'{c}'" for c in missing)
            + ".",
            "Rebuild the table with 'python -m sim.scenario.population_build'.",
            row=1,
            column=missing[0],
        )


def _read_text(file: str) -> str:
    try:
        size = os.path.getsize(file)
        if size > MAX_TABLE_BYTES:
            raise TableError(
                file, f"the file is {size:,} bytes; at most {MAX_TABLE_BYTES:,} are read."
            )
        with open(file, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        folder = os.path.dirname(os.path.abspath(file))
        near = (
            nearest(os.path.basename(file), os.listdir(folder)) if os.path.isdir(folder) else None
        )
        hint = (
            f"Did you mean '{os.path.join(os.path.dirname(file), near)}'?"
            if near
            else (f"The shipped table is '{DEFAULT_TABLE}'.")
        )
        raise TableError(file, "the file does not exist.", hint) from None
    except IsADirectoryError:
        raise TableError(
            file, "this is a folder, not a table file.", f"The shipped table is '{DEFAULT_TABLE}'."
        ) from None
    except OSError as err:
        raise TableError(file, f"the file cannot be read ({err.strerror}).") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise TableError(
            file, f"the file is not UTF-8 text (byte {err.start}).", "Save it as UTF-8 CSV."
        ) from None


def load_population_table(path: str | os.PathLike[str] = DEFAULT_TABLE) -> PopulationTable:
    """Read and validate a population table (CSV with the columns of :class:`LARow`).

    Parameters
    ----------
    path
        The table file; default the shipped ``data/england/population.csv``.

    Raises
    ------
    TableError
        For a missing, unreadable or malformed file, an unknown or missing column, an empty,
        non-numeric, NaN or negative cell, a grade outside 1-4, or a duplicate authority.
    """
    file = os.fspath(path)
    text = _read_text(file)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as err:
        raise TableError(file, f"the file is not valid CSV ({err}).") from None
    records = [r for r in records if any(cell.strip() for cell in r)]
    if not records:
        raise TableError(
            file, "the file is empty.", "It needs a header row and one row per authority."
        )
    header = [h.strip() for h in records[0]]
    _check_header(file, header)
    rows: list[LARow] = []
    lines: list[int] = []
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    for line, record in enumerate(records[1:], start=2):
        if len(record) != len(header):
            raise TableError(
                file,
                f"the row has {len(record)} cells; the header has {len(header)}.",
                "Quote cells that contain commas.",
                row=line,
            )
        cells = dict(zip(header, record, strict=True))
        la = cells.get("name", "").strip() or cells.get("code", "").strip()
        values = {c: _parse(file, line, la, c, cells[c]) for c in COLUMNS}
        for key, seen, column in (
            (values["code"].upper(), codes, "code"),
            (values["name"].casefold(), names, "name"),
        ):
            if key in seen:
                raise TableError(
                    file,
                    f"{values[column]!r} is already the authority of row {seen[key]}; each authority appears once.",
                    "Remove one of the two rows.",
                    row=line,
                    la=la,
                    column=column,
                )
            seen[key] = line
        rows.append(LARow(**values))
        lines.append(line)
    if not rows:
        raise TableError(
            file, "the table has a header but no authorities.", "It needs one row per authority."
        )
    return PopulationTable(tuple(rows), source=file, lines=tuple(lines))
