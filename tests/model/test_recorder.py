"""The recorder's ledger and the month end with explicit inputs (no model object needed)."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

from sim.model.recorder import Ledger
from sim.model.simulation import LocalAuthority
from sim.scenario.scenario import Scenario

MODEL = Path(__file__).resolve().parents[2] / "sim" / "model"


def test_ledger_counts_a_month_and_resets_it() -> None:
    ledger = Ledger()
    ledger.count_week(permanent_hires=2, employed_leavers=1)
    ledger.count_week(permanent_hires=1, employed_leavers=3)
    ledger.intervention_started(quality=0.4, setup_cost_gbp=1000.0)
    assert (ledger.month_hires, ledger.month_leavers, ledger.month_setup_cost_gbp) == (3, 4, 1000.0)
    ledger.new_month()
    assert (ledger.month_hires, ledger.month_leavers, ledger.month_setup_cost_gbp) == (0, 0, 0.0)
    assert ledger.quality_at_start == [0.4]


def test_the_ledger_totals_are_the_run_totals() -> None:
    """The event outcomes are the ledger's run totals; the recorded cost is the sum of the
    monthly costs; the month's counters are reset at the last month end."""
    la = LocalAuthority.alone(Scenario(horizon_years=2, warmup_years=0.5), 2, 0)
    out = la.run()
    assert out.events["total_cost_gbp"] == la.recorder.ledger.cumulative_cost_gbp
    assert np.isclose(out.timeseries["cost_month_gbp"].sum(), out.events["total_cost_gbp"])
    assert out.events["leavers"] == la.recorder.ledger.leavers_recorded > 0
    assert la.recorder.ledger.month_leavers == la.recorder.ledger.month_hires == 0


def test_month_end_and_events_do_not_import_the_simulation() -> None:
    """No import cycle: the month end and event outcomes take explicit inputs."""
    for name in ("month_end.py", "events.py", "recorder.py"):
        tree = ast.parse((MODEL / name).read_text())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
            a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names
        }
        assert "sim.model.simulation" not in imported, name
