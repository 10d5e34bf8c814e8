"""What one replication returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class ReplicationOutput:
    """Result of one replication of one arm.

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
    """

    timeseries: dict[str, np.ndarray]
    events: dict[str, Any]
    n_events: int = 0
    n_referrals: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n_months(self) -> int:
        """Number of recorded months."""
        return len(next(iter(self.timeseries.values()))) if self.timeseries else 0
