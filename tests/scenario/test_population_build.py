"""The population table against its sources: one row per children's services authority, totals
that match England's own rows within the suppressed cells, and a builder that re-creates the
shipped file byte for byte."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest

from sim.scenario import population_geography as geo
from sim.scenario.population import (
    COLUMNS,
    DEFAULT_TABLE,
    LARow,
    PopulationTable,
    load_population_table,
)
from sim.scenario.population_build import (
    C1,
    CIN_YEAR,
    CSWW,
    REPO,
    WORKFORCE_YEAR,
    build_table,
    national_totals,
    write_table,
)
from sim.scenario.population_sources import nearest_year, read_dfe, read_sif, to_number

DFE = REPO / "data" / "dfe"


@pytest.fixture(scope="module")
def table() -> PopulationTable:
    return load_population_table()


def test_builder_recreates_the_shipped_table(tmp_path: Path) -> None:
    out = tmp_path / "population.csv"
    write_table(build_table(), out)
    assert out.read_bytes() == DEFAULT_TABLE.read_bytes()
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme == (DEFAULT_TABLE.parent / "README.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| `{column}` |" in readme
    assert "Open Government Licence v3.0" in readme


def test_a_row_for_every_authority_in_the_sources(table: PopulationTable) -> None:
    codes = set(table.codes)
    referrals = read_dfe(DFE, C1).xs(CIN_YEAR, level="year")
    assert codes == set(referrals.index)
    workforce_units = set(read_dfe(DFE, CSWW).xs(WORKFORCE_YEAR, level="year").index)
    expanded = set()
    for unit in workforce_units:
        expanded.update(geo.JOINT_WORKFORCE.get(unit, (unit,)))
    assert expanded == codes
    judged = {
        geo.RECODED.get(c, c)
        for c in read_sif(REPO / "data" / "ofsted" / "sif_last_judgement.csv").index
    }
    assert judged == codes
    assert 150 <= len(codes) <= 153
    for name in (
        "Isles of Scilly",
        "City of London",
        "Kingston upon Thames",
        "Richmond upon Thames",
    ):
        table.find(name)


def _imputed(table: PopulationTable, column: str) -> float:
    """Sum of a column over the rows whose value of it was filled by a rule (nearest year, 0)."""
    total = 0.0
    for row in table:
        for entry in filter(None, row.imputed.split("; ")):
            columns, _, rule = entry.partition(": ")
            if column in columns.split(", ") and "shared by" not in rule:
                total += getattr(row, column)
    return total


# England's CSWW rows are to 0.1 FTE and each LA's too: up to 0.05 FTE rounding per LA.
# England's children-in-need rows are rounded to the nearest 10; LA rows are exact.
ROUNDING = {
    "posts_fte": 0.05 * 152,
    "inpost_fte": 0.05 * 152,
    "case_holders_fte": 0.05 * 152,
    "cases": 0.0,
    "referrals_per_year": 5.0,
    "rereferrals_per_year": 5.0,
    "cp_starts_per_year": 5.0,
}


@pytest.mark.parametrize("column", sorted(ROUNDING))
def test_totals_match_england_within_the_suppression(table: PopulationTable, column: str) -> None:
    england = national_totals()[column]
    total = sum(getattr(r, column) for r in table)
    allowed = ROUNDING[column] + _imputed(table, column)
    assert abs(total - england) <= allowed, (column, total, england, allowed)


def test_joint_workforce_return_is_shared_not_duplicated(table: PopulationTable) -> None:
    joint = read_dfe(DFE, CSWW).loc[(WORKFORCE_YEAR, "E09000021 / E09000027")]
    kingston, richmond = table.find("Kingston upon Thames"), table.find("Richmond upon Thames")
    for column in ("inpost_fte", "vacancy_fte", "agency_fte", "case_holders_fte", "cases"):
        assert getattr(kingston, column) + getattr(richmond, column) == pytest.approx(
            joint[column], abs=0.02
        )
    assert kingston.caseload_per_fte == richmond.caseload_per_fte == joint["caseload_fte"]
    share = kingston.referrals_per_year / (
        kingston.referrals_per_year + richmond.referrals_per_year
    )
    assert kingston.cases == pytest.approx(joint["cases"] * share, abs=0.01)


def test_suppressed_cell_comes_from_the_nearest_year(table: PopulationTable) -> None:
    brent = table.find("Brent")  # its 2017 cases are 'x'
    later = read_dfe(DFE, CSWW).loc[(2018, "E09000005")]
    assert brent.cases == later["cases"] and brent.case_holders_fte == later["case_holders_fte"]
    assert "cases" in brent.imputed and "CSWW 2018" in brent.imputed
    bradford = table.find("Bradford")  # nothing suppressed in its workforce or CIN cells
    assert "CSWW" not in bradford.imputed


def test_merged_and_split_authorities_keep_the_2017_geography(table: PopulationTable) -> None:
    assert table.find("Northamptonshire").successor_codes == ("E06000061", "E06000062")
    assert table.find("Cumbria").successor_codes == ("E06000063", "E06000064")
    assert table.find("Bournemouth").successor_codes == ("E06000058",)
    assert table.find("Buckinghamshire").code == "E10000002"
    assert table.find("Bradford").successor_codes == ("E08000032",)
    for name in ("Northamptonshire", "Cumbria", "Dorset", "Poole", "Somerset", "North Yorkshire"):
        assert table.find(name).notes


def test_no_missing_or_negative_numbers(table: PopulationTable) -> None:
    numeric = [f.name for f in dataclasses.fields(LARow) if f.type in (float, "float")]
    assert "cases" in numeric and len(numeric) > 15
    for row in table:
        for name in numeric:
            value = getattr(row, name)
            assert math.isfinite(value) and value >= 0, (row.name, name)
    assert all(r.posts_fte > 0 and r.referrals_per_year > 0 for r in table)


def test_to_number_reads_suppression_markers_as_missing() -> None:
    values = to_number(pd.Series(["12", "c", "x", "u", "z", "low", ":", "", "1,204"]))
    assert values.iloc[0] == 12.0 and values.iloc[-1] == 1204.0
    assert values.iloc[1:-1].isna().all()
    with pytest.raises(ValueError):
        to_number(pd.Series(["twelve"]))


def test_nearest_year_prefers_the_earlier_on_a_tie() -> None:
    frame = pd.DataFrame(
        {"year": [2017, 2018, 2019], "code": ["E1"] * 3, "v": [1.0, math.nan, 3.0]}
    ).set_index(["year", "code"])
    assert nearest_year(frame, "E1", ("v",), 2018) == ({"v": 1.0}, 2017)
    assert nearest_year(frame, "E1", ("v",), 2019) == ({"v": 3.0}, 2019)
    values, year = nearest_year(frame, "E2", ("v",), 2018)
    assert year is None and math.isnan(values["v"])


def test_builder_command_writes_table_and_readme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sim.scenario.population_build import main

    out = tmp_path / "england" / "population.csv"
    assert main(["--out", str(out)]) == 0
    assert "wrote 152 authorities" in capsys.readouterr().out
    assert load_population_table(out).codes == load_population_table().codes
    assert (out.parent / "README.md").is_file()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no temporary left


def test_successor_codes_are_exactly_the_authorities_of_march_2025(table: PopulationTable) -> None:
    # Ofsted's judgements in force at 31 March 2025 name the 153 authorities of that date.
    judged = pd.read_excel(
        REPO / "data" / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
        sheet_name="Inspections_as_at_31_March",
        engine="odf",
        header=2,
    )
    in_2025 = set(judged["Local authority area code"].dropna().astype(str).str.strip())
    successors = {code for row in table for code in row.successor_codes}
    assert successors == in_2025
    assert len(in_2025) == 153
