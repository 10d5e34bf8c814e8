"""Population runs through ``sim.run`` (DESIGN §4.9): a few real LAs of the shipped table, a
short horizon. Same seed -> byte-identical national results on the serial, process and Dask
(LocalCluster) executors; without a pool, one task per LA gives the rows of one environment;
--resume after an interruption ends identical; bad population input is an error of the house
style with nothing written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.html import estimate
from sim.experiment.plan import prepare_plan
from sim.experiment.population_run import _TaskStore, table_specs
from sim.experiment.population_tasks import PopulationJob, make_tasks, run_population_task
from sim.experiment.store import StartMode
from sim.model.national import simulate_population
from sim.scenario.errors import ScenarioError
from sim.scenario.loader import load_scenario
from tests.experiment.helpers import REPO

ENGLAND = REPO / "scenarios" / "england" / "england.yaml"
LAS = ["Rutland", "Wokingham", "Bracknell Forest", "City of London"]
FILES = ("timeseries.parquet", "national.parquet", "events.csv", "deployments.csv", "summary.csv")


def _write(folder: Path, teams: int | None, replications: int = 2, **extra: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pool = (
        ""
        if teams is None
        else f"\n  pool:\n    teams: {teams}\n    eligibility: requires_improvement"
    )
    lines = [
        "name: england_small",
        f"extends: {ENGLAND}",
        f"replications: {replications}",
        "warmup_years: 0.5",
        "population:",
        f"  table: {REPO / 'data' / 'england' / 'population.csv'}",
        f"  las: [{', '.join(LAS)}]",
        f"  end: {extra.get('end', '2019-03-31')}" + pool,
    ]
    path = folder / "england_small.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_population_run_identical_on_serial_process_and_dask(tmp_path: Path) -> None:
    file = _write(tmp_path, teams=1)
    runs = {
        "serial": dict(workers=1),
        "process": dict(workers=2, executor="process"),
        "dask": dict(workers=2, executor="dask"),
    }
    for name, options in runs.items():
        sim.run(file, out=tmp_path / name, report=False, **options)  # type: ignore[arg-type]
    national = pd.read_parquet(tmp_path / "serial" / "national.parquet")
    assert len(national) == 2 * 18 and national["pool_teams"].max() == 1
    timeseries = pd.read_parquet(tmp_path / "serial" / "timeseries.parquet")
    assert list(timeseries.columns[:4]) == ["arm", "replication", "la", "month"]
    assert len(timeseries) == 2 * len(LAS) * 18
    for name in ("process", "dask"):
        for f in FILES:
            assert _digest(tmp_path / name / f) == _digest(tmp_path / "serial" / f), (name, f)


def test_uncoupled_tasks_per_la_give_the_rows_of_one_environment(tmp_path: Path) -> None:
    file = _write(tmp_path, teams=None, replications=1)
    results = sim.run(file, out=tmp_path / "run", workers=2, executor="process", report=False)
    assert results.manifest["population"]["tasks"] == len(LAS)  # one task per LA
    scenario = load_scenario(file)
    specs = table_specs(scenario, str(file))
    together = simulate_population(specs, scenario.population, scenario.seed, 0)
    rows = pd.read_parquet(tmp_path / "run" / "timeseries.parquet")
    for spec, output in zip(specs, together.outputs, strict=True):
        mine = rows[rows["la"] == spec.code]
        for metric, series in output.timeseries.items():
            np.testing.assert_array_equal(mine[metric].to_numpy(), series, err_msg=metric)


def test_resume_finishes_identical_to_an_uninterrupted_run(tmp_path: Path) -> None:
    """A working folder holding two LAs' finished tasks (as an interrupted run leaves it) is
    resumed: only the other LAs are computed, and the files equal an uninterrupted run's."""
    file = _write(tmp_path, teams=None, replications=1)
    whole = tmp_path / "whole"
    sim.run(file, out=whole, report=False)
    cut = tmp_path / "cut"
    plan = prepare_plan(file)
    store = _TaskStore(cut)
    store.create(plan.record(), StartMode.FRESH)
    scenario = plan.arms[0].scenario
    specs = table_specs(scenario, str(file))
    for task in make_tasks(1, 1, [len(specs)], [False])[:2]:
        las = tuple(specs[task.first : task.first + 1])
        store.put(run_population_task(PopulationJob(task, plan.seed, las, scenario.population)))
    resumed = sim.run(file, out=cut, resume=True, report=False)
    tasks = resumed.manifest["tasks"]
    assert (tasks["reused"], tasks["computed"], tasks["total"]) == (2, len(LAS) - 2, len(LAS))
    for f in FILES:
        assert _digest(cut / f) == _digest(whole / f), f
    assert not cut.with_name("cut.partial").exists()


@pytest.mark.parametrize(
    ("lines", "field", "words"),
    [
        (["  pool:", "    teams: -1"], "population.pool.teams", "Nearest valid value: 0"),
        (["  pool:", "    eligibility: always"], "population.pool.eligibility", "inadequate"),
        (["  end: 2016-01-01"], "population", "must be after start"),
        (["  start: 2019-01-01"], "population", "use 2017-10-01"),
        (["  tabel: x.csv"], "population.tabel", "table"),
        (["  las: [Bradfrd]"], "population.las[0]", "Bradford"),
        (["  table: no/such/table.csv"], "population.table", "does not exist"),
    ],
)
def test_bad_population_input_is_one_paragraph_and_writes_nothing(
    tmp_path: Path, lines: list[str], field: str, words: str
) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text(
        "\n".join(["name: bad", f"extends: {ENGLAND}", "population:", *lines]) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    with pytest.raises(ScenarioError) as caught:
        sim.run(file, out=out, report=False)
    message = caught.value.message
    assert field in message and words in message and "\n" not in message
    assert not out.exists() and not out.with_name("out.partial").exists()


def test_population_report_has_national_curves_grade_mix_and_a_sortable_la_table(
    tmp_path: Path,
) -> None:
    file = _write(tmp_path, teams=1, replications=2)
    out = tmp_path / "run"
    sim.run(file, out=out)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'class="sortable"' in html and "Grade mix" in html and "data:image/png" in html
    las = pd.read_csv(out / "la_table.csv")
    assert sorted(las["la_name"]) == sorted(LAS)
    timeseries = pd.read_parquet(out / "timeseries.parquet")
    inadequate = (timeseries["ofsted_grade"] == 4).groupby(timeseries["la"]).sum() / 2
    np.testing.assert_allclose(
        las.set_index("la")["months_inadequate"].sort_index(), inadequate.sort_index(), atol=0.01
    )
    assert (out / "curves" / "national_las_inadequate.png").is_file()
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["metric"]) >= {"las_inadequate", "cost_month_gbp_m", "pool_teams_idle"}
    outcomes = pd.read_csv(out / "national_outcomes.csv")
    assert {"la_years_inadequate", "cost_gbp_m", "pool_idle_salary_gbp_m"} <= set(
        outcomes["outcome"]
    )
    # the report leads with the answer; one arm without a pool: the national totals
    answer = html.index('<section id="answer"><h2>The answer</h2>')
    assert answer < html.index('id="question"') < html.index('id="curves"')
    years = outcomes.set_index("outcome").loc["la_years_inadequate"]
    lead = html[answer : html.index('id="question"')]
    assert "No arm with a pool is compared with one without" in lead
    assert f"{estimate(years['mean'])} LA-years inadequate (95% interval" in lead
    assert not (out / "uncertainty.csv").exists()  # no posterior draws


def test_shipped_population_files_validate_and_the_experiment_has_36_arms() -> None:
    """england.yaml is the back-cast to March 2025, projection.yaml runs on to 2035, and the
    national experiment crosses pool size x minimum deployment x eligibility from April 2025."""
    from sim.scenario.sweep import expand_arms

    england = load_scenario(ENGLAND)
    assert england.population.end.isoformat() == "2025-03-31"
    assert england.intervention.trigger == "inadequate" and england.population.pool.teams is None
    file = REPO / "scenarios" / "experiments" / "national_pool.yaml"
    experiment = load_scenario(file)
    assert experiment.population.end.isoformat() == "2035-03-31"
    assert experiment.population.pool.starts.isoformat() == "2025-04-01"  # type: ignore[union-attr]
    arms = expand_arms(experiment, source=str(file))
    assert len(arms) == 4 * 3 * 3
    assert {a.scenario.population.pool.teams for a in arms} == {0, 5, 10, 20}
    assert {a.scenario.population.pool.min_deployment_months for a in arms} == {6, 18, 24}


def test_progress_counts_la_runs_so_a_coupled_task_weighs_its_las(tmp_path: Path) -> None:
    """Progress of a population run counts an LA in one replication: a coupled replication of
    the 4 LAs advances it by 4 (before: by 1, as one per-LA task did, so the time left was
    estimated as if a national run cost one LA's), per-LA tasks by 1 each."""
    for teams, step in ((1, len(LAS)), (None, 1)):
        seen: list[tuple[int, int]] = []
        sim.run(
            _write(tmp_path / f"t{teams}", teams=teams),
            out=tmp_path / f"out{teams}",
            report=False,
            progress=lambda done, total, seen=seen: seen.append((done, total)),
        )
        assert seen[0] == (0, 2 * len(LAS)) and seen[-1] == (2 * len(LAS), 2 * len(LAS))
        assert {b[0] - a[0] for a, b in zip(seen, seen[1:])} == {step}
