"""Monthly recorder: turns the model's counters into the metrics of DESIGN §3, and keeps the
ledger of counters that the weekly update adds to and the month end reads and resets."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

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


@dataclass
class Ledger:
    """Counters of the month and of the run (one LA), owned by its :class:`Recorder`.

    The weekly update adds to the month's counters; the month end (:func:`sim.model.month_end.close_month`) reads
    and resets them and keeps the run's totals; the event outcomes read the totals.
    """

    month_hires: int = 0  # permanent hires this month
    month_leavers: int = 0  # employed leavers this month
    month_setup_cost_gbp: float = 0.0  # one-off set-up costs falling this month
    cumulative_cost_gbp: float = 0.0  # cost since the start of recording
    leavers_recorded: int = 0  # employed leavers since the start of recording
    #: Employed leavers over the trailing 12 months ÷ employed FTE in post (a share per year),
    #: updated at each month end.
    turnover: float = 0.0
    #: Practice quality at the start of each intervention, in order.
    quality_at_start: list[float] = field(default_factory=list)

    def count_week(self, permanent_hires: int, employed_leavers: int) -> None:
        """Add one week's permanent hires and employed leavers to the month."""
        self.month_hires += permanent_hires
        self.month_leavers += employed_leavers

    def intervention_started(self, quality: float, setup_cost_gbp: float) -> None:
        """An intervention has started: note the practice quality and its set-up cost."""
        self.quality_at_start.append(quality)
        self.month_setup_cost_gbp += setup_cost_gbp

    def new_month(self) -> None:
        """Reset the month's counters (the month end has read them)."""
        self.month_hires = 0
        self.month_leavers = 0
        self.month_setup_cost_gbp = 0.0


class Recorder:
    """Holds one row per recorded month, one array per metric, and the :class:`Ledger`."""

    def __init__(self, n_months: int) -> None:
        self.n_months = n_months
        self.ledger = Ledger()
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
