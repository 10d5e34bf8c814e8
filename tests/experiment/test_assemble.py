"""The one reader of ``events.csv`` parses floats exactly."""

from __future__ import annotations

import io

import pandas as pd

from sim.experiment.assemble import read_events

#: A cost (GBP) that pandas' default float parser reads one unit in the last place off.
MISREAD_BY_DEFAULT = 3728352.2110637682


def test_events_read_back_bit_identical() -> None:
    """A table read, written and read again (a blessed reference) equals the run it came from."""
    text = pd.DataFrame({"arm": ["a"], "total_cost_gbp": [MISREAD_BY_DEFAULT]}).to_csv(index=False)
    assert pd.read_csv(io.StringIO(text))["total_cost_gbp"][0] != MISREAD_BY_DEFAULT
    once = read_events(io.StringIO(text), ["a"])
    assert once["total_cost_gbp"][0] == MISREAD_BY_DEFAULT
    again = read_events(io.StringIO(once.to_csv(index=False)), ["a"])
    assert again["total_cost_gbp"][0] == MISREAD_BY_DEFAULT
