"""Many LAs on one clock (DESIGN §4.9): independence without a pool, LA-keyed streams, the
dated national events."""

from __future__ import annotations

import datetime as dt
import math
from types import MethodType, SimpleNamespace
from typing import Any

import numpy as np
import pytest
import simpy

from sim.model import national
from sim.model.equations import DAYS_PER_MONTH, DAYS_PER_YEAR
from sim.model.inspection import Inspectorate
from sim.model.national import day_of, schedule_national_events, simulate_population
from sim.scenario.england import Population
from tests.model.national_helpers import population_scenario, synthetic_specs

SEED = 11


@pytest.mark.parametrize("teams", [None, 0])
def test_uncoupled_las_alone_equal_the_same_las_in_one_environment(teams: int | None) -> None:
    """Without a finite pool, each LA run alone gives exactly its rows of the joint run, so
    the experiment layer may run one task per LA."""
    scenario = population_scenario(reference="baseline", **{"population.pool.teams": teams})
    specs = synthetic_specs(scenario, 3)
    together = simulate_population(specs, scenario.population, SEED, 1)
    for i, spec in enumerate(specs):
        alone = simulate_population([spec], scenario.population, SEED, 1)
        for name, series in together.outputs[i].timeseries.items():
            np.testing.assert_array_equal(alone.outputs[0].timeseries[name], series, err_msg=name)
        assert alone.outputs[0].events == together.outputs[i].events


def test_las_with_the_same_figures_draw_different_numbers() -> None:
    scenario = population_scenario(reference="baseline")
    out = simulate_population(synthetic_specs(scenario, 2), scenario.population, SEED, 0)
    a, b = (o.timeseries["referrals"] for o in out.outputs)
    assert not np.array_equal(a, b)


def test_same_seed_same_national_results() -> None:
    scenario = population_scenario(**{"population.pool.teams": 2})
    specs = synthetic_specs(scenario, 3)
    first = simulate_population(specs, scenario.population, SEED, 0)
    again = simulate_population(specs, scenario.population, SEED, 0)
    for x, y in zip(first.outputs, again.outputs, strict=True):
        for name in x.timeseries:
            np.testing.assert_array_equal(x.timeseries[name], y.timeseries[name])
    assert first.deployments == again.deployments


def _stub_la(next_time: float) -> SimpleNamespace:
    inspectorate = SimpleNamespace(next_time=next_time, next_visit=math.inf, earliest=-math.inf)
    inspectorate.postpone = MethodType(Inspectorate.postpone, inspectorate)
    return SimpleNamespace(
        warmup=100.0,
        inspectorate=inspectorate,
        workforce=SimpleNamespace(agency_rules=False),
    )


def test_inspections_due_in_the_pause_are_put_back_by_its_length() -> None:
    population = Population(table="t", start=dt.date(2017, 10, 1))
    t0 = day_of(population.inspections_paused_from, population, 100.0)
    t1 = day_of(population.inspections_paused_until, population, 100.0)
    early, inside, after = _stub_la(t0 - 50), _stub_la(t0 + 30), _stub_la(t1 + 5)
    env = simpy.Environment()
    las = [early, inside, after]
    schedule_national_events(env, las, population)  # type: ignore[arg-type]
    env.run(until=t0 - 10)
    early.inspectorate.next_time = t0 + 100  # inspected before the pause, next due in it
    env.run(until=t0 + 1)
    assert inside.inspectorate.next_time == pytest.approx(t0 + 30 + (t1 - t0))
    assert early.inspectorate.next_time == t0 + 100 + (t1 - t0)
    assert after.inspectorate.next_time == t1 + 5  # due after the pause: unchanged


def test_agency_rules_apply_to_every_la_from_their_date() -> None:
    population = Population(table="t", agency_rules_from=dt.date(2024, 10, 31))
    t = day_of(population.agency_rules_from, population, 100.0)
    las = [_stub_la(1e9), _stub_la(1e9)]
    env = simpy.Environment()
    schedule_national_events(env, las, population)  # type: ignore[arg-type]
    env.run(until=t - 1)
    assert not any(la.workforce.agency_rules for la in las)
    env.run(until=t + 1)
    assert all(la.workforce.agency_rules for la in las)


def test_agency_rules_change_the_run_from_their_date_and_no_scenario_object() -> None:
    """The dated agency rules are model state the workforce reads: the run follows the run
    without them up to the date and departs from it after, and every scenario object given
    to the run (and the population section) is unchanged at the end."""
    rules = "2018-06-30"
    scenario = population_scenario(
        reference="baseline", **{"population.agency_rules_from": rules, "population.pool.teams": 2}
    )
    specs = synthetic_specs(scenario, 2)
    before = [spec.scenario.model_dump() for spec in specs]
    population_before = scenario.population.model_dump()
    with_rules = simulate_population(specs, scenario.population, SEED, 0)
    assert [spec.scenario.model_dump() for spec in specs] == before
    assert scenario.population.model_dump() == population_before
    without = scenario.population.model_copy(update={"agency_rules_from": None})
    no_rules = simulate_population(specs, without, SEED, 0)
    t = day_of(dt.date.fromisoformat(rules), scenario.population, 0.0)
    months_before = int(t // DAYS_PER_MONTH)  # month ends before the rules' date
    for a, b in zip(with_rules.outputs, no_rules.outputs, strict=True):
        x, y = a.timeseries["agency_fte"], b.timeseries["agency_fte"]
        np.testing.assert_array_equal(x[:months_before], y[:months_before])
        assert not np.array_equal(x[months_before:], y[months_before:])


def _inspections(end: str, pause: bool) -> list[int]:
    values = {
        "population.end": end,
        "inspection.cycle_months": 6,
        "inspection.inadequate_reinspection_months": 6,
    }
    if not pause:
        values |= {"population.inspections_paused_from": None}
        values |= {"population.inspections_paused_until": None}
    scenario = population_scenario(reference="baseline", **values)
    out = simulate_population(synthetic_specs(scenario, 3), scenario.population, SEED, 0)
    return [int(o.events["inspections"]) for o in out.outputs]


def test_no_graded_inspection_in_the_pause() -> None:
    """A run recording whole months to the end of January 2020 (before the pause) and one to
    the end of March 2021 (before inspections resume) hold the same inspections (the same draws
    up to the earlier end); without the pause, a 6-month cycle inspects every LA in that year."""
    before, through = _inspections("2020-02-01", True), _inspections("2021-03-01", True)
    assert through == before
    unpaused = _inspections("2021-03-01", False)
    assert all(u > b for u, b in zip(unpaused, before, strict=True))


def _assert_same_run(a, b) -> None:  # type: ignore[no-untyped-def]
    for x, y in zip(a.outputs, b.outputs, strict=True):
        for name in x.timeseries:
            np.testing.assert_array_equal(x.timeseries[name], y.timeseries[name], err_msg=name)
        for name in x.extra:
            np.testing.assert_array_equal(x.extra[name], y.extra[name], err_msg=name)
        assert x.events == y.events
    np.testing.assert_array_equal(a.pool_idle, b.pool_idle)
    assert a.deployments == b.deployments


def _clocks(monkeypatch: pytest.MonkeyPatch) -> list[national.Clock]:
    """Every national clock the runs make, to read how far LAs ran ahead."""
    made: list[national.Clock] = []

    class Spy(national.Clock):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(national, "Clock", Spy)
    return made


def test_run_ahead_equals_lockstep_when_the_pool_opens_inside_the_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """LAs inadequate from the start get ad-hoc teams before the pool opens and, re-judged
    inadequate in the same week after it, the first of the population gets the one team and the
    other queues; LAs running ahead of the national clock give exactly the lockstep run, the
    deployment log's order included."""
    opens = "2018-06-01"
    scenario = population_scenario(
        **{
            "population.pool.teams": 1,
            "population.pool.no_team_policy": "wait",
            "population.pool.eligibility": "on_request",
            "population.pool.starts": opens,
            "population.end": "2020-09-30",
        }
    )
    specs = synthetic_specs(scenario, 2)
    clocks = _clocks(monkeypatch)
    ahead = simulate_population(specs, scenario.population, 7, 0)
    lockstep = simulate_population(specs, scenario.population, 7, 0, run_ahead=False)
    _assert_same_run(ahead, lockstep)
    t_open = day_of(
        dt.date.fromisoformat(opens),
        scenario.population,
        specs[0].scenario.warmup_years * DAYS_PER_YEAR,
    )
    formations = {(d.formation, d.requested > t_open) for d in ahead.deployments}
    assert formations == {("adhoc", False), ("pool", True), ("queued", True)}
    after = [(d.la, d.formation) for d in ahead.deployments if d.requested > t_open]
    assert after == [("E0", "pool"), ("E1", "queued")]
    assert clocks[0].weeks_ahead > 0 and clocks[1].weeks_ahead == 0


def test_of_two_las_asking_at_once_for_the_one_free_team_the_first_gets_it() -> None:
    """Two LAs requiring improvement from the start ask in the same week for the one team: the
    first of the population gets it, running ahead or in lockstep."""
    scenario = population_scenario(
        reference="baseline",
        **{
            "initial.grade": 3,
            "population.pool.teams": 1,
            "population.pool.eligibility": "requires_improvement",
            "population.end": "2018-06-30",
        },
    )
    specs = synthetic_specs(scenario, 2)
    ahead = simulate_population(specs, scenario.population, 7, 0)
    _assert_same_run(ahead, simulate_population(specs, scenario.population, 7, 0, run_ahead=False))
    [first] = ahead.deployments
    assert (first.la, first.formation, first.reason) == ("E0", "pool", "requires_improvement")
    assert first.decided == first.requested == specs[0].scenario.warmup_years * DAYS_PER_YEAR


def test_an_la_calling_on_the_pool_while_running_ahead_fails_loudly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pool is sealed while LAs run ahead: were the clock told no week may call on it, an
    inadequate LA's intervention would raise instead of silently taking a team out of order."""
    monkeypatch.setattr(national, "may_call_on_pool", lambda la, now: False)
    scenario = population_scenario(**{"population.pool.teams": 1, "population.end": "2018-06-30"})
    with pytest.raises(RuntimeError, match="running ahead"):
        simulate_population(synthetic_specs(scenario, 2), scenario.population, 7, 0)
