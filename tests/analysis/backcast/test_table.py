"""The back-cast table of a tiny population run: its rows, its census figures against the
national aggregates the run wrote itself, and bad folders (exit 2, house message)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis.backcast import COLUMNS, backcast_table
from sim.analysis.backcast.__main__ import main
from sim.experiment.errors import RunInputError
from tests.backcast_fixture import LAS, REPLICATIONS, write_tiny_backcast


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_backcast(tmp_path_factory.mktemp("backcast"))


def test_table_rows_and_counts(tiny: Path) -> None:
    table = backcast_table(tiny)
    assert tuple(table.columns) == COLUMNS
    by_id = table.set_index("id")
    # Censuses of 30 September 2018 and 2019 fall in the run; 2017 (before it) does not.
    assert by_id.loc["csww_agency_rate_pct_2018", "replications"] == REPLICATIONS
    assert by_id.loc["csww_agency_rate_pct_2019", "replications"] == REPLICATIONS
    assert by_id.loc["csww_agency_rate_pct_2017", "replications"] == 0
    mix = by_id[by_id["group"] == "grade_mix_2025"]
    assert mix["model_n"].eq(len(LAS)).all()
    assert mix["model_mean"].sum() == pytest.approx(1.0)
    finite = table.dropna(subset=["model_mean"])
    assert (finite["model_p05"] <= finite["model_mean"] + 1e-12).all()
    assert (finite["model_mean"] <= finite["model_p95"] + 1e-12).all()
    # The record's values are the targets table's.
    targets = pd.read_csv(Path(__file__).resolve().parents[3] / "calibration" / "targets.csv")
    record = targets.set_index("id").loc[table["id"], "observed"].to_numpy()
    assert np.allclose(table["record"].to_numpy(), record)


def test_census_agency_and_vacancy_match_the_national_aggregates(tiny: Path) -> None:
    """national.parquet's rates are the model's own ratios of national totals (an independent
    computation): at 30 September they must equal the back-cast's census figures."""
    table = backcast_table(tiny).set_index("id")
    national = pd.read_parquet(tiny / "national.parquet")
    national["date"] = pd.to_datetime(national["date"])
    for year in (2018, 2019):
        rows = national[(national["date"].dt.month == 9) & (national["date"].dt.year == year)]
        for metric in ("agency_rate_pct", "vacancy_rate_pct"):
            values = rows[metric].to_numpy(dtype=float)
            assert table.loc[f"csww_{metric}_{year}", "model_mean"] == pytest.approx(
                values.mean(), rel=1e-9
            )
            assert table.loc[f"csww_{metric}_{year}", "model_p05"] == pytest.approx(
                np.quantile(values, 0.05), rel=1e-9
            )


def test_grade_mix_is_the_grades_in_force_in_the_last_month(tiny: Path) -> None:
    table = backcast_table(tiny).set_index("id")
    ts = pd.read_parquet(tiny / "timeseries.parquet")
    last = ts[ts["month"] == ts["month"].max()]
    inadequate = last.groupby("replication")["ofsted_grade"].apply(lambda g: float((g == 4).mean()))
    assert table.loc["grade_mix_2025_4", "model_mean"] == pytest.approx(inadequate.mean())


def test_not_a_population_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(RunInputError, match="national.parquet"):
        backcast_table(tmp_path)
    assert main([str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err
    assert not (tmp_path / "missing").exists()


def test_command_writes_the_table(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.csv"
    assert main([str(tiny), "--csv", str(out)]) == 0
    written = pd.read_csv(out)
    assert len(written) == len(backcast_table(tiny))
    assert not math.isnan(float(written.set_index("id").loc["grade_mix_2025_4", "model_mean"]))


def test_figures_are_written(tiny: Path, tmp_path: Path) -> None:
    from sim.analysis.backcast.figures import FILES, write_figures

    paths = write_figures(backcast_table(tiny), tmp_path / "img")
    assert [p.name for p in paths] == list(FILES)
    for path in paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list((tmp_path / "img").glob("*.tmp.png"))


def test_markdown_tables_carry_every_row(tiny: Path) -> None:
    from sim.analysis.backcast.markdown import backcast_markdown

    text = backcast_markdown(backcast_table(tiny))
    tables = text.strip().split("\n\n")
    assert len(tables) == 5
    # census years 2017-2025 (9), four grades, four origins, four survival + four intervals,
    # six census offsets around an inadequate judgement (the cliff edge)
    assert [len(t.splitlines()) - 2 for t in tables] == [9, 4, 4, 8, 6]
    assert "| +0 | 19.0 |" in tables[4]  # the record's turnover in the judgement's census
    assert "| 2019 |" in tables[0]


def test_population_report_has_the_backcast_section(tiny: Path) -> None:
    from sim.analysis.backcast.report_section import covers_the_record
    from sim.analysis.national_report import write_national_report

    html = write_national_report(tiny).read_text(encoding="utf-8")
    assert 'href="#backcast"' in html and '<section id="backcast">' in html
    assert (tiny / "backcast.csv").is_file()
    # A projection from April 2025 covers no census of the record: no section.
    later = pd.DataFrame({"date": pd.date_range("2025-10-31", periods=24, freq="ME")})
    assert not covers_the_record(later)
    assert covers_the_record(pd.DataFrame({"date": [pd.Timestamp("2018-09-30")]}))
