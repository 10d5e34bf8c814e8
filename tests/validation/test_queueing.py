"""Analytic validity (DESIGN §6): with leaving, outcomes and feedback switched off, the assessment
queue is an M/M/c system, and open cases obey Little's law."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.model import simulate
from sim.model.durations import AssessmentDurations
from sim.scenario.scenario import Scenario

POSTS, CAP = 10, 5  # 50 "servers": caseload places
MEAN_WD = 14.0  # mean assessment length, working days


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue Wq of an M/M/c queue (Erlang C)."""
    a = arrival_rate / service_rate
    rho = a / servers
    terms = sum(a**k / math.factorial(k) for k in range(servers))
    top = a**servers / math.factorial(servers) / (1 - rho)
    p_wait = top / (terms + top)
    return p_wait / (servers * service_rate - arrival_rate)


def exponential_bins(
    mean: float, n_bins: int = 400, upper: float = 12.0
) -> tuple[list[float], list[float]]:
    """Histogram of an exponential(mean) on fine bins up to ``upper`` means (the tail beyond is
    negligible: e^-12 ≈ 6e-6)."""
    edges = np.linspace(0.0, upper * mean, n_bins + 1)
    mass = np.diff(-np.exp(-edges / mean))
    return edges.tolist(), mass.tolist()


def queue_scenario(utilisation: float, horizon_years: float) -> Scenario:
    edges, counts = exponential_bins(MEAN_WD)
    service_days = AssessmentDurations(
        Scenario(cases={"assessment_wd_bin_edges": edges, "assessment_wd_bin_counts": counts}).cases
    ).mean_calendar_days()
    arrivals_per_day = utilisation * POSTS * CAP / service_days
    return Scenario(
        horizon_years=horizon_years,
        warmup_years=0.5,
        demand={
            "first_referrals_per_year": arrivals_per_day * 365.0,
            "rereferral_base_probability": 0.0,
        },
        cases={
            "front_door_nfa_share": 0.0,
            "not_in_need_share": 1.0,
            "child_protection_share": 0.0,
            "looked_after_share": 0.0,
            "assessment_wd_bin_edges": edges,
            "assessment_wd_bin_counts": counts,
            "assessment_pressure_stretch": 0.0,
            "assessment_nq_stretch": 0.0,
            "reallocation_rate_per_year": 0.0,
        },
        workforce={
            "establishment_fte": POSTS,
            "caseload_cap": CAP,
            "leave_base_rate_per_year": 0.0,
            "nq_caseload_share": 1.0,
        },
        initial={"vacancy_rate": 0.0, "agency_rate": 0.0},
        inspection={"enabled": False},
        leadership={"dcs_mean_tenure_months": 240, "team_manager_leave_per_year": 0.0},
    )


def test_exponential_histogram_has_the_intended_mean() -> None:
    edges, counts = exponential_bins(MEAN_WD)
    durations = AssessmentDurations(
        Scenario(cases={"assessment_wd_bin_edges": edges, "assessment_wd_bin_counts": counts}).cases
    )
    assert durations.mean_calendar_days() == pytest.approx(MEAN_WD * 7 / 5, rel=1e-3)


@pytest.mark.slow
def test_waiting_for_allocation_matches_erlang_c() -> None:
    """Mean wait for a first allocation against Erlang C at 90% utilisation.

    Tolerance: the replication means' 99% t-interval must contain the theoretical value, widened by
    5% for the model's discretisation (service lengths come from a 400-bin histogram and the warm-up
    months carry the initial empty queue)."""
    scenario = queue_scenario(utilisation=0.9, horizon_years=8)
    waits = np.array(
        [simulate(scenario, 3, r).extra["mean_allocation_wait_days"] for r in range(8)]
    )
    edges, counts = exponential_bins(MEAN_WD)
    service_days = AssessmentDurations(scenario.cases).mean_calendar_days()
    arrival = scenario.demand.first_referrals_per_year / 365.0
    theory = erlang_c_wait(arrival, 1.0 / service_days, POSTS * CAP)
    half = stats.t.ppf(0.995, len(waits) - 1) * waits.std(ddof=1) / math.sqrt(len(waits))
    assert abs(waits.mean() - theory) <= half + 0.05 * theory, (waits.mean(), theory, half)


def test_open_cases_follow_littles_law() -> None:
    """Open cases L against λ·W with W the mean sojourn of closed cases.

    Tolerance 5%: the monthly snapshots' mean over 4 × 5 years has a relative standard error
    below 1%, and sojourn and stock are measured over slightly different windows."""
    scenario = Scenario(
        horizon_years=5,
        warmup_years=1,
        demand={"rereferral_base_probability": 0.0},
        inspection={"enabled": False},
        leadership={"dcs_mean_tenure_months": 240},
    )
    for r in range(4):
        out = simulate(scenario, 9, r)
        stock = np.nanmean(out.timeseries["open_cases"])
        arrivals_per_day = np.nanmean(out.timeseries["referrals"]) * 12 / 365.0
        assessed = arrivals_per_day * (1 - scenario.cases.front_door_nfa_share)
        assert stock == pytest.approx(assessed * out.extra["mean_sojourn_days"], rel=0.05)
