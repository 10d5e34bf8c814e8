"""Results so far: the replications of a run that have finished, as they arrive.

A caller that shows a run while it runs (the explorer) passes ``partial=`` to ``sim.run``; after
every finished chunk it gets a :class:`PartialResults` holding the tables of every replication
finished so far, built by the same functions as an in-memory run's tables
(:func:`~sim.experiment.assemble.timeseries_frame`, ``events_frame``), so the analysis layer reads
them as it reads a finished run. When the last replication has arrived the tables equal those of
the finished run (same rows, same order, same types).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sim.experiment.assemble import events_frame, timeseries_frame
from sim.experiment.results import Results
from sim.experiment.tasks import TaskOutput

#: Manifest keys of a partial snapshot.
DONE_KEY = "replications_done"
TOTAL_KEY = "replications_total"


class PartialResults(Results):
    """The finished replications of a running experiment (tables in memory).

    ``arms`` and ``arm_overrides`` are those of the whole run; ``timeseries`` and ``events``
    hold only the replications finished so far, in (arm, replication) order.
    """

    @property
    def done(self) -> int:
        """Replications finished so far (all arms)."""
        return int(self.manifest[DONE_KEY])

    @property
    def total(self) -> int:
        """Replications in the whole run (all arms)."""
        return int(self.manifest[TOTAL_KEY])


PartialCallback = Callable[[PartialResults], object]
"""Receives the results so far after every finished chunk."""


class PartialCollector:
    """Keeps the finished outputs of a run and reports the results so far.

    Parameters
    ----------
    arms
        The run's arms as the manifest lists them (``label``, ``overrides``).
    total
        Replications in the whole run.
    callback
        Called with a :class:`PartialResults` after every :meth:`add`.
    """

    def __init__(
        self, arms: Sequence[dict[str, Any]], total: int, callback: PartialCallback
    ) -> None:
        self.arms = [dict(arm) for arm in arms]
        self.labels = [str(arm["label"]) for arm in self.arms]
        self.total = total
        self.callback = callback
        self.outputs: list[TaskOutput] = []

    def add(self, outputs: Sequence[TaskOutput]) -> None:
        """Take one chunk's outputs and report everything finished so far."""
        self.outputs.extend(outputs)
        self.outputs.sort(key=lambda o: (o.arm, o.replication))
        manifest = {"arms": self.arms, DONE_KEY: len(self.outputs), TOTAL_KEY: self.total}
        self.callback(
            PartialResults(
                manifest,
                timeseries=timeseries_frame(self.outputs, self.labels),
                events=events_frame(self.outputs, self.labels),
            )
        )
