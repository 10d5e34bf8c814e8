"""Organisational state: practice quality (embedded capability plus recent gains) and morale."""

from __future__ import annotations

from sim.scenario.calibrated import CALIBRATED_TARGETS, CALIBRATION_STUDY
from sim.scenario.fields import Section, param

ISOS = "Isos Partnership for the LGA 2016: core systems 6-12 months, whole service ~2 years (evidence §6)"


class Organisation(Section):
    """Parameters of practice quality and morale."""

    own_improvement_effort: float = param(
        0.35,
        unit="effort (0-1)",
        ge=0,
        le=2,
        source="calibrated: England's Ofsted mix, March 2025 (evidence §3a)",
        description="Improvement effort a settled leadership sustains without outside help.",
    )
    own_effort_sd: float = param(
        0.0,
        unit="SD of log effort",
        ge=0,
        le=2,
        source="assumption: councils differ lastingly in their capacity to improve (diagnosis in "
        "docs/calibration.md, Session 18); 0: every LA alike, nothing drawn",
        description="Spread between LAs of a persistent multiplier of own_improvement_effort "
        "(lognormal with mean 1, drawn once per LA and replication).",
        hash_omit_default=True,
    )
    poor_grade_effort_boost: float = param(
        0.5,
        unit="relative increase in own effort",
        ge=0,
        le=10,
        source="assumption informed by Ofsted 2018 (Schooling): improving LAs accept the findings (evidence §6)",
        description="After a 'requires improvement' or 'inadequate' judgement the council's own effort rises by this fraction.",
    )
    gain_rate_per_year: float = param(
        3.19,
        unit="1/year per unit of effort",
        ge=0,
        le=20,
        source=f"calibrated: {CALIBRATED_TARGETS} ({CALIBRATION_STUDY}; weighted median, 5-95% 1.99-4.54; prior 0.5-5). Before: "
        + f"assumption informed by {ISOS}",
        description="Rate at which improvement effort creates recent gains, as a share of the room to improve.",
    )
    gain_fade_months: float = param(
        9.0,
        unit="months",
        gt=0,
        le=120,
        source=f"assumption informed by {ISOS}",
        description="Mean life of a recent gain that is not embedded.",
    )
    embed_months: float = param(
        16.2,
        unit="months",
        gt=0,
        le=240,
        source=f"calibrated: {CALIBRATED_TARGETS} ({CALIBRATION_STUDY}; weighted median, 5-95% 9.58-28.2; prior 6-30). Before: "
        + f"assumption informed by {ISOS}; change teams need 18-24 months (seed article)",
        description="Mean time to embed a recent gain under fully stable leadership and workforce.",
    )
    erosion_per_year: float = param(
        0.04,
        unit="1/year",
        ge=0,
        le=5,
        source="assumption",
        description="Background loss of embedded capability.",
    )
    turnover_erosion: float = param(
        0.5,
        unit="1/year per unit of annual turnover",
        ge=0,
        le=20,
        source="Stahlschmidt 2019: turnover erodes human and social capital (evidence §7)",
        description="Extra erosion of embedded capability and recent gains in proportion to workforce churn.",
    )
    leadership_change_erosion: float = param(
        0.04,
        unit="practice quality (0-1)",
        ge=0,
        le=1,
        source="assumption: leadership change erodes capability (DESIGN §4.4)",
        description="Share of recent gains and embedded capability lost at each change of director.",
    )
    stable_workforce_turnover: float = param(
        0.12,
        unit="1/year",
        gt=0,
        le=2,
        source="Casey Family Programs: 'healthy' turnover 10-12% (evidence §6)",
        description="Turnover at which the workforce counts as stable for embedding; embedding slows above it.",
    )
    caseload_quality_penalty: float = param(
        0.4,
        unit="quality per unit of relative excess caseload",
        ge=0,
        le=5,
        source="Community Care 2021-22, Walsall and Warwickshire: caseload cuts preceded better grades (evidence §6)",
        description="Day-to-day loss of practice quality when caseloads exceed target.",
    )
    inexperience_quality_penalty: float = param(
        0.2,
        unit="quality per share of newly qualified or agency workers",
        ge=0,
        le=5,
        source="assumption",
        description="Day-to-day loss of practice quality from newly qualified and agency workers.",
    )
    unallocated_quality_penalty: float = param(
        0.5,
        unit="quality per unallocated case per FTE",
        ge=0,
        le=10,
        source="assumption: unallocated work is a key risk measure (DESIGN §4.1)",
        description="Day-to-day loss of practice quality from unallocated cases.",
    )
    quality_reference: float = param(
        0.6,
        unit="practice quality (0-1)",
        ge=0,
        le=1,
        source="assumption: the practice quality of a typical 'good' LA",
        description="Reference practice quality against which re-referrals and grades are measured.",
    )
    morale_adjust_months: float = param(
        4.0,
        unit="months",
        gt=0,
        le=60,
        source="assumption",
        description="Time for morale to move most of the way to its new level.",
    )
    morale_reference: float = param(
        0.65,
        unit="morale (0-1)",
        ge=0,
        le=1,
        source="assumption: morale of a typical LA",
        description="Morale at which leaving and recruitment are at their base rates.",
    )
    morale_stress_effect: float = param(
        0.5,
        unit="morale per unit of mean stress above baseline",
        ge=0,
        le=5,
        source="IFF longitudinal study 2018 (evidence §6)",
        description="High stress lowers the level morale recovers to.",
    )
    morale_quality_effect: float = param(
        0.3,
        unit="morale per unit of practice quality above reference",
        ge=0,
        le=5,
        source="assumption: staff value working where practice is good",
        description="Good practice raises the level morale recovers to.",
    )
