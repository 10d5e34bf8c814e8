"""A results frame with an ``la`` column shows national curves and a sortable table of LAs
(a synthetic population frame, until a real England run is available)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.explorer.conftest import RERUN_TIMEOUT_S


def _page(folder: str) -> None:
    """The results area for a synthetic population run (AppTest runs this as a script)."""
    from pathlib import Path

    import pandas as pd

    import sim
    from sim.experiment.results import Results
    from sim.explorer.results_page import draw_results
    from sim.explorer.runs import RunRecord

    base = sim.load_results(folder)
    parts = [base.timeseries.assign(la=la) for la in ("E10000001", "E10000002", "E10000003")]
    population = pd.concat(parts, ignore_index=True)
    results = Results(base.manifest, timeseries=population, events=base.events)
    scenario = sim.load_scenario({"name": "england"})
    record = RunRecord(1, "k", "run 1: england", scenario, scenario, 2, 1, Path(folder), 0.0)
    record.__dict__["results"] = results  # what the cached property would have read
    draw_results(record, [])


def test_population_results_show_national_curves_and_an_la_table(tmp_path: Path) -> None:
    import sim

    folder = tmp_path / "run"
    sim.run(
        sim.load_scenario({"name": "la", "horizon_years": 1, "warmup_years": 0.25}),
        replications=2,
        out=folder,
        report=False,
    )
    at = AppTest.from_function(_page, args=(str(folder),), default_timeout=RERUN_TIMEOUT_S)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Local authorities" in [t.label for t in at.tabs]
    assert any("National curves" in str(c.value) for c in at.caption)
    assert len(at.get("vega_lite_chart")) > 0
    tables = [d.value for d in at.dataframe]
    la_tables = [t for t in tables if "la" in t.columns]
    assert len(la_tables) == 1 and sorted(la_tables[0]["la"].unique()) == [
        "E10000001",
        "E10000002",
        "E10000003",
    ]
    # national open cases are the sum over the three (identical) LAs: three times one LA's
    single = sim.load_results(folder).timeseries
    summary = next(t for t in tables if "metric" in t.columns)
    national = summary.query("metric == 'open_cases'")["mean"].iloc[0]
    one = single.groupby(["replication"]).tail(12)["open_cases"].mean()
    assert abs(national - 3 * one) < 1e-6 * national
