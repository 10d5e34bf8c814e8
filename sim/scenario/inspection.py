"""Ofsted inspection (ILACS): cycle, grading and the 'cliff edge' of an inadequate judgement."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from sim.scenario.calibrated import CALIBRATED_TARGETS, CALIBRATION_STUDY
from sim.scenario.fields import Section, param

ILACS = "Ofsted ILACS framework 2018, updated 2024 (evidence §3b)"


class Inspection(Section):
    """How and when the service is inspected, and what a grade does."""

    enabled: bool = param(
        True,
        unit="on/off",
        source=ILACS,
        description="Whether graded inspections happen at all.",
    )
    cycle_months: float = param(
        36.0,
        unit="months",
        gt=0,
        le=120,
        source=f"{ILACS}: graded inspection about every 3 years",
        description="Mean interval between graded inspections for an LA not judged inadequate.",
    )
    cycle_jitter_months: float = param(
        6.0,
        unit="months",
        ge=0,
        le=36,
        source=f"{ILACS}: within ±6 months of the third anniversary",
        description="Half-width of the uniform window around the cycle.",
    )
    inadequate_reinspection_months: float = param(
        24.0,
        unit="months",
        gt=0,
        le=120,
        source="assumption: re-inspection ~2.5 years after an inadequate judgement is UNVERIFIED (evidence §3b)",
        description="Months from an inadequate judgement to the re-inspection.",
    )
    reinspection: Literal["fixed", "when_ready"] = param(
        "fixed",
        unit="choice",
        source=f"{ILACS}: an inadequate LA is re-inspected when Ofsted judges it ready (evidence §3b)",
        description="When an inadequate LA is re-inspected: a fixed interval "
        "(inadequate_reinspection_months), or when quarterly monitoring visits find sustained "
        "improvement (between reinspection_min_months and reinspection_max_months).",
        hash_omit_default=True,
    )
    reinspection_min_months: float = param(
        17.4,
        unit="months",
        gt=0,
        le=120,
        source=f"calibrated: {CALIBRATED_TARGETS} ({CALIBRATION_STUDY}; weighted median, 5-95% 13.1-28.7; prior 12-30). Before: "
        + "assumption: Ofsted sees several quarterly monitoring visits first (under the SIF, "
        "up to six before re-inspection; evidence §3b)",
        description="when_ready: earliest re-inspection after an inadequate judgement.",
        hash_omit_default=True,
    )
    reinspection_max_months: float = param(
        52.6,
        unit="months",
        gt=0,
        le=120,
        source=f"calibrated: {CALIBRATED_TARGETS} ({CALIBRATION_STUDY}; weighted median, 5-95% 39.4-59; prior 36-60). Before: "
        + "assumption: no published maximum; Ofsted re-inspects eventually (evidence §3b)",
        description="when_ready: re-inspection after an inadequate judgement at the latest, ready or not.",
        hash_omit_default=True,
    )
    monitoring_visit_months: float = param(
        3.0,
        unit="months",
        gt=0,
        le=24,
        source="evidence §3b: inadequate LAs get quarterly monitoring visits",
        description="when_ready: interval between monitoring visits after an inadequate judgement.",
        hash_omit_default=True,
    )
    readiness_quality_margin: float = param(
        0.0181,
        unit="practice quality (or score)",
        ge=-1,
        le=1,
        source=f"calibrated: {CALIBRATED_TARGETS} ({CALIBRATION_STUDY}; weighted median, 5-95% -0.0725-0.0949; prior -0.1-0.1). Before: "
        + "assumption: monitoring looks for practice at the level a 'requires improvement' "
        "judgement needs (threshold_requires_improvement)",
        description="when_ready: a visit sees improvement when what it looks at "
        "(readiness_basis: practice quality, or the score) is at least "
        "threshold_requires_improvement plus this margin.",
        hash_omit_default=True,
    )
    readiness_basis: Literal["quality", "score"] = param(
        "quality",
        unit="choice",
        source="evidence §3b: monitoring visits are made by Ofsted inspectors (2 HMI for 2 days), "
        "who see what an inspection would; 'quality' (practice quality alone) is the earlier "
        "assumption",
        description="when_ready: what a monitoring visit looks at: practice quality alone "
        "('quality'), or the score an inspection would give at the visit ('score': practice "
        "quality less the observed shortfalls, plus the LA's persistent effect, without the "
        "per-visit noise).",
        hash_omit_default=True,
    )
    readiness_months: float = param(
        6.0,
        unit="months",
        ge=0,
        le=60,
        source="evidence §3b: improvement 'sustained over 6 months' (Hull); DfE reviews notices "
        "every six months",
        description="when_ready: how long consecutive monitoring visits must see improvement "
        "before Ofsted re-inspects.",
        hash_omit_default=True,
    )
    score_noise_sd: float = param(
        0.06,
        unit="score",
        ge=0,
        le=1,
        source="assumption: inspection judgements are noisy",
        description="Standard deviation of inspection noise on the grading score.",
    )
    authority_effect_sd: float = param(
        0.0,
        unit="score",
        ge=0,
        le=1,
        source="assumption: part of how inspectors judge an LA persists from one inspection to "
        "the next beyond the model's practice quality (leadership, partners, context); 0 = none",
        description="Standard deviation of an LA's persistent inspection-score effect, drawn once "
        "per LA and replication consistent with the grade in force at the start, and added to "
        "every inspection's score with the per-visit noise.",
        hash_omit_default=True,
    )
    timeliness_reference: float = param(
        0.857,
        unit="share of assessments",
        ge=0,
        le=1,
        source="DfE C2 completed assessments by duration 2025: 85.7% within 45 working days (evidence §2b)",
        description="Share of assessments within 45 working days below which inspectors mark timeliness down.",
    )
    weight_timeliness: float = param(
        0.3,
        unit="score per unit of timeliness shortfall",
        ge=0,
        le=5,
        source="assumption",
        description="Score lost per unit of shortfall of assessments within 45 working days below the reference.",
    )
    weight_caseload: float = param(
        0.15,
        unit="score per unit of relative excess caseload",
        ge=0,
        le=5,
        source="assumption",
        description="Score lost per unit of caseload above target.",
    )
    weight_unallocated: float = param(
        1.0,
        unit="score per unallocated case per FTE",
        ge=0,
        le=20,
        source="assumption",
        description="Score lost per unallocated case per case-holding FTE.",
    )
    weight_stability: float = param(
        0.3,
        unit="score per unit of turnover above stable",
        ge=0,
        le=5,
        source="assumption",
        description="Score lost per unit of annual turnover above the stable level.",
    )
    threshold_outstanding: float = param(
        0.68,
        unit="score",
        ge=0,
        le=2,
        source="calibrated: 24% of LAs outstanding, March 2025 (evidence §3a)",
        description="Score at or above which the LA is judged outstanding.",
    )
    threshold_good: float = param(
        0.55,
        unit="score",
        ge=0,
        le=2,
        source="calibrated: 44% of LAs good, March 2025 (evidence §3a)",
        description="Score at or above which the LA is judged good.",
    )
    threshold_requires_improvement: float = param(
        0.45,
        unit="score",
        ge=-1,
        le=2,
        source="calibrated: 20% RI and 12% inadequate, March 2025 (evidence §3a)",
        description="Score at or above which the LA requires improvement; below it, inadequate.",
    )
    inadequate_morale_shock: float = param(
        0.1,
        unit="morale (0-1)",
        ge=0,
        le=1,
        source="seed article: the inadequate 'cliff edge' (loss of confidence)",
        description="Fall in morale when judged inadequate.",
    )
    cliff_edge_leaving_effect: float = param(
        0.3,
        unit="relative increase in leaving hazard",
        ge=0,
        le=5,
        source="seed article: turnover after an inadequate judgement",
        description="Leaving hazard rises by this fraction after an inadequate judgement.",
    )
    cliff_edge_months: float = param(
        12.0,
        unit="months",
        ge=0,
        le=60,
        source="assumption",
        description="How long the cliff edge lasts after an inadequate judgement.",
    )
    monitoring_stress: float = param(
        0.03,
        unit="stress",
        ge=0,
        le=1,
        source="assumption: quarterly monitoring visits (evidence §3b) add burden",
        description="Stress added while the LA is under monitoring visits (a continuous load while inadequate).",
    )

    @model_validator(mode="after")
    def _reinspection_window(self) -> Inspection:
        if self.reinspection_min_months > self.reinspection_max_months:
            raise ValueError(
                f"inspection.reinspection_min_months ({self.reinspection_min_months:g}) is above "
                f"inspection.reinspection_max_months ({self.reinspection_max_months:g}); set the "
                f"minimum at most {self.reinspection_max_months:g}"
            )
        return self
