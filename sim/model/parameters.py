"""The model's parameters, built once from a scenario: every unit conversion happens here.

A scenario states durations in months, weeks or years, rates per year and growth in percent, as
the evidence does; the model runs in days. :meth:`ModelParameters.from_scenario` converts once,
so the model's modules read model-ready values (``*_days``, ``*_per_day``, factors) and convert
no scenario field themselves. Fields the model uses as stated (shares, weights, effects) are
read from :attr:`ModelParameters.scenario`.

Each converted value is computed exactly as the model computed it before, so results are
bit-identical (``csc-sim regress``). Three conversions stay where a variate is drawn in months
(an inspection's jittered cycle, the director's drawn time in post and an interim director's
stay), as converting first would reorder a floating-point product and change every result; the
hazard integrations (``rate_per_year × dt_days / 365``) and the model's own calendar (month
length, trailing 12-month windows) are not unit conversions of a scenario field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.model.equations import (
    DAYS_PER_MONTH,
    DAYS_PER_WEEK,
    DAYS_PER_YEAR,
    MONTHS_PER_YEAR,
    hazard_to_probability,
    permanent_dcs_tenure_months,
)
from sim.scenario.scenario import Scenario

#: Weeks in a month (cost rates per week to per month).
WEEKS_PER_MONTH = DAYS_PER_MONTH / DAYS_PER_WEEK
#: Re-referrals counted are those within this many days of closure (DfE: 12 months).
REREFERRAL_WINDOW_DAYS = DAYS_PER_YEAR


@dataclass(frozen=True)
class ModelParameters:
    """Model-ready values of one LA's scenario (one arm), in days unless a name says otherwise.

    Attributes are grouped by the scenario section they come from; each names its source field.
    """

    scenario: Scenario  #: the validated scenario (an arm, without sweep fields)
    # run
    warmup_days: float  #: warmup_years × 365
    n_months: int  #: months recorded after the warm-up: horizon_years × 12, rounded
    end_days: float  #: when the run ends: warm-up plus the recorded months
    # demand
    first_referrals_per_day: float  #: first_referrals_per_year / 365
    referral_growth_per_year: float  #: growth factor a year: 1 + trend_pct_per_year / 100
    seasonal_peak_year_fraction: float  #: seasonal_peak_month / 12
    #: P(delay < 12 months) of an untruncated exponential re-referral delay (mean
    #: rereferral_mean_delay_days): the truncated delay's inverse CDF scales by it.
    rereferral_delay_mass: float
    #: Referrals needing an assessment per day in steady state (first referrals grossed up by
    #: the base re-referral chance, less the front door's closures): Little's law inflow.
    steady_assessments_per_day: float
    # cases
    reallocation_chance_per_week: float  #: 1 − exp(−reallocation_rate_per_year × 7/365)
    cin_median_days: float  #: cin_median_months × 365/12
    cp_median_days: float  #: cp_median_months × 365/12
    looked_after_median_days: float  #: looked_after_median_months × 365/12
    # workforce
    nq_days: float  #: nq_months × 365/12
    initial_service_mean_days: float  #: initial_service_mean_years × 365
    stress_adjust_days: float  #: stress_adjust_weeks × 7
    agency_mean_stay_days: float  #: agency_mean_stay_months × 365/12
    agency_cover_rate_per_year: float  #: 365 / (agency_cover_delay_weeks × 7)
    recruitment_base_rate_per_year: float  #: 12 / recruitment_mean_months
    # organisation
    gain_fade_years: float  #: gain_fade_months / 12
    embed_years: float  #: embed_months / 12
    morale_adjust_days: float  #: morale_adjust_months × 365/12
    # leadership
    permanent_dcs_tenure_months: float  #: :func:`~sim.model.equations.permanent_dcs_tenure_months`
    director_base_leaving_per_year: float  #: 365 / (permanent tenure × 365/12)
    settle_days: float  #: settle_months × 365/12
    change_leaving_days: float  #: change_leaving_months × 365/12
    team_manager_recruit_days: float  #: team_manager_recruit_months × 365/12
    governance_deficit: float  #: max(0, governance_reference − governance_quality)
    # inspection
    inadequate_reinspection_days: float  #: inadequate_reinspection_months × 365/12
    cliff_edge_days: float  #: cliff_edge_months × 365/12
    initial_days_since_inspection: float  #: initial.months_since_inspection × 365/12
    # intervention
    start_delay_days: float  #: start_delay_months × 365/12
    duration_days: float  #: duration_months × 365/12
    formation_days: float  #: pool_ or adhoc_formation_months (by formation) × 365/12
    taper_days: float  #: taper_months × 365/12
    # costs
    working_days_per_month: float  #: working_days_per_week × 365/12 / 7

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ModelParameters:
        """Convert a validated scenario's fields to the model's units."""
        s = scenario
        d, c, w, o, ld, i, iv = (
            s.demand,
            s.cases,
            s.workforce,
            s.organisation,
            s.leadership,
            s.inspection,
            s.intervention,
        )
        warmup_days = s.warmup_years * DAYS_PER_YEAR
        n_months = int(round(s.horizon_years * MONTHS_PER_YEAR))
        tenure = permanent_dcs_tenure_months(
            dcs_mean_tenure_months=ld.dcs_mean_tenure_months,
            dcs_interim_probability=ld.dcs_interim_probability,
            dcs_interim_months=ld.dcs_interim_months,
        )
        formation_months = (
            iv.pool_formation_months if iv.formation == "pool" else iv.adhoc_formation_months
        )
        return cls(
            scenario=s,
            warmup_days=warmup_days,
            n_months=n_months,
            end_days=warmup_days + n_months * DAYS_PER_MONTH,
            first_referrals_per_day=d.first_referrals_per_year / DAYS_PER_YEAR,
            referral_growth_per_year=1.0 + d.trend_pct_per_year / 100.0,
            seasonal_peak_year_fraction=d.seasonal_peak_month / MONTHS_PER_YEAR,
            rereferral_delay_mass=1.0
            - math.exp(-REREFERRAL_WINDOW_DAYS / d.rereferral_mean_delay_days),
            steady_assessments_per_day=d.first_referrals_per_year
            / (1.0 - d.rereferral_base_probability)
            * (1.0 - c.front_door_nfa_share)
            / DAYS_PER_YEAR,
            reallocation_chance_per_week=float(
                hazard_to_probability(c.reallocation_rate_per_year, DAYS_PER_WEEK)
            ),
            cin_median_days=c.cin_median_months * DAYS_PER_MONTH,
            cp_median_days=c.cp_median_months * DAYS_PER_MONTH,
            looked_after_median_days=c.looked_after_median_months * DAYS_PER_MONTH,
            nq_days=w.nq_months * DAYS_PER_MONTH,
            initial_service_mean_days=w.initial_service_mean_years * DAYS_PER_YEAR,
            stress_adjust_days=w.stress_adjust_weeks * DAYS_PER_WEEK,
            agency_mean_stay_days=w.agency_mean_stay_months * DAYS_PER_MONTH,
            agency_cover_rate_per_year=DAYS_PER_YEAR / (w.agency_cover_delay_weeks * DAYS_PER_WEEK),
            recruitment_base_rate_per_year=12.0 / w.recruitment_mean_months,
            gain_fade_years=o.gain_fade_months / MONTHS_PER_YEAR,
            embed_years=o.embed_months / MONTHS_PER_YEAR,
            morale_adjust_days=o.morale_adjust_months * DAYS_PER_MONTH,
            permanent_dcs_tenure_months=tenure,
            director_base_leaving_per_year=DAYS_PER_YEAR / (tenure * DAYS_PER_MONTH),
            settle_days=ld.settle_months * DAYS_PER_MONTH,
            change_leaving_days=ld.change_leaving_months * DAYS_PER_MONTH,
            team_manager_recruit_days=ld.team_manager_recruit_months * DAYS_PER_MONTH,
            governance_deficit=max(0.0, ld.governance_reference - ld.governance_quality),
            inadequate_reinspection_days=i.inadequate_reinspection_months * DAYS_PER_MONTH,
            cliff_edge_days=i.cliff_edge_months * DAYS_PER_MONTH,
            initial_days_since_inspection=s.initial.months_since_inspection * DAYS_PER_MONTH,
            start_delay_days=iv.start_delay_months * DAYS_PER_MONTH,
            duration_days=iv.duration_months * DAYS_PER_MONTH,
            formation_days=formation_months * DAYS_PER_MONTH,
            taper_days=iv.taper_months * DAYS_PER_MONTH,
            working_days_per_month=s.costs.working_days_per_week * WEEKS_PER_MONTH,
        )
