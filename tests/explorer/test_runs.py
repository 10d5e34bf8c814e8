"""Runs from the page: a progress bar and curves; results keyed by the resolved scenario's hash
and seed (reused only when identical); per-session folders; failures named; downloads."""

from __future__ import annotations

import io
import zipfile

import pytest
import yaml

import sim
from sim.experiment import tasks
from sim.explorer.runs import SessionRuns, report_html, results_zip, run_key, scenario_yaml
from sim.scenario import scenario_from_dict, scenario_sha256
from tests.explorer.conftest import errors, field, open_page, paste, press_run

#: A short scenario (1 recorded year after a 3-month warm-up, intervention from the start).
QUICK = "name: quick\nhorizon_years: 1\nwarmup_years: 0.25\nintervention:\n  trigger: at_start\n"
TOKEN = "upload1"


def quick_page(replications: int = 2):  # type: ignore[no-untyped-def]
    at = paste(open_page(), QUICK)
    at.number_input(key="replications").set_value(replications).run()
    return at


def charts(at) -> int:  # type: ignore[no-untyped-def]
    return len(at.get("vega_lite_chart"))


def test_a_run_shows_curves_and_reuses_only_an_identical_run() -> None:
    at = quick_page()
    press_run(at)
    assert not at.exception and errors(at) == []
    runs: SessionRuns = at.session_state["runs"]
    assert len(runs.records) == 1 and charts(at) > 0
    first = runs.records[0]
    assert first.key == run_key(at.session_state["scenario"], first.seed, 2)
    assert "Done in" in at.get("progress")[0].proto.text
    press_run(at)
    assert len(runs.records) == 1
    assert "Reused" in at.get("progress")[0].proto.text
    at.number_input(key=field("intervention.duration_months", TOKEN)).set_value(3.0).run()
    assert any("form has changed" in str(w.value) for w in at.warning)
    press_run(at)
    assert len(runs.records) == 2 and runs.records[1].key != first.key
    assert runs.records[1].ran.intervention.duration_months == 3.0
    assert not any("form has changed" in str(w.value) for w in at.warning)


def test_two_sessions_keep_their_runs_apart() -> None:
    one, two = quick_page(), quick_page()
    press_run(one)
    runs_one: SessionRuns = one.session_state["runs"]
    runs_two: SessionRuns = two.session_state["runs"]
    assert len(runs_one.records) == 1 and runs_two.records == []
    assert runs_one.root != runs_two.root
    assert not runs_one.records[0].folder.is_relative_to(runs_two.root)


def _failing(original):  # type: ignore[no-untyped-def]
    def simulate(scenario, seed, replication):  # type: ignore[no-untyped-def]
        if replication == 1:
            raise ZeroDivisionError("injected failure")
        return original(scenario, seed, replication)

    return simulate


def test_a_failed_replication_is_named_on_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks, "simulate", _failing(tasks.simulate))  # fork carries it to workers
    at = quick_page()
    press_run(at)
    assert not at.exception
    shown = errors(at)
    assert len(shown) == 1 and "replication 1: ZeroDivisionError: injected failure" in shown[0]
    assert "Traceback" not in shown[0] and "--resume" not in shown[0]
    assert at.session_state["runs"].records == []


def test_downloads_come_from_the_sessions_own_run() -> None:
    runs = SessionRuns()
    try:
        scenario = scenario_from_dict(yaml.safe_load(QUICK))
        record, reused = runs.run(scenario, scenario, replications=2, seed=3, workers=1)
        assert not reused and record.folder.parent == runs.root
        assert runs.run(scenario, scenario, replications=2, seed=3, workers=1) == (record, True)
        text = scenario_yaml(scenario).decode("utf-8")
        assert scenario_sha256(sim.load_scenario(yaml.safe_load(text))) == scenario_sha256(scenario)
        with zipfile.ZipFile(io.BytesIO(results_zip(record))) as archive:
            names = set(archive.namelist())
        assert {"run-1/manifest.json", "run-1/timeseries.parquet", "run-1/events.csv"} <= names
        assert b"<html" in report_html(record)[:2000].lower()
    finally:
        runs.close()
    assert not runs.root.exists()


def test_a_sweep_shows_the_reports_answer() -> None:
    from sim.analysis.answer import answer
    from sim.analysis.labels import arm_labels

    at = quick_page(replications=3)
    at.toggle(key=f"s|{TOKEN}|on").set_value(True).run()
    at.selectbox(key=f"s|{TOKEN}|lever1").set_value("intervention.duration_months").run()
    at.text_input(key=f"s|{TOKEN}|values1").set_value("3, 9").run()
    press_run(at)
    assert errors(at) == [] and not at.exception
    results = at.session_state["runs"].records[0].results
    arms, overrides = results.arms, results.arm_overrides
    expected = answer(
        results.timeseries,
        results.events,
        arms,
        overrides,
        names=arm_labels(arms, overrides),
        first_field="intervention.duration_months",
    )
    assert len(expected.sentences) == 1
    assert f"- {expected.sentences[0]}" in [str(m.value) for m in at.markdown]
