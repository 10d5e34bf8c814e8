"""``sim.run(partial=...)``: the results so far after every chunk; the last equals the run's."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.experiment.errors import RunCancelled
from sim.experiment.partial import PartialResults

SHORT = {"name": "short", "horizon_years": 1, "warmup_years": 0.25}
SWEEP = {**SHORT, "grid": {"intervention.duration_months": [6, 12]}}


def test_results_so_far_grow_and_end_equal_to_the_run(tmp_path: Path) -> None:
    seen: list[PartialResults] = []
    done = sim.run(
        sim.load_scenario(SWEEP),
        replications=3,
        seed=5,
        workers=2,
        chunk_size=1,
        out=tmp_path / "run",
        report=False,
        partial=seen.append,
    )
    assert [p.done for p in seen] == [1, 2, 3, 4, 5, 6] and {p.total for p in seen} == {6}
    for p in seen:  # each snapshot: exactly its finished replications, one row each
        assert len(p.events) == p.done and p.arms == done.arms
        assert p.timeseries.groupby(["arm", "replication"], observed=True).ngroups == p.done
    pd.testing.assert_frame_equal(seen[-1].timeseries, done.timeseries)
    pd.testing.assert_frame_equal(seen[-1].events, done.events)


def test_raising_run_cancelled_stops_the_run(tmp_path: Path) -> None:
    seen: list[int] = []

    def stop(p: PartialResults) -> None:
        seen.append(p.done)
        raise RunCancelled("stopped")

    with pytest.raises(RunCancelled):
        sim.run(
            sim.load_scenario(SHORT),
            replications=4,
            chunk_size=1,
            out=tmp_path / "run",
            report=False,
            partial=stop,
        )
    assert seen == [1]
    assert not (tmp_path / "run").exists()  # no results folder: the run did not finish
