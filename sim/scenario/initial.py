"""Initial state of the LA at the start of the run (DESIGN §4.8)."""

from __future__ import annotations

from typing import Literal

from sim.scenario.fields import Section, param


class Initial(Section):
    """Where the LA starts. Warm-up settles caseloads and staffing; these organisational values
    are held during warm-up and evolve from the first recorded month."""

    grade: Literal[1, 2, 3, 4] = param(
        2,
        unit="Ofsted grade (1 outstanding ... 4 inadequate)",
        source="Ofsted March 2025: 'good' is the modal judgement (evidence §3a)",
        description="Last graded judgement at the start.",
    )
    months_since_inspection: float = param(
        18.0,
        unit="months",
        ge=0,
        le=120,
        source="assumption: half a 3-year cycle",
        description="Months since the last graded inspection at the start.",
    )
    embedded_quality: float = param(
        0.55,
        unit="practice quality (0-1)",
        ge=0,
        le=1,
        source="calibrated: England's Ofsted mix, March 2025 (evidence §3a)",
        description="Embedded practice capability at the start.",
    )
    recent_gains: float = param(
        0.1,
        unit="practice quality (0-1)",
        ge=0,
        le=1,
        source="assumption",
        description="Unembedded recent gains at the start.",
    )
    morale: float = param(
        0.65,
        unit="morale (0-1)",
        ge=0,
        le=1,
        source="assumption: as organisation.morale_reference",
        description="Morale at the start.",
    )
    vacancy_rate: float = param(
        0.17,
        unit="share of posts",
        ge=0,
        le=0.95,
        source="DfE CSWW 2024: vacancy rate 17.3% (evidence §1a)",
        description="Share of posts vacant at the start.",
    )
    agency_rate: float = param(
        0.15,
        unit="share of workers",
        ge=0,
        le=0.95,
        source="DfE CSWW 2023-2025: agency rate 13-18% (evidence §1a)",
        description="Agency share of workers in post at the start.",
    )
    dcs_months_in_post: float | None = param(
        None,
        unit="months",
        ge=0,
        le=240,
        source="assumption: drawn from the tenure distribution when not given",
        description="How long the current director has been in post at the start (blank = random).",
    )
