"""``sim.run``: seeds, common random numbers, the results folder, failures and overwrite rules."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiment import tasks
from sim.experiment.errors import RunFailedError, RunInputError
from sim.model import EVENT_COLUMNS, METRIC_NAMES
from sim.model.output import TASK_KEYS, ReplicationOutput, event_keys, series_keys
from sim.scenario.errors import ScenarioError
from sim.scenario.scenario import Scenario
from tests.experiment.helpers import MONTHS, read_table, write_scenario

FOLDER_FILES = {
    "manifest.json",
    "scenario.resolved.yaml",
    "timeseries.parquet",
    "timeseries.csv",
    "events.csv",
    "summary.csv",
}


def test_in_memory_run_has_tidy_tables_and_no_folder(scenario_file: Path, tmp_path: Path) -> None:
    results = sim.run(scenario_file, replications=2)
    assert results.path is None
    frame = results.timeseries
    assert list(frame.columns) == [*series_keys(), *METRIC_NAMES]
    assert results.arms == ["duration_months=6", "duration_months=24"]
    assert list(frame["arm"].cat.categories) == results.arms
    assert frame.groupby(list(TASK_KEYS), observed=True).size().eq(MONTHS).all()
    assert frame["month"].min() == 1 and frame["month"].max() == MONTHS
    assert sorted(frame["replication"].unique()) == [0, 1]
    assert list(results.events.columns) == [*event_keys(), *EVENT_COLUMNS]
    assert len(results.events) == 4
    assert results.manifest["replications"] == 2 and results.manifest["seed"] == 7


def test_seed_and_replication_change_the_numbers(scenario_file: Path) -> None:
    first = sim.run(scenario_file, replications=2, seed=1).timeseries
    again = sim.run(scenario_file, replications=2, seed=1).timeseries
    other = sim.run(scenario_file, replications=2, seed=2).timeseries
    pd.testing.assert_frame_equal(first, again, check_exact=True)
    assert not np.array_equal(first["referrals"].to_numpy(), other["referrals"].to_numpy())
    reps = (
        first.loc[first["arm"] == "duration_months=6"]
        .groupby("replication")["referrals"]
        .apply(list)
    )
    assert reps.loc[0] != reps.loc[1]


def test_arms_share_random_numbers(tmp_path: Path) -> None:
    """Common random numbers: arms that differ only in a setting the run never uses (no
    intervention is ever triggered) produce identical series."""
    path = write_scenario(tmp_path, trigger="none", replications=2)
    frame = sim.run(path).timeseries
    six = frame.loc[frame["arm"] == "duration_months=6", METRIC_NAMES].to_numpy()
    long = frame.loc[frame["arm"] == "duration_months=24", METRIC_NAMES].to_numpy()
    np.testing.assert_array_equal(six, long)


def test_results_folder_has_the_contract_files(scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "results" / "small"
    results = sim.run(scenario_file, replications=2, out=out, report=False)
    assert results.path == out
    assert {p.name for p in out.iterdir()} == FOLDER_FILES
    assert not (tmp_path / "results" / "small.partial").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    for key in (
        "scenario",
        "scenario_sha256",
        "seed",
        "replications",
        "arms",
        "package_version",
        "git_commit",
        "python",
        "dependencies",
        "executor",
        "workers",
        "start_time",
        "end_time",
        "wall_seconds",
        "events_processed",
        "referrals_simulated",
    ):
        assert key in manifest, key
    assert manifest["arms"][1] == {
        "label": "duration_months=24",
        "overrides": {"intervention.duration_months": 24},
    }
    assert manifest["tasks"] == {"total": 4, "computed": 4, "reused": 0}
    assert manifest["events_processed"] > manifest["referrals_simulated"] > 0
    assert manifest["package_version"] == sim.__version__
    csv = pd.read_csv(out / "timeseries.csv")
    parquet = read_table(out)
    assert list(csv.columns) == list(parquet.columns)
    np.testing.assert_allclose(
        csv[list(METRIC_NAMES)].to_numpy(), parquet[list(METRIC_NAMES)].to_numpy()
    )
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns) == [
        "arm",
        "metric",
        "mean",
        "sd",
        "ci_low",
        "ci_high",
        "p10",
        "p90",
        "n",
    ]
    assert len(summary) == 2 * len(METRIC_NAMES) and (summary["n"] == 2).all()
    resolved = sim.load_scenario(out / "scenario.resolved.yaml")
    assert resolved.replications == 2 and resolved.seed == 7


def test_existing_folder_needs_force(scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    sim.run(scenario_file, replications=1, out=out, report=False)
    before = (out / "manifest.json").read_text()
    with pytest.raises(RunInputError, match="--force") as caught:
        sim.run(scenario_file, replications=1, seed=99, out=out, report=False)
    assert isinstance(caught.value, ScenarioError)  # bad input: the CLI exits with code 2
    assert (out / "manifest.json").read_text() == before
    sim.run(scenario_file, replications=1, seed=99, out=out, force=True, report=False)
    assert json.loads((out / "manifest.json").read_text())["seed"] == 99
    assert not (tmp_path / "run.partial").exists()


def test_a_folder_that_is_not_a_results_folder_is_never_overwritten(
    scenario_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    with pytest.raises(RunInputError, match="not a results folder"):
        sim.run(scenario_file, replications=1, out=out, force=True)
    assert (out / "thesis.docx").read_text() == "precious"


def test_bad_input_creates_nothing(scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "never"
    with pytest.raises(ScenarioError):
        sim.run(scenario_file, replications=0, out=out)
    with pytest.raises(ScenarioError):
        sim.run(scenario_file, workers=0, out=out)
    with pytest.raises(ScenarioError):
        sim.run(tmp_path / "missing.yaml", out=out)
    assert not out.exists() and not (tmp_path / "never.partial").exists()


def _failing_simulate(original):  # type: ignore[no-untyped-def]
    def simulate(scenario: Scenario, seed: int, replication: int) -> ReplicationOutput:
        if scenario.intervention.duration_months == 24 and replication == 1:
            raise ZeroDivisionError("injected failure")
        return original(scenario, seed, replication)

    return simulate


def test_failed_replications_are_recorded_and_resume_finishes_the_run(
    scenario_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "run"
    original = tasks.simulate
    monkeypatch.setattr(tasks, "simulate", _failing_simulate(original))
    with pytest.raises(RunFailedError) as caught:
        sim.run(scenario_file, out=out, chunk_size=1, report=False)
    error = caught.value
    assert "1 of 6 replications failed" in error.message
    assert (
        "arm 'duration_months=24' replication 1: ZeroDivisionError: injected failure"
        in error.message
    )
    assert "--resume" in error.message
    assert not out.exists()
    failures = pd.read_csv(tmp_path / "run.partial" / "failures.csv")
    assert failures[list(TASK_KEYS)].values.tolist() == [["duration_months=24", 1]]
    assert "ZeroDivisionError" in failures.loc[0, "traceback"]
    assert error.partial_dir == tmp_path / "run.partial"
    assert len(list((tmp_path / "run.partial" / "chunks").glob("chunk-*.json"))) == 5

    monkeypatch.setattr(tasks, "simulate", original)
    with pytest.raises(RunInputError, match="--resume"):
        sim.run(scenario_file, out=out, report=False)
    results = sim.run(scenario_file, out=out, resume=True, report=False)
    assert results.manifest["tasks"] == {"total": 6, "computed": 1, "reused": 5}
    reference = sim.run(scenario_file, out=tmp_path / "reference", report=False)
    pd.testing.assert_frame_equal(read_table(out), read_table(reference.path), check_exact=True)


def test_in_memory_failures_raise_with_the_table(
    scenario_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "simulate", _failing_simulate(tasks.simulate))
    with pytest.raises(RunFailedError) as caught:
        sim.run(scenario_file)
    assert caught.value.partial_dir is None
    assert len(caught.value.failures) == 1
    assert "--resume" not in caught.value.message


def test_resume_refuses_a_different_plan(
    scenario_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "run"
    monkeypatch.setattr(tasks, "simulate", _failing_simulate(tasks.simulate))
    with pytest.raises(RunFailedError):
        sim.run(scenario_file, out=out, report=False)
    with pytest.raises(
        RunInputError, match="cannot resume: it used seed 7, this run asks for seed 8"
    ):
        sim.run(scenario_file, seed=8, out=out, resume=True)
    with pytest.raises(RunInputError, match="replications per arm"):
        sim.run(scenario_file, replications=5, out=out, resume=True)


def test_resume_of_a_complete_run_returns_it(scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    sim.run(scenario_file, replications=1, out=out, report=False)
    stamp = (out / "manifest.json").stat().st_mtime_ns
    again = sim.run(scenario_file, replications=1, out=out, resume=True, report=False)
    assert again.path == out and (out / "manifest.json").stat().st_mtime_ns == stamp


def test_a_scenario_object_runs_too() -> None:
    scenario = Scenario(name="obj", horizon_years=1, warmup_years=0.25, replications=2)
    results = sim.run(scenario)
    assert results.arms == ["obj"] and len(results.timeseries) == 2 * 12
