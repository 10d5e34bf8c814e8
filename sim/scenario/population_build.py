"""Build the population table from the official files: ``python -m sim.scenario.population_build``.

Reads ``data/dfe/`` (workforce census, children in need, child protection, looked-after children,
ONS child population) and ``data/ofsted/sif_last_judgement.csv``, and writes
``data/england/population.csv``: one row per children's services authority of the 2017-18 files,
with the start year's figures only (workforce census at 30 September 2017, children-in-need year
2017-18, ONS mid-2017). A suppressed cell is filled from the nearest year that has it (ties: the
earlier year) and recorded in the row's ``imputed`` column; see ``docs/england.md``.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from pathlib import Path
from typing import cast

import pandas as pd

from sim.scenario import population_geography as geo
from sim.scenario.population_readme import readme_text
from sim.scenario.population_scenario import START_DATE
from sim.scenario.population_sources import NATIONAL_LEVEL, Source, nearest_year, read_dfe, read_sif
from sim.scenario.population_table import COLUMNS, DEFAULT_TABLE

REPO = Path(__file__).resolve().parents[2]
WORKFORCE_YEAR = 2017
"""CSWW reporting year of the start: the census of 30 September 2017."""
CIN_YEAR = 2018
"""Children-in-need reporting year of the start: April 2017 - March 2018 (files label it 2018)."""
POPULATION_YEAR = 2017
"""ONS mid-year estimate of the start: mid-2017."""

STAFF = (
    "inpost_fte",
    "vacancy_fte",
    "agency_fte",
    "turnover_rate_fte",
    "vacancy_rate_fte",
    "agency_rate_fte",
)
CASELOAD = ("case_holders_fte", "cases", "caseload_fte")
CSWW = Source("csww_indicators_2017_to_2025.csv", STAFF + CASELOAD)
C1 = Source(
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    ("referral_count", "rereferral_count", "no_further_action_count", "not_in_need_count"),
)
D3 = Source("d3_cpps_subsequent_plan_2013_to_2025.csv", ("CPP_start",))
D5 = Source("d5_cpps_at31march_by_duration_2013_to_2025.csv", ("CPP_At31",))
B1 = Source("b1_children_in_need_2013_to_2025.csv", ("At31_episodes",))
ONS = Source(
    "ons_mid-year_population_estimates_2012_to_2024.csv",
    ("population_estimate",),
    (("age_group", "Children aged 0 to 17 years"),),
)
_CLA_FILE = "cla_number_and_rate_per_10k_children.csv"
CLA_STARTS = Source(
    _CLA_FILE,
    ("children_count", "population_estimate"),
    (("population_type", "Children starting to be looked after each year"),),
)
CLA_STOCK = Source(
    _CLA_FILE,
    ("children_count", "population_estimate"),
    (("population_type", "Children looked after on 31 March each year"),),
)
_STAFF_COLUMNS = (
    "inpost_fte",
    "vacancy_fte",
    "agency_fte",
    "posts_fte",
    "turnover_rate_pct",
    "vacancy_rate_pct",
    "agency_rate_pct",
)
_CIN_FIELDS = {
    "referrals_per_year": (C1, "referral_count"),
    "rereferrals_per_year": (C1, "rereferral_count"),
    "nfa_per_year": (C1, "no_further_action_count"),
    "not_in_need_per_year": (C1, "not_in_need_count"),
    "cp_starts_per_year": (D3, "CPP_start"),
    "cp_open_31_march": (D5, "CPP_At31"),
    "cin_open_31_march": (B1, "At31_episodes"),
}


def _year_label(source: Source, year: int) -> str:
    if source is CSWW:
        return f"CSWW {year}"
    if source is ONS:
        return f"mid-{year}"
    return f"{year - 1}-{str(year)[2:]}"


class _Sources:
    """Every file read once."""

    def __init__(self, dfe: Path, ofsted: Path) -> None:
        self.frames = {
            s.file + repr(s.filters): read_dfe(dfe, s)
            for s in (CSWW, C1, D3, D5, B1, ONS, CLA_STARTS, CLA_STOCK)
        }
        self.sif = read_sif(ofsted / "sif_last_judgement.csv")

    def frame(self, source: Source) -> pd.DataFrame:
        return self.frames[source.file + repr(source.filters)]


def _take(
    src: _Sources,
    source: Source,
    code: str,
    columns: tuple[str, ...],
    year: int,
    notes: list[str],
    label: str,
) -> dict[str, float]:
    values, used = nearest_year(src.frame(source), code, columns, year)
    if used is None:
        notes.append(f"{label}: suppressed or not applicable in every year, taken as 0")
        return {c: 0.0 for c in columns}
    if used != year:
        notes.append(
            f"{label}: {_year_label(source, used)} ({_year_label(source, year)} suppressed or missing)"
        )
    return values


def _workforce(
    src: _Sources, code: str, share: dict[str, float], notes: list[str]
) -> dict[str, float]:
    joint = next((unit for unit, members in geo.JOINT_WORKFORCE.items() if code in members), None)
    unit = joint or code
    staff = _take(src, CSWW, unit, STAFF, WORKFORCE_YEAR, notes, ", ".join(_STAFF_COLUMNS))
    load = _take(
        src,
        CSWW,
        unit,
        CASELOAD,
        WORKFORCE_YEAR,
        notes,
        "case_holders_fte, cases, caseload_per_fte",
    )
    if joint is not None:
        part = share[code]
        notes.append(
            f"inpost_fte, vacancy_fte, agency_fte, posts_fte, case_holders_fte, cases: joint "
            f"return {unit} shared by 2017-18 referrals ({part:.3f}), rates being the joint unit's"
        )
        for column in ("inpost_fte", "vacancy_fte", "agency_fte", "case_holders_fte", "cases"):
            (staff if column in staff else load)[column] *= part
    return {
        "inpost_fte": staff["inpost_fte"],
        "vacancy_fte": staff["vacancy_fte"],
        "agency_fte": staff["agency_fte"],
        "posts_fte": staff["inpost_fte"] + staff["vacancy_fte"],
        "case_holders_fte": load["case_holders_fte"],
        "cases": load["cases"],
        "turnover_rate_pct": staff["turnover_rate_fte"],
        "vacancy_rate_pct": staff["vacancy_rate_fte"],
        "agency_rate_pct": staff["agency_rate_fte"],
        "caseload_per_fte": load["caseload_fte"],
    }


def _child_population(
    src: _Sources, code: str, cin_open: dict[str, float], notes: list[str]
) -> float:
    for group, successors in geo.SHARED_POPULATION.items():
        if code in group:
            frame = src.frame(ONS)
            year = min(y for y, c in frame.index if c in successors)
            total = sum(float(frame.loc[(year, c), "population_estimate"]) for c in successors)
            part = cin_open[code] / sum(cin_open[c] for c in group)
            notes.append(
                f"child_population: successors' mid-{year} total ({' + '.join(successors)}) shared "
                f"by children in need at 31 March 2018 ({part:.3f})"
            )
            return total * part
    return _take(
        src, ONS, code, ("population_estimate",), POPULATION_YEAR, notes, "child_population"
    )["population_estimate"]


def _looked_after(src: _Sources, code: str, children: float, notes: list[str]) -> dict[str, float]:
    """Looked-after starts and stock for 2017-18: the nearest year's rate per child × mid-2017 children."""
    successors = geo.SUCCESSORS.get(code, ())
    donors = [geo.BORROWED_FROM_SUCCESSOR.get(code, code)]
    if len(successors) == 1 and successors[0] not in donors:
        donors.append(successors[0])  # recoded since: later files use the new code
    out = {}
    for column, source in (("cla_starts_per_year", CLA_STARTS), ("cla_open_31_march", CLA_STOCK)):
        for donor in donors:
            values, used = nearest_year(
                src.frame(source), donor, ("children_count", "population_estimate"), CIN_YEAR
            )
            if used is not None:
                break
        if used is None:
            notes.append(f"{column}: suppressed or not applicable in every year, taken as 0")
            out[column] = 0.0
            continue
        rate = values["children_count"] / values["population_estimate"]
        whose = "" if donor == code else f" of {donor}"
        notes.append(
            f"{column}: {_year_label(source, used)} rate per child{whose} ({1e4 * rate:.1f} per 10,000) × mid-2017 children"
        )
        out[column] = rate * children
    return out


def build_table(
    dfe: Path = REPO / "data" / "dfe", ofsted: Path = REPO / "data" / "ofsted"
) -> pd.DataFrame:
    """The population table as a DataFrame with the columns of :class:`~sim.scenario.population_table.LARow`."""
    src = _Sources(dfe, ofsted)
    c1 = src.frame(C1).xs(CIN_YEAR, level="year")
    referrals = c1["referral_count"].to_dict()
    share = {
        code: referrals[code] / sum(referrals[m] for m in members)
        for members in geo.JOINT_WORKFORCE.values()
        for code in members
    }
    cin_open = {
        code: nearest_year(src.frame(B1), code, ("At31_episodes",), CIN_YEAR)[0]["At31_episodes"]
        for code in c1.index
    }
    sif = src.sif.rename(index=lambda c: geo.RECODED.get(c, c))
    records = []
    for code_key, meta in c1.iterrows():
        code = str(code_key)
        notes: list[str] = []
        row: dict[str, object] = {
            "code": code,
            "name": meta["name"],
            "region": meta["region"],
            "old_la_code": meta["old_la_code"],
        }
        row.update(_workforce(src, code, share, notes))
        counts = {
            column: _take(src, source, code, (name,), CIN_YEAR, notes, column)[name]
            for column, (source, name) in _CIN_FIELDS.items()
        }
        row.update(counts)
        row["first_referrals_per_year"] = (
            counts["referrals_per_year"] - counts["rereferrals_per_year"]
        )
        children = _child_population(src, code, cin_open, notes)
        row["child_population"] = children
        row.update(_looked_after(src, code, children, notes))
        judgement = sif.loc[code].to_dict()
        row["grade"] = int(judgement["overall_effectiveness"])
        row["judgement"] = str(judgement["judgement"])
        row["judgement_date"] = pd.Timestamp(judgement["publication_date"]).date().isoformat()
        row["successor_codes"] = ";".join(geo.SUCCESSORS.get(code, (code,)))
        row["imputed"] = "; ".join(notes)
        published = pd.Timestamp(judgement["publication_date"]).date()
        after = (
            f"Last SIF judgement published on {published.isoformat()}, after the start "
            f"({START_DATE.isoformat()}): taken as the grade at the start, 0 months before it."
            if published > START_DATE
            else ""
        )
        row["notes"] = " ".join(filter(None, (geo.NOTES.get(code, ""), after)))
        records.append(row)
    table = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    return table.sort_values("code", kind="stable").reset_index(drop=True)


def national_totals(dfe: Path = REPO / "data" / "dfe") -> dict[str, float]:
    """England's own rows for the start year: posts (in post + vacant FTE), case holders, cases,
    referrals, re-referrals, child protection starts (to check the table's totals against)."""

    def row(source: Source, year: int) -> dict[str, float]:
        frame = read_dfe(dfe, source, NATIONAL_LEVEL)
        values = cast("pd.Series[float]", frame.loc[(year, "E92000001")])
        return {c: float(values[c]) for c in source.columns}

    csww, c1, d3 = row(CSWW, WORKFORCE_YEAR), row(C1, CIN_YEAR), row(D3, CIN_YEAR)
    return {
        "posts_fte": csww["inpost_fte"] + csww["vacancy_fte"],
        "inpost_fte": csww["inpost_fte"],
        "case_holders_fte": csww["case_holders_fte"],
        "cases": csww["cases"],
        "referrals_per_year": c1["referral_count"],
        "rereferrals_per_year": c1["rereferral_count"],
        "cp_starts_per_year": d3["CPP_start"],
    }


def _cell(value: object) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("the builder produced a missing number")
        return f"{round(value, 2):.10g}"
    return str(value)


def write_text(text: str, path: Path) -> None:
    """Write a file atomically (a temporary file renamed into place: never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def write_table(table: pd.DataFrame, path: Path) -> None:
    """Write the table (CSV) and, beside it, its ``README.md``, each atomically."""
    text = table.map(_cell).to_csv(index=False, lineterminator="\n")
    write_text(text, path)
    write_text(readme_text(table), path.parent / "README.md")


def main(argv: list[str] | None = None) -> int:
    """Command line: build the table (default: into ``data/england/population.csv``)."""
    parser = argparse.ArgumentParser(
        prog="python -m sim.scenario.population_build", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--dfe", type=Path, default=REPO / "data" / "dfe", help="folder of the DfE files"
    )
    parser.add_argument(
        "--ofsted", type=Path, default=REPO / "data" / "ofsted", help="folder of the Ofsted files"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_TABLE, help="table file to write")
    args = parser.parse_args(argv)
    table = build_table(args.dfe, args.ofsted)
    write_table(table, args.out)
    print(f"wrote {len(table)} authorities to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
