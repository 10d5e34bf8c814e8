"""The README of ``data/england/``: every column of the population table with its unit and source
(written by :mod:`sim.scenario.population_build` beside the table)."""

from __future__ import annotations

import pandas as pd

from sim.scenario.population_table import COLUMNS

CSWW17 = "CSWW 2017 (`csww_indicators_2017_to_2025.csv`, census 30 Sep 2017)"
C1 = "CIN 2017-18 (`c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv`)"

COLUMN_DOCS: dict[str, tuple[str, str, str]] = {
    # column: (unit, what it is, source)
    "code": ("ONS code", "the authority, as the 2017-18 DfE files code it", C1),
    "name": ("text", "name as in the DfE files", C1),
    "region": ("text", "region (London as Inner and Outer London)", C1),
    "old_la_code": ("number", "the DfE's three-digit LA number", C1),
    "inpost_fte": ("FTE", "employed children and family social workers in post", CSWW17),
    "vacancy_fte": ("FTE", "vacant social-worker posts", CSWW17),
    "agency_fte": ("FTE", "agency social workers", CSWW17),
    "posts_fte": ("FTE", "funded posts: in post + vacant", f"derived, {CSWW17}"),
    "case_holders_fte": ("FTE", "case-holding social workers, employed and agency", CSWW17),
    "cases": ("cases", "cases held by case holders at the census", CSWW17),
    "turnover_rate_pct": ("%", "leavers in the year ÷ in post", CSWW17),
    "vacancy_rate_pct": ("%", "vacant ÷ (vacant + employed)", CSWW17),
    "agency_rate_pct": ("%", "agency ÷ (agency + employed)", CSWW17),
    "caseload_per_fte": ("cases/FTE", "cases ÷ case-holding FTE", CSWW17),
    "referrals_per_year": ("referrals/year", "referrals in the year, re-referrals included", C1),
    "rereferrals_per_year": ("referrals/year", "referrals within 12 months of a previous one", C1),
    "first_referrals_per_year": ("referrals/year", "referrals − re-referrals", f"derived, {C1}"),
    "nfa_per_year": ("referrals/year", "referrals closed with no further action", C1),
    "not_in_need_per_year": ("assessments/year", "referrals assessed as not in need", C1),
    "cp_starts_per_year": (
        "plans/year",
        "child protection plans started",
        "CIN 2017-18 (`d3_cpps_subsequent_plan_2013_to_2025.csv`)",
    ),
    "cp_open_31_march": (
        "plans",
        "child protection plans open at 31 March 2018",
        "CIN 2017-18 (`d5_cpps_at31march_by_duration_2013_to_2025.csv`)",
    ),
    "cin_open_31_march": (
        "episodes",
        "children-in-need episodes open at 31 March 2018",
        "CIN 2017-18 (`b1_children_in_need_2013_to_2025.csv`)",
    ),
    "cla_starts_per_year": (
        "children/year",
        "children starting to be looked after: the nearest published year's rate per child (2020-21) × mid-2017 children",
        "`cla_number_and_rate_per_10k_children.csv` (from 2020-21) and ONS",
    ),
    "cla_open_31_march": (
        "children",
        "children looked after at 31 March, estimated likewise",
        "`cla_number_and_rate_per_10k_children.csv` (from 2020-21) and ONS",
    ),
    "child_population": (
        "children",
        "children aged 0-17",
        "ONS mid-2017 (`ons_mid-year_population_estimates_2012_to_2024.csv`)",
    ),
    "grade": (
        "1-4",
        "Ofsted overall effectiveness in force at the start (1 outstanding … 4 inadequate)",
        "`data/ofsted/sif_last_judgement.csv`",
    ),
    "judgement": ("text", "SIF or SIF re-inspection", "`data/ofsted/sif_last_judgement.csv`"),
    "judgement_date": (
        "date",
        "publication date of that judgement",
        "`data/ofsted/sif_last_judgement.csv`",
    ),
    "successor_codes": (
        "ONS codes",
        "authorities covering the area at 31 March 2025 (`;`-separated)",
        "docs/england.md",
    ),
    "imputed": (
        "text",
        "`columns: rule` for every cell not taken from the LA's own start-year figure (`; `-separated)",
        "the builder",
    ),
    "notes": (
        "text",
        "merges, splits, recodings; judgements published after the start",
        "docs/england.md",
    ),
}


def readme_text(table: pd.DataFrame) -> str:
    """The README for a built table (its row count and how many cells each rule filled)."""
    if set(COLUMN_DOCS) != set(COLUMNS):
        raise ValueError("COLUMN_DOCS must document every column of the table")
    filled: dict[str, int] = {}
    for entry in (e for text in table["imputed"] for e in str(text).split("; ") if e):
        columns = entry.split(": ", 1)[0]
        filled[columns] = filled.get(columns, 0) + 1
    lines = [
        "# The England population table",
        "",
        f"`population.csv`: one row per children's services authority ({len(table)}), each from its",
        "own official figures at the start of a national run: the children's social work workforce",
        "census of 30 September 2017 (CSWW) and the children-in-need year April 2017 – March 2018",
        "(CIN), with the Ofsted judgement in force and the ONS mid-2017 child population. Built by",
        "`python -m sim.scenario.population_build` from `../dfe/` and `../ofsted/` (do not edit by",
        "hand: rebuild). Every choice (suppressed cells, merged or split authorities, the joint",
        "Kingston–Richmond workforce return, the Isles of Scilly and the City of London) is in",
        "[docs/england.md](../../docs/england.md); how a row becomes a single-LA scenario is there too.",
        "",
        "Contains public sector information licensed under the Open Government Licence v3.0: the",
        "Department for Education's *Children's social work workforce* and *Children in need* and",
        "*Children looked after* statistics, ONS mid-year population estimates (via the DfE), and",
        "Ofsted's local authority inspection outcomes.",
        "",
        "| column | unit | what it is | source |",
        "|---|---|---|---|",
    ]
    for column in COLUMNS:
        unit, what, source = COLUMN_DOCS[column]
        lines.append(f"| `{column}` | {unit} | {what} | {source} |")
    lines += ["", "Cells filled by a rule (rows of the `imputed` column):", ""]
    lines += [
        f"- {columns}: {count} authorit{'y' if count == 1 else 'ies'}"
        for columns, count in sorted(filled.items())
    ]
    return "\n".join(lines) + "\n"
