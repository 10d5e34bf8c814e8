"""Leadership: the director of children's services, team managers and political governance."""

from __future__ import annotations

from sim.scenario.calibrated import CALIBRATED_TARGETS, CALIBRATION_STUDY
from sim.scenario.fields import Section, param

ADCS = "ADCS DCS updates 2017-2023 (evidence §4)"


class Leadership(Section):
    """Stability of the people who lead the service."""

    dcs_mean_tenure_months: float = param(
        49.8,
        unit="months",
        gt=0,
        le=240,
        source=f"calibrated: {CALIBRATED_TARGETS} ({CALIBRATION_STUDY}; weighted median, 5-95% 38.3-58.3; prior 24-60). Before: "
        + f"{ADCS}: tenure in the same LA 29-37 months",
        description="Mean spell of any director in post, interims included (exponential; 12 / this is the "
        "changes of director a year outside inadequate spells). The leadership-stability lever.",
    )
    dcs_interim_probability: float = param(
        0.4,
        unit="probability",
        ge=0,
        le=1,
        source=f"{ADCS}: 27 interim appointments among 65 changes in 2017/18. Note: 27/65 = 0.42 is "
        "interims' share of changes; a chance p per departure gives a share p/(1+p), so that share "
        "implies p = 0.71. Not yet mended: the default predates the calibration, which fitted "
        "the director tenure with it (docs/calibration.md)",
        description="Chance a departing director is followed by an interim before a permanent appointment.",
    )
    dcs_interim_months: float = param(
        6.0,
        unit="months",
        gt=0,
        le=60,
        source="assumption: interims hold the post until a permanent appointment",
        description="Mean length of an interim director's spell (exponential).",
    )
    settle_months: float = param(
        6.0,
        unit="months",
        ge=0,
        le=36,
        source="assumption: a new leader pauses improvement work while settling (DESIGN §4.3)",
        description="Months after a change of director during which improvement work is paused.",
    )
    settling_pauses_embedding: bool = param(
        True,
        unit="on/off",
        source="DESIGN §4.4: embedding needs stable leadership; questioned by the record's "
        "outstanding LAs, which keep their grade through changes of director (docs/calibration.md, "
        "Session 18)",
        description="Whether embedding of recent gains pauses, with new improvement work, while "
        "a new director settles or an interim holds the post; off: only new work pauses.",
        hash_omit_default=True,
    )
    change_morale_shock: float = param(
        0.06,
        unit="morale (0-1)",
        ge=0,
        le=1,
        source="assumption",
        description="Fall in morale at each change of director.",
    )
    change_leaving_effect: float = param(
        0.3,
        unit="relative increase in leaving hazard",
        ge=0,
        le=5,
        source="assumption: staff leave faster for a time after a change of leader (DESIGN §4.3)",
        description="Leaving hazard rises by this fraction in the months after a change of director.",
    )
    change_leaving_months: float = param(
        6.0,
        unit="months",
        ge=0,
        le=36,
        source="assumption",
        description="How long the raised leaving hazard lasts after a change of director.",
    )
    inadequate_hazard_multiplier: float = param(
        2.0,
        unit="hazard multiplier",
        ge=1,
        le=10,
        source="CYP Now 2014: inadequate LAs had 2.9 DCSs in 2008-14 against 2.2 for outstanding (evidence §4)",
        description="Directors of an LA judged inadequate leave this many times faster.",
    )
    team_manager_span: float = param(
        7.0,
        unit="social workers per manager",
        ge=1,
        le=30,
        source="DESIGN §4.3: span ~1:7",
        description="Case-holding social workers per team manager.",
    )
    team_manager_leave_per_year: float = param(
        0.15,
        unit="1/year",
        ge=0,
        le=5,
        source="assumption: as social-worker turnover (evidence §1a)",
        description="Leaving hazard of a permanent team manager.",
    )
    team_manager_recruit_months: float = param(
        6.0,
        unit="months",
        gt=0,
        le=60,
        source="assumption",
        description="Mean time to appoint a permanent team manager to a vacant post.",
    )
    team_manager_interim_share: float = param(
        0.7,
        unit="share of vacant manager posts",
        ge=0,
        le=1,
        source="assumption",
        description="Share of vacant team-manager posts covered by interim managers.",
    )
    interim_manager_supervision: float = param(
        0.6,
        unit="supervision quality (0-1)",
        ge=0,
        le=1,
        source="assumption: interim managers supervise less well (DESIGN §4.3)",
        description="Supervision an interim manager gives relative to a permanent one.",
    )
    governance_quality: float = param(
        0.75,
        unit="quality (0-1)",
        ge=0,
        le=1,
        source="assumption: the seed article's intimidating or bullying governance lowers this",
        description="Quality of political governance (1 supportive, 0 intimidating).",
    )
    governance_reference: float = param(
        0.75,
        unit="quality (0-1)",
        ge=0,
        le=1,
        source="assumption: the governance of a typical LA, at which governance has no extra effect",
        description="Governance quality below which churn rises and morale falls.",
    )
    governance_churn_effect: float = param(
        1.5,
        unit="relative increase in director hazard per unit of poor governance",
        ge=0,
        le=10,
        source="assumption",
        description="Poor governance makes directors leave faster.",
    )
    governance_morale_effect: float = param(
        0.2,
        unit="morale per unit of poor governance",
        ge=0,
        le=1,
        source="assumption",
        description="Poor governance lowers the level morale recovers to.",
    )
