"""The population table: one row per children's services authority, from its own official figures.

The table (``data/england/population.csv``) is built from ``data/dfe/`` and ``data/ofsted/`` by
:mod:`sim.scenario.population_build`; how every column is made is in ``docs/england.md`` and
``data/england/README.md``. It is read here as untrusted input: any problem is one
:class:`TableError` (a :class:`~sim.scenario.errors.ScenarioError`, so the command line exits 2)
naming the file, the row and the column, with the nearest valid value or name.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_type_hints

from sim.scenario.errors import ScenarioError
from sim.scenario.paths import nearest

DEFAULT_TABLE = Path(__file__).resolve().parents[2] / "data" / "england" / "population.csv"
"""The population table shipped with the project (2017 census, 2017-18 children-in-need year)."""

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
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.problem}"
        if self.suggestion:
            text += f" {self.suggestion}"
        return text


@dataclass(frozen=True)
class LARow:
    """One children's services authority at the start (workforce census 30 September 2017,
    children-in-need year April 2017 - March 2018).

    Attributes
    ----------
    code
        ONS code of the authority as the 2017-18 DfE files give it (e.g. ``E08000032``).
    name
        Name as in the DfE files (e.g. ``Bradford``).
    region
        Region as in the DfE files (London split into Inner and Outer London).
    old_la_code
        The DfE's three-digit LA number (e.g. ``380``).
    inpost_fte
        Employed children and family social workers in post, FTE (CSWW 2017).
    vacancy_fte
        Vacant social-worker posts, FTE (CSWW 2017).
    agency_fte
        Agency social workers, FTE (CSWW 2017).
    posts_fte
        Funded social-worker posts, FTE: ``inpost_fte + vacancy_fte``.
    case_holders_fte
        Case-holding social workers (employed and agency), FTE (CSWW 2017).
    cases
        Cases held by case-holding social workers at 30 September 2017 (CSWW 2017), cases.
    turnover_rate_pct, vacancy_rate_pct, agency_rate_pct
        Leavers ÷ in post; vacant ÷ (vacant + employed); agency ÷ (agency + employed), in %
        (CSWW 2017, FTE).
    caseload_per_fte
        Cases ÷ case-holding FTE (CSWW 2017), cases/FTE.
    referrals_per_year
        Referrals in 2017-18, including re-referrals (CIN c1), referrals/year.
    rereferrals_per_year
        Referrals within 12 months of a previous one (CIN c1 2017-18), referrals/year.
    first_referrals_per_year
        ``referrals_per_year - rereferrals_per_year``, referrals/year.
    nfa_per_year
        Referrals closed with no further action (CIN c1 2017-18), referrals/year.
    not_in_need_per_year
        Referrals assessed as not in need (CIN c1 2017-18), assessments/year.
    cp_starts_per_year
        Child protection plans started in 2017-18 (CIN d3), plans/year.
    cp_open_31_march
        Child protection plans open at 31 March 2018 (CIN d5), plans.
    cin_open_31_march
        Children-in-need episodes open at 31 March 2018 (CIN b1), episodes.
    cla_starts_per_year
        Children starting to be looked after a year, estimated for 2017-18 from the nearest
        published year (see ``imputed``), children/year.
    cla_open_31_march
        Children looked after at 31 March, estimated likewise, children.
    child_population
        Children aged 0-17, ONS mid-2017 estimate, children.
    grade
        Ofsted overall effectiveness in force at the start: 1 outstanding ... 4 inadequate
        (last SIF judgement, ``data/ofsted/sif_last_judgement.csv``).
    judgement
        Kind of that judgement (``SIF`` or ``SIF re-inspection``).
    judgement_date
        Publication date of that judgement.
    successor_codes
        Codes of the authorities covering the same area at 31 March 2025 (``;``-separated in
        the file); the authority's own code when nothing changed.
    imputed
        Columns not taken from the LA's own start-year cell, and how they were filled
        (``column: rule``; several separated by ``; ``); empty when none.
    notes
        Merges, splits and other facts about the authority since the start.
    """

    code: str
    name: str
    region: str
    old_la_code: str
    inpost_fte: float
    vacancy_fte: float
    agency_fte: float
    posts_fte: float
    case_holders_fte: float
    cases: float
    turnover_rate_pct: float
    vacancy_rate_pct: float
    agency_rate_pct: float
    caseload_per_fte: float
    referrals_per_year: float
    rereferrals_per_year: float
    first_referrals_per_year: float
    nfa_per_year: float
    not_in_need_per_year: float
    cp_starts_per_year: float
    cp_open_31_march: float
    cin_open_31_march: float
    cla_starts_per_year: float
    cla_open_31_march: float
    child_population: float
    grade: int
    judgement: str
    judgement_date: dt.date
    successor_codes: tuple[str, ...]
    imputed: str
    notes: str


COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(LARow))
"""Columns of the table, in order."""

_TYPES: dict[str, Any] = get_type_hints(LARow)
_OPTIONAL_TEXT = ("imputed", "notes", "old_la_code", "judgement")
_PERCENT = ("turnover_rate_pct", "vacancy_rate_pct", "agency_rate_pct")


class PopulationTable:
    """A validated, immutable population table.

    Parameters
    ----------
    rows
        The authorities, in table order.
    source
        The file the table came from (named in errors).
    """

    __slots__ = ("_by_code", "_by_name", "rows", "source")

    rows: tuple[LARow, ...]
    source: str
    _by_code: dict[str, LARow]
    _by_name: dict[str, LARow]

    def __init__(self, rows: tuple[LARow, ...], source: str = "<table>") -> None:
        object.__setattr__(self, "rows", tuple(rows))
        object.__setattr__(self, "source", str(source))
        object.__setattr__(self, "_by_code", {r.code.upper(): r for r in self.rows})
        object.__setattr__(self, "_by_name", {r.name.casefold(): r for r in self.rows})

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a PopulationTable cannot be changed")

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Any:
        return iter(self.rows)

    @property
    def codes(self) -> tuple[str, ...]:
        """The authorities' codes, in table order."""
        return tuple(r.code for r in self.rows)

    def find(self, code_or_name: str, *, file: str | None = None, field: str = "la") -> LARow:
        """The authority with this exact code, or this name (case and spacing ignored).

        Parameters
        ----------
        code_or_name
            An ONS code such as ``E08000032`` or a name such as ``bradford``.
        file, field
            The scenario file and field to name in an error (default: the table itself).

        Raises
        ------
        ScenarioError
            When no authority matches; the message lists the nearest names.
        """
        text = " ".join(str(code_or_name).split())
        row = self._by_code.get(text.upper()) or self._by_name.get(text.casefold())
        if row is not None:
            return row
        heirs = [r for r in self.rows if text.upper() in r.successor_codes]
        if len(heirs) == 1:
            return heirs[0]
        if heirs:
            listed = ", ".join(f"'{r.name}' ({r.code})" for r in heirs)
            raise ScenarioError(
                file or self.source,
                field,
                f"{text!r} is the code of an authority formed since 2017 from several of the "
                "table's authorities.",
                f"Name one of them: {listed}.",
            )
        names = [r.name for r in self.rows]
        by_fold = {n.casefold(): n for n in names}
        close = [by_fold[n] for n in _close_names(text.casefold(), list(by_fold), how_many=3)]
        if close:
            hint = "Nearest names: " + ", ".join(f"'{n}'" for n in close) + "."
        else:
            hint = (
                "Give an ONS code such as 'E08000032' or a name such as 'Bradford' "
                f"(the {len(names)} authorities are listed in '{self.source}')."
            )
        problem = f"{text!r} is not a local authority of the population table '{self.source}'."
        raise ScenarioError(file or self.source, field, problem, hint)


def _close_names(text: str, names: list[str], how_many: int) -> list[str]:
    import difflib

    starts = [n for n in names if text and (n.startswith(text) or text in n)]
    close = difflib.get_close_matches(text, names, n=how_many, cutoff=0.5)
    return list(dict.fromkeys(starts + close))[:how_many]


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
    if not rows:
        raise TableError(
            file, "the table has a header but no authorities.", "It needs one row per authority."
        )
    return PopulationTable(tuple(rows), source=file)
