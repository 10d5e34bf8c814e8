"""Costs (DESIGN §4.7): staff, interims, change team, oversight, recruitment and set-up, per month."""

from __future__ import annotations

from sim.model.leadership import LeadershipState
from sim.model.parameters import WEEKS_PER_MONTH, ModelParameters


def monthly_cost(
    params: ModelParameters,
    employed_fte: float,
    agency_fte: float,
    leadership: LeadershipState,
    change_team_fte: float,
    oversight_bodies: int,
    permanent_hires: int,
    setup_gbp: float,
) -> float:
    """Cost of one month in GBP.

    Employed and agency social workers at weekly rates; permanent team managers at a weekly rate;
    interim managers, an interim director and the change team at day rates; each oversight body at a
    monthly rate; recruitment per permanent hire; and any one-off set-up cost falling in the month.
    A permanent director's salary is the same whatever happens and is left out.
    """
    c = params.scenario.costs
    working_days = params.working_days_per_month
    staff = (
        employed_fte * c.employed_sw_weekly_gbp + agency_fte * c.agency_sw_weekly_gbp
    ) * WEEKS_PER_MONTH
    managers = leadership.permanent_managers * c.team_manager_weekly_gbp * WEEKS_PER_MONTH
    interims = leadership.interim_managers * c.interim_manager_day_gbp * working_days
    if leadership.dcs_interim:
        interims += c.interim_dcs_day_gbp * working_days
    change_team = change_team_fte * params.scenario.intervention.day_rate_gbp * working_days
    oversight = oversight_bodies * c.oversight_body_month_gbp
    recruitment = permanent_hires * c.recruitment_cost_per_hire_gbp
    return staff + managers + interims + change_team + oversight + recruitment + setup_gbp
