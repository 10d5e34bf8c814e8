"""Tasks and chunks: sizes, coverage, and failures recorded per replication."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiment import tasks
from sim.experiment.tasks import (
    MAX_AUTO_CHUNK,
    ChunkJob,
    auto_chunk_size,
    make_jobs,
    metric_matrix,
    run_chunk,
)
from sim.model import METRIC_NAMES
from sim.model.output import ReplicationOutput
from sim.scenario.scenario import Scenario


@pytest.mark.parametrize(
    ("n_tasks", "workers", "expected"),
    [(0, 2, 1), (1, 8, 1), (48, 2, 6), (48, 1, 12), (10_000, 2, MAX_AUTO_CHUNK), (7, 2, 1)],
)
def test_auto_chunk_size_is_about_tasks_per_four_workers_and_bounded(
    n_tasks: int, workers: int, expected: int
) -> None:
    assert auto_chunk_size(n_tasks, workers) == expected


def test_jobs_cover_every_task_once_in_order() -> None:
    scenarios = [Scenario(name="a"), Scenario(name="b")]
    order = [(a, r) for a in range(2) for r in range(5)]
    jobs = make_jobs(order, seed=3, scenarios=scenarios, chunk_size=4)
    assert [len(j.tasks) for j in jobs] == [4, 4, 2]
    assert [t for j in jobs for t in j.tasks] == order
    assert all(j.seed == 3 for j in jobs)
    assert set(jobs[1].scenarios) == {0, 1}  # the chunk straddles both arms
    assert set(jobs[0].scenarios) == {0}
    with pytest.raises(ValueError, match="at least 1"):
        make_jobs(order, 3, scenarios, 0)


def test_metric_matrix_orders_columns_and_rejects_missing_metrics() -> None:
    series = {name: np.full(3, float(i)) for i, name in enumerate(METRIC_NAMES)}
    matrix = metric_matrix(series)
    assert matrix.shape == (3, len(METRIC_NAMES))
    assert matrix[0].tolist() == [float(i) for i in range(len(METRIC_NAMES))]
    del series["morale"]
    with pytest.raises(ValueError, match="morale"):
        metric_matrix(series)


def test_a_replication_that_raises_is_recorded_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fake(scenario: Scenario, seed: int, replication: int) -> ReplicationOutput:
        if replication == 1:
            raise RuntimeError("boom in replication 1")
        return ReplicationOutput({n: np.zeros(2) for n in METRIC_NAMES}, {"inspections": 1}, 5, 2)

    monkeypatch.setattr(tasks, "simulate", fake)
    job = ChunkJob(seed=1, tasks=((0, 0), (0, 1), (0, 2)), scenarios={0: Scenario()})
    result = run_chunk(job)
    assert [o.replication for o in result.outputs] == [0, 2]
    assert result.n_tasks == 3
    (failure,) = result.failures
    assert (failure.arm, failure.replication) == (0, 1)
    assert failure.error == "RuntimeError: boom in replication 1"
    assert "Traceback" in failure.traceback and "boom" in failure.traceback
