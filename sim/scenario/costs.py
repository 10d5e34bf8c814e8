"""Unit costs: staff, interims, change teams, oversight and recruitment."""

from __future__ import annotations

from sim.scenario.fields import Section, param

ST_HELENS = "St Helens Council 2025, agency staffing decision 0044 (evidence §5a)"


class Costs(Section):
    """Prices in pounds sterling (GBP)."""

    employed_sw_weekly_gbp: float = param(
        1280.0,
        unit="GBP/week",
        ge=0,
        le=20_000,
        source=f"{ST_HELENS}: £1,280 a week",
        description="Cost of one employed social worker FTE a week.",
    )
    agency_sw_weekly_gbp: float = param(
        1800.0,
        unit="GBP/week",
        ge=0,
        le=20_000,
        source=f"{ST_HELENS}: £1,800 a week",
        description="Cost of one agency social worker FTE a week.",
    )
    team_manager_weekly_gbp: float = param(
        1400.0,
        unit="GBP/week",
        ge=0,
        le=20_000,
        source="Community Care 2018 FOI: team manager median £51,555 a year, London (evidence §5a)",
        description="Cost of a permanent team manager a week (salary and on-costs, assumption for on-costs).",
    )
    interim_manager_day_gbp: float = param(
        400.0,
        unit="GBP/day",
        ge=0,
        le=5_000,
        source="CYP Now 2022: Sheffield managed team £400/day per manager (evidence §5a)",
        description="Day rate of an interim team manager.",
    )
    interim_dcs_day_gbp: float = param(
        1000.0,
        unit="GBP/day",
        ge=0,
        le=10_000,
        source="assumption: Yorkshire Post c.2010 Leeds interim DCS ~£1,000/day, year unverified (evidence §5c)",
        description="Day rate of an interim director.",
    )
    oversight_body_month_gbp: float = param(
        15_000.0,
        unit="GBP/month",
        ge=0,
        le=1_000_000,
        source="assumption",
        description="Monthly cost of each oversight body (board, adviser, monitoring).",
    )
    recruitment_cost_per_hire_gbp: float = param(
        5_000.0,
        unit="GBP/hire",
        ge=0,
        le=100_000,
        source="assumption: PCG, turnover costs 30-70% of salary (US, evidence §6), recruitment share only",
        description="Cost of recruiting one permanent social worker.",
    )
    working_days_per_week: float = param(
        5.0,
        unit="days/week",
        gt=0,
        le=7,
        source="DESIGN §4: working days are 5/7 of calendar days",
        description="Working days in a week, for day rates.",
    )
