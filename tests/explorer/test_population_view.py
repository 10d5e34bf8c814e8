"""A real population run (a tiny population table of five LAs, 18 months, two replications,
made through ``sim.run``) shows national curves, a national summary and a sortable table of LAs.

The page's national figures (``sim.analysis.population`` over the LA rows) are checked against
``national.parquet``, which the population runner writes by its own path (DESIGN §4.9), and the
LA table against each LA's own rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import sim
from tests.explorer.conftest import RERUN_TIMEOUT_S

REPO = Path(__file__).resolve().parents[2]
LAS = ("Hartlepool", "Middlesbrough", "Rutland", "Bracknell Forest", "Wokingham")
REPLICATIONS = 2
#: Months of the per-replication statistic (the report's: the last 12 recorded).
LAST_MONTHS = 12
#: Relative tolerance of sums over five LAs computed in two orders (float64 rounding only).
RTOL = 1e-9


@pytest.fixture(scope="module")
def population_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A results folder of a real, small population run."""
    folder = tmp_path_factory.mktemp("population")
    table = pd.read_csv(
        REPO / "data" / "england" / "population.csv", dtype=str, keep_default_na=False
    )
    tiny = folder / "tiny_population.csv"
    table[table["name"].isin(LAS)].to_csv(tiny, index=False)
    scenario = sim.load_scenario(
        {
            "name": "england_tiny",
            "extends": str(REPO / "scenarios" / "england" / "england.yaml"),
            "warmup_years": 0.5,
            "population": {"table": str(tiny), "end": "2019-03-31"},
        }
    )
    out = folder / "run"
    sim.run(scenario, replications=REPLICATIONS, out=out, report=False)
    return out


def _page(folder: str) -> None:
    """The results area of the run in ``folder`` (AppTest runs this as a script)."""
    from pathlib import Path

    import sim
    from sim.explorer.results_page import draw_results
    from sim.explorer.runs import RunRecord

    ran = sim.load_scenario(Path(folder) / "scenario.resolved.yaml")
    record = RunRecord(1, "k", "run 1: england_tiny", ran, ran, 2, 1, Path(folder), 0.0)
    draw_results(record, [])


def _national(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "national.parquet")


def test_a_real_population_run_shows_national_curves_and_an_la_table(
    population_run: Path,
) -> None:
    at = AppTest.from_function(_page, args=(str(population_run),), default_timeout=RERUN_TIMEOUT_S)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Local authorities" in [t.label for t in at.tabs]
    assert any("National curves" in str(c.value) for c in at.caption)
    assert len(at.get("vega_lite_chart")) > 0
    tables = [d.value for d in at.dataframe]
    # the national summary: open cases are the sum over LAs, as national.parquet has them
    summary = next(t for t in tables if "metric" in t.columns)
    national = _national(population_run)
    expected = national.groupby("replication")["open_cases"].apply(
        lambda s: s.tail(LAST_MONTHS).mean()
    )
    shown = summary.query("metric == 'open_cases'")
    assert int(shown["n"].iloc[0]) == REPLICATIONS
    assert shown["mean"].iloc[0] == pytest.approx(expected.mean(), rel=RTOL)
    # the sortable LA table: one row per LA, numeric columns (sorted as numbers, not text)
    la_table = next(t for t in tables if "la" in t.columns)
    timeseries = sim.load_results(population_run).timeseries
    assert sorted(la_table["la"]) == sorted(timeseries["la"].unique()) and len(la_table) == 5
    assert all(pd.api.types.is_numeric_dtype(la_table[c]) for c in la_table.columns[2:])
    for la, rows in timeseries.groupby("la"):
        own = rows.groupby("replication")["practice_quality"].apply(
            lambda s: s.tail(LAST_MONTHS).mean()
        )
        row = la_table.loc[la_table["la"] == la, "practice_quality"]
        assert row.iloc[0] == pytest.approx(own.mean(), rel=RTOL)


def test_the_national_curves_are_those_of_national_parquet(population_run: Path) -> None:
    from sim.explorer import views

    timeseries = sim.load_results(population_run).timeseries
    curve = views.curves(timeseries, "open_cases")
    expected = _national(population_run).groupby("month")["open_cases"].mean()
    assert list(curve["month"]) == list(expected.index)
    assert curve["mean"].to_numpy() == pytest.approx(expected.to_numpy(), rel=RTOL)
    assert curve["n"].eq(REPLICATIONS).all()
