"""Results as they arrive: a run in progress shows "k of N replications" with curves, summary
and grade chances from the replications finished so far; the finished view is the run's own; a
changed field cancels the run under way; Cancel keeps nothing; sessions run apart."""

from __future__ import annotations

import pandas as pd
import yaml

import sim
from sim.experiment.partial import PartialResults
from sim.explorer.live import LiveRun, LiveState
from sim.explorer.runs import SessionRuns, run_key
from sim.scenario import scenario_from_dict
from tests.explorer.conftest import field, press_run, wait_for_run
from tests.explorer.test_runs import QUICK, TOKEN, charts, quick_page

REPLICATIONS = 4


def _snapshots(replications: int = REPLICATIONS) -> list[PartialResults]:
    """The results so far of a real run of the quick scenario, one per finished replication."""
    seen: list[PartialResults] = []
    scenario = scenario_from_dict(yaml.safe_load(QUICK))
    sim.run(scenario, replications=replications, chunk_size=1, partial=seen.append)
    return seen


def test_a_partial_update_shows_k_of_n_and_curves() -> None:
    two = _snapshots()[1]
    assert two.done == 2
    at = quick_page(REPLICATIONS)
    scenario = at.session_state["scenario"]
    job = LiveRun(at.session_state["runs"], scenario, scenario, REPLICATIONS, 1, 1, REPLICATIONS)
    job.update(two)  # what the run's partial callback does when the second replication lands
    at.session_state["live"] = job
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "2 of 4 replications" in at.get("progress")[0].proto.text
    assert any("Results so far: 2 of 4 replications" in str(h.value) for h in at.subheader)
    assert charts(at) >= 5  # four default metrics and the grade chances
    summary = next(d.value for d in at.dataframe if "metric" in d.value.columns)
    assert set(summary["n"]) == {2}  # the summary is of the two finished replications
    assert at.session_state["runs"].records == []  # nothing recorded until the run completes


def test_the_finished_view_is_the_runs_own_and_equals_the_last_update() -> None:
    at = quick_page(REPLICATIONS)
    at.button(key="run").click().run()
    job: LiveRun = at.session_state["live"]
    assert job.total == REPLICATIONS
    wait_for_run(at)
    assert job.state is LiveState.DONE and job.latest is not None
    record = at.session_state["runs"].records[0]
    assert at.session_state["live"] is None and at.session_state["shown_run"] == record.key
    pd.testing.assert_frame_equal(job.latest.timeseries, record.results.timeseries)
    pd.testing.assert_frame_equal(job.latest.events, record.results.events)
    assert "Done in" in at.get("progress")[0].proto.text
    assert not any("so far" in str(h.value) for h in at.subheader)
    assert "Answer" in [t.label for t in at.tabs]  # the full results view


def test_a_changed_field_cancels_the_run_under_way_and_reuses_nothing() -> None:
    at = quick_page(8)
    at.button(key="run").click().run()
    first: LiveRun = at.session_state["live"]
    at.number_input(key=field("intervention.duration_months", TOKEN)).set_value(3.0).run()
    at.button(key="run").click().run()
    second: LiveRun = at.session_state["live"]
    assert second is not first and second.key != first.key
    assert first.wait(120) and first.state in (LiveState.CANCELLED, LiveState.DONE)
    wait_for_run(at)
    records = at.session_state["runs"].records
    assert records[-1].key == second.key and records[-1].ran.intervention.duration_months == 3.0
    assert at.session_state["shown_run"] == second.key


def test_cancel_keeps_nothing_and_a_rerun_starts_afresh() -> None:
    runs = SessionRuns()
    try:
        scenario = scenario_from_dict(yaml.safe_load(QUICK))
        job = LiveRun(runs, scenario, scenario, 8, 1, 1, 8).start()
        job.cancel()
        assert job.wait(120) and job.state is LiveState.CANCELLED
        assert runs.records == [] and job.done < 8
        again = LiveRun(runs, scenario, scenario, 2, 1, 1, 2).start()
        assert again.wait(120) and again.state is LiveState.DONE
        assert [r.key for r in runs.records] == [run_key(scenario, 1, 2)]
    finally:
        runs.close()


def test_two_sessions_running_at_once_keep_apart() -> None:
    one, two = quick_page(2), quick_page(2)
    two.number_input(key=field("intervention.duration_months", TOKEN)).set_value(3.0).run()
    one.button(key="run").click().run()
    two.button(key="run").click().run()
    wait_for_run(one)
    wait_for_run(two)
    first, second = one.session_state["runs"].records, two.session_state["runs"].records
    assert len(first) == 1 and len(second) == 1 and first[0].key != second[0].key
    assert second[0].ran.intervention.duration_months == 3.0
    assert first[0].folder.is_relative_to(one.session_state["runs"].root)
    assert second[0].folder.is_relative_to(two.session_state["runs"].root)


def test_a_failed_replication_of_a_background_run_is_named(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sim.experiment import tasks
    from tests.explorer.test_runs import _failing

    monkeypatch.setattr(tasks, "simulate", _failing(tasks.simulate))
    at = press_run(quick_page(3))
    job: LiveRun = at.session_state["live"]
    assert job.state is LiveState.FAILED
    shown = [str(e.value) for e in at.error]
    assert len(shown) == 1 and "replication 1: ZeroDivisionError: injected failure" in shown[0]
    table = next(d.value for d in at.dataframe if "error" in d.value.columns)
    assert list(table["replication"]) == [1]
