"""The model's pure equations: limits, monotonicity and the identities they are built on."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model import equations as eq

unit = st.floats(0.0, 1.0)


def test_hazard_probability_matches_exponential() -> None:
    assert eq.hazard_to_probability(0.0, 7.0) == 0.0
    assert eq.hazard_to_probability(1.0, 365.0) == pytest.approx(1 - math.exp(-1))


def test_relax_moves_toward_target() -> None:
    assert eq.relax(0.0, 1.0, 1e9, 10.0) == pytest.approx(1.0)
    assert eq.relax(0.0, 1.0, 10.0, 10.0) == pytest.approx(1 - math.exp(-1))


@given(st.floats(0, 60), st.floats(0, 60))
def test_stress_rises_with_caseload(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    s = eq.stress_target(np.array([lo, hi]) / 16.0, 0.3, 1.0, 0.1, 0.3, 0.0, 0.0)
    assert 0.0 <= s[0] <= s[1] <= 1.0


def _stress_target_as_written(ratio, baseline, weight, deficit, sup_weight, oversight, relief):  # type: ignore[no-untyped-def]
    raw = baseline + weight * max(0.0, ratio - 1.0) + sup_weight * deficit + oversight - relief
    return min(1.0, max(0.0, raw))


@given(
    st.floats(0, 4),
    st.floats(0, 1),
    st.floats(0, 3),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_stress_target_equals_the_clipped_sum(  # type: ignore[no-untyped-def]
    ratio, baseline, weight, deficit, sup_weight, oversight, relief
) -> None:
    """The four-operation form equals the formula in the docstring (and docs/model.md)."""
    args = (baseline, weight, deficit, sup_weight, oversight, relief)
    fast = eq.stress_target(np.array([ratio]), *args)[0]
    assert fast == pytest.approx(_stress_target_as_written(ratio, *args), abs=1e-12)


def test_leaving_depends_on_stress_not_caseload_directly() -> None:
    """The hazard takes stress and morale; at baseline stress and reference morale it is the base rate."""
    assert eq.leaving_hazard(0.14, 0.3, 0.3, 1.0, 0.65, 0.65, 1.0, 1.0, 1.0) == pytest.approx(0.14)
    assert eq.leaving_hazard(0.14, 0.6, 0.3, 1.0, 0.65, 0.65, 1.0, 1.0, 1.0) == pytest.approx(
        0.14 * math.exp(0.3)
    )
    low_morale = eq.leaving_hazard(0.14, 0.3, 0.3, 1.0, 0.45, 0.65, 2.0, 1.5, 1.2)
    assert low_morale == pytest.approx(0.14 * math.exp(2.0 * 0.2) * 1.5 * 1.2)
    assert eq.leaving_hazard(0.0, 0.3, 0.3, 1.0, 0.65, 0.65, 1.0, 1.0, 1.0) == 0.0
    weekly = eq.leaving_hazard(0.14, 0.3, 0.3, 1.0, 0.65, 0.65, 1.0, 1.0, 1.0, period_days=7.0)
    assert weekly == pytest.approx(0.14 * 7.0 / eq.DAYS_PER_YEAR)


@given(unit, unit, unit, st.floats(0, 10), st.floats(0, 10), st.floats(0, 10), st.floats(0, 10))
def test_leaving_hazard_is_bounded_by_its_value_at_stress_one(  # type: ignore[no-untyped-def]
    stress, baseline, morale, stress_effect, morale_effect, early, late
) -> None:
    """The weekly step checks one by one only posts whose draw is below the hazard at stress 1 in
    the riskier band of service: that must bound every worker's hazard."""
    args = (baseline, stress_effect, morale, 0.65, morale_effect)
    bound = eq.leaving_hazard(0.14, 1.0, *args, max(early, late), 1.3, period_days=7.0)
    for multiplier in (early, late, 0.0):
        assert eq.leaving_hazard(0.14, stress, *args, multiplier, 1.3, period_days=7.0) <= bound


def test_recruitment_slower_for_poor_grades_and_low_morale() -> None:
    good = eq.recruitment_rate_per_year(12 / 12, 2, 0.15, 0.65, 0.65, 0.5, 0.0)
    assert good == pytest.approx(1.0)
    assert eq.recruitment_rate_per_year(12 / 12, 4, 0.15, 0.65, 0.65, 0.5, 0.0) < good
    assert eq.recruitment_rate_per_year(12 / 12, 2, 0.15, 0.3, 0.65, 0.5, 0.0) < good
    assert eq.recruitment_rate_per_year(12 / 12, 2, 0.15, 0.65, 0.65, 0.5, 0.25) > good


@given(unit, unit, st.integers(0, 10))
def test_rereferral_probability_bounds_and_direction(q1: float, q2: float, changes: int) -> None:
    lo, hi = sorted((q1, q2))
    p_low_quality = eq.rereferral_probability(0.2, lo, 0.6, 0.8, changes, 0.15)
    p_high_quality = eq.rereferral_probability(0.2, hi, 0.6, 0.8, changes, 0.15)
    assert 0.0 < p_high_quality <= p_low_quality < 1.0
    assert eq.rereferral_probability(0.0, lo, 0.6, 0.8, changes, 0.15) == 0.0


def test_rereferral_probability_at_reference_is_base() -> None:
    assert eq.rereferral_probability(0.2, 0.6, 0.6, 0.8, 0, 0.15) == pytest.approx(0.2)


def test_assessment_stretch_is_one_at_national_norm() -> None:
    assert eq.assessment_stretch(10, 16, 0.8, False, 0.1, 0.034, 0.034) == pytest.approx(1.0)
    assert eq.assessment_stretch(24, 16, 0.8, False, 0.1, 0.034, 0.034) == pytest.approx(1.4)
    assert eq.assessment_stretch(10, 16, 0.8, True, 0.1, 0.034, 0.034) == pytest.approx(1.1)


@given(unit, unit, st.floats(0, 2))
def test_practice_quality_is_clipped(e: float, g: float, excess: float) -> None:
    q = eq.practice_quality(e, g, excess, 0.4, 0.3, 0.2, 0.1, 0.5)
    assert 0.0 <= q <= 1.0


def test_quality_flows_equilibrium() -> None:
    """At the analytic equilibrium both flows vanish:
    G = 1 / (1 + (f + c + e)/a + e/(r + c)), E = e G / (r + c)."""
    a, f, e, c, r = 2.0 * 0.35, 1 / 0.75, 0.8 / 1.25, 0.075, 0.04
    g = 1.0 / (1.0 + (f + c + e) / a + e / (r + c))
    embedded = e * g / (r + c)
    d_e, d_g = eq.quality_flows(embedded, g, 0.35, 2.0, 0.75, 1.25, 0.8, 0.0, r, c)
    assert d_e == pytest.approx(0.0, abs=1e-12)
    assert d_g == pytest.approx(0.0, abs=1e-12)


def test_unembedded_gains_fade_without_stability() -> None:
    d_e, d_g = eq.quality_flows(0.3, 0.2, 0.0, 2.0, 0.75, 1.25, 0.0, 0.0, 0.0, 0.0)
    assert d_e == 0.0
    assert d_g == pytest.approx(-0.2 / 0.75)


def test_grade_thresholds() -> None:
    assert [eq.grade_from_score(s, 0.68, 0.55, 0.45) for s in (0.7, 0.6, 0.5, 0.4)] == [1, 2, 3, 4]


def test_workforce_stability() -> None:
    assert eq.workforce_stability(0.10, 0.12) == 1.0
    assert eq.workforce_stability(0.24, 0.12) == pytest.approx(0.5)


def test_morale_target_clipped_and_directional() -> None:
    base = eq.morale_target(0.65, 0.0, 0.5, 0.6, 0.6, 0.3, 0.0, 1.0, 0.0)
    assert base == pytest.approx(0.65)
    assert eq.morale_target(0.65, 0.3, 0.5, 0.6, 0.6, 0.3, 0.0, 1.0, 0.0) < base
    assert eq.morale_target(0.65, 0.0, 0.5, 0.6, 0.6, 0.3, 0.0, 1.0, 0.1) > base
    assert 0.0 <= eq.morale_target(0.0, 5.0, 0.5, 0.0, 0.6, 0.3, 1.0, 1.0, 0.0) <= 1.0


@given(st.floats(1e-6, 1.0 - 1e-6), st.floats(0.0, 1.0), st.integers(0, 6))
def test_rereferral_probability_is_the_logistic_as_documented(
    base: float, quality: float, changes: int
) -> None:
    """The odds form the function computes equals the logistic written in docs/model.md
    (to rounding); a base of 0 or 1 is returned as it is."""
    p = eq.rereferral_probability(base, quality, 0.5, 2.0, changes, 0.3)
    logit = math.log(base / (1 - base)) + 2.0 * (0.5 - quality) + 0.3 * min(changes, 3)
    assert p == pytest.approx(1.0 / (1.0 + math.exp(-logit)), rel=1e-12)
    assert eq.rereferral_probability(0.0, quality, 0.5, 2.0, changes, 0.3) == 0.0
    assert eq.rereferral_probability(1.0, quality, 0.5, 2.0, changes, 0.3) == 1.0


def test_step_chances_are_memoised_hazard_probabilities() -> None:
    chance = eq.StepChances()
    assert chance(2.0, 7.0) == pytest.approx(float(eq.hazard_to_probability(np.array(2.0), 7.0)))
    assert chance(2.0, 7.0) is chance(2.0, 7.0)
    assert isinstance(chance(0.5, 7.0), float)


def test_hazard_probability_same_for_floats_and_arrays() -> None:
    rates = [0.0, 0.1, 1.6, 12.0]
    arr = eq.hazard_to_probability(np.array(rates), 7.0)
    for r, a in zip(rates, arr.tolist()):
        assert eq.hazard_to_probability(r, 7.0) == pytest.approx(a, rel=1e-15, abs=0.0)
