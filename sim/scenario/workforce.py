"""Workforce: establishment, employed and agency social workers, stress, leaving and recruitment."""

from __future__ import annotations

from sim.scenario.calibrated import CALIBRATED_TARGETS, CALIBRATION_STUDY
from sim.scenario.fields import Section, param

CSWW = "DfE Children's social work workforce"


class Workforce(Section):
    """Case-holding social workers of one local authority."""

    establishment_fte: float = param(
        130.0,
        unit="FTE",
        ge=1,
        le=2000,
        source=f"{CSWW} 2025: median LA 119 case-holding FTE in post (evidence §1c) plus ~17% vacant posts",
        description="Funded case-holding social-worker posts.",
    )
    establishment_growth_after_inadequate: float = param(
        0.0,
        unit="share of establishment_fte",
        ge=0,
        le=0.5,
        hash_omit_default=True,
        source="assumption: off by default; councils fund posts after an inadequate judgement "
        "(Warwickshire 345 -> 368 FTE, +6.7%, 2017-2020, evidence §6; CSWW vacancy 22% -> 30% "
        "at the judgement, calibration/targets.csv cliff_vacancy_*)",
        description="Posts the council adds, once per run, at its first inadequate judgement in "
        "the run (vacant until filled; kept afterwards).",
    )
    caseload_target: float = param(
        16.0,
        unit="cases/FTE",
        gt=0,
        le=60,
        source=f"{CSWW} 2017-2025: national caseload 15.2-17.7 cases per FTE (evidence §1a)",
        description="Caseload a worker carries without extra stress; pressure is measured against it.",
    )
    caseload_cap: float = param(
        26.0,
        unit="cases/FTE",
        gt=0,
        le=80,
        source="assumption: managers stop allocating above this; LA caseloads reached 24.9 in 2020 (Community Care 2021, evidence §1c)",
        description="Most cases allocated to one experienced worker; above it new work waits unallocated.",
    )
    nq_caseload_share: float = param(
        0.9,
        unit="share of full caseload",
        ge=0.1,
        le=1,
        source="Suffolk ASYE guidance: 90% of a full caseload in the first year (evidence §6)",
        description="Caseload cap of a newly qualified worker in the first year, relative to the full cap.",
    )
    nq_share_of_hires: float = param(
        0.55,
        unit="share of permanent hires",
        ge=0,
        le=1,
        source="calibrated: ~11% of LA social workers newly qualified (Community Care 2014, evidence §1e)",
        description="Share of permanent hires who are newly qualified (first year of practice).",
    )
    nq_months: float = param(
        12.0,
        unit="months",
        ge=0,
        le=36,
        source="Suffolk ASYE guidance: the assessed and supported year in employment (evidence §6)",
        description="Length of the newly qualified year.",
    )
    absence_rate: float = param(
        0.034,
        unit="share of working days",
        ge=0,
        le=0.5,
        source=f"{CSWW} 2024: absence rate 3.4% (evidence §1a)",
        description="Working days lost to sickness; stretches work in progress.",
    )
    stress_adjust_weeks: float = param(
        8.0,
        unit="weeks",
        gt=0,
        le=104,
        source="assumption",
        description="Time for a worker's stress to move most of the way to its new level.",
    )
    stress_caseload_weight: float = param(
        1.0,
        unit="stress per unit of relative excess caseload",
        ge=0,
        le=10,
        source="IFF longitudinal study wave 1 2018: too many cases a cause of stress for 50% (evidence §6)",
        description="Stress from a caseload above target.",
    )
    stress_supervision_weight: float = param(
        0.3,
        unit="stress per unit of supervision deficit",
        ge=0,
        le=5,
        source="Mor Barak et al. 2001: lack of support predicts leaving (evidence §6)",
        description="Stress from weak supervision (vacant or interim team managers).",
    )
    stress_oversight_weight: float = param(
        0.05,
        unit="stress per oversight body",
        ge=0,
        le=1,
        source="assumption: oversight 'noise' (seed article)",
        description="Stress added for each external oversight body watching the service.",
    )
    stress_baseline: float = param(
        0.3,
        unit="stress (0-1)",
        ge=0,
        le=1,
        source="IFF longitudinal study 2018: 53% of employed social workers stressed (evidence §6)",
        description="Stress of a worker at target caseload with good supervision.",
    )
    leave_base_rate_per_year: float = param(
        0.141,
        unit="1/year",
        ge=0,
        le=5,
        source=f"calibrated: {CALIBRATED_TARGETS} ({CALIBRATION_STUDY}; weighted median, 5-95% 0.116-0.156; prior 0.08-0.2). Before: "
        + f"calibrated: {CSWW} turnover 12-17% (evidence §1a)",
        description="Leaving hazard of an employed worker at baseline stress and morale, mid-career.",
    )
    leave_stress_effect: float = param(
        1.0,
        unit="log-hazard per unit of stress above baseline",
        ge=0,
        le=10,
        source="Kim & Kao 2014: stress and burnout medium-to-high effects on leaving (evidence §6)",
        description="How much stress above baseline raises the leaving hazard.",
    )
    leave_morale_effect: float = param(
        1.0,
        unit="log-hazard per unit of morale below reference",
        ge=0,
        le=10,
        source="Kim & Kao 2014: attitudes the strongest predictors of intention to leave (evidence §6)",
        description="How much low morale raises the leaving hazard.",
    )
    leave_early_service_multiplier: float = param(
        1.3,
        unit="hazard multiplier",
        ge=0,
        le=10,
        source="calibrated: 63-70% of leavers have under 5 years' service (Community Care 2023, evidence §1e)",
        description="Leaving hazard multiplier in the first 5 years of service.",
    )
    leave_late_service_multiplier: float = param(
        0.6,
        unit="hazard multiplier",
        ge=0,
        le=10,
        source="calibrated: 63-70% of leavers have under 5 years' service (Community Care 2023, evidence §1e)",
        description="Leaving hazard multiplier after 5 years of service.",
    )
    initial_service_mean_years: float = param(
        6.0,
        unit="years",
        gt=0,
        le=40,
        source="Education Committee 2016: average social-work career under 8 years (evidence §1e)",
        description="Mean length of service of the workers in post at the start (exponential).",
    )
    recruitment_mean_months: float = param(
        18.9,
        unit="months",
        gt=0,
        le=120,
        source=f"calibrated: {CALIBRATED_TARGETS} ({CALIBRATION_STUDY}; weighted median, 5-95% 15.2-22; prior 9-24). Before: "
        + "calibrated: vacancy rate 14-20% by Little's law, vacancies last about a year (DESIGN §6)",
        description="Mean time to fill a vacant post with a permanent hire, for a good LA with normal morale.",
    )
    recruitment_grade_penalty: float = param(
        0.15,
        unit="relative slowdown per grade below good",
        ge=0,
        le=5,
        source="assumption: poor grades deter applicants (seed article 'cliff edge')",
        description="Recruitment is slower by this fraction for each grade below good (RI 1, inadequate 2).",
    )
    recruitment_morale_effect: float = param(
        0.5,
        unit="relative slowdown per unit of morale below reference",
        ge=0,
        le=10,
        source="assumption",
        description="Recruitment is slower when morale is low.",
    )
    agency_cover_share: float = param(
        0.84,
        unit="agency FTE per vacant FTE",
        ge=0,
        le=1,
        source=f"calibrated: {CALIBRATED_TARGETS} ({CALIBRATION_STUDY}; weighted median, 5-95% 0.721-0.972; prior 0.7-1). Before: "
        + f"{CSWW} 2024-2025: agency FTE ≈ 0.9 × vacant FTE (6,521/7,189; 5,416/5,965); 74-76% of vacancies reported covered (evidence §1a)",
        description="Agency workers the LA brings in per vacant post (a share of vacant posts).",
    )
    agency_cover_delay_weeks: float = param(
        4.0,
        unit="weeks",
        gt=0,
        le=52,
        source="assumption",
        description="Mean time to bring in agency cover for a vacancy.",
    )
    agency_mean_stay_months: float = param(
        10.0,
        unit="months",
        gt=0,
        le=120,
        source=f"calibrated: {CALIBRATED_TARGETS} ({CALIBRATION_STUDY}; weighted median, 5-95% 6.52-16.8; prior 6-18). Before: "
        + "assumption: agency workers stay shorter than employed staff (DESIGN §4.2)",
        description="Mean length of an agency assignment.",
    )
    agency_rules_2024: bool = param(
        False,
        unit="on/off",
        source="DfE statutory guidance on agency social workers, Oct 2024 (evidence §5b)",
        description="Apply the 2024 agency rules: experienced agency workers only, notice, cooling-off.",
    )
    agency_rules_supply_factor: float = param(
        0.8,
        unit="share of agency supply kept",
        ge=0,
        le=1,
        source=f"{CSWW}: agency FTE fell from 6,521 (2024) to 5,416 (2025) after the rules (evidence §1a, §5b)",
        description="Under the 2024 rules, the share of the usual agency cover still available.",
    )
    agency_rules_notice_weeks: float = param(
        4.0,
        unit="weeks",
        ge=0,
        le=26,
        source="DfE statutory guidance on agency social workers, Oct 2024: 4-week notice (evidence §5b)",
        description="Under the 2024 rules, notice an agency worker gives; the post is re-covered without a gap.",
    )
