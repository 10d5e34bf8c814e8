"""The stock of open cases at the start of a replication (DESIGN §6: Little's law)."""

from __future__ import annotations

import numpy as np

from sim.model.caseflow import CaseFlow
from sim.model.durations import (
    KIND_ASSESSMENT,
    KIND_CIN,
    KIND_CP,
    KIND_LOOKED_AFTER,
    lognormal_mean_days,
    lognormal_params,
    open_assessment_days,
    open_lognormal_days,
)
from sim.model.equations import DAYS_PER_YEAR
from sim.scenario.scenario import Scenario


def seed_open_cases(cases: CaseFlow, s: Scenario, rng: np.random.Generator) -> None:
    """Open the stock of cases a service of this size holds in steady state.

    Each kind's stock is Poisson with mean inflow × mean duration (Little's law); ages and
    remaining times are drawn length-biased (see :mod:`sim.model.durations`).
    """
    c = s.cases
    referrals = s.demand.first_referrals_per_year / (1.0 - s.demand.rereferral_base_probability)
    assessed = referrals * (1.0 - c.front_door_nfa_share) / DAYS_PER_YEAR  # per day
    n = rng.poisson(assessed * cases.durations.mean_calendar_days())
    cases.open_initial(KIND_ASSESSMENT, *open_assessment_days(rng, cases.durations, n))
    shares = {
        KIND_CIN: 1.0 - c.not_in_need_share - c.child_protection_share - c.looked_after_share,
        KIND_CP: c.child_protection_share,
        KIND_LOOKED_AFTER: c.looked_after_share,
    }
    for kind, share in shares.items():
        n = rng.poisson(assessed * share * lognormal_mean_days(c, kind))
        mu, sigma = lognormal_params(c, kind)
        cases.open_initial(kind, *open_lognormal_days(rng, mu, sigma, n))
