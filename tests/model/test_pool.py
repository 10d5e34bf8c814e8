"""The national pool of change teams (DESIGN §4.9): who gets a pool team, who an ad-hoc one,
who waits, and what the pool costs.

Each test is one replication at a fixed seed of a synthetic population whose LAs are all
inadequate at the start (tests/model/national_helpers.py), so every LA calls on the pool in
the same week: the properties checked hold exactly, by construction of the pool, whatever the
draws (no tolerance is needed).
"""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from sim.model import national
from sim.model.metrics import METRIC_NAMES
from sim.model.national import simulate_population
from sim.model.national_aggregates import national_rows
from sim.model.pool import ADHOC, POOL, ChangeTeamPool
from sim.scenario.england import Pool
from tests.model.national_helpers import population_scenario, synthetic_specs

SEED = 7


def _run(n_las: int = 4, **pool: object):  # type: ignore[no-untyped-def]
    scenario = population_scenario(**{f"population.pool.{k}": v for k, v in pool.items()})
    out = simulate_population(synthetic_specs(scenario, n_las), scenario.population, SEED, 0)
    return scenario, out


def _national(scenario, out):  # type: ignore[no-untyped-def]
    metrics = {m: np.stack([o.timeseries[m] for o in out.outputs]) for m in METRIC_NAMES}
    series = {k: np.stack([o.extra[k] for o in out.outputs]) for k in out.outputs[0].extra}
    warmup = scenario.warmup_years * 365.0
    return national_rows(metrics, series, out.pool_idle, scenario.population, warmup)


def test_store_hands_out_and_takes_back_teams() -> None:
    env = simpy.Environment()
    pool = ChangeTeamPool(env, Pool(teams=2))
    assert pool.try_take() == 0 and pool.try_take() == 1 and pool.try_take() is None
    pool.give_back(1, at=10.0)
    env.run(until=11.0)
    assert pool.idle() == 1 and pool.try_take() == 1


def test_pool_of_zero_teams_makes_every_intervention_ad_hoc() -> None:
    scenario, out = _run(teams=0)
    assert out.deployments, "inadequate LAs must get interventions"
    assert {d.formation for d in out.deployments} == {ADHOC}
    assert {d.la for d in out.deployments} == set(out.codes)  # every LA intervened
    national = _national(scenario, out)
    assert national["pool_teams_deployed"].sum() == 0
    assert national["adhoc_teams_formed"].sum() == len(out.deployments)
    assert np.all(national["pool_salary_gbp_m"] == 0)


def test_large_pool_none_waits() -> None:
    scenario, out = _run(teams=50, no_team_policy="wait")
    assert out.deployments and {d.formation for d in out.deployments} == {POOL}
    assert all(d.decided == d.requested for d in out.deployments)  # no one queued
    national = _national(scenario, out)
    assert national["las_waiting_for_team"].sum() == 0
    assert national["adhoc_teams_formed"].sum() == 0


def test_small_pool_with_many_failures_is_busy_and_ad_hoc_teams_form() -> None:
    scenario, out = _run(n_las=5, teams=2)
    national = _national(scenario, out)
    assert national["pool_teams_busy"].max() == 2  # every team out at once
    assert national["adhoc_teams_formed"].sum() >= 3  # the other three LAs
    first = [d for d in out.deployments if d.requested == out.deployments[0].requested]
    assert sum(d.formation == POOL for d in first) == 2
    assert sum(d.formation == ADHOC for d in first) == 3


def test_wait_policy_queues_instead_of_forming_ad_hoc_teams() -> None:
    scenario, out = _run(n_las=3, teams=1, no_team_policy="wait")
    assert {d.formation for d in out.deployments} <= {POOL, "queued"}
    national = _national(scenario, out)
    assert national["las_waiting_for_team"].max() == 2
    assert national["adhoc_teams_formed"].sum() == 0
    served = [d for d in out.deployments if d.formation == POOL]
    assert any(d.decided > d.requested for d in served)  # someone got the team after a wait


def test_pool_min_deployment_sets_how_long_a_pool_team_stays() -> None:
    _, out = _run(teams=10, min_deployment_months=30)
    lengths = {round((d.end - d.start) / (365 / 12), 6) for d in out.deployments}
    assert lengths == {30.0}  # longer than the scenario's own 12 months


def test_idle_salary_appears_in_the_national_cost() -> None:
    scenario, out = _run(n_las=2, teams=6, salary_per_fte_gbp_year=120_000.0, team_fte=4.0)
    national = _national(scenario, out)
    monthly_salary = 6 * 4 * 120_000.0 / 12 / 1e6
    np.testing.assert_allclose(national["pool_salary_gbp_m"], monthly_salary)
    np.testing.assert_allclose(
        national["cost_month_gbp_m"] - national["la_cost_gbp_m"], monthly_salary
    )
    assert national["pool_teams_idle"].min() >= 4  # only two LAs: four teams always idle
    np.testing.assert_allclose(
        national["pool_idle_salary_gbp_m"], national["pool_teams_idle"] * 4 * 10_000.0 / 1e6
    )


def test_a_pool_team_costs_the_la_no_day_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The LA's monthly cost leaves out exactly the day rate of a pool team in place (the pool
    is paid nationally), and nothing in the other months."""
    scenario, pooled = _run(n_las=1, teams=1)
    monkeypatch.setattr(national, "_correct_costs", lambda la, _team: dict(la.recorder.data))
    _, raw = _run(n_las=1, teams=1)
    p, r = pooled.outputs[0].timeseries, raw.outputs[0].timeseries
    in_place = pooled.outputs[0].extra["pool_team"].astype(bool)
    assert in_place.any() and not in_place.all()
    working_days = scenario.costs.working_days_per_week * (365 / 12) / 7
    day_rate_cost = p["change_team_fte"] * scenario.intervention.day_rate_gbp * working_days
    np.testing.assert_allclose(r["cost_month_gbp"] - p["cost_month_gbp"], day_rate_cost * in_place)
    assert np.all(day_rate_cost[in_place] > 0)
    np.testing.assert_allclose(np.cumsum(p["cost_month_gbp"]), p["cost_cumulative_gbp"])


def test_pool_of_zero_teams_is_no_pool_for_las_whose_own_teams_are_ad_hoc() -> None:
    """The improvement notice's own team is ad hoc, so a pool of 0 teams changes nothing: the
    same rows, and the same ad-hoc teams counted (by the pool's log, or by the LAs' own
    interventions when there is no pool)."""
    none_scenario, none = _run(teams=None)
    zero_scenario, zero = _run(teams=0)
    for a, b in zip(none.outputs, zero.outputs, strict=True):
        for name in a.timeseries:
            np.testing.assert_array_equal(a.timeseries[name], b.timeseries[name], err_msg=name)
    formed_none = _national(none_scenario, none)["adhoc_teams_formed"]
    formed_zero = _national(zero_scenario, zero)["adhoc_teams_formed"]
    assert formed_none.sum() > 0
    np.testing.assert_array_equal(formed_none, formed_zero)
