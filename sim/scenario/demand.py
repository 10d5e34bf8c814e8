"""Demand: referrals arriving at the front door, and re-referrals of closed cases."""

from __future__ import annotations

from sim.scenario.fields import Section, param

CIN_2025 = "DfE Children in need 2025, per-LA distribution (evidence §2f)"


class Demand(Section):
    """Referral demand of one local authority."""

    first_referrals_per_year: float = param(
        2650.0,
        unit="referrals/year",
        ge=0,
        le=200_000,
        source=f"calibrated: {CIN_2025}, median LA 3,367 referrals/year less ~22% re-referrals",
        description="Rate of referrals of children not referred in the previous 12 months (Poisson).",
    )
    seasonal_amplitude: float = param(
        0.0,
        unit="1",
        ge=0,
        le=0.9,
        source="assumption: off by default",
        description="Relative amplitude of a yearly sinusoidal cycle in referrals (0 = none).",
    )
    seasonal_peak_month: float = param(
        10.0,
        unit="month of year (0-12)",
        ge=0,
        le=12,
        source="assumption",
        description="Month of the year at which seasonal referrals peak.",
    )
    trend_pct_per_year: float = param(
        0.0,
        unit="%/year",
        ge=-50,
        le=50,
        source="assumption: off by default",
        description="Compound growth of first-time referrals per year.",
    )
    rereferral_base_probability: float = param(
        0.20,
        unit="probability",
        ge=0,
        le=0.95,
        source=f"calibrated: re-referrals within 12 months 22.6% of referrals ({CIN_2025} §2a)",
        description="Chance a closed case is referred again within 12 months, under typical practice.",
    )
    rereferral_quality_effect: float = param(
        0.8,
        unit="log-odds per unit of practice quality",
        ge=0,
        le=10,
        source="assumption: poor practice conditions raise re-referral (DESIGN §4.1)",
        description="How much lower practice quality (below its reference level) raises re-referral.",
    )
    rereferral_sw_change_effect: float = param(
        0.15,
        unit="log-odds per change of social worker",
        ge=0,
        le=2,
        source="assumption: discontinuity of worker raises re-referral (DESIGN §4.1)",
        description="Increase in re-referral log-odds for each change of social worker the child had (up to 3).",
    )
    rereferral_mean_delay_days: float = param(
        120.0,
        unit="days",
        gt=0,
        le=365,
        source="assumption",
        description="Mean delay from closure to re-referral (exponential, truncated at 12 months).",
    )
