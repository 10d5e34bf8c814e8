"""Government intervention after failure: trigger, type presets, duration and the change team.

Each intervention ``type`` is a named preset of the fields marked *preset* below. A scenario
names a type and may override any preset field; the resolved scenario shows every value.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import model_validator

from sim.scenario.fields import Section, param

InterventionType = Literal[
    "improvement_notice", "commissioner", "trust", "sector_led_partner", "private_partner"
]
Trigger = Literal["inadequate", "at_start", "none"]

PRESET_SOURCE = "DfE intervention ladder (evidence §3b); sizes and strengths are assumptions"

#: Preset values of each intervention type (assumptions, documented in docs/model.md).
PRESETS: dict[str, dict[str, Any]] = {
    "improvement_notice": {
        "change_team_fte": 2.0,
        "formation": "adhoc",
        "ownership": "owned",
        "oversight_bodies": 2,
        "replaces_leadership": False,
        "practitioner_development": 0.0,
        "effectiveness": 1.0,
        "setup_cost_gbp": 0.0,
        "day_rate_gbp": 800.0,
    },
    "commissioner": {
        "change_team_fte": 3.0,
        "formation": "adhoc",
        "ownership": "imposed",
        "oversight_bodies": 3,
        "replaces_leadership": True,
        "practitioner_development": 0.0,
        "effectiveness": 1.0,
        "setup_cost_gbp": 0.0,
        "day_rate_gbp": 900.0,
    },
    "trust": {
        "change_team_fte": 6.0,
        "formation": "adhoc",
        "ownership": "imposed",
        "oversight_bodies": 3,
        "replaces_leadership": True,
        "practitioner_development": 0.2,
        "effectiveness": 1.0,
        "setup_cost_gbp": 3_500_000.0,
        "day_rate_gbp": 800.0,
    },
    "sector_led_partner": {
        "change_team_fte": 4.0,
        "formation": "pool",
        "ownership": "owned",
        "oversight_bodies": 2,
        "replaces_leadership": False,
        "practitioner_development": 0.2,
        "effectiveness": 1.0,
        "setup_cost_gbp": 0.0,
        "day_rate_gbp": 700.0,
    },
    "private_partner": {
        "change_team_fte": 6.0,
        "formation": "pool",
        "ownership": "imposed",
        "oversight_bodies": 2,
        "replaces_leadership": False,
        "practitioner_development": 0.1,
        "effectiveness": 1.0,
        "setup_cost_gbp": 250_000.0,
        "day_rate_gbp": 1200.0,
    },
}


class Intervention(Section):
    """An intervention declared by the scenario."""

    trigger: Trigger = param(
        "none",
        unit="choice",
        source="DfE intervention ladder (evidence §3b)",
        description="What starts the intervention: an inadequate judgement, the start of the run, or nothing.",
    )
    type: InterventionType = param(
        "improvement_notice",
        unit="choice",
        source="DfE intervention ladder (evidence §3b)",
        description="Kind of intervention; fills the preset fields below unless the scenario sets them.",
    )
    duration_months: float = param(
        12.0,
        unit="months",
        gt=0,
        le=120,
        source="seed article: 6 months against 18-24 months (the headline lever)",
        description="How long the change team is in place, from when it starts work.",
    )
    start_delay_months: float = param(
        2.0,
        unit="months",
        ge=0,
        le=24,
        source="evidence §3b: action plan due 70 days after an inadequate report",
        description="Months from the trigger to the start of the intervention.",
    )
    taper_months: float = param(
        3.0,
        unit="months",
        ge=0,
        le=24,
        source="assumption: transition out",
        description="Months at the end during which the change team's effort winds down linearly.",
    )
    change_team_fte: float = param(
        2.0,
        unit="FTE",
        ge=0,
        le=100,
        source=PRESET_SOURCE,
        description="Size of the change team (preset).",
    )
    formation: Literal["adhoc", "pool"] = param(
        "adhoc",
        unit="choice",
        source=PRESET_SOURCE,
        description="Ad-hoc team of interims, or a permanent pool of change managers (preset).",
    )
    ownership: Literal["owned", "imposed"] = param(
        "owned",
        unit="choice",
        source=PRESET_SOURCE,
        description="Whether the council owns the improvement plan or it is imposed (preset).",
    )
    oversight_bodies: int = param(
        2,
        unit="bodies",
        ge=0,
        le=20,
        source=PRESET_SOURCE,
        description="External bodies overseeing the service, each taking management time (preset).",
    )
    replaces_leadership: bool = param(
        False,
        unit="yes/no",
        source=PRESET_SOURCE,
        description="Whether the intervention brings in a new director at its start (preset).",
    )
    practitioner_development: float = param(
        0.0,
        unit="investment (0-1)",
        ge=0,
        le=1,
        source=PRESET_SOURCE,
        description="Investment in supervision and practitioners' own leadership (preset).",
    )
    effectiveness: float = param(
        1.0,
        unit="relative effort per FTE",
        ge=0,
        le=5,
        source=PRESET_SOURCE,
        description="Relative strength of the change team's effort per FTE (preset).",
    )
    setup_cost_gbp: float = param(
        0.0,
        unit="GBP",
        ge=0,
        le=50_000_000,
        source="DfE written answer 2018: trust set-up £2.5-3.3m; Worcestershire £4.6m (evidence §5d)",
        description="One-off cost at the start of the intervention (preset).",
    )
    day_rate_gbp: float = param(
        800.0,
        unit="GBP/day",
        ge=0,
        le=10_000,
        source=PRESET_SOURCE,
        description="Day rate of a change-team member (preset).",
    )
    effort_per_fte: float = param(
        0.4,
        unit="effort per FTE",
        ge=0,
        le=5,
        source="assumption: effort relative to the LA's own improvement effort (organisation section)",
        description="Improvement effort one change-team FTE adds.",
    )
    adhoc_formation_months: float = param(
        3.0,
        unit="months",
        ge=0,
        le=24,
        source="assumption: ad-hoc teams of interims are slower to form (DESIGN §4.6)",
        description="Time for an ad-hoc team to reach full strength (linear ramp).",
    )
    pool_formation_months: float = param(
        0.5,
        unit="months",
        ge=0,
        le=24,
        source="assumption: a standing pool deploys fast (DESIGN §4.6)",
        description="Time for a team drawn from a permanent pool to reach full strength.",
    )
    adhoc_effectiveness: float = param(
        0.7,
        unit="relative effort",
        ge=0,
        le=2,
        source="assumption: ad-hoc interim teams are less effective (DESIGN §4.6)",
        description="Effort of an ad-hoc team relative to an experienced pool.",
    )
    imposed_effectiveness: float = param(
        0.7,
        unit="relative effort",
        ge=0,
        le=2,
        source="assumption: self-set goals work better than imposed ones (seed article)",
        description="Effort of an imposed plan relative to an owned one.",
    )
    imposed_morale_effect: float = param(
        0.05,
        unit="morale",
        ge=0,
        le=1,
        source="assumption",
        description="Morale lost while an imposed intervention runs.",
    )
    noise_per_oversight_body: float = param(
        0.08,
        unit="share of effort",
        ge=0,
        le=1,
        source="seed article: oversight 'noise' takes management time",
        description="Share of improvement effort lost to each oversight body.",
    )
    recruitment_support: float = param(
        0.25,
        unit="relative speed-up",
        ge=0,
        le=5,
        source="assumption",
        description="Recruitment is faster by this fraction while the intervention runs.",
    )
    morale_support: float = param(
        0.08,
        unit="morale",
        ge=0,
        le=1,
        source="assumption",
        description="Morale gained while the change team is in place.",
    )
    development_stress_relief: float = param(
        0.15,
        unit="stress per unit of investment",
        ge=0,
        le=1,
        source="assumption: supervision reduces stress (Mor Barak et al. 2001, evidence §6)",
        description="Stress removed per unit of practitioner-development investment.",
    )
    development_embed_boost: float = param(
        1.0,
        unit="relative speed-up per unit of investment",
        ge=0,
        le=10,
        source="assumption: practitioners' own leadership embeds change (seed article)",
        description="Embedding is faster by this fraction per unit of practitioner-development investment.",
    )
    development_persists: bool = param(
        True,
        unit="yes/no",
        source="assumption",
        description="Whether practitioner development continues after the change team leaves.",
    )
    adhoc_churn_effort_loss: float = param(
        0.15,
        unit="share of effort",
        ge=0,
        le=1,
        source="assumption: interims in an ad-hoc team come and go and add churn (DESIGN §4.6)",
        description="Share of an ad-hoc team's effort lost to its own churn.",
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_preset(cls, data: Any) -> Any:
        """Fill preset fields from the chosen type where the scenario leaves them unset."""
        if not isinstance(data, dict):
            return data
        kind = data.get("type", "improvement_notice")
        preset = PRESETS.get(kind) if isinstance(kind, str) else None
        if preset is None:
            return data
        return {**preset, **data}
