"""Sensitivity runs go through ``sim.run``'s task stream and per-replication statistic.

A design point with no parameter change is the experiment itself, so its outcomes must be the
means that ``sim.run(...).summary()`` reports for the same seed and replications (the same
replications, the same statistic); a replication that raises is quoted as ``sim.run`` quotes it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sim
from sim.analysis.sensitivity_runs import Design, evaluate
from sim.experiment import tasks
from sim.experiment.errors import RunFailedError
from sim.model.output import TASK_KEYS, ReplicationOutput
from sim.scenario.scenario import Scenario
from sim.scenario.sweep import expand_arms
from tests.experiment.helpers import write_scenario

REPLICATIONS = 2
SEED = 7
METRICS = ["practice_quality", "cost_cumulative_gbp", "caseload_per_fte"]
EVENT = "inspections"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """The experiment tests' two-arm sweep (1 recorded year after a 3-month warm-up)."""
    return sim.load_scenario(write_scenario(tmp_path_factory.mktemp("s"), replications=2))


def unchanged_design(scenario: Scenario) -> Design:
    """One design point that changes nothing: the experiment's own arms."""
    return Design(expand_arms(scenario), [], np.zeros((1, 0)), [])


def test_a_point_that_changes_nothing_gives_the_summary_of_sim_run(scenario: Scenario) -> None:
    outcomes = [*METRICS, EVENT]
    found = evaluate(unchanged_design(scenario), outcomes, REPLICATIONS, SEED)
    results = sim.run(scenario, replications=REPLICATIONS, seed=SEED)
    summary = results.summary().set_index(["arm", "metric"])["mean"]
    events = results.events.groupby("arm", observed=True)[EVENT].mean()
    for a, arm in enumerate(results.arms):
        expected = [summary[(arm, m)] for m in METRICS] + [events[arm]]
        # Same replications and the same statistic: equal up to the order of one division.
        np.testing.assert_allclose(found[0, a], expected, rtol=1e-12, atol=0)


def test_a_failing_sensitivity_replication_is_quoted_like_a_run(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = tasks.simulate

    def flaky(s: Scenario, seed: int, replication: int) -> ReplicationOutput:
        if replication == 1 and s.intervention.duration_months == 24:
            raise ZeroDivisionError("injected")
        return real(s, seed, replication)

    monkeypatch.setattr(tasks, "simulate", flaky)
    with pytest.raises(RunFailedError) as caught:
        evaluate(unchanged_design(scenario), METRICS, REPLICATIONS, SEED)
    error = caught.value
    assert error.message.startswith("1 of 4 sensitivity replications failed: ")
    assert "point 0, duration_months=24 replication 1: ZeroDivisionError: injected" in (
        error.message
    )
    assert error.failures[list(TASK_KEYS)].values.tolist() == [["point 0, duration_months=24", 1]]
