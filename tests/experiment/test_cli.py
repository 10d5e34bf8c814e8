"""The ``run``, ``report``, ``compare`` and ``demo`` commands: outputs and exit codes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import sim.cli as cli
from sim.cli import main
from sim.experiment import tasks
from tests.experiment.helpers import write_scenario


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_run_writes_the_default_folder_and_report(
    scenario_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = invoke(
        "run", str(scenario_file), "--replications", "1", "--seed", "3", "--no-report"
    )
    assert code == 0, output
    folder = tmp_path / "results" / "small"
    assert (folder / "summary.csv").is_file() and not (folder / "report.html").exists()
    assert "Wrote results/small: 2 arm(s) x 1 replication(s)" in output

    code, output = invoke("run", str(scenario_file), "--replications", "1")
    assert code == 2
    assert "use --force" in output.lower() and "Traceback" not in output

    code, output = invoke("report", str(folder))
    assert code == 0, output
    assert f"Report: {folder / 'report.html'}" in output
    assert (folder / "report.html").is_file()
    assert (
        len(list((folder / "curves").glob("*.png")))
        == len(list((folder / "curves").glob("*.svg")))
        > 0
    )


def test_bad_input_exits_2_and_creates_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text(write_scenario(tmp_path).read_text().replace("[6, 24]", "[6, -1]"))
    for args in (
        ["run", str(bad)],
        ["run", str(tmp_path / "small.yaml"), "--workers", "0"],
        ["run", str(tmp_path / "small.yaml"), "--replications", "0"],
        ["run", str(tmp_path / "missing.yaml")],
    ):
        code, output = invoke(*args)
        assert code == 2, (args, output)
        assert output.startswith("Error: ") and "Traceback" not in output
    assert not (tmp_path / "results").exists()
    code, output = invoke("run", str(bad))
    assert "grid.intervention.duration_months" in output
    code, output = invoke("run", str(tmp_path / "small.yaml"), "--replications", "0")
    assert "--replications: 0 is too small: it must be at least 1" in output
    assert "Nearest valid value: 1." in output


def test_failed_replications_exit_1_and_keep_the_rest(
    scenario_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise ValueError("model exploded")

    monkeypatch.setattr(tasks, "simulate", broken)
    code, output = invoke(
        "run", str(scenario_file), "--out", str(tmp_path / "out"), "--replications", "1"
    )
    assert code == 1
    assert "2 of 2 replications failed" in output and "model exploded" in output
    assert (tmp_path / "out.partial" / "failures.csv").is_file()
    assert not (tmp_path / "out").exists()


def test_report_and_compare_reject_non_results_folders(tmp_path: Path) -> None:
    code, output = invoke("report", str(tmp_path))
    assert code == 2 and "not a results folder" in output
    code, output = invoke("compare", str(tmp_path), str(tmp_path))
    assert code == 2 and "not a results folder" in output


def test_compare_makes_one_report_and_table(scenario_file: Path, tmp_path: Path) -> None:
    for seed in ("1", "2"):
        code, output = invoke(
            "run",
            str(scenario_file),
            "--replications",
            "1",
            "--seed",
            seed,
            "--out",
            str(tmp_path / f"seed{seed}"),
            "--no-report",
        )
        assert code == 0, output
    code, output = invoke(
        "compare", str(tmp_path / "seed1"), str(tmp_path / "seed2"), "--out", str(tmp_path / "cmp")
    )
    assert code == 0, output
    table = pd.read_csv(tmp_path / "cmp" / "comparison.csv")
    assert set(table["run"]) == {"seed1", "seed2"}  # same scenario name: runs named by folder
    assert "seed2: duration_months=24" in set(table["arm"])
    assert (tmp_path / "cmp" / "report.html").is_file()
    again = (
        "compare",
        str(tmp_path / "seed2"),
        str(tmp_path / "seed1"),
        "--out",
        str(tmp_path / "cmp"),
    )
    code, output = invoke(*again)
    assert code == 2 and "a comparison already exists here" in output and "--force" in output
    assert set(pd.read_csv(tmp_path / "cmp" / "comparison.csv")["run"]) == {"seed1", "seed2"}
    stale = tmp_path / "cmp" / "curves" / "stale.png"
    stale.write_bytes(b"")
    code, output = invoke(*again, "--force")
    assert code == 0, output
    assert pd.read_csv(tmp_path / "cmp" / "comparison.csv")["run"].iloc[0] == "seed2"
    assert not stale.exists() and (tmp_path / "cmp" / "report.html").is_file()
    code, output = invoke(
        "compare",
        str(tmp_path / "seed1"),
        str(tmp_path / "seed2"),
        "--out",
        str(tmp_path / "seed1"),
    )
    assert code == 2 and "is a results folder" in output


def test_demo_runs_the_headline_sweep_and_says_where_the_report_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = write_scenario(tmp_path, durations=(6, 24))
    monkeypatch.setattr(cli, "demo_scenario", lambda: small)
    earlier = tmp_path / "demo"
    earlier.mkdir()
    (earlier / "manifest.json").write_text("{}")  # an earlier demo's folder is replaced
    code, output = invoke("demo", "--out", str(earlier), "--replications", "1", "--workers", "1")
    assert code == 0, output
    assert f"Report: {earlier / 'report.html'}" in output
    assert (earlier / "report.html").is_file()


def test_demo_without_its_scenario_file_is_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "DEMO_SCENARIO", ("experiments", "no_such_file.yaml"))
    code, output = invoke("demo")
    assert code == 2 and "missing" in output and "Traceback" not in output


def test_demo_finds_the_headline_experiment() -> None:
    assert cli.demo_scenario().name == "intervention_length_x_leadership.yaml"


def test_help_lists_every_command_with_a_whole_sentence() -> None:
    """``csc-sim --help`` shows each command's one-line summary in full (Click cuts a summary
    taken from the docstring at about 45 characters, mid-phrase)."""
    code, output = invoke("--help")
    assert code == 0
    listed = output.split("Commands:", 1)[1].strip().splitlines()
    assert len(listed) == len(main.commands)
    for line in listed:
        assert line.rstrip().endswith(".") and not line.rstrip().endswith("..."), line
