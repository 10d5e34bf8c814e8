"""Runs over posterior draws (``csc-sim run --posterior``): draws applied, CRN, bad input, executors.

The posterior here is a tiny ``posterior.parquet`` written by the test: three parameter sets of
two scenario fields with weights (one set has weight 0, so it must never be drawn).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiment.plan import prepare_plan
from sim.experiment.store import PartialStore, StartMode
from sim.model.output import DRAW, REPLICATION
from sim.scenario.errors import ScenarioError
from tests.experiment.helpers import read_table, write_scenario

AGENCY = "workforce.agency_cover_share"
GAIN = "organisation.gain_rate_per_year"


def write_posterior(folder: Path, **columns: list[object]) -> Path:
    """A small posterior: three sets (the first with weight 0) unless ``columns`` replace them."""
    data: dict[str, list[object]] = {
        AGENCY: [0.9, 0.2, 0.6],
        GAIN: [1.0, 1.5, 2.5],
        "weight": [0.0, 1.0, 2.0],
        "log_likelihood": [-9.0, -1.0, -0.5],
    }
    data.update(columns)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "posterior.parquet"
    pd.DataFrame(data).to_parquet(path)
    return path


def test_draws_are_applied_per_draw_and_equal_across_arms(tmp_path: Path) -> None:
    """Each draw's scenario carries its posterior row's values, the same in every arm; the
    weight-0 row is never drawn; the draws are seeded by the scenario seed."""
    file = write_scenario(tmp_path, replications=2)
    posterior = write_posterior(tmp_path)
    plan = prepare_plan(file, posterior=posterior, draws=12)
    table = pd.read_parquet(posterior)
    assert plan.replications == 24 and plan.per_draw == 2
    assert plan.posterior is not None and 0 not in plan.posterior.ids
    assert len(set(plan.posterior.ids)) == 2  # both positive-weight rows appear in 12 draws
    for k, row in enumerate(plan.posterior.ids):
        values = {(s.workforce.agency_cover_share, s.organisation.gain_rate_per_year)
                  for s in (arm[k] for arm in plan.draw_arms)}  # fmt: skip
        assert values == {(table[AGENCY][row], table[GAIN][row])}
    assert prepare_plan(file, posterior=posterior, draws=12).posterior == plan.posterior
    assert prepare_plan(file, posterior=posterior, draws=12, seed=8).posterior != plan.posterior


def test_zero_effect_arms_have_zero_paired_difference_in_every_draw(tmp_path: Path) -> None:
    """Two arms that differ only in their label: with common random numbers within each draw,
    every draw x replication gives exactly the same values (difference exactly 0), while the
    draws themselves differ (different parameters and streams)."""
    file = tmp_path / "twins.yaml"
    text = write_scenario(tmp_path, durations=None, replications=2).read_text()
    file.write_text(
        text + "arms:\n  a:\n    intervention.duration_months: 12\n"
        "  b:\n    intervention.duration_months: 12\n"
    )
    results = sim.run(file, posterior=write_posterior(tmp_path), draws=3, report=False)
    ts = results.timeseries
    a = ts[ts["arm"] == "a"].reset_index(drop=True)
    b = ts[ts["arm"] == "b"].reset_index(drop=True)
    metrics = [c for c in ts.columns if c not in ("arm", REPLICATION, DRAW, "month")]
    assert np.array_equal(a[metrics].to_numpy(), b[metrics].to_numpy(), equal_nan=True)
    assert (a[DRAW] == a[REPLICATION] // 2).all()
    split = results.uncertainty()
    diffs = split[(split["kind"] == "difference") & (split["n"] > 0)]
    assert not diffs.empty and (diffs["mean"] == 0).all() and (diffs["sd_total"] == 0).all()
    agency = a.groupby(DRAW)["agency_rate_pct"].mean()
    assert agency.nunique() > 1  # the draws ran different parameter sets


def test_manifest_records_posterior_and_resume_and_executors_agree(tmp_path: Path) -> None:
    """The manifest records the file's sha256, K and the draw ids; the Parquet/CSV files are
    byte-identical on serial, process and Dask executors; a finished folder resumes as is and a
    different K is refused."""
    file = write_scenario(tmp_path, replications=2)
    posterior = write_posterior(tmp_path)
    out = {name: tmp_path / name for name in ("serial", "process", "dask")}
    sim.run(file, posterior=posterior, draws=2, out=out["serial"], report=False)
    sim.run(file, posterior=posterior, draws=2, out=out["process"], report=False, workers=2,
            executor="process", chunk_size=1)  # fmt: skip
    sim.run(file, posterior=posterior, draws=2, out=out["dask"], report=False, workers=2,
            executor="dask")  # fmt: skip
    for name in ("process", "dask"):
        for part in ("timeseries.parquet", "timeseries.csv", "events.csv", "uncertainty.csv"):
            digest = [hashlib.sha256((out[n] / part).read_bytes()).hexdigest()
                      for n in (name, "serial")]  # fmt: skip
            assert digest[0] == digest[1], (name, part)
    manifest = sim.load_results(out["serial"]).manifest
    record = manifest["posterior"]
    assert record["sha256"] == hashlib.sha256(posterior.read_bytes()).hexdigest()
    assert record["draws"] == 2 and len(record["draw_ids"]) == 2
    assert read_table(out["serial"])[DRAW].tolist().count(1) == 2 * 2 * 12
    again = sim.run(file, posterior=posterior, draws=2, out=out["serial"], resume=True)
    assert again.manifest["end_time"] == manifest["end_time"]
    partial = tmp_path / "partial"  # an interrupted run of K=2 refuses to resume as K=3
    PartialStore(partial).create(
        prepare_plan(file, posterior=posterior, draws=2).record(), StartMode.FRESH
    )
    with pytest.raises(ScenarioError, match="cannot resume"):
        sim.run(file, posterior=posterior, draws=3, out=partial, resume=True)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"weight": [0.0, 0.0, 0.0]}, "positive weight"),
        ({"weight": [1.0, -1.0, 1.0]}, "row 1"),
        ({"workforce.agency_cover_shar": [0.1, 0.2, 0.3]}, "agency_cover_share"),
        ({AGENCY: [0.1, 7.0, 0.3]}, AGENCY),
    ],
)
def test_bad_posterior_is_bad_input_and_writes_nothing(
    tmp_path: Path, columns: dict[str, list[object]], expected: str
) -> None:
    """Bad weights, an unknown field path (nearest name suggested) and a value outside its
    field's bounds each raise a ScenarioError naming the file; no results folder appears."""
    file = write_scenario(tmp_path)
    posterior = write_posterior(tmp_path / "p", **columns)
    out = tmp_path / "out"
    with pytest.raises(ScenarioError, match=expected) as err:
        sim.run(file, posterior=posterior, draws=50, out=out)
    assert "posterior" in str(err.value)
    assert not out.exists() and not Path(f"{out}.partial").exists()


def test_posterior_options_are_checked(tmp_path: Path) -> None:
    """A missing file, a file that is not Parquet, no weight column, --draws 0 and --draws
    without --posterior are bad input."""
    file = write_scenario(tmp_path)
    broken = tmp_path / "broken.parquet"
    broken.write_text("not parquet")
    no_weight = tmp_path / "nw.parquet"
    pd.DataFrame({AGENCY: [0.3]}).to_parquet(no_weight)
    for kwargs, expected in (
        ({"posterior": tmp_path / "missing.parquet"}, "no such file"),
        ({"posterior": broken}, "readable Parquet"),
        ({"posterior": no_weight}, "no 'weight' column"),
        ({"posterior": write_posterior(tmp_path), "draws": 0}, "--draws"),
        ({"draws": 3}, "needs --posterior"),
    ):
        with pytest.raises(ScenarioError, match=expected):
            prepare_plan(file, **kwargs)  # type: ignore[arg-type]


def test_set_overrides_are_recorded_with_the_file(tmp_path: Path) -> None:
    """A run given overrides records the scenario file as its source and the overrides."""
    file = write_scenario(tmp_path, replications=1)
    results = sim.run(file, overrides={"seed": 11}, report=False)
    assert results.manifest["source"] == str(file)
    assert results.manifest["overrides"] == {"seed": 11}
    assert results.manifest["seed"] == 11


def test_cli_bad_posterior_exits_2_without_traceback(tmp_path: Path) -> None:
    """``csc-sim run --posterior`` with a bad column: exit 2, one paragraph naming the file and
    the column, no traceback, no results folder."""
    from tests.experiment.test_cli import invoke

    file = write_scenario(tmp_path)
    posterior = write_posterior(tmp_path / "p", **{"workforce.agency_cover_shar": [0.1, 0.2, 0.3]})
    out = tmp_path / "out"
    code, output = invoke("run", str(file), "--posterior", str(posterior), "--out", str(out))
    assert code == 2, output
    assert "Traceback" not in output and "workforce.agency_cover_shar" in output
    assert str(posterior) in output and not out.exists()


def test_answer_over_draws_uses_draw_means(tmp_path: Path) -> None:
    """Over posterior draws the answer's paired differences are over the K draw means (n = K),
    the same intervals as uncertainty.csv's."""
    from sim.analysis.answer import answer

    file = write_scenario(tmp_path, replications=2)
    results = sim.run(file, posterior=write_posterior(tmp_path), draws=3, report=False)
    found = answer(results.timeseries, results.events, results.arms, results.arm_overrides)
    split = results.uncertainty()
    diffs = found.differences
    assert (diffs["n"] <= 3).all() and (diffs["n"] == 3).any()
    assert any("3 posterior draws" in s for s in found.sentences)
    row = diffs.query("outcome == 'practice_quality' and window == 'whole_run'").iloc[0]
    same = split.query(
        "kind == 'difference' and outcome == 'practice_quality' and window == 'whole_run'"
    ).iloc[0]
    assert np.isclose(row["ci_low"], same["ci_low"]) and np.isclose(row["ci_high"], same["ci_high"])
    # the per-arm estimates are over the draw means too: the intervals of uncertainty.csv
    from sim.analysis.answer import OVER_DRAWS_METHOD
    from sim.analysis.answer_sections import DRAWS_NOTE, differences_section, estimates_section
    from sim.analysis.html import esc
    from sim.analysis.sections import DRAWS_NOTE as SUMMARY_NOTE
    from sim.analysis.sections import headline_section

    estimates = found.estimates
    assert set(estimates["method"]) == {OVER_DRAWS_METHOD} and (estimates["n"] <= 3).all()
    mine = estimates.query("outcome == 'practice_quality' and window == 'whole_run'").iloc[0]
    theirs = split.query(
        f"kind == 'arm' and arm == '{mine['arm']}' and outcome == 'practice_quality' "
        "and window == 'whole_run'"
    ).iloc[0]
    assert np.isclose(mine["mean"], theirs["mean"]) and mine["n"] == 3
    assert np.isclose(mine["ci_low"], theirs["ci_low"])
    assert esc(DRAWS_NOTE) in estimates_section(found, results.arms)
    assert "over the posterior draws&#x27; means" in differences_section(found)
    summary = results.summary()
    assert set(summary["interval_over"]) == {"draws"} and set(summary["draws"]) == {3}
    assert esc(SUMMARY_NOTE) in headline_section(summary, results.arms)
