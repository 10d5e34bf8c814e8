"""Leadership on its own: directors' spells and team managers' states against their rates.

Each test steps one :class:`LeadershipState` week by week for a long time with a fixed seed and
compares a long-run figure with the value its parameters imply. Tolerances are four standard
errors of that figure (stated per test), so they fail for a wrong rate, not for noise.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.model.equations import DAYS_PER_MONTH, DAYS_PER_WEEK, DAYS_PER_YEAR
from sim.model.leadership import TM_INTERIM, TM_PERMANENT, TM_VACANT, LeadershipState
from sim.model.parameters import ModelParameters
from sim.model.streams import Streams
from sim.scenario.leadership import Leadership
from sim.scenario.scenario import Scenario

GOOD, INADEQUATE = 2, 4


def _model(params: Leadership) -> ModelParameters:
    return ModelParameters.from_scenario(Scenario(leadership=params))


def _run(params: Leadership, years: float, n_posts: int = 35, grade: int = GOOD, seed: int = 3):
    lead = LeadershipState(_model(params), Streams(seed, 0), n_posts, 12.0, origin=0.0)
    weeks = int(years * DAYS_PER_YEAR / DAYS_PER_WEEK)
    for k in range(weeks):
        lead.step(k * DAYS_PER_WEEK, DAYS_PER_WEEK, params.governance_quality, grade, 1.0)
    return lead, weeks * DAYS_PER_WEEK


@pytest.mark.parametrize(
    ("interim_probability", "grade", "multiplier"),
    [(0.0, GOOD, 1.0), (0.4, GOOD, 1.0), (0.0, INADEQUATE, 2.0)],
)
def test_directors_change_at_the_rate_their_mean_spell_implies(
    interim_probability: float, grade: int, multiplier: float
) -> None:
    """Changes per year = 1 / mean spell of all directors (interims included), and twice as
    many permanent departures under an inadequate grade (``inadequate_hazard_multiplier`` 2).
    Weekly steps add half a week to each spell on average. The count's standard error is
    sqrt(n) x the spells' coefficient of variation (at most 1.2 for this mix of exponential
    spells), so the tolerance is 4.8 / sqrt(n): about 8% for the ~3,600 changes here."""
    params = Leadership(
        dcs_interim_probability=interim_probability, inadequate_hazard_multiplier=multiplier
    )
    lead, days = _run(params, years=10_000 / multiplier, grade=grade)
    n = len(lead.change_times)
    if interim_probability == 0.0:
        spell_days = params.dcs_mean_tenure_months * DAYS_PER_MONTH / multiplier
    else:
        spell_days = params.dcs_mean_tenure_months * DAYS_PER_MONTH
    expected = days / (spell_days + DAYS_PER_WEEK / 2)
    assert abs(n / expected - 1.0) < 4.8 / math.sqrt(n), (n, expected)


def test_team_managers_settle_at_the_shares_their_rates_imply() -> None:
    """With leaving hazard L and appointment hazard A per week (as chances 1 - exp(-h)), the
    long-run share of permanent managers is pA / (pA + pL); a leaver is followed by an interim
    with probability ``team_manager_interim_share``, who stays until the next appointment like a
    vacancy. 300 managers over 60 years: a state lasts ~2 months on average for vacancies and
    ~7 years for permanent managers, so the yearly snapshots after a 5-year burn-in give about
    300 x 55 / 7 independent observations of a permanent spell; the standard error of the
    permanent share is below 0.002 and the tolerance is 0.01. The interim share among
    non-permanent posts (~5,000 observations) gets 0.05."""
    params = Leadership(team_manager_leave_per_year=0.5, team_manager_recruit_months=4.0)
    n_posts = 300 * int(params.team_manager_span)
    lead = LeadershipState(_model(params), Streams(11, 0), n_posts, 12.0, origin=0.0)
    assert lead.n_tm == 300
    weeks_per_year = DAYS_PER_YEAR / DAYS_PER_WEEK
    snapshots = []
    for k in range(int(60 * weeks_per_year)):
        lead.step(k * DAYS_PER_WEEK, DAYS_PER_WEEK, params.governance_quality, GOOD, 1.0)
        if k > 5 * weeks_per_year and k % 52 == 0:
            snapshots.append(lead.tm.copy())
    states = np.concatenate(snapshots)
    p_leave = -math.expm1(-params.team_manager_leave_per_year * DAYS_PER_WEEK / DAYS_PER_YEAR)
    p_appoint = -math.expm1(-DAYS_PER_WEEK / (params.team_manager_recruit_months * DAYS_PER_MONTH))
    expected = p_appoint / (p_appoint + p_leave)
    assert abs(np.mean(states == TM_PERMANENT) - expected) < 0.01
    not_permanent = states[states != TM_PERMANENT]
    assert set(np.unique(not_permanent)) <= {TM_INTERIM, TM_VACANT}
    assert abs(np.mean(not_permanent == TM_INTERIM) - params.team_manager_interim_share) < 0.05


def test_supervision_deficit_follows_the_managers_in_post() -> None:
    """The cached supervision deficit equals 1 - (permanent + interim x their supervision) / posts."""
    params = Leadership(team_manager_leave_per_year=2.0)
    lead, _ = _run(params, years=3, n_posts=70)
    permanent = np.count_nonzero(lead.tm == TM_PERMANENT)
    interim = np.count_nonzero(lead.tm == TM_INTERIM)
    assert permanent < lead.n_tm  # the test exercised some turnover
    expected = 1.0 - (permanent + params.interim_manager_supervision * interim) / lead.n_tm
    assert lead.supervision_deficit() == pytest.approx(expected)
    assert lead.interim_leaders() == int(lead.dcs_interim) + interim
