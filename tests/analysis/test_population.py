"""Population views (DESIGN §4.9) on a small synthetic frame: national sums and means, and the
per-LA table of per-replication statistics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.population import is_additive, is_population, la_table, national_frame


def synthetic(n_months: int = 24) -> pd.DataFrame:
    """Two arms x two replications x three LAs; values built so sums and means are known."""
    rows = []
    for arm_n, arm in enumerate(["a", "b"]):
        for rep in range(2):
            for la_n, la in enumerate(["E1", "E2", "E3"]):
                for month in range(1, n_months + 1):
                    rows.append(
                        {
                            "arm": arm,
                            "replication": rep,
                            "month": month,
                            "la": la,
                            "open_cases": 100.0 * (la_n + 1) + rep + 10 * arm_n,
                            "agency_rate_pct": 10.0 + la_n + arm_n,
                            "cost_cumulative_gbp": 1000.0 * month * (la_n + 1),
                        }
                    )
    return pd.DataFrame(rows)


def test_national_values_sum_counts_and_average_rates() -> None:
    frame = synthetic()
    assert is_population(frame) and not is_population(frame.drop(columns="la"))
    assert is_additive("open_cases") and not is_additive("agency_rate_pct")
    national = national_frame(frame, ["open_cases", "agency_rate_pct", "cost_cumulative_gbp"])
    assert len(national) == 2 * 2 * 24 and "la" not in national
    first = national.query("arm == 'b' and replication == 1 and month == 5").iloc[0]
    assert first["open_cases"] == pytest.approx(100 + 200 + 300 + 3 * (1 + 10))
    assert first["agency_rate_pct"] == pytest.approx(np.mean([11, 12, 13]))
    assert first["cost_cumulative_gbp"] == pytest.approx(1000 * 5 * 6)


def test_la_table_holds_the_per_replication_statistic_per_la() -> None:
    table = la_table(synthetic(), ["open_cases", "cost_cumulative_gbp"])
    assert list(table.columns) == ["arm", "la", "open_cases", "cost_cumulative_gbp"]
    assert len(table) == 6
    row = table.query("arm == 'a' and la == 'E2'").iloc[0]
    assert row["open_cases"] == pytest.approx(200.5)  # mean of replications 0 and 1
    assert row["cost_cumulative_gbp"] == pytest.approx(1000 * 24 * 2)  # final value


def test_the_report_says_what_the_bands_are_over() -> None:
    """Over replications, or over the draw means of a run over a posterior."""
    from sim.analysis.national_report import run_facts

    manifest = {"population": {"las": [5]}, "replications": 4, "seed": 1}
    assert run_facts(manifest, 2).endswith("of the mean over replications.")
    posterior = {"draws": 2, "file": "p.parquet", "replications_per_draw": 2}
    drawn = run_facts(manifest | {"posterior": posterior}, 2)
    assert "means of 2 posterior draws" in drawn and "p.parquet" in drawn
