"""TEMPORARY STUB: replaced by the real model. Returns noise of the right shape."""

from __future__ import annotations

import numpy as np

from sim.model.metrics import METRIC_NAMES
from sim.model.output import ReplicationOutput
from sim.model.streams import make_stream
from sim.scenario.scenario import Scenario


def simulate(scenario: Scenario, seed: int, replication: int) -> ReplicationOutput:
    """Simulate one replication (stub)."""
    n = int(round(scenario.horizon_years * 12))
    rng = make_stream(seed, replication, "arrivals")
    ts = {name: rng.random(n) * 10 + scenario.workforce.establishment_fte / 100 for name in METRIC_NAMES}
    ts["ofsted_grade"] = rng.integers(1, 5, n).astype(float)
    events = {
        "months_to_exit_inadequate": float("nan"), "censored": 1, "relapsed_within_24m": 0,
        "inspections": 3, "grades": "2-3-2", "total_cost_gbp": float(ts["cost_month_gbp"].sum()),
        "leavers": 50, "dcs_changes": 3,
    }
    return ReplicationOutput(ts, events, n_events=1000, n_referrals=34000)
