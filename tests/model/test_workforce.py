"""The weekly workforce step: shared clocks track the right posts, and vacancies and agency
assignments turn over at their rates."""

from __future__ import annotations

import math

import numpy as np

from sim.model.equations import DAYS_PER_MONTH, DAYS_PER_WEEK, DAYS_PER_YEAR
from sim.model.parameters import ModelParameters
from sim.model.simulation import LocalAuthority
from sim.model.streams import Streams
from sim.model.workforce import (
    AGENCY,
    EMPLOYED,
    Posts,
    WeekContext,
    WorkforceDraws,
    WorkforceDynamics,
)
from sim.scenario.loader import load_scenario
from sim.scenario.scenario import Scenario
from sim.scenario.workforce import Workforce

CALM = WeekContext(
    morale=0.6,
    grade=2,
    supervision_deficit=0.0,
    oversight_stress=0.0,
    stress_relief=0.0,
    leave_shock=1.0,
    recruitment_support=0.0,
)


def _members(clock) -> set[int]:  # type: ignore[no-untyped-def]
    return {i for i in range(len(clock.due)) if clock.is_member(i)}


def test_shared_clocks_follow_the_posts_through_a_run() -> None:
    """After three years of a full replication (leavers, hires, agency cover and its ends), the
    hiring clock holds exactly the posts without an employed worker and the agency clock exactly
    the agency-covered posts."""
    la = LocalAuthority.alone(Scenario(horizon_years=3, warmup_years=0.5), seed=5, replication=0)
    la.start()
    la.env.run(until=la.end)
    posts, dynamics = la.posts, la.workforce
    assert 0 < posts.count(AGENCY) < posts.count(EMPLOYED)
    assert _members(dynamics._hiring) == set(np.flatnonzero(posts.status != EMPLOYED).tolist())
    assert _members(dynamics._agency_ends) == set(np.flatnonzero(posts.status == AGENCY).tolist())


def _dynamics(params: Workforce, hire_rate_per_year: float, seed: int) -> WorkforceDynamics:
    model = ModelParameters.from_scenario(
        Scenario(workforce=params, organisation={"morale_reference": 0.6})
    )
    posts = Posts(model)
    streams = Streams(seed, 0)
    dynamics = WorkforceDynamics(
        posts,
        WorkforceDraws.from_streams(streams, posts.size),
        model,
        lambda grade, morale, support: hire_rate_per_year,
    )
    dynamics.initialise(streams["initial"], vacancy_rate=0.5, agency_rate=0.2)
    return dynamics


def test_vacancies_are_filled_and_agency_assignments_end_at_their_rates() -> None:
    """2,000 posts, half without an employed worker, no leaving and no new cover, over 10 weeks:
    each week a vacancy is filled with chance 1 - exp(-rate x 7/365) and an agency assignment
    ends with chance 1 - exp(-7 / mean stay). Tolerance 4 binomial standard errors over the
    post-weeks at risk (about 0.8 and 2 points)."""
    params = Workforce(
        establishment_fte=2000,
        leave_base_rate_per_year=0.0,
        agency_cover_share=0.0,
        agency_mean_stay_months=3.0,
    )
    hire_rate = 2.0
    dynamics = _dynamics(params, hire_rate, seed=9)
    posts = dynamics.posts
    at_risk = {"hire": 0, "agency end": 0}
    events = {"hire": 0, "agency end": 0}
    for week in range(10):
        at_risk["hire"] += posts.n - posts.count(EMPLOYED)
        at_risk["agency end"] += posts.count(AGENCY)
        changes = dynamics.step(week * DAYS_PER_WEEK, DAYS_PER_WEEK, CALM)
        assert changes.employed_leavers == 0
        events["hire"] += changes.permanent_hires
        events["agency end"] += len(changes.vacated)
    hazards = {
        "hire": hire_rate * DAYS_PER_WEEK / DAYS_PER_YEAR,
        "agency end": DAYS_PER_WEEK / (3.0 * DAYS_PER_MONTH),
    }
    for what, hazard in hazards.items():
        p, n = -math.expm1(-hazard), at_risk[what]
        assert abs(events[what] / n - p) < 4 * math.sqrt(p * (1 - p) / n), (what, events, n, p)


def _leavers_of_an_overloaded_team(weeks: int) -> list[list[int]]:
    """Posts vacated each week by 400 workers far over their caseload cap (stress near 1, where
    the hazard bound is tightest), many of them new hires in early service."""
    params = Workforce(establishment_fte=400, agency_cover_share=0.0)
    dynamics = _dynamics(params, hire_rate_per_year=50.0, seed=13)
    posts = dynamics.posts
    leavers = []
    for week in range(weeks):
        posts.load[:] = 3 * int(params.caseload_cap)
        posts.refresh(week * DAYS_PER_WEEK, force=True)
        leavers.append(dynamics.step(week * DAYS_PER_WEEK, DAYS_PER_WEEK, CALM).vacated)
    return leavers


def test_only_posts_under_the_hazard_bound_need_checking(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The weekly step checks one by one only posts whose leaving draw is below the hazard of
    the most stressed worker (stress 1) in the riskier band of service. Checking every post
    instead must find the same leavers week by week, in a team whose stress is near 1, where a
    bound that is too tight would miss some (one at stress 0.95 does here)."""
    from sim.model.streams import StepDraws

    fast = _leavers_of_an_overloaded_team(150)

    def every_post(self: StepDraws, bound: float) -> list[int]:
        return list(range(self._block.shape[1]))

    monkeypatch.setattr(StepDraws, "below", every_post)
    checked = _leavers_of_an_overloaded_team(150)
    assert sum(map(len, checked)) > 300  # the team turns over: the check has work to do
    assert fast == checked


def test_posts_added_after_an_inadequate_judgement_wait_unfunded_until_then() -> None:
    """200 funded posts and 20% growth: the 40 extra posts are never filled, covered or counted
    while unfunded (eight weeks of brisk hiring and full agency cover); once funded they count as
    vacant, join the hiring clock, get filled or covered, and a second judgement adds none."""
    params = Workforce(establishment_fte=200, establishment_growth_after_inadequate=0.2)
    dynamics = _dynamics(params, hire_rate_per_year=20.0, seed=3)
    posts = dynamics.posts
    assert (posts.n, posts.size) == (200, 240)
    extra = np.arange(200, 240)
    for week in range(8):
        dynamics.step(week * DAYS_PER_WEEK, DAYS_PER_WEEK, CALM)
        assert (posts.status[extra] == 0).all() and not posts.vacant[extra].any()
        assert sum(posts.counts) == 200
    assert not (_members(dynamics._hiring) & set(extra.tolist()))
    vacant_before = posts.count(0)
    assert dynamics.fund_growth() == 40
    assert posts.n == 240 and posts.count(0) == vacant_before + 40
    assert set(extra.tolist()) <= _members(dynamics._hiring)
    for week in range(8, 20):
        dynamics.step(week * DAYS_PER_WEEK, DAYS_PER_WEEK, CALM)
    assert sum(posts.counts) == 240 and (posts.status[extra] != 0).sum() > 20
    assert dynamics.fund_growth() == 0 and posts.n == 240


def test_no_growth_keeps_every_post_funded_from_the_start() -> None:
    """Growth 0 (the default) allocates no extra post, so the arrays and per-post random streams
    are those of the fixed establishment (the blessed references check the values)."""
    posts = Posts(ModelParameters.from_scenario(Scenario()))
    assert posts.size == posts.n and posts.funded.all()


def test_the_council_adds_posts_at_an_inadequate_judgement_in_the_run() -> None:
    """The troubled reference start with 20% growth over four years: in seed 1 the re-inspection
    24 months on finds the LA inadequate again and the establishment (employed + vacant FTE)
    steps from 130 to 156 at that month's end (month 25) and stays; in seed 0 it is graded requires improvement and stays
    at 130."""
    scenario = load_scenario(
        "scenarios/reference/troubled.yaml",
        overrides={"workforce.establishment_growth_after_inadequate": 0.2, "horizon_years": 4},
    )
    for seed, expected_step in ((1, 25), (0, None)):
        ts = LocalAuthority.alone(scenario, seed=seed, replication=0).run().timeseries
        establishment = ts["employed_fte"] + ts["vacancy_fte"]
        steps = (np.flatnonzero(np.diff(establishment)) + 2).tolist()  # months (1-based)
        if expected_step is None:
            assert steps == [] and establishment[0] == 130
        else:
            assert steps == [expected_step], steps
            assert ts["ofsted_grade"][expected_step - 1] == 4
            assert establishment[0] == 130 and establishment[-1] == 156
