"""``Results``: tables, summary, plot, save and load."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

import sim
from sim.api import Results
from sim.experiment.errors import RunInputError


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    from tests.experiment.helpers import write_scenario

    return sim.run(write_scenario(tmp_path_factory.mktemp("scenario"), replications=2))


def test_summary_matches_the_saved_summary(results: Results, tmp_path: Path) -> None:
    folder = results.save(tmp_path / "saved", report=False)
    loaded = sim.load_results(folder)
    assert loaded.arms == results.arms and loaded.manifest == results.manifest
    pd.testing.assert_frame_equal(loaded.timeseries, results.timeseries, check_exact=True)
    pd.testing.assert_frame_equal(loaded.events, results.events, check_exact=True)
    pd.testing.assert_frame_equal(
        pd.read_csv(folder / "summary.csv"), results.summary(), check_exact=False
    )
    assert (
        loaded.scenario_yaml == results.scenario_yaml and "horizon_years: 1" in loaded.scenario_yaml
    )
    with pytest.raises(RunInputError, match="force"):
        results.save(folder)
    copy = loaded.save(tmp_path / "copy", report=False)
    assert (copy / "timeseries.parquet").read_bytes() == (
        folder / "timeseries.parquet"
    ).read_bytes()
    with pytest.raises(RunInputError, match="already saved"):
        loaded.save(folder, force=True)


def test_plot_draws_one_labelled_panel_per_metric(results: Results) -> None:
    fig = results.plot(["agency_rate_pct", "practice_quality"], spread=True)
    assert isinstance(fig, Figure)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_ylabel() for ax in axes] == ["Agency rate (%)", "Practice quality (0-1)"]
    assert all("Years" in ax.get_xlabel() for ax in axes)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert (
        results.arms[0] in legend
        and "95% CI of the mean" in legend
        and "10-90% of replications" in legend
    )
    one = results.plot("morale", arms=[results.arms[1]])
    assert [line.get_label() for line in one.axes[0].get_lines()][0] == results.arms[1]
    with pytest.raises(ValueError, match="unknown metric"):
        results.plot(["no_such_metric"])


def test_load_results_needs_a_results_folder(tmp_path: Path) -> None:
    with pytest.raises(RunInputError, match="not a results folder"):
        sim.load_results(tmp_path)
    assert "2 replication(s)" in repr(
        sim.run(
            sim.load_scenario({"name": "tiny", "horizon_years": 0.5, "warmup_years": 0}),
            replications=2,
        )
    )
