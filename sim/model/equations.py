"""The model's equations as pure functions (documented in docs/model.md).

Units: time in days unless a name says otherwise; rates per year; quality, morale and stress 0-1.
Functions accept numpy arrays where it makes sense, so the weekly update is vectorised over workers.
"""

from __future__ import annotations

import math

import numpy as np

DAYS_PER_YEAR = 365.0
MONTHS_PER_YEAR = 12
DAYS_PER_MONTH = DAYS_PER_YEAR / 12.0
DAYS_PER_WEEK = 7.0
WORKING_DAYS_PER_CALENDAR_DAY = 5.0 / 7.0
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
    mean_months: float,
    grade: int,
    grade_penalty: float,
    morale: float,
    morale_reference: float,
    morale_effect: float,
    support: float,
) -> float:
    """Rate (per year) at which one vacant post is filled by a permanent hire.

    The mean time to fill is ``mean_months`` for a good LA at reference morale, slowed by
    ``grade_penalty`` per grade below good and by low morale, sped up by intervention support.
    """
    grades_below_good = max(0, grade - GRADE_GOOD)
    slowdown = (1.0 + grade_penalty * grades_below_good) * (
        1.0 + morale_effect * max(0.0, morale_reference - morale)
    )
    return 12.0 / mean_months / slowdown * (1.0 + support)


def rereferral_probability(
    base: float,
    quality: float,
    quality_reference: float,
    quality_effect: float,
    changes: int,
    change_effect: float,
) -> float:
    """Chance that a closed case is referred again within 12 months (logistic in practice conditions).

    ``logit(p) = logit(base) + quality_effect × (reference - quality) + change_effect × min(changes, 3)``;
    a base of 0 or 1 switches the mechanism off or makes it certain.
    """
    if base <= 0.0 or base >= 1.0:
        return min(1.0, max(0.0, base))
    logit = math.log(base / (1.0 - base))
    logit += quality_effect * (quality_reference - quality) + change_effect * min(
        changes, MAX_COUNTED_CHANGES
    )
    return _logistic(logit)


def _logistic(x: float) -> float:
    """``1 / (1 + exp(-x))``, without overflow for very negative ``x``."""
    return 1.0 / (1.0 + math.exp(min(-x, MAX_EXP_ARGUMENT)))


def rereferral_probabilities(
    base: float,
    quality: float,
    quality_reference: float,
    quality_effect: float,
    change_effect: float,
) -> list[float]:
    """:func:`rereferral_probability` for 0, 1, ..., ``MAX_COUNTED_CHANGES`` changes of worker
    (index = number of changes), computed together (this runs every week)."""
    if base <= 0.0 or base >= 1.0:
        return [min(1.0, max(0.0, base))] * (MAX_COUNTED_CHANGES + 1)
    logit = math.log(base / (1.0 - base)) + quality_effect * (quality_reference - quality)
    # 1 / (1 + exp(-(logit + c k))) = 1 / (1 + exp(-logit) exp(-c)^k): two exps for all k
    odds_against = math.exp(min(-logit, MAX_EXP_ARGUMENT))
    per_change = math.exp(min(-change_effect, MAX_EXP_ARGUMENT))
    chances = []
    for _ in range(MAX_COUNTED_CHANGES + 1):
        chances.append(1.0 / (1.0 + odds_against))
        odds_against *= per_change
    return chances


def assessment_stretch(
    worker_caseload: float,
    caseload_target: float,
    pressure_stretch: float,
    newly_qualified: bool,
    nq_stretch: float,
    absence_rate: float,
    norm_absence_rate: float,
) -> float:
    """Factor by which an assessment takes longer than the national norm.

    ``(1 + pressure_stretch × relative excess caseload) × (1 + nq_stretch if newly qualified)
    × (1 - norm absence) / (1 - absence)``.
    """
    factor = 1.0 + pressure_stretch * max(0.0, worker_caseload / caseload_target - 1.0)
    if newly_qualified:
        factor *= 1.0 + nq_stretch
    return factor * (1.0 - norm_absence_rate) / (1.0 - absence_rate)


def practice_quality(
    embedded: float,
    recent_gains: float,
    caseload_excess: float,
    caseload_penalty: float,
    inexperienced_share: float,
    inexperience_penalty: float,
    unallocated_per_fte: float,
    unallocated_penalty: float,
) -> float:
    """Practice quality (0-1): embedded capability plus recent gains less day-to-day pressure."""
    q = (
        embedded
        + recent_gains
        - caseload_penalty * caseload_excess
        - inexperience_penalty * inexperienced_share
        - unallocated_penalty * unallocated_per_fte
    )
    return min(1.0, max(0.0, q))


def quality_flows(
    embedded: float,
    gains: float,
    effort: float,
    gain_rate: float,
    fade_years: float,
    embed_years: float,
    stability: float,
    embed_boost: float,
    erosion: float,
    churn_erosion: float,
) -> tuple[float, float]:
    """Rates of change (per year) of embedded capability and recent gains.

    * gains are created by effort in proportion to the room left: ``gain_rate × effort × (1 - E - G)``;
    * unembedded gains fade with mean life ``fade_years`` and are eroded by churn;
    * gains embed at rate ``stability × (1 + boost) / embed_years``;
    * embedded capability erodes at ``erosion + churn_erosion``.
    """
    room = max(0.0, 1.0 - embedded - gains)
    embedding = gains * stability * (1.0 + embed_boost) / embed_years
    d_gains = gain_rate * effort * room - gains / fade_years - churn_erosion * gains - embedding
    d_embedded = embedding - (erosion + churn_erosion) * embedded
    return d_embedded, d_gains


def workforce_stability(turnover: float, stable_turnover: float) -> float:
    """1 when annual turnover is at or below the stable level, falling as it rises above it."""
    return 1.0 / (1.0 + max(0.0, turnover / stable_turnover - 1.0))


def morale_target(
    reference: float,
    mean_stress_excess: float,
    stress_effect: float,
    quality: float,
    quality_reference: float,
    quality_effect: float,
    governance_deficit: float,
    governance_effect: float,
    intervention_effect: float,
) -> float:
    """Level morale recovers toward (0-1)."""
    m = (
        reference
        - stress_effect * mean_stress_excess
        + quality_effect * (quality - quality_reference)
        - governance_effect * governance_deficit
        + intervention_effect
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


def grade_from_score(
    score: float, outstanding: float, good: float, requires_improvement: float
) -> int:
    """Ofsted grade (1 outstanding, 2 good, 3 requires improvement, 4 inadequate) from a score."""
    if score >= outstanding:
        return 1
    if score >= good:
        return 2
    if score >= requires_improvement:
        return 3
    return 4
