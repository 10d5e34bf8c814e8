"""The model's equations as pure functions (documented in docs/model.md).

Units: time in days unless a name says otherwise; rates per year; quality, morale and stress 0-1.
Functions accept numpy arrays where it makes sense, so the weekly update is vectorised over workers.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr, ndtri

# Units of time, re-exported: the model's modules import them from here.
from sim.scenario.units import DAYS_PER_MONTH as DAYS_PER_MONTH
from sim.scenario.units import DAYS_PER_YEAR as DAYS_PER_YEAR
from sim.scenario.units import MONTHS_PER_YEAR as MONTHS_PER_YEAR
from sim.scenario.units import WORKING_DAYS_PER_CALENDAR_DAY as WORKING_DAYS_PER_CALENDAR_DAY

DAYS_PER_WEEK = 7.0
#: Ofsted grades (DESIGN §3: 1 outstanding ... 4 inadequate).
GRADE_GOOD, GRADE_REQUIRES_IMPROVEMENT, GRADE_INADEQUATE = 2, 3, 4
#: Largest argument of ``math.exp`` that does not overflow a float (``log(max float)`` ≈ 709.78).
MAX_EXP_ARGUMENT = 709.0
#: Re-referral risk stops rising after this many changes of worker (DESIGN §4.1).
MAX_COUNTED_CHANGES = 3


def relax(
    value: float | np.ndarray,
    target: float | np.ndarray,
    dt_days: float,
    tau_days: float,
    out: np.ndarray | None = None,
):
    """First-order adjustment of ``value`` toward ``target`` over ``dt_days`` with time constant
    ``tau_days``: ``target + (value - target) × exp(-dt/tau)`` (into ``out`` for arrays)."""
    if out is None:
        return target + (value - target) * math.exp(-dt_days / tau_days)
    np.subtract(value, target, out=out)
    out *= math.exp(-dt_days / tau_days)
    out += target
    return out


def hazard_to_probability(rate_per_year: float | np.ndarray, dt_days: float):
    """Probability that an event with a constant hazard (per year) happens within ``dt_days``."""
    if isinstance(rate_per_year, float):
        return -math.expm1(-rate_per_year * dt_days / DAYS_PER_YEAR)
    return -np.expm1(np.asarray(rate_per_year) * (-dt_days / DAYS_PER_YEAR))


class StepChances:
    """:func:`hazard_to_probability` of rates that recur step after step, computed once each.

    Call with ``(rate_per_year, dt_days)``; returns a Python float.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple[float, float], float] = {}

    def __call__(self, rate_per_year: float, dt_days: float) -> float:
        key = (rate_per_year, dt_days)
        chance = self._cache.get(key)
        if chance is None:
            chance = self._cache[key] = float(hazard_to_probability(rate_per_year, dt_days))
        return chance


def relative_excess(value: float | np.ndarray, target: float):
    """How far ``value`` is above ``target``, as a share of the target (0 when at or below)."""
    return np.maximum(0.0, np.asarray(value) / target - 1.0)


def stress_target(
    caseload_ratio: np.ndarray,
    baseline: float,
    caseload_weight: float,
    supervision_deficit: float,
    supervision_weight: float,
    oversight_load: float,
    relief: float,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Level each worker's stress moves toward (0-1).

    ``baseline + caseload_weight × max(0, caseload_ratio - 1) + supervision_weight × supervision
    deficit + oversight_load - relief``, clipped to [0, 1], where ``caseload_ratio`` is each
    worker's caseload over their own target (newly qualified workers carry less).
    ``oversight_load`` is the stress from oversight bodies and monitoring; ``relief`` comes from
    practitioner development. Computed as ``min(1, max(w × r + other - w, max(other, 0)))`` with
    ``other`` the terms that do not depend on caseload: the same value for ``w >= 0``, in four
    array operations (into ``out`` when given, which may be ``caseload_ratio``).
    """
    other = baseline + supervision_weight * supervision_deficit + oversight_load - relief
    target = np.multiply(caseload_ratio, caseload_weight, out=out)
    target += other - caseload_weight
    np.maximum(target, max(other, 0.0), out=target)
    return np.minimum(target, 1.0, out=target)


def leaving_hazard(
    base_rate: float,
    stress: float,
    stress_baseline: float,
    stress_effect: float,
    morale: float,
    morale_reference: float,
    morale_effect: float,
    service_multiplier: float,
    shock_multiplier: float,
    period_days: float = DAYS_PER_YEAR,
) -> float:
    """Leaving hazard of an employed worker, per year (or integrated over ``period_days``).

    ``base × exp(stress_effect × (stress - baseline) + morale_effect × max(0, reference - morale))
    × service multiplier × shock multiplier``. Caseload acts only through stress (Kim & Kao 2014).
    A worker with service multiplier 0 (a post not held by an employed worker) has no hazard.
    With ``stress_effect >= 0`` the hazard rises with stress and with the service multiplier, so
    its value at stress 1 and the largest multiplier bounds every worker's.
    """
    exponent = stress_effect * (stress - stress_baseline) + morale_effect * max(
        0.0, morale_reference - morale
    )
    return (
        base_rate
        * shock_multiplier
        * (period_days / DAYS_PER_YEAR)
        * math.exp(exponent)
        * service_multiplier
    )


def recruitment_rate_per_year(
    recruitment_base_rate_per_year: float,
    grade: int,
    recruitment_grade_penalty: float,
    morale: float,
    morale_reference: float,
    recruitment_morale_effect: float,
    recruitment_support: float,
) -> float:
    """Rate (per year) at which one vacant post is filled by a permanent hire.

    ``recruitment_base_rate_per_year`` (``12 / recruitment_mean_months``) is the rate of a good LA
    at reference morale, slowed by ``recruitment_grade_penalty`` per grade below good and by low
    morale, sped up by intervention support.
    """
    grades_below_good = max(0, grade - GRADE_GOOD)
    slowdown = (1.0 + recruitment_grade_penalty * grades_below_good) * (
        1.0 + recruitment_morale_effect * max(0.0, morale_reference - morale)
    )
    return recruitment_base_rate_per_year / slowdown * (1.0 + recruitment_support)


def rereferral_probability(
    rereferral_base_probability: float,
    quality: float,
    quality_reference: float,
    rereferral_quality_effect: float,
    changes: int,
    rereferral_sw_change_effect: float,
) -> float:
    """Chance that a closed case is referred again within 12 months (logistic in practice conditions).

    ``logit(p) = logit(base) + quality_effect × (reference - quality) + change_effect × min(changes, 3)``;
    a base of 0 or 1 switches the mechanism off or makes it certain. Computed as
    ``1 / (1 + exp(-logit_q) × exp(-change_effect)^k)`` with ``logit_q`` the first two terms and
    ``k = min(changes, 3)`` (the same value, without overflow; the model evaluates it for
    k = 0 ... 3 once a week).
    """
    base = rereferral_base_probability
    if base <= 0.0 or base >= 1.0:
        return min(1.0, max(0.0, base))
    logit = math.log(base / (1.0 - base)) + rereferral_quality_effect * (
        quality_reference - quality
    )
    odds_against = math.exp(min(-logit, MAX_EXP_ARGUMENT))
    per_change = math.exp(min(-rereferral_sw_change_effect, MAX_EXP_ARGUMENT))
    for _ in range(min(changes, MAX_COUNTED_CHANGES)):
        odds_against *= per_change
    return 1.0 / (1.0 + odds_against)


def assessment_stretch(
    worker_caseload: float,
    caseload_target: float,
    assessment_pressure_stretch: float,
    newly_qualified: bool,
    assessment_nq_stretch: float,
    absence_rate: float,
    assessment_norm_absence_rate: float,
) -> float:
    """Factor by which an assessment takes longer than the national norm.

    ``(1 + pressure_stretch × relative excess caseload) × (1 + nq_stretch if newly qualified)
    × (1 - norm absence) / (1 - absence)``.
    """
    factor = 1.0 + assessment_pressure_stretch * max(0.0, worker_caseload / caseload_target - 1.0)
    if newly_qualified:
        factor *= 1.0 + assessment_nq_stretch
    return factor * (1.0 - assessment_norm_absence_rate) / (1.0 - absence_rate)


def practice_quality(
    embedded: float,
    recent_gains: float,
    caseload_excess: float,
    caseload_quality_penalty: float,
    inexperienced_share: float,
    inexperience_quality_penalty: float,
    unallocated_per_fte: float,
    unallocated_quality_penalty: float,
) -> float:
    """Practice quality (0-1): embedded capability plus recent gains less day-to-day pressure."""
    q = (
        embedded
        + recent_gains
        - caseload_quality_penalty * caseload_excess
        - inexperience_quality_penalty * inexperienced_share
        - unallocated_quality_penalty * unallocated_per_fte
    )
    return min(1.0, max(0.0, q))


def quality_flows(
    embedded: float,
    gains: float,
    effort: float,
    gain_rate_per_year: float,
    gain_fade_years: float,
    embed_years: float,
    stability: float,
    embed_boost: float,
    erosion_per_year: float,
    churn_erosion: float,
) -> tuple[float, float]:
    """Rates of change (per year) of embedded capability and recent gains.

    * gains are created by effort in proportion to the room left: ``gain_rate × effort × (1 - E - G)``;
    * unembedded gains fade with mean life ``gain_fade_years`` and are eroded by churn;
    * gains embed at rate ``stability × (1 + boost) / embed_years``;
    * embedded capability erodes at ``erosion + churn_erosion``.
    """
    room = max(0.0, 1.0 - embedded - gains)
    embedding = gains * stability * (1.0 + embed_boost) / embed_years
    d_gains = (
        gain_rate_per_year * effort * room
        - gains / gain_fade_years
        - churn_erosion * gains
        - embedding
    )
    d_embedded = embedding - (erosion_per_year + churn_erosion) * embedded
    return d_embedded, d_gains


def workforce_stability(turnover: float, stable_workforce_turnover: float) -> float:
    """1 when annual turnover is at or below the stable level, falling as it rises above it."""
    return 1.0 / (1.0 + max(0.0, turnover / stable_workforce_turnover - 1.0))


def morale_target(
    morale_reference: float,
    mean_stress_excess: float,
    morale_stress_effect: float,
    quality: float,
    quality_reference: float,
    morale_quality_effect: float,
    governance_deficit: float,
    governance_morale_effect: float,
    intervention_morale: float,
) -> float:
    """Level morale recovers toward (0-1)."""
    m = (
        morale_reference
        - morale_stress_effect * mean_stress_excess
        + morale_quality_effect * (quality - quality_reference)
        - governance_morale_effect * governance_deficit
        + intervention_morale
    )
    return min(1.0, max(0.0, m))


def inspection_score(
    quality: float,
    timeliness_shortfall: float,
    weight_timeliness: float,
    caseload_excess: float,
    weight_caseload: float,
    unallocated_per_fte: float,
    weight_unallocated: float,
    turnover_excess: float,
    weight_stability: float,
    noise: float,
) -> float:
    """Score an inspection gives (before thresholds): quality less observed shortfalls, plus noise."""
    return (
        quality
        - weight_timeliness * timeliness_shortfall
        - weight_caseload * caseload_excess
        - weight_unallocated * unallocated_per_fte
        - weight_stability * turnover_excess
        + noise
    )


def authority_effect_for_grade(
    *,
    u_sum: float,
    z_split: float,
    effect_sd: float,
    noise_sd: float,
    quality: float,
    score_low: float,
    score_high: float,
) -> float:
    """Persistent part of an LA's inspection score, drawn consistent with the grade in force.

    The last judgement gave ``quality + effect + noise`` inside the grade's score band
    [``score_low``, ``score_high``) (infinite at the open ends), with ``effect ~ N(0,
    effect_sd)`` and ``noise ~ N(0, noise_sd)``. Their sum ``s`` is drawn from its normal
    truncated to the band less ``quality`` (inverse CDF at ``u_sum``, uniform on (0, 1)), then
    the effect from its normal given the sum, ``N(s × effect_sd² / v, effect_sd × noise_sd / √v)``
    with ``v = effect_sd² + noise_sd²`` (``z_split`` a standard normal draw). 0 when
    ``effect_sd`` is 0.
    """
    if effect_sd <= 0.0:
        return 0.0
    var = effect_sd * effect_sd + noise_sd * noise_sd
    sd = math.sqrt(var)
    low = float(ndtr((score_low - quality) / sd))
    high = float(ndtr((score_high - quality) / sd))
    if high - low <= 0.0:  # the band is beyond reach of the spread: take its nearest edge
        total = (score_low if score_low > quality else score_high) - quality
    else:
        tiny = float(np.finfo(float).eps)  # keeps the inverse CDF finite at an open end
        total = sd * float(ndtri(min(1.0 - tiny, max(tiny, low + u_sum * (high - low)))))
    return total * effect_sd * effect_sd / var + z_split * effect_sd * noise_sd / sd


def score_band(
    *,
    grade: int,
    threshold_outstanding: float,
    threshold_good: float,
    threshold_requires_improvement: float,
) -> tuple[float, float]:
    """The band [low, high) of inspection scores that gives ``grade`` (infinite at the open ends)."""
    edges = (math.inf, threshold_outstanding, threshold_good, threshold_requires_improvement)
    return (edges[grade] if grade < GRADE_INADEQUATE else -math.inf), edges[grade - 1]


def grade_from_score(
    score: float,
    threshold_outstanding: float,
    threshold_good: float,
    threshold_requires_improvement: float,
) -> int:
    """Ofsted grade (1 outstanding, 2 good, 3 requires improvement, 4 inadequate) from a score."""
    if score >= threshold_outstanding:
        return 1
    if score >= threshold_good:
        return 2
    if score >= threshold_requires_improvement:
        return 3
    return 4


def improvement_effort(
    *,
    own_improvement_effort: float,
    poor_grade_effort_boost: float,
    poor_grade: bool,
    settled: bool,
    change_team_effort: float,
    noise_per_oversight_body: float,
    oversight_bodies: int,
) -> float:
    """Improvement effort of one week (docs/model.md §2.5).

    ``(own_improvement_effort × (1 + poor_grade_effort_boost if RI or inadequate) × settled
    + change-team effort) × max(0, 1 − noise_per_oversight_body × oversight bodies)``, where the
    bodies include monitoring while inadequate and ``settled`` is 0 while a new director settles
    in or an interim holds the post.
    """
    noise = max(0.0, 1.0 - noise_per_oversight_body * oversight_bodies)
    own = own_improvement_effort * (1.0 + poor_grade_effort_boost * poor_grade)
    return (own * settled + change_team_effort) * noise


def intervention_morale(
    *,
    morale_support: float,
    presence: float,
    imposed_and_active: bool,
    imposed_morale_effect: float,
) -> float:
    """Shift of the morale target an intervention brings (docs/model.md §2.5):
    ``morale_support × team presence − imposed_morale_effect``, the penalty only while an
    imposed intervention is active."""
    shift = morale_support * presence
    if imposed_and_active:
        shift -= imposed_morale_effect
    return shift


def first_referral_rate_per_day(
    *,
    t_days: float,
    first_referrals_per_day: float,
    referral_growth_per_year: float,
    seasonal_amplitude: float,
    seasonal_peak_year_fraction: float,
) -> float:
    """Rate of first-time referrals at time ``t_days`` (per day): the base rate grown by its
    compound trend, with a yearly cosine peaking at ``seasonal_peak_year_fraction`` of the year:
    ``rate × growth^(t/365) × (1 + amplitude × cos(2π (t/365 − peak)))``."""
    rate = first_referrals_per_day * referral_growth_per_year ** (t_days / DAYS_PER_YEAR)
    rate *= 1.0 + seasonal_amplitude * math.cos(
        2 * math.pi * (t_days / DAYS_PER_YEAR - seasonal_peak_year_fraction)
    )
    return rate


def peak_first_referral_rate_per_day(
    *,
    end_days: float,
    first_referrals_per_day: float,
    referral_growth_per_year: float,
    seasonal_amplitude: float,
) -> float:
    """A bound of :func:`first_referral_rate_per_day` over ``[0, end_days]`` (the largest growth
    factor at the seasonal peak): the envelope rate that thinning draws candidates from."""
    peak_growth = max(1.0, referral_growth_per_year ** (end_days / DAYS_PER_YEAR))
    return first_referrals_per_day * peak_growth * (1.0 + seasonal_amplitude)


def kept_by_thinning(*, u: float, rate: float, rate_max: float) -> bool:
    """Thinning (Lewis and Shedler 1979): a candidate arrival of the envelope rate ``rate_max``
    is kept unless ``u × rate_max > rate``, ``u`` a U(0, 1) variate."""
    return not u * rate_max > rate


def permanent_dcs_tenure_months(
    *, dcs_mean_tenure_months: float, dcs_interim_probability: float, dcs_interim_months: float
) -> float:
    """Mean spell of a permanent director such that the mean spell of all directors, interims
    included, equals ``dcs_mean_tenure_months``: ``T(1 + p) − p I``, at least ``I``."""
    q = dcs_interim_probability
    return max(dcs_interim_months, dcs_mean_tenure_months * (1.0 + q) - q * dcs_interim_months)


def director_leaving_per_year(
    *,
    director_base_leaving_per_year: float,
    governance_churn_effect: float,
    governance_reference: float,
    governance_quality: float,
    inadequate: bool,
    inadequate_hazard_multiplier: float,
) -> float:
    """Leaving hazard (per year) of a permanent director: the base rate of the permanent spell,
    ``× (1 + governance_churn_effect × max(0, governance_reference − governance_quality))`` and
    ``× inadequate_hazard_multiplier`` under an inadequate grade."""
    rate = director_base_leaving_per_year
    rate *= 1.0 + governance_churn_effect * max(0.0, governance_reference - governance_quality)
    if inadequate:
        rate *= inadequate_hazard_multiplier
    return rate


def supervision_deficit(
    *,
    permanent_managers: int,
    interim_managers: int,
    team_managers: int,
    interim_manager_supervision: float,
) -> float:
    """1 − mean supervision quality over team-manager posts (permanent 1, interim
    ``interim_manager_supervision``, vacant 0)."""
    return 1.0 - (permanent_managers + interim_manager_supervision * interim_managers) / (
        team_managers
    )


def effort_multiplier(*, z: float, sd: float) -> float:
    """An LA's persistent multiplier of its own improvement effort, lognormal with mean 1:
    ``exp(sd × z − sd² / 2)`` for a standard normal draw ``z``."""
    return math.exp(sd * z - 0.5 * sd * sd)


def change_team_presence(
    *, since_start_days: float, until_end_days: float, formation_days: float, taper_days: float
) -> float:
    """Share of the change team in place (0-1): a linear ramp over ``formation_days`` from the
    start and a linear taper over the last ``taper_days`` before the end."""
    ramp = 1.0 if formation_days <= 0 else min(1.0, since_start_days / formation_days)
    taper = 1.0 if taper_days <= 0 else min(1.0, until_end_days / taper_days)
    return max(0.0, min(ramp, taper))


def change_team_effort(
    *,
    team_fte: float,
    effort_per_fte: float,
    effectiveness: float,
    adhoc: bool,
    adhoc_effectiveness: float,
    adhoc_churn_effort_loss: float,
    imposed: bool,
    imposed_effectiveness: float,
) -> float:
    """Improvement effort the change team adds, before oversight noise (docs/model.md §2.7):
    ``team FTE × effort_per_fte × effectiveness × (adhoc_effectiveness × (1 −
    adhoc_churn_effort_loss) if ad hoc) × (imposed_effectiveness if imposed)``."""
    per_fte = effort_per_fte * effectiveness
    if adhoc:
        per_fte *= adhoc_effectiveness * (1.0 - adhoc_churn_effort_loss)
    if imposed:
        per_fte *= imposed_effectiveness
    return team_fte * per_fte
