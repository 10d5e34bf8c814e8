"""Population runs over posterior draws (``csc-sim run england.yaml --posterior P``): each draw's
parameters are national settings under every LA's own figures; a ``draw`` column in every table;
the manifest records the posterior; --resume checks it and finishes identical; serial and
process executors give byte-identical files.

Two small LAs of the shipped table, 6 recorded months after a quarter-year warm-up, two arms
(no pool: one task per LA; a pool of 1 team: one coupled task per replication), so both task
shapes run over draws. The posterior is the small three-row file of the single-LA tests.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import sim
from sim.cli import main
from sim.experiment.errors import RunInputError
from sim.experiment.plan import prepare_plan
from sim.experiment.population_run import _TaskStore, estimate_seconds
from sim.experiment.population_tasks import (
    PopulationJob,
    draw_of,
    draw_scenarios_of,
    draw_specs,
    make_tasks,
    run_population_task,
    table_specs,
)
from sim.experiment.store import StartMode
from sim.model.national import LASpec
from sim.model.output import DRAW, REPLICATION
from sim.scenario.errors import ScenarioError
from sim.scenario.scenario import Scenario
from tests.experiment.helpers import REPO
from tests.experiment.test_posterior import AGENCY, GAIN, write_posterior

ENGLAND = REPO / "scenarios" / "england" / "england.yaml"
NATIONAL_POOL = REPO / "scenarios" / "experiments" / "national_pool.yaml"
LAS = ["Rutland", "City of London"]
FILES = ("timeseries.parquet", "national.parquet", "events.csv", "deployments.csv", "summary.csv")


def _write(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "name: england_tiny",
        f"extends: {ENGLAND}",
        "replications: 1",
        "warmup_years: 0.25",
        "population:",
        f"  table: {REPO / 'data' / 'england' / 'population.csv'}",
        f"  las: [{', '.join(LAS)}]",
        "  end: 2018-03-31",
        "  pool:",
        "    eligibility: requires_improvement",
        "arms:",
        "  no_pool:",
        "    population.pool.teams: 0",
        "  pool:",
        "    population.pool.teams: 1",
    ]
    path = folder / "england_tiny.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_draws_are_national_settings_under_each_las_own_figures(tmp_path: Path) -> None:
    """Every LA of every arm under draw k carries the draw's posterior values; the LA's own
    figures (its funded posts) are still laid over them, as with --set."""
    file = _write(tmp_path)
    posterior = write_posterior(tmp_path)
    plan = prepare_plan(file, posterior=posterior, draws=3)
    table = pd.read_parquet(posterior)
    specs = draw_specs(plan)
    alone = table_specs(plan.arms[0].scenario, plan.source)
    assert plan.posterior is not None and plan.per_draw == 1
    for a in range(len(plan.arms)):
        for k, row in enumerate(plan.posterior.ids):
            for spec, own in zip(specs[a][k], alone, strict=True):
                s = spec.scenario
                assert (s.workforce.agency_cover_share, s.organisation.gain_rate_per_year) == (
                    table[AGENCY][row],
                    table[GAIN][row],
                )
                assert s.workforce.establishment_fte == own.scenario.workforce.establishment_fte
    assert [draw_of(plan, r) for r in range(3)] == [0, 1, 2]


def test_population_run_over_draws_serial_and_process_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both arms over 2 draws: byte-identical files on the serial (``csc-sim run``) and process
    executors; a draw column after replication in every table; summary.csv's intervals are over
    draws; the manifest records the posterior; the CLI estimates the national experiment over
    the same draws; a finished folder resumes as it is."""
    file = _write(tmp_path)
    posterior = write_posterior(tmp_path)
    serial, process = tmp_path / "serial", tmp_path / "process"
    monkeypatch.chdir(REPO)  # the estimate names scenarios/experiments/national_pool.yaml
    args = ["run", str(file), "--posterior", str(posterior), "--draws", "2", "--no-report"]
    result = CliRunner().invoke(main, [*args, "--out", str(serial)])
    assert result.exit_code == 0, result.output
    sim.run(file, posterior=posterior, draws=2, out=process, report=False, workers=2,
            executor="process")  # fmt: skip
    for f in (*FILES, "national_outcomes.csv", "uncertainty.csv"):
        assert _digest(process / f) == _digest(serial / f), f
    timeseries = pd.read_parquet(serial / "timeseries.parquet")
    national = pd.read_parquet(serial / "national.parquet")
    assert list(timeseries.columns[:4]) == ["arm", REPLICATION, DRAW, "la"]
    assert list(national.columns[:3]) == ["arm", REPLICATION, DRAW]
    for name in ("events.csv", "deployments.csv"):
        assert list(pd.read_csv(serial / name).columns[:3]) == ["arm", REPLICATION, DRAW]
    assert (national[DRAW] == national[REPLICATION]).all()  # R = 1: replication r is draw r
    summary = pd.read_csv(serial / "summary.csv")
    assert set(summary["interval_over"]) == {"draws"} and set(summary["draws"]) == {2}
    manifest = sim.load_results(serial).manifest
    record = manifest["posterior"]
    assert record["sha256"] == hashlib.sha256(posterior.read_bytes()).hexdigest()
    assert record["draws"] == 2 and len(record["draw_ids"]) == 2
    assert manifest["population"]["tasks"] == 2 * len(LAS) + 2  # per LA, and coupled
    again = sim.run(file, posterior=posterior, draws=2, out=serial, resume=True)
    assert again.manifest["end_time"] == manifest["end_time"]
    rate = manifest["population"]["seconds_per_la_year"]
    hours = estimate_seconds(rate, NATIONAL_POOL, replications=1, draws=2) / 3600
    assert hours == pytest.approx(2 * estimate_seconds(rate, NATIONAL_POOL, replications=1) / 3600)
    assert f"over 2 posterior draws x 1 replication(s) would take about {hours:,.1f} hours" in (
        result.output
    )


def test_resume_over_draws_finishes_identical_and_refuses_other_draws(tmp_path: Path) -> None:
    """An interrupted run of K=2 holding one finished task of draw 1 resumes to the files of an
    uninterrupted run; resuming it as K=3 is refused with nothing changed."""
    file = _write(tmp_path)
    posterior = write_posterior(tmp_path)
    whole = tmp_path / "whole"
    sim.run(file, posterior=posterior, draws=2, out=whole, report=False)
    cut = tmp_path / "cut"
    plan = prepare_plan(file, posterior=posterior, draws=2)
    store = _TaskStore(cut)
    store.create(plan.record(), StartMode.FRESH)
    with pytest.raises(ScenarioError, match="cannot resume"):
        sim.run(file, posterior=posterior, draws=3, out=cut, resume=True)
    specs, scenarios = draw_specs(plan), draw_scenarios_of(plan)
    task = make_tasks(2, 2, [len(LAS)] * 2, [False, True])[-1]  # arm 'pool', draw 1
    assert (task.arm, draw_of(plan, task.replication)) == (1, 1)
    job = PopulationJob(task, plan.seed, tuple(specs[1][1]), scenarios[1][1].population)
    store.put(run_population_task(job))
    resumed = sim.run(file, posterior=posterior, draws=2, out=cut, resume=True, report=False)
    assert (resumed.manifest["tasks"]["reused"], resumed.manifest["tasks"]["computed"]) == (
        1,
        2 * len(LAS) + 1,
    )
    for f in FILES:
        assert _digest(cut / f) == _digest(whole / f), f


def test_a_draw_that_changes_the_las_is_refused(tmp_path: Path) -> None:
    """Draws must not change which LAs an arm runs (a posterior setting population.las)."""
    file = _write(tmp_path)
    plan = prepare_plan(file, posterior=write_posterior(tmp_path), draws=12)

    def specs_for(scenario: Scenario, source: str) -> list[LASpec]:
        specs = table_specs(scenario, source)
        return specs if scenario.workforce.agency_cover_share > 0.4 else specs[:1]

    assert plan.posterior is not None and len(set(plan.posterior.ids)) == 2
    with pytest.raises(RunInputError, match="change which LAs"):
        draw_specs(plan, specs_for)


def test_report_over_draws_leads_with_the_answer_and_uncertainty_splits_it(tmp_path: Path) -> None:
    """Over 2 draws: uncertainty.csv has each arm's national outcomes and the pool's paired
    differences against no pool, and the report's first section answers from
    national_outcomes.csv's paired rows."""
    from sim.analysis.national_answer import arm_sentence, folder_arm_names
    from sim.analysis.national_outcomes import OUTCOMES
    from sim.analysis.posterior_split import SPLIT_COLUMNS

    out = tmp_path / "run"
    sim.run(_write(tmp_path), posterior=write_posterior(tmp_path), draws=2, out=out)
    split = pd.read_csv(out / "uncertainty.csv", keep_default_na=False)
    assert list(split.columns) == list(SPLIT_COLUMNS) and set(split["window"]) == {"whole_run"}
    api = sim.load_results(out).uncertainty()  # the Python API gives the same national table
    assert list(api["outcome"]) == list(split["outcome"])
    assert np.allclose(api["mean"], split["mean"].astype(float), equal_nan=True)
    arms = split[split["kind"] == "arm"]
    assert sorted(zip(arms["arm"], arms["outcome"], strict=True)) == sorted(
        (a, o) for a in ("no_pool", "pool") for o in OUTCOMES
    )
    diffs = split[split["kind"] == "difference"].set_index("outcome")
    assert list(diffs.index) == ["la_years_inadequate", "cost_gbp_m"]
    assert set(zip(diffs["arm"], diffs["reference"], strict=True)) == {("pool", "no_pool")}
    outcomes = pd.read_csv(out / "national_outcomes.csv").set_index(["arm", "outcome"])
    extra = outcomes.loc[("pool", "extra_cost_gbp_m (against no_pool)")]
    assert float(diffs.loc["cost_gbp_m", "mean"]) == pytest.approx(extra["mean"])
    assert set(split["draws"]) == {2} and extra["draws"] == 2
    html = (out / "report.html").read_text(encoding="utf-8")
    answer = html.index('<section id="answer"><h2>The answer</h2>')
    assert answer < html.index('id="question"') < html.index('id="curves"')
    names = folder_arm_names(out, sim.load_results(out).manifest, ["no_pool", "pool"])
    sentence = arm_sentence(outcomes.reset_index(), "pool", "no_pool", names)
    assert sentence.startswith(  # the arms' readable names (sim/analysis/labels.py)
        "With population pool teams: 1 team (against population pool teams: 0 teams): "
    )
    assert f"<p>{sentence}</p>" in html[answer : html.index('id="question"')]
