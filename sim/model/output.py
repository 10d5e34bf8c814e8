"""What one replication returns, and the key columns of every output table (declared once).

The key columns name a row of the output tables (DESIGN §3, §4.9):

- ``arm``, ``replication``: one replication of one arm (a row of ``events.csv``);
- ``la``: the local authority, only in a population run (several LAs on one clock);
- ``month``: the recorded month, 1 .. n;
- ``draw``: in a run over a posterior only, the parameter set of the replication (not a key:
  it is a function of ``replication``).

The chunk schema, the assembled ``timeseries`` schema, the summary's columns and the tests derive
their key columns from :func:`series_keys` and :func:`event_keys`; a single-LA run has no ``la``
column, so its files are those of a run before populations existed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Key column: the arm's label (an arm index inside chunk files).
ARM = "arm"
#: Key column: the replication number, 0 .. R-1 (the same numbers in every arm).
REPLICATION = "replication"
#: Key column of a population run: the LA's identity (its code), absent in a single-LA run.
LA = "la"
#: Key column: the recorded month, 1 .. n, counted from the end of the warm-up.
MONTH = "month"
#: Column of a run over a posterior: the draw (parameter set) a replication ran, 0 .. K-1; it
#: follows ``replication`` (draw ``k`` owns replications ``k·R .. k·R+R-1``), absent otherwise.
DRAW = "draw"
#: Columns naming one replication of one arm: the rows of ``events.csv`` and ``failures.csv``.
TASK_KEYS: tuple[str, ...] = (ARM, REPLICATION)


def event_keys(entities: bool = False) -> tuple[str, ...]:
    """Key columns of a per-replication table: ``arm, replication`` (``, la`` with entities)."""
    return (*TASK_KEYS, LA) if entities else TASK_KEYS


def series_keys(entities: bool = False) -> tuple[str, ...]:
    """Key columns of a monthly table: ``arm, replication, month`` (``la`` before ``month``)."""
    return (*event_keys(entities), MONTH)


@dataclass
class ReplicationOutput:
    """Result of one replication of one arm: one LA, or several LAs on one clock.

    A single-LA replication holds its series and outcomes directly. A population replication
    holds one single-LA output per LA in :attr:`entities` (LA code -> output, in the order its
    rows are written), built with :meth:`of_entities`; its own ``timeseries`` and ``events`` are
    then empty and its counters are the totals over the LAs.

    Attributes
    ----------
    timeseries
        Metric name -> float64 array with one value per recorded month (length ``n_months``).
    events
        Event outcomes (the columns of ``events.csv``, DESIGN §3).
    n_events
        SimPy events processed, for the manifest and benchmarks.
    n_referrals
        Referrals simulated (including warm-up).
    extra
        Diagnostics that are not part of the output tables (e.g. queueing checks).
    entities
        LA code -> that LA's output, for a population replication; ``None`` for a single LA.
    """

    timeseries: dict[str, np.ndarray]
    events: dict[str, Any]
    n_events: int = 0
    n_referrals: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    entities: dict[str, ReplicationOutput] | None = None

    @classmethod
    def of_entities(
        cls, outputs: Mapping[str, ReplicationOutput], n_events: int | None = None
    ) -> ReplicationOutput:
        """One replication of several LAs, from each LA's own output.

        Parameters
        ----------
        outputs
            LA code -> that LA's single-LA output, in row order; every LA has the same months.
        n_events
            SimPy events of the shared environment (default: the sum over the LAs, right when
            each LA ran on its own environment).

        Raises
        ------
        ValueError
            When there is no LA, an LA is itself a population, or the LAs' months differ.
        """
        if not outputs:
            raise ValueError("a population replication needs at least one LA")
        if any(out.entities is not None for out in outputs.values()):
            raise ValueError("an LA's output cannot itself hold several LAs")
        months = {code: out.n_months for code, out in outputs.items()}
        if len(set(months.values())) != 1:
            raise ValueError(f"the LAs recorded different numbers of months: {months}")
        return cls(
            timeseries={},
            events={},
            n_events=sum(o.n_events for o in outputs.values()) if n_events is None else n_events,
            n_referrals=sum(o.n_referrals for o in outputs.values()),
            entities=dict(outputs),
        )

    @property
    def n_months(self) -> int:
        """Number of recorded months (of each LA, in a population replication)."""
        if self.entities:
            return next(iter(self.entities.values())).n_months
        return len(next(iter(self.timeseries.values()))) if self.timeseries else 0

    def parts(self) -> list[tuple[str | None, ReplicationOutput]]:
        """``(LA code, single-LA output)`` in row order; ``[(None, self)]`` for a single LA."""
        if self.entities is None:
            return [(None, self)]
        return list(self.entities.items())
