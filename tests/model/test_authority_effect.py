"""An LA's persistent inspection-score effect: drawn consistent with the grade in force at the
start (exactly, against rejection sampling), carried into every inspection, and absent (no draw,
the stream untouched) at the default of 0."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.model.equations import authority_effect_for_grade, score_band
from sim.model.inspection import Inspectorate, Shortfalls
from sim.model.parameters import ModelParameters
from sim.scenario.loader import apply_overrides
from sim.scenario.scenario import Scenario

THRESHOLDS = {
    "threshold_outstanding": 0.68,
    "threshold_good": 0.55,
    "threshold_requires_improvement": 0.45,
}
N = 10_000


def _exact(
    rng: np.random.Generator, *, grade: int, quality: float, effect_sd: float, noise_sd: float
) -> np.ndarray:
    low, high = score_band(grade=grade, **THRESHOLDS)
    return np.array(
        [
            authority_effect_for_grade(
                u_sum=float(rng.random()),
                z_split=float(rng.standard_normal()),
                effect_sd=effect_sd,
                noise_sd=noise_sd,
                quality=quality,
                score_low=low,
                score_high=high,
            )
            for _ in range(N)
        ]
    )


def _rejection(
    rng: np.random.Generator, *, grade: int, quality: float, effect_sd: float, noise_sd: float
) -> np.ndarray:
    low, high = score_band(grade=grade, **THRESHOLDS)
    kept: list[np.ndarray] = []
    while sum(len(k) for k in kept) < N:
        effect = rng.normal(0.0, effect_sd, N)
        score = quality + effect + rng.normal(0.0, noise_sd, N)
        kept.append(effect[(score >= low) & (score < high)])
    return np.concatenate(kept)[:N]


def test_score_bands_tile_the_line() -> None:
    assert score_band(grade=1, **THRESHOLDS) == (0.68, math.inf)
    assert score_band(grade=2, **THRESHOLDS) == (0.55, 0.68)
    assert score_band(grade=3, **THRESHOLDS) == (0.45, 0.55)
    assert score_band(grade=4, **THRESHOLDS) == (-math.inf, 0.45)


@pytest.mark.parametrize(("grade", "quality"), [(1, 0.62), (2, 0.60), (3, 0.60), (4, 0.40)])
def test_effect_given_grade_matches_rejection_sampling(grade: int, quality: float) -> None:
    """The exact draw (sum from its truncated normal, effect given the sum) has the mean and
    spread of effects kept by rejection: 10,000 draws each, so the means agree within 4 standard
    errors (sd/sqrt(N) ~ 0.0007 for sd ~ 0.07) and the sds within 5%."""
    exact = _exact(
        np.random.default_rng(1), grade=grade, quality=quality, effect_sd=0.08, noise_sd=0.06
    )
    kept = _rejection(
        np.random.default_rng(2), grade=grade, quality=quality, effect_sd=0.08, noise_sd=0.06
    )
    se = math.hypot(exact.std(), kept.std()) / math.sqrt(N)
    assert abs(exact.mean() - kept.mean()) < 4 * se
    assert exact.std() == pytest.approx(kept.std(), rel=0.05)


def test_effect_leans_towards_the_grade() -> None:
    """At the same practice quality, an LA judged outstanding carries a positive effect on
    average, one judged inadequate a negative one; with no effect there is nothing to draw."""
    up = _exact(np.random.default_rng(3), grade=1, quality=0.6, effect_sd=0.08, noise_sd=0.06)
    down = _exact(np.random.default_rng(3), grade=4, quality=0.6, effect_sd=0.08, noise_sd=0.06)
    assert up.mean() > 0.03 and down.mean() < -0.03
    assert (
        authority_effect_for_grade(
            u_sum=0.5,
            z_split=1.0,
            effect_sd=0.0,
            noise_sd=0.06,
            quality=0.6,
            score_low=0.55,
            score_high=0.68,
        )
        == 0.0
    )


def test_band_out_of_reach_takes_its_nearest_edge() -> None:
    """A band many spreads away (here outstanding at quality 0) gives the effect of its edge
    instead of an infinite one."""
    effect = authority_effect_for_grade(
        u_sum=0.5,
        z_split=0.0,
        effect_sd=0.01,
        noise_sd=0.01,
        quality=0.0,
        score_low=0.68,
        score_high=math.inf,
    )
    assert effect == pytest.approx(0.34)


def _inspectorate(seed: int, **inspection: float) -> Inspectorate:
    scenario = apply_overrides(Scenario(), {f"inspection.{k}": v for k, v in inspection.items()})
    return Inspectorate(
        ModelParameters.from_scenario(scenario),
        np.random.default_rng(seed),
        1,
        origin=0.0,
        quality=0.6,
    )


def test_effect_is_added_to_every_inspection_and_absent_by_default() -> None:
    """With no per-visit noise, an LA of practice quality 0.6 judged outstanding at the start
    keeps its effect: every inspection at that quality gives the grade of 0.6 + effect. At the
    default (no effect) the inspection stream is left as it was (no draw at the start)."""
    insp = _inspectorate(5, authority_effect_sd=0.1, score_noise_sd=0.0)
    assert insp.authority_effect != 0.0
    expected = (
        1
        if 0.6 + insp.authority_effect >= 0.68
        else 2
        if 0.6 + insp.authority_effect >= 0.55
        else 3
    )
    grades = {insp.inspect(t, 0.6, Shortfalls(0.0, 0.0, 0.0, 0.0)) for t in (100.0, 1200.0, 2400.0)}
    assert grades == {expected}
    plain = _inspectorate(5)
    assert plain.authority_effect == 0.0
    stream = np.random.default_rng(5)
    stream.uniform()  # the one draw of the start: the cycle's jitter for the next inspection
    assert plain.rng.random() == stream.random()
