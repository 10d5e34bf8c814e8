"""Bad input to ``csc-sim calibrate`` exits 2 with the house message and writes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from tests.analysis.calibrate.conftest import PRIORS, write_study


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["calibrate", *args])
    return result.exit_code, result.output


@pytest.fixture
def folder(twin_folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / "files"
    shutil.copytree(twin_folder, target)
    return target


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        (
            {"calibrate": {**PRIORS, "workforce.recruitment_mean_month": {"low": 6, "high": 9}}},
            ["calibrate.workforce.recruitment_mean_month", "recruitment_mean_months"],
        ),
        (
            {"calibrate": {"workforce.agency_cover_share": {"low": 0.5, "high": 1.5}}},
            ["calibrate.workforce.agency_cover_share.high", "at most 1", "Nearest valid value: 1"],
        ),
        (
            {"targets": ["twin_vacancy_rate"]},
            ["targets[0]", "unknown target", "twin_vacancy_rate_pct"],
        ),
        ({"discrepancy": {"twn": 1.0}}, ["discrepancy.twn", "twin"]),
        ({"simulator": "single"}, ["simulator", "single_la"]),
        ({"replication": 3}, ["replication"]),
        ({"implausibility_rank": 0}, ["implausibility_rank", "Nearest valid value: 1"]),
        (
            {"study": {"replications": 2, "waves": 1, "points_per_wave": 10, "refine_rounds": 1}},
            ["study.refine_rounds is 1", "posterior_weights: emulated"],
        ),
        ({"emulator_variance": "leave_one_out"}, ["emulator_variance", "loo"]),
        (
            {"posterior_sampler": "pmc"},
            ["posterior_sampler is 'pmc'", "posterior_weights: emulated"],
        ),
        ({"posterior_sampler": "mcmc"}, ["posterior_sampler", "pmc"]),
        (
            {"refine_sampler": "pmc"},
            ["refine_sampler is 'pmc'", "posterior_weights: emulated"],
        ),
        ({"pmc_draws": 10}, ["pmc_draws", "Nearest valid value: 1000"]),
    ],
)
def test_bad_file_exits_2_naming_the_field(
    folder: Path, tmp_path: Path, changes: dict[str, object], words: list[str]
) -> None:
    file = write_study(folder, **changes)
    out = tmp_path / "out"
    code, text = _run([str(file), "--out", str(out)])
    assert code == 2, text
    assert text.startswith("Error: ") and "Traceback" not in text
    assert str(file) in text
    for word in words:
        assert word in text
    assert not out.exists()


def test_target_without_citation(folder: Path, tmp_path: Path) -> None:
    table = pd.read_csv(folder / "targets.csv")
    table.loc[0, "source"] = None
    table.to_csv(folder / "targets.csv", index=False)
    code, text = _run([str(write_study(folder)), "--out", str(tmp_path / "out")])
    assert code == 2 and "has no citation" in text and "twin_turnover_rate_pct" in text
    assert not (tmp_path / "out").exists()


def test_statistic_the_simulator_lacks(folder: Path, tmp_path: Path) -> None:
    table = pd.read_csv(folder / "targets.csv")
    table.loc[0, "statistic"] = "agency_rate_pct@2019"
    table.to_csv(folder / "targets.csv", index=False)
    code, text = _run([str(write_study(folder)), "--out", str(tmp_path / "out")])
    assert code == 2 and "does not provide" in text and "agency_rate_pct@2019" in text


def test_broken_journal_exits_2(folder: Path, tmp_path: Path) -> None:
    file = write_study(folder)
    out = tmp_path / "out"
    code, text = _run([str(file), "--quick", "--out", str(out)])
    assert code == 0, text
    runs = out / "journal" / "runs.jsonl"
    lines = runs.read_text().splitlines()
    lines[1] = '{"stage": "wave1", "point": "oops"'
    runs.write_text("\n".join(lines) + "\n")
    before = (out / "posterior.parquet").read_bytes()
    code, text = _run([str(file), "--quick", "--out", str(out), "--resume"])
    assert code == 2, text
    assert "runs.jsonl" in text and "line 2" in text and "damaged" in text
    assert (out / "posterior.parquet").read_bytes() == before  # nothing rewritten
    (out / "journal" / "study.json").write_text(json.dumps({"digest": "another study"}))
    code, text = _run([str(file), "--quick", "--out", str(out), "--resume"])
    assert code == 2 and "changed since this study began" in text


def test_existing_study_needs_resume_or_force(folder: Path, tmp_path: Path) -> None:
    file = write_study(folder)
    out = tmp_path / "out"
    assert _run([str(file), "--quick", "--out", str(out)])[0] == 0
    code, text = _run([str(file), "--quick", "--out", str(out)])
    assert code == 2 and "--resume" in text and "--force" in text
