"""``csc-sim compare``: differences from the first folder, paired when the runs share random
numbers (same seed and replications), unpaired otherwise, and said which."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

import sim
from sim.analysis.compare import compare
from tests.experiment.helpers import write_scenario


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("compare")
    first = write_scenario(root, "a.yaml", name="six", durations=(6,), replications=3)
    later = write_scenario(root, "b.yaml", name="long", durations=(6,), replications=3)
    later.write_text(later.read_text().replace("[6]", "[24]"), encoding="utf-8")
    other = write_scenario(root, "c.yaml", name="reseeded", durations=(6,), replications=3)
    other.write_text(other.read_text().replace("seed: 7", "seed: 8"), encoding="utf-8")
    return [
        sim.run(f, out=root / f.stem, report=False).path  # type: ignore[misc]
        for f in (first, later, other)
    ]


def test_differences_from_the_first_folder(three_runs: list[Path], tmp_path: Path) -> None:
    report = compare(three_runs, tmp_path / "cmp")
    diffs = pd.read_csv(tmp_path / "cmp" / "differences.csv")
    text = report.read_text(encoding="utf-8")
    assert "Differences from the first folder (six)" in text
    assert "paired by replication (the runs share seed" in text
    assert "unpaired (the runs used other seeds" in text
    paired = diffs.loc[diffs["arm"].str.startswith("long: ")]
    unpaired = diffs.loc[diffs["arm"].str.startswith("reseeded: ")]
    assert paired["paired"].all() and not unpaired["paired"].any()
    # the paired difference of practice quality over the whole run, recomputed
    row = paired.loc[(paired["outcome"] == "practice_quality") & (paired["window"] == "whole_run")]
    a = sim.load_results(three_runs[0]).timeseries
    b = sim.load_results(three_runs[1]).timeseries
    per_a = a.groupby("replication")["practice_quality"].mean()
    per_b = b.groupby("replication")["practice_quality"].mean()
    diff = (per_b - per_a).to_numpy()
    ci = stats.ttest_1samp(diff, 0).confidence_interval(0.95)
    assert row["difference"].iloc[0] == pytest.approx(diff.mean(), rel=1e-12)
    assert (row["ci_low"].iloc[0], row["ci_high"].iloc[0]) == pytest.approx(
        (max(ci.low, -1), min(ci.high, 1)), rel=1e-9
    )
    # readable arm names, not raw labels twice
    assert "intervention duration: 24 months" in text


def test_runs_over_the_same_draws_are_compared_over_draw_means(tmp_path: Path) -> None:
    """Two runs over the same posterior draws: estimates and differences are over the K draw
    means (n = K), paired by draw and equal to a recomputation; a run over other draws (another
    seed draws other parameter sets) is compared unpaired."""
    from sim.analysis.answer import OVER_DRAWS_METHOD
    from sim.analysis.compare_answer import compare_answer
    from tests.experiment.test_posterior import write_posterior

    posterior = write_posterior(tmp_path)
    files = [
        write_scenario(tmp_path, f"{n}.yaml", name=n, durations=(d,), replications=1)
        for n, d in (("six", 6), ("long", 24))
    ]
    runs = [sim.run(f, posterior=posterior, draws=3, report=False) for f in files]
    other = sim.run(files[1], posterior=posterior, draws=3, seed=11, report=False)
    found = compare_answer([*runs, other], ["six", "long", "reseeded"])
    paired, unpaired = found
    assert paired.paired and not unpaired.paired
    assert set(paired.estimates["method"]) == {OVER_DRAWS_METHOD}
    row = paired.differences.query("outcome == 'practice_quality' and window == 'whole_run'")
    per = [r.timeseries.groupby("draw")["practice_quality"].mean() for r in runs]
    diff = (per[1] - per[0]).to_numpy()
    ci = stats.ttest_1samp(diff, 0).confidence_interval(0.95)
    assert row["n"].iloc[0] == 3 and row["difference"].iloc[0] == pytest.approx(diff.mean())
    assert (row["ci_low"].iloc[0], row["ci_high"].iloc[0]) == pytest.approx(
        (max(ci.low, -1), min(ci.high, 1)), rel=1e-9
    )
    assert "3 posterior draws" in paired.sentences[0]
