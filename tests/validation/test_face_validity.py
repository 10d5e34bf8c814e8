"""Face validity (DESIGN §6): the model moves the way anyone who knows the service would expect.

Each test compares two arms at fixed seeds with common random numbers and asks for the paired
difference to exceed 3 standard errors of itself (a one-sided z of 3: a chance pass or fail about
1 in 700 at these seeds), unless stated otherwise.
"""

from __future__ import annotations

import numpy as np

from sim.scenario.scenario import Scenario
from tests.validation.conftest import last_year_means, paired_difference, replicate

Z = 3.0
N = 6
SHORT = {"horizon_years": 3, "warmup_years": 1}


def test_more_referrals_raise_caseloads_and_worsen_timeliness() -> None:
    base = replicate(Scenario(**SHORT), N)
    busy = replicate(Scenario(**SHORT, demand={"first_referrals_per_year": 2 * 2650}), N)
    d, se = paired_difference(
        base, busy, lambda o: float(np.nanmean(o.timeseries["caseload_per_fte"][-12:]))
    )
    assert d > Z * se and d > 0
    d, se = paired_difference(
        base, busy, lambda o: float(np.nanmean(o.timeseries["assessments_within_45wd_pct"][-12:]))
    )
    assert -d > Z * se
    assert (
        last_year_means(busy, "unallocated_cases").mean()
        > last_year_means(base, "unallocated_cases").mean()
    )


def test_more_establishment_lowers_caseloads() -> None:
    base = replicate(Scenario(**SHORT), N)
    more = replicate(Scenario(**SHORT, workforce={"establishment_fte": 160}), N)
    d, se = paired_difference(
        base, more, lambda o: float(np.nanmean(o.timeseries["caseload_per_fte"][-12:]))
    )
    assert -d > Z * se


def test_no_leaving_means_no_vacancies() -> None:
    """Exact: nobody leaves and every post starts filled, so no post is ever vacant."""
    s = Scenario(
        **SHORT,
        workforce={"leave_base_rate_per_year": 0.0},
        initial={"vacancy_rate": 0.0, "agency_rate": 0.0},
    )
    for out in replicate(s, 2):
        assert np.all(out.timeseries["vacancy_fte"] == 0)
        assert np.all(out.timeseries["agency_fte"] == 0)
        assert np.all(out.timeseries["turnover_rate_pct"] == 0)


def test_higher_stress_sensitivity_raises_turnover() -> None:
    base = replicate(Scenario(**SHORT), N)
    fragile = replicate(Scenario(**SHORT, workforce={"leave_base_rate_per_year": 0.25}), N)
    d, se = paired_difference(
        base, fragile, lambda o: float(np.nanmean(o.timeseries["turnover_rate_pct"][-12:]))
    )
    assert d > Z * se


def test_longer_leader_tenure_raises_practice_quality() -> None:
    long = {"horizon_years": 8, "warmup_years": 1}
    unstable = replicate(Scenario(**long, leadership={"dcs_mean_tenure_months": 12}), N)
    stable = replicate(Scenario(**long, leadership={"dcs_mean_tenure_months": 60}), N)
    d, se = paired_difference(
        unstable, stable, lambda o: float(np.nanmean(o.timeseries["practice_quality"]))
    )
    assert d > Z * se
    d, se = paired_difference(unstable, stable, lambda o: float(o.events["dcs_changes"]))
    assert -d > Z * se


def test_more_agency_cover_raises_agency_rate() -> None:
    base = replicate(Scenario(**SHORT, workforce={"agency_cover_share": 0.5}), N)
    more = replicate(Scenario(**SHORT, workforce={"agency_cover_share": 1.0}), N)
    d, se = paired_difference(
        base, more, lambda o: float(np.nanmean(o.timeseries["agency_rate_pct"][-12:]))
    )
    assert d > Z * se
