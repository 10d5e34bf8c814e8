"""Monthly recorder: turns the model's counters into the metrics of DESIGN §3."""

from __future__ import annotations

from collections import deque

import numpy as np

from sim.model.metrics import METRIC_NAMES

TRAILING_MONTHS = 12


class TrailingSum:
    """Sum of values over the trailing window of ``TRAILING_MONTHS`` months (including warm-up)."""

    def __init__(self) -> None:
        self.values: deque[float] = deque(maxlen=TRAILING_MONTHS)

    def push(self, value: float) -> None:
        """Add this month's value."""
        self.values.append(value)

    @property
    def total(self) -> float:
        """Sum over the window."""
        return float(sum(self.values))


class Recorder:
    """Holds one row per recorded month, one array per metric."""

    def __init__(self, n_months: int) -> None:
        self.n_months = n_months
        self.data = {name: np.full(n_months, np.nan) for name in METRIC_NAMES}
        self.referrals = TrailingSum()
        self.rereferrals = TrailingSum()
        self.leavers = TrailingSum()
        self.assessments = TrailingSum()
        self.assessments_in_time = TrailingSum()
        self.row = 0

    def write(self, values: dict[str, float]) -> None:
        """Store one month's metrics (every metric must be present)."""
        for name in METRIC_NAMES:
            self.data[name][self.row] = values[name]
        self.row += 1

    def timeliness(self) -> float:
        """Share of assessments within 45 working days over the trailing 12 months (1 when none)."""
        done = self.assessments.total
        return self.assessments_in_time.total / done if done > 0 else 1.0
