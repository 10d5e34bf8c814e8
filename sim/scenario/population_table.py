"""The population table: one row per children's services authority, from its own official figures.

The table (``data/england/population.csv``) is built from ``data/dfe/`` and ``data/ofsted/`` by
:mod:`sim.scenario.population_build` and read by :mod:`sim.scenario.population_read`; how every
column is made is in ``docs/england.md`` and ``data/england/README.md``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.scenario.errors import ScenarioError
from sim.scenario.resources import shipped_path

DEFAULT_TABLE = shipped_path(Path("data", "england", "population.csv"))
"""The population table shipped with the project (2017 census, 2017-18 children-in-need year):
the checkout's copy, else the one installed with the package (so a wheel finds it too)."""


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


class PopulationTable:
    """A validated, immutable population table.

    Parameters
    ----------
    rows
        The authorities, in table order.
    source
        The file the table came from (named in errors).
    lines
        Each row's line in that file (default: as if written without blank lines).
    """

    __slots__ = ("_by_code", "_by_name", "_lines", "rows", "source")

    rows: tuple[LARow, ...]
    source: str
    _by_code: dict[str, LARow]
    _by_name: dict[str, LARow]
    _lines: dict[str, int]

    def __init__(
        self,
        rows: tuple[LARow, ...],
        source: str = "<table>",
        lines: tuple[int, ...] | None = None,
    ) -> None:
        object.__setattr__(self, "rows", tuple(rows))
        object.__setattr__(self, "source", str(source))
        numbers = lines if lines is not None else tuple(range(2, len(self.rows) + 2))
        object.__setattr__(
            self, "_lines", dict(zip((r.code for r in self.rows), numbers, strict=True))
        )
        object.__setattr__(self, "_by_code", {r.code.upper(): r for r in self.rows})
        object.__setattr__(self, "_by_name", {r.name.casefold(): r for r in self.rows})

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a PopulationTable cannot be changed")

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Any:
        return iter(self.rows)

    def line_of(self, code: str) -> int | None:
        """Line of the authority's row in the table file (the header is line 1)."""
        return self._lines.get(code)

    @property
    def codes(self) -> tuple[str, ...]:
        """The authorities' codes, in table order."""
        return tuple(r.code for r in self.rows)

    def find(self, code_or_name: str, *, file: str | None = None, field: str = "la") -> LARow:
        """The authority with this exact code, or this name (case and spacing ignored).

        Parameters
        ----------
        code_or_name
            An ONS code such as ``E08000032`` (or the code of a successor that is this one
            authority's alone), a name such as ``bradford``, or the DfE's LA number (``380``).
        file, field
            The scenario file and field to name in an error (default: the table itself).

        Raises
        ------
        ScenarioError
            When no authority matches; the message lists the nearest names.
        """
        text = " ".join(str(code_or_name).split())
        row = self._by_code.get(text.upper()) or self._by_name.get(text.casefold())
        if row is None and text.isdigit():
            row = next((r for r in self.rows if r.old_la_code == text), None)
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
                f"(the {len(names)} authorities are listed in '{_shown(self.source)}')."
            )
        problem = (
            f"{text!r} is not a local authority of the population table '{_shown(self.source)}'."
        )
        raise ScenarioError(file or self.source, field, problem, hint)


def _shown(path: str) -> str:
    """A path as short as it can be shown: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def _close_names(text: str, names: list[str], how_many: int) -> list[str]:
    starts = [n for n in names if text and (n.startswith(text) or text in n)]
    close = difflib.get_close_matches(text, names, n=how_many, cutoff=0.5)
    return list(dict.fromkeys(starts + close))[:how_many]
