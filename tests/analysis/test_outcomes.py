"""Event outcomes per arm: exits with censoring, relapse share, cost."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.outcomes import outcomes_table
from sim.analysis.stats import t_interval


def test_outcomes_per_arm() -> None:
    events = pd.DataFrame(
        {
            "arm": ["a", "a", "a", "b"],
            "replication": [0, 1, 2, 0],
            "months_to_exit_inadequate": [10.0, np.nan, 20.0, np.nan],
            "censored": [0, 1, 0, 1],
            "relapsed_within_24m": [1.0, np.nan, 0.0, np.nan],
            "inspections": [3, 2, 4, 1],
            "grades": ["4-3", "4", "4-3-2", "4"],
            "total_cost_gbp": [1e6, 2e6, 3e6, 5e6],
            "leavers": [1, 2, 3, 4],
            "dcs_changes": [0, 1, 0, 1],
        }
    )
    table = outcomes_table(events, ["a", "b"])
    a, b = table.iloc[0], table.iloc[1]
    assert (a["replications"], a["exited"], a["censored"]) == (3, 2, 1)
    assert a["months_to_exit_mean"] == 15.0
    np.testing.assert_allclose(
        [a["months_to_exit_ci_low"], a["months_to_exit_ci_high"]], t_interval([10, 20])
    )
    assert a["relapsed_share"] == 0.5 and a["relapsed_n"] == 2
    assert a["total_cost_mean"] == pytest.approx(2e6) and a["inspections_mean"] == 3.0
    assert (b["exited"], b["censored"], b["relapsed_n"]) == (0, 1, 0)
    assert np.isnan(b["months_to_exit_mean"]) and np.isnan(b["relapsed_share"])
