"""The life of a case: front door, assessment, outcomes and how long cases stay open."""

from __future__ import annotations

from sim.scenario.fields import Section, param

CIN = "DfE Children in need 2025 (evidence §2a)"
C2 = "DfE C2 completed assessments by duration 2025 (evidence §2b)"


class Cases(Section):
    """Case flow through the service."""

    front_door_nfa_share: float = param(
        0.065,
        unit="share of referrals",
        ge=0,
        le=1,
        source=f"{CIN}: referrals with no further action 6.5%",
        description="Share of referrals closed at the front door with no further action.",
    )
    not_in_need_share: float = param(
        0.33,
        unit="share of assessments",
        ge=0,
        le=1,
        source=f"{CIN}: assessed not in need 30.8% of referrals (÷ 0.935 assessed)",
        description="Share of completed assessments that find the child not in need (case closes).",
    )
    child_protection_share: float = param(
        0.105,
        unit="share of assessments",
        ge=0,
        le=1,
        source=f"{CIN}: CPP starts 61,840 of 632,830 referrals (÷ 0.935 assessed)",
        description="Share of completed assessments that lead to a child protection plan.",
    )
    looked_after_share: float = param(
        0.05,
        unit="share of assessments",
        ge=0,
        le=1,
        source="assumption: ~32,000 children start to be looked after a year against ~630,000 referrals",
        description="Share of completed assessments after which the child becomes looked after.",
    )
    assessment_wd_bin_edges: list[float] = param(
        [0, 0.5, 10, 20, 30, 40, 45, 50, 60, 90],
        unit="working days",
        source=f"{C2}; bins 'same day', 1-10, ..., 61+ as (0, 0.5], (0.5, 10], ..., (60, 90] (the 90-day cap is an assumption)",
        description="Edges of the national assessment-duration bins; durations are uniform within a bin.",
    )
    assessment_wd_bin_counts: list[float] = param(
        [11680, 75590, 112180, 102260, 131380, 122730, 37640, 27860, 27500],
        unit="assessments",
        source=C2,
        description="National completed assessments in each duration bin at normal workload.",
    )
    assessment_pressure_stretch: float = param(
        0.5,
        unit="relative duration per unit of caseload above target",
        ge=0,
        le=10,
        source="assumption: duration stretches with caseload pressure (DESIGN §4.1)",
        description="Assessments take (1 + this × relative excess caseload) times as long.",
    )
    assessment_nq_stretch: float = param(
        0.1,
        unit="relative duration",
        ge=0,
        le=2,
        source="assumption: newly qualified workers are slower",
        description="Extra relative duration when the assessing worker is newly qualified.",
    )
    assessment_norm_absence_rate: float = param(
        0.034,
        unit="share of working days",
        ge=0,
        le=0.5,
        source="DfE CSWW 2024: absence 3.4% (evidence §1a); the national durations already include it",
        description="Absence rate behind the national duration histogram; more absence than this stretches assessments.",
    )
    reallocation_rate_per_year: float = param(
        1.6,
        unit="1/year per open case",
        ge=0,
        le=12,
        source="calibrated: 27% of looked-after children had 3+ social workers in 2023-24 (DfE la_cla_swcount, evidence §2e)",
        description="Rate at which an allocated plan case is offered a move to the worker with the most room, for reasons other than leaving (team transfers, internal moves); it stays when its own worker would have the most room, so fewer cases move (about 30% of offers in the baseline).",
    )
    cin_median_months: float = param(
        3.0,
        unit="months",
        gt=0,
        le=120,
        source="DfE Children in need 2024: almost half of CIN episodes last 3 months or less",
        description="Median length of a child-in-need plan (lognormal).",
    )
    cin_sigma: float = param(
        1.15,
        unit="log-scale sd",
        gt=0,
        le=3,
        source="calibrated: open cases ≈ 1,825 for a median LA (CSWW 2025 §1c)",
        description="Spread of child-in-need plan lengths (lognormal sigma).",
    )
    cp_median_months: float = param(
        7.7,
        unit="months",
        gt=0,
        le=120,
        source="calibrated: DfE d5 child protection plans open at 31 March by duration, 2025",
        description="Median length of a child protection plan (lognormal).",
    )
    cp_sigma: float = param(
        0.64,
        unit="log-scale sd",
        gt=0,
        le=3,
        source="calibrated: DfE d5 child protection plans open at 31 March by duration, 2025",
        description="Spread of child protection plan lengths (lognormal sigma).",
    )
    looked_after_median_months: float = param(
        24.0,
        unit="months",
        gt=0,
        le=240,
        source="assumption: looked-after episodes are long-running; with the other lengths gives ~1,825 open cases (CSWW 2025 §1c)",
        description="Median time a looked-after child's case stays open with a social worker (lognormal).",
    )
    looked_after_sigma: float = param(
        1.0,
        unit="log-scale sd",
        gt=0,
        le=3,
        source="assumption",
        description="Spread of looked-after case lengths (lognormal sigma).",
    )
