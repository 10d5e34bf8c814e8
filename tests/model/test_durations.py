"""Duration samplers against the national figures they are fitted to."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, stats

from sim.model.durations import (
    KIND_CP,
    AssessmentDurations,
    lognormal_params,
    open_assessment_days,
    open_lognormal_days,
)
from sim.model.equations import DAYS_PER_MONTH
from sim.model.parameters import ModelParameters
from sim.scenario.cases import Cases
from sim.scenario.scenario import Scenario

#: Child protection plans open at 31 March 2025 by length (DfE d5, evidence §2a).
D5_2025_PCT = {"<=3m": 31.5, "3-6m": 25.5, "6-12m": 26.3, "1-2y": 14.4, ">=2y": 2.3}
D5_FILE = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "dfe"
    / "d5_cpps_at31march_by_duration_2013_to_2025.csv"
)


def stock_shares_by_length(median_months: float, sigma: float) -> np.ndarray:
    """Shares of a stationary stock by time already open: density ∝ survival function."""
    dist = stats.lognorm(s=sigma, scale=median_months)
    edges = [0, 3, 6, 12, 24, 600]
    parts = [integrate.quad(dist.sf, a, b, limit=200)[0] for a, b in zip(edges[:-1], edges[1:])]
    return np.array(parts) / dist.mean()


def test_assessment_histogram_reproduces_national_quantiles() -> None:
    """Median 33, p25 17, p75 43 working days and 85.7% within 45 (C2 2025). Tolerance: 1.5
    working days, the width of the bins' linear interpolation error near the quartiles."""
    d = AssessmentDurations(Cases())
    q25, q50, q75 = d.working_days(np.array([0.25, 0.5, 0.75]))
    assert q50 == pytest.approx(33, abs=1.5)
    assert q25 == pytest.approx(17, abs=1.5)
    assert q75 == pytest.approx(43, abs=1.5)
    within = np.interp(45.0, d.edges, d.cdf)
    assert within == pytest.approx(0.857, abs=0.002)


def test_child_protection_plan_lengths_match_d5_stock() -> None:
    """The stationary stock implied by the default lognormal matches DfE d5 2025 within 2 points per band."""
    c = Cases()
    model = 100 * stock_shares_by_length(c.cp_median_months, c.cp_sigma)
    assert model == pytest.approx(list(D5_2025_PCT.values()), abs=2.0)


def test_d5_figures_match_the_data_file() -> None:
    with D5_FILE.open(newline="") as f:
        row = next(
            r
            for r in csv.DictReader(f)
            if r["time_period"] == "2025" and r["geographic_level"] == "National"
        )
    cols = [
        "3_months_or_less_percent",
        "more_than_3_months_6_months_percent",
        "more_than_6_months_less_than_1_year_percent",
        "1_year_less_than_2_years_percent",
        "2_years_or_more_percent",
    ]
    assert [float(row[c]) for c in cols] == list(D5_2025_PCT.values())


def test_open_cases_are_length_biased() -> None:
    """Cases found open have, on average, E[L²]/E[L] total length (renewal theory)."""
    rng = np.random.default_rng(1)
    mu, sigma = lognormal_params(ModelParameters.from_scenario(Scenario()), KIND_CP)
    age, remaining = open_lognormal_days(rng, mu, sigma, 200_000)
    expected_total = np.exp(mu + 1.5 * sigma**2)  # E[L^2]/E[L] for a lognormal
    assert (age + remaining).mean() == pytest.approx(expected_total, rel=0.02)
    assert np.all(remaining >= 0) and np.all(age >= 0)
    a_age, a_rem = open_assessment_days(rng, AssessmentDurations(Cases()), 1000)
    assert a_age.shape == a_rem.shape == (1000,)
    assert (a_age + a_rem).max() <= 90 / (5 / 7) + 1e-9
    assert mu == pytest.approx(np.log(Cases().cp_median_months * DAYS_PER_MONTH))
