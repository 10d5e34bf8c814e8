"""The population table as untrusted input: a good table loads; every kind of bad table is one
clear error naming the file, row and column, with the nearest valid value or name."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from sim.scenario.errors import ScenarioError
from sim.scenario.population import (
    COLUMNS,
    DEFAULT_TABLE,
    LARow,
    PopulationTable,
    TableError,
    load_population_table,
)


@pytest.fixture(scope="module")
def table() -> PopulationTable:
    return load_population_table()


def _rows() -> list[dict[str, str]]:
    with open(DEFAULT_TABLE, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_shipped_table_loads_with_typed_rows(table: PopulationTable) -> None:
    assert len(table) == 152
    bradford = table.find("Bradford")
    assert isinstance(bradford, LARow)
    assert bradford.code == "E08000032" and bradford.region == "Yorkshire and The Humber"
    assert isinstance(bradford.judgement_date, dt.date) and bradford.grade in (1, 2, 3, 4)
    assert bradford.posts_fte == pytest.approx(bradford.inpost_fte + bradford.vacancy_fte)
    assert bradford.first_referrals_per_year == pytest.approx(
        bradford.referrals_per_year - bradford.rereferrals_per_year
    )


def test_table_is_immutable(table: PopulationTable) -> None:
    with pytest.raises(AttributeError):
        table.rows = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        table.rows[0].cases = 1.0  # type: ignore[misc]


@pytest.mark.parametrize(
    "text", ["E08000032", "e08000032", "Bradford", "  bradford ", "BRADFORD", "380"]
)
def test_find_by_code_or_name(table: PopulationTable, text: str) -> None:
    assert table.find(text).code == "E08000032"


def test_find_by_code_since_recoded(table: PopulationTable) -> None:
    # Buckinghamshire became a unitary council in 2020 (E06000060) with the same area.
    assert table.find("E06000060").name == "Buckinghamshire"


def test_find_successor_of_several_names_them(table: PopulationTable) -> None:
    with pytest.raises(ScenarioError) as err:
        table.find("E06000058")  # BCP: Bournemouth + Poole (+ Christchurch) since 2019
    assert "'Bournemouth'" in err.value.message and "'Poole'" in err.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bradfrod", "Bradford"),
        ("Newcastle", "Newcastle upon Tyne"),
        ("hull", "Kingston upon Hull, City of"),
    ],
)
def test_unknown_name_suggests_nearest(table: PopulationTable, text: str, expected: str) -> None:
    with pytest.raises(ScenarioError) as err:
        table.find(text, file="council.yaml")
    message = err.value.message
    assert message.startswith("In scenario file 'council.yaml', field 'la':")
    assert f"'{expected}'" in message.split("Nearest names:")[1]


def test_columns_match_the_dataclass() -> None:
    assert list(COLUMNS) == list(_rows()[0])


# ---- bad tables -------------------------------------------------------------------------------


def _error(path: Path) -> TableError:
    with pytest.raises(TableError) as err:
        load_population_table(path)
    assert str(path) in err.value.message
    assert "\n" not in err.value.message
    return err.value


def test_missing_file_names_it_and_the_nearest(tmp_path: Path) -> None:
    (tmp_path / "population.csv").write_text("x", encoding="utf-8")
    error = _error(tmp_path / "populaton.csv")
    assert "does not exist" in error.message and "population.csv" in error.suggestion


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("", encoding="utf-8")
    assert "empty" in _error(path).message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"code,name\n\xff\xfe\n")
    assert "UTF-8" in _error(path).message


def test_unknown_column_suggests_nearest(tmp_path: Path) -> None:
    rows = _rows()
    for row in rows:
        row["caseload_per_ftee"] = row.pop("caseload_per_fte")
    error = _error(_write(tmp_path / "t.csv", rows))
    assert error.row == 1 and error.column == "caseload_per_ftee"
    assert "Did you mean 'caseload_per_fte'?" in error.message


def test_missing_column(tmp_path: Path) -> None:
    rows = _rows()
    for row in rows:
        del row["grade"]
    error = _error(_write(tmp_path / "t.csv", rows))
    assert "lacks column 'grade'" in error.message


@pytest.mark.parametrize(
    ("column", "value", "words", "hint"),
    [
        ("cases", "-3", "negative", "Nearest valid value: 0."),
        ("cases", "nan", "not a number", "Rebuild"),
        ("cases", "", "empty", "Write a number"),
        ("cases", "c", "expected a number", "suppressed cells"),
        ("grade", "5", "not an Ofsted grade", "Nearest valid value: 4."),
        ("agency_rate_pct", "140", "more than 100%", "Nearest valid value: 100."),
        ("judgement_date", "23/05/2014", "not a date", "YYYY-MM-DD"),
        ("code", "", "empty", None),
    ],
)
def test_bad_cell_names_row_and_column(
    tmp_path: Path, column: str, value: str, words: str, hint: str | None
) -> None:
    rows = _rows()
    rows[9][column] = value
    error = _error(_write(tmp_path / "t.csv", rows))
    assert error.row == 11 and error.column == column  # the header is row 1
    assert f"row 11 ({rows[9]['name'] or rows[9]['code']}), column '{column}'" in error.message
    assert words in error.message
    if hint:
        assert hint in error.message


@pytest.mark.parametrize("column", ["code", "name"])
def test_duplicate_authority(tmp_path: Path, column: str) -> None:
    rows = _rows()
    other = dict(rows[0])
    other["name" if column == "code" else "code"] = "E99999999" if column == "name" else "Elsewhere"
    if column == "name":
        other["name"] = rows[0]["name"].upper()
    rows.append(other)
    error = _error(_write(tmp_path / "t.csv", rows))
    assert error.row == len(rows) + 1 and error.column == column
    assert "already the authority of row 2" in error.message


def test_ragged_row(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", _rows())
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] += ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _error(path)
    assert error.row == 4 and "cells" in error.message


def test_header_only(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    assert "no authorities" in _error(path).message


def test_folder_instead_of_file(tmp_path: Path) -> None:
    assert "folder" in _error(tmp_path).message
