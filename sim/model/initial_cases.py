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
from sim.model.parameters import ModelParameters


def seed_open_cases(cases: CaseFlow, params: ModelParameters, rng: np.random.Generator) -> None:
    """Open the stock of cases a service of this size holds in steady state.

    Each kind's stock is Poisson with mean inflow × mean duration (Little's law); ages and
    remaining times are drawn length-biased (see :mod:`sim.model.durations`).
    """
    c = params.scenario.cases
    assessed = params.steady_assessments_per_day
    n = rng.poisson(assessed * cases.durations.mean_calendar_days())
    cases.open_initial(KIND_ASSESSMENT, *open_assessment_days(rng, cases.durations, n))
    shares = {
        KIND_CIN: 1.0 - c.not_in_need_share - c.child_protection_share - c.looked_after_share,
        KIND_CP: c.child_protection_share,
        KIND_LOOKED_AFTER: c.looked_after_share,
    }
    for kind, share in shares.items():
        n = rng.poisson(assessed * share * lognormal_mean_days(params, kind))
        mu, sigma = lognormal_params(params, kind)
        cases.open_initial(kind, *open_lognormal_days(rng, mu, sigma, n))
