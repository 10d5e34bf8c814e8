"""The england_sample simulator end to end: a tiny sample of small LAs over a short back-cast
through ``csc-sim calibrate``, and its bad input (exit 2, the house message)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from sim.analysis.calibrate import sample_simulator
from sim.analysis.calibrate.config import load_study
from sim.analysis.calibrate.sample_simulator import england_sample
from sim.cli import main
from sim.scenario.errors import ScenarioError
from tests.backcast_fixture import ENGLAND, LAS
from tests.experiment.helpers import REPO

TABLE = REPO / "data" / "england" / "population.csv"
BASELINE = REPO / "scenarios" / "reference" / "baseline.yaml"
TARGETS = REPO / "calibration" / "targets.csv"


def write_files(folder: Path, **changes: object) -> Path:
    """A short back-cast over six small LAs (to December 2018, 3-month warm-up) and a study of
    it: 2 free parameters, the 2018 census's turnover, the grade mix and director changes."""
    table = pd.read_csv(TABLE, dtype=str, keep_default_na=False)
    table[table["name"].isin(LAS)].to_csv(folder / "small.csv", index=False)
    (folder / "short.yaml").write_text(
        yaml.safe_dump(
            {
                "name": "short_backcast",
                "extends": str(ENGLAND),
                "warmup_years": 0.25,
                "population": {"table": "small.csv", "end": "2018-12-31"},
            }
        ),
        encoding="utf-8",
    )
    settings = {
        "sample_size": 2,
        "replications": 1,
        "waves": 1,
        "points_per_wave": 4,
        "posterior_points": 4,
        "candidates": 200,
    }
    spec = {
        "name": "sample",
        "scenario": str(BASELINE),
        "targets_file": str(TARGETS),
        "simulator": "england_sample",
        "population_scenario": "short.yaml",
        "seed": 3,
        "min_ess": 1,
        "study": settings,
        "quick": settings,
        "calibrate": {
            "workforce.leave_base_rate_per_year": {"low": 0.08, "high": 0.2},
            "leadership.dcs_mean_tenure_months": {"low": 24, "high": 48},
        },
        "targets": ["csww_turnover_rate_pct_2018", "grade_mix_2025", "dcs_changes_per_year"],
        "discrepancy": {"csww_turnover_rate_pct": 1.0, "grade_mix_2025": 20},
        **changes,
    }
    path = folder / "study.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["calibrate", *args])
    return result.exit_code, result.output


def test_calibrate_over_a_tiny_sample_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = _run([str(write_files(tmp_path)), "--quick", "--out", str(out)])
    assert code == 0, text
    assert (out / "report.html").is_file()
    posterior = pd.read_parquet(out / "posterior.parquet")
    assert len(posterior) == 4
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["simulator"] == "england_sample" and len(manifest["sample_las"]) == 2
    runs = [json.loads(line) for line in (out / "journal" / "runs.jsonl").read_text().splitlines()]
    assert len(runs) == 8  # 4 + 4 parameter sets, one replication each
    for run in runs:
        stats = run["stats"]
        shares = [stats[f"grade_in_force:{g}"] for g in (1, 2, 3, 4)]
        assert sum(shares) == pytest.approx(1.0)
        assert stats["grade_in_force:1:weight"] == 2  # the sample's LAs
        assert stats["turnover_rate_pct@2018:weight"] > 0  # FTE in post at the census
    # The parameter sets reach the runs: the 2018 census's turnover differs between them.
    assert len({round(r["stats"]["turnover_rate_pct@2018"], 9) for r in runs}) > 1
    fit = pd.read_csv(out / "targets_fit.csv")
    assert {"csww_turnover_rate_pct_2018", "grade_mix_2025_4"} <= set(fit["target"])


def test_the_sample_is_the_stratified_one(tmp_path: Path) -> None:
    study = load_study(write_files(tmp_path))
    simulator = england_sample(study.population, 2, 3)
    assert len(simulator.codes) == 2
    names = pd.read_csv(tmp_path / "small.csv", dtype=str).set_index("code")
    assert set(simulator.codes) <= set(names.index)
    (scenario,) = simulator.scenarios({"workforce.leave_base_rate_per_year": 0.1}, source="x")
    assert scenario.population.las == simulator.codes
    assert scenario.workforce.leave_base_rate_per_year == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"population_scenario": "missing.yaml"}, ["population_scenario", "does not exist"]),
        (
            {"population_scenario": str(BASELINE)},
            ["population_scenario", "not a population scenario"],
        ),
        ({"quick": {"sample_size": 7}}, ["quick.sample_size", "not possible", "Choose 1 to 6"]),
        (
            {"study": {"sample_size": 0}},
            ["study.sample_size", "at least 1", "Nearest valid value: 1"],
        ),
    ],
)
def test_bad_sample_exits_2(tmp_path: Path, changes: dict[str, object], words: list[str]) -> None:
    code, text = _run([str(write_files(tmp_path, **changes)), "--out", str(tmp_path / "out")])
    assert code == 2, text
    assert "Traceback" not in text
    for word in words:
        assert word in text
    assert not (tmp_path / "out").exists()


def test_sample_size_check_names_the_table(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="Choose 1 to 6"):
        load_study(write_files(tmp_path, study={"sample_size": 9}))


def test_provides_the_censuses_inside_the_run(tmp_path: Path) -> None:
    study = load_study(write_files(tmp_path))
    provided = england_sample(study.population, 2, 3).provides()
    # October 2017 to December 2018: only the 30 September 2018 census.
    assert "turnover_rate_pct@2018" in provided
    assert "turnover_rate_pct@2017" not in provided and "turnover_rate_pct@2019" not in provided
    code, text = _run(
        [
            str(write_files(tmp_path, targets=["csww_agency_rate_pct_2019"])),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 2 and "does not provide" in text and "agency_rate_pct@2019" in text


def test_the_default_population_is_englands(tmp_path: Path) -> None:
    write_files(tmp_path)
    spec = yaml.safe_load((tmp_path / "study.yaml").read_text())
    del spec["population_scenario"]
    (tmp_path / "default.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    study = load_study(tmp_path / "default.yaml")
    assert study.population is not None and study.population.name == "england"
    assert len(england_sample(study.population, 24, 3).codes) == 24


def test_a_failed_replication_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = load_study(write_files(tmp_path))
    simulator = england_sample(study.population, 2, 3)
    scenarios = simulator.scenarios({}, source="x")
    (job,) = simulator.jobs([(0, 1)], 3, scenarios, 1)
    assert job.replication == 1 and len(job.las) == 2 and job.dates[0] == "2017-10-31"

    def broken(_output: object, _dates: object) -> None:
        raise ValueError("no census")

    monkeypatch.setattr(sample_simulator, "sample_statistics", broken)
    result = sample_simulator.run_sample_job(job)
    assert result.error == "ValueError: no census" and "Traceback" in (result.traceback or "")
    collected = simulator.collect(result)
    assert collected.stats == [] and collected.failures[0].replication == 1
    bad = dataclasses.replace(job, las=(dataclasses.replace(job.las[0], scenario=None),))
    assert sample_simulator.run_sample_job(bad).error is not None  # the model's own error


def test_same_statistics_serial_and_process_pool(tmp_path: Path) -> None:
    """The population task hook on the process pool gives what one worker gives (DESIGN §5)."""
    import numpy as np

    from sim.analysis.calibrate.journal import Journal
    from sim.analysis.calibrate.prior import Prior
    from sim.analysis.calibrate.runs import RunOptions, run_points

    study = load_study(write_files(tmp_path))
    simulator = england_sample(study.population, 2, 3)
    prior = Prior(study.spec.calibrate)
    values = prior.values(np.array([[0.2, 0.4], [0.8, 0.6]]))
    got = []
    for workers in (1, 2):
        journal = Journal(tmp_path / f"w{workers}", "digest", resume=False, force=False)
        try:
            options = RunOptions(seed=3, replications=1, workers=workers, progress=False)
            got.append(run_points("wave1", values, prior, simulator, journal, options))
        finally:
            journal.close()
    # Identical, NaN included (json writes NaN alike; NaN != NaN in a plain comparison).
    assert json.dumps(got[0], sort_keys=True) == json.dumps(got[1], sort_keys=True)
    assert len(got[0]) == 2 and got[0][0][0]["grade_in_force:1:weight"] == 2


def test_the_cliff_edge_is_provided_under_the_targets_statistic_names(tmp_path: Path) -> None:
    study = load_study(write_files(tmp_path))
    provided = england_sample(study.population, 2, 3).provides()
    targets = pd.read_csv(REPO / "calibration" / "targets.csv")
    cliff = targets[targets["group"].str.startswith("cliff_")]
    assert len(cliff) == 24 and set(cliff["statistic"]) <= set(provided)
    stats = sample_simulator.as_statistics(
        {"cliff_agency_rate_pct_+1": 30.5}, {"cliff_agency_rate_pct_+1": 7.0}
    )
    assert stats == {"cliff_agency_rate_pct@+1": 30.5, "cliff_agency_rate_pct@+1:weight": 7.0}


@pytest.mark.parametrize("name", ["england_population.yaml", "england_population_s11.yaml"])
def test_the_shipped_england_studies_load(name: str) -> None:
    """The adopted study and study 11 (shipped for re-running, not adopted) stay valid files:
    their priors inside the fields' bounds, their targets in the table."""
    study = load_study(REPO / "calibration" / name)
    assert study.population is not None and study.population.name == "england"
    assert len(study.spec.calibrate) == (19 if name == "england_population.yaml" else 23)
