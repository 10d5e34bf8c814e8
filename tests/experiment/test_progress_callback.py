"""``sim.run(progress=callback)``: the callback hears (done, total) as chunks finish (the
explorer's progress bar), and the results are those of a run without it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import sim
from tests.experiment.helpers import write_scenario


def test_a_progress_callback_counts_every_replication(tmp_path: Path) -> None:
    file = write_scenario(tmp_path, replications=3)  # two arms x 3 replications
    heard: list[tuple[int, int]] = []
    with_callback = sim.run(
        file, workers=2, chunk_size=1, progress=lambda done, total: heard.append((done, total))
    )
    assert heard[0] == (0, 6) and heard[-1] == (6, 6)
    assert [done for done, _ in heard] == sorted(done for done, _ in heard)
    assert len(heard) == 1 + 6  # the start, then one per chunk of one replication
    plain = sim.run(file, workers=1, progress=False)
    pd.testing.assert_frame_equal(with_callback.timeseries, plain.timeseries)
