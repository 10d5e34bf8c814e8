"""The targets builder reproduces the committed table, and its figures match the raw files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.targets import TARGETS_CSV, build_targets, record, write_targets
from sim.analysis.targets.ofsted import consecutive_pairs, inadequate_spells
from sim.scenario.errors import ScenarioError

ODS = record.DATA_DIR / record.OFSTED_ODS


@pytest.fixture(scope="module")
def built() -> pd.DataFrame:
    return build_targets().set_index("id")


def test_builder_reproduces_committed_table(tmp_path: Path) -> None:
    path = write_targets(tmp_path / "targets.csv")
    assert path.read_text() == TARGETS_CSV.read_text()


def test_every_row_has_a_citation_and_a_value(built: pd.DataFrame) -> None:
    assert built["source"].str.len().min() > 10
    assert built["observed"].notna().all()
    assert built.index.is_unique


def test_grade_mix_counts_the_in_force_sheet(built: pd.DataFrame) -> None:
    raw = pd.read_excel(ODS, sheet_name="Inspections_as_at_31_March", engine="odf", header=2)
    words = raw["Overall effectiveness"].dropna().value_counts()
    assert built.loc["grade_mix_2025_1", "k"] == words["Outstanding"] == 36
    assert built.loc["grade_mix_2025_4", "k"] == words["Inadequate"] == 19
    assert built.loc["grade_mix_2025_2", "n"] == 153


def test_transitions_from_inadequate(built: pd.DataFrame) -> None:
    # Issue 15: 15 LAs re-inspected after an inadequate ILACS judgement, 2 still inadequate.
    rows = built[built["group"] == "transition_from_4"]
    assert (rows["n"] == 15).all()
    assert rows["k"].tolist() == [0, 6, 7, 2]
    pairs = consecutive_pairs(record.ilacs_history())
    again = pairs[(pairs["from_grade"] == 4) & (pairs["to_grade"] == 4)]
    assert sorted(again["la_name"]) == ["Bradford", "Devon"]
    # No LA was re-graded sooner than about two years after an inadequate judgement.
    assert pairs.loc[pairs["from_grade"] == 4, "months"].min() > 24


def test_survival_is_kaplan_meier_with_censoring(built: pd.DataFrame) -> None:
    spells = inadequate_spells(record.ilacs_history())
    assert spells["exited"].sum() == 13  # the 15 re-inspections less the two still inadequate
    assert built.loc["still_inadequate_2y", "observed"] == 1.0
    shares = [built.loc[f"still_inadequate_{y}y", "observed"] for y in (2, 3, 4, 5)]
    assert shares == sorted(shares, reverse=True)


def test_csww_national_figures_match_the_csv(built: pd.DataFrame) -> None:
    raw = pd.read_csv(record.DATA_DIR / record.CSWW_CSV, dtype=str)
    national = raw[raw["geographic_level"] == "National"].set_index("time_period")
    assert built.loc["csww_agency_rate_pct_2025", "observed"] == float(
        national.loc["2025", "agency_rate_fte"]
    )
    assert built.loc["csww_turnover_rate_pct_2022", "observed"] == float(
        national.loc["2022", "turnover_rate_fte"]
    )
    recent = [float(national.loc[y, "vacancy_rate_fte"]) for y in ("2023", "2024", "2025")]
    assert built.loc["csww_vacancy_rate_pct_2023_2025", "observed"] == pytest.approx(
        sum(recent) / 3
    )


def test_cliff_edge_agency_jumps_at_the_judgement(built: pd.DataFrame) -> None:
    before = built.loc["cliff_agency_rate_pct_-1", "observed"]
    at = built.loc["cliff_agency_rate_pct_+0", "observed"]
    assert at - before > 5  # the record's cliff edge: agency up several points at the judgement
    assert (
        built.loc["cliff_agency_rate_pct_+3", "observed"]
        > built.loc["csww_agency_rate_pct_2025", "observed"]
    )


def test_damaged_data_file_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "dfe").mkdir()
    raw = pd.read_csv(record.DATA_DIR / record.CSWW_CSV, dtype=str)
    raw.loc[3, "agency_rate_fte"] = "twelve"
    raw.to_csv(tmp_path / "dfe" / "csww_indicators_2017_to_2025.csv", index=False)
    with pytest.raises(ScenarioError, match=r"agency_rate_fte.*line 5 holds 'twelve'"):
        record.csww(tmp_path)
    with pytest.raises(ScenarioError, match="the data file is missing"):
        record.cin_referrals(tmp_path)
