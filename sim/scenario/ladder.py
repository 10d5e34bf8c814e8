"""DfE's intervention ladder after an inadequate judgement: the improvement notice and the
escalation to a statutory direction, a commissioner and a trust (evidence §3b)."""

from __future__ import annotations

from typing import Literal

from sim.scenario.fields import Section, param

LADDER = "DfE intervention ladder (evidence §3b)"


class Ladder(Section):
    """How long DfE's improvement notice stands and when failure escalates.

    The ladder acts only when ``intervention.trigger`` is ``inadequate``: each inadequate
    judgement made while no notice stands issues one.
    """

    notice: Literal["with_team", "until_not_inadequate"] = param(
        "with_team",
        unit="choice",
        source=f"{LADDER}: notices usually stayed in force until a re-inspection found the LA no "
        "longer inadequate (issue 15)",
        description="How long the intervention's oversight lasts: while the change team is in "
        "place (with_team), or while the improvement notice stands, until a graded judgement "
        "finds the LA no longer inadequate (until_not_inadequate).",
    )
    notice_recruitment_support: bool = param(
        True,
        unit="yes/no",
        source="assumption: DfE funding under the notice keeps supporting recruitment",
        description="until_not_inadequate: whether the intervention's recruitment support also "
        "continues while the notice stands.",
    )
    notice_support_share: float = param(
        0.0,
        unit="share of the change team's full effort",
        ge=0,
        le=1,
        source="evidence §3b: an improvement notice comes with a DfE improvement adviser and often "
        "an improvement board; how much they add is an assumption (0 = nothing beyond the team)",
        description="until_not_inadequate: while the notice stands, the improvement effort from "
        "outside does not fall below this share of the change team's full-strength effort (the "
        "adviser and board before the team arrives and after it has gone).",
        hash_omit_default=True,
    )
    escalation: bool = param(
        False,
        unit="on/off",
        source=f"{LADDER}: persistent or systemic failure brings a statutory direction and a commissioner",
        description="Whether persistent failure under a notice escalates to a direction, a "
        "commissioner and, in a few places, a trust.",
    )
    commissioner_after_months: float = param(
        24.0,
        unit="months",
        gt=0,
        le=120,
        source="assumption: 'persistent' failure; no published clock (DfE reviews notices every "
        "six months, evidence §3b)",
        description="A statutory direction and a commissioner once the notice has stood this long "
        "and the LA is still inadequate.",
    )
    commissioner_on_second_inadequate: bool = param(
        True,
        unit="yes/no",
        source=f"{LADDER}: a second inadequate judgement shows persistent failure",
        description="Whether an inadequate judgement while the notice stands brings a direction "
        "and a commissioner at once.",
    )
    commissioner_oversight_bodies: int = param(
        1,
        unit="bodies",
        ge=0,
        le=20,
        source="assumption: the commissioner is one more body overseeing the service",
        description="Oversight bodies the commissioner adds while the direction stands.",
    )
    commissioner_replaces_director: bool = param(
        True,
        unit="yes/no",
        source="assumption: a direction usually brings new leadership (evidence §3b)",
        description="Whether a new (permanent) director takes over when a commissioner is appointed.",
    )
    trust_probability: float = param(
        0.3,
        unit="probability",
        ge=0,
        le=1,
        source=f"assumption: the commissioner decides whether services stay, go to a trust or "
        f"another provider ({LADDER}); a trust in a few places",
        description="Chance that a commissioner moves the service to a trust (alternative "
        "delivery model).",
    )
    trust_setup_cost_gbp: float = param(
        3_500_000.0,
        unit="GBP",
        ge=0,
        le=50_000_000,
        source="DfE written answer 2018: trust set-up £2.5-3.3m; Worcestershire £4.6m (evidence §5d)",
        description="One-off cost of setting up a trust.",
    )
