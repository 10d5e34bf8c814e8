"""Pure pieces of the fit: statistics of a replication, implausibility, likelihoods, resampling."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis.calibrate.likelihood import (
    build_outputs,
    implausibility,
    log_likelihood,
    model_counts,
    summarise,
)
from sim.analysis.calibrate.simulator import first_grade, merge_arms, still_inadequate
from sim.analysis.calibrate.study import ranked, resample

TARGETS = pd.DataFrame(
    [
        {
            "id": "rate",
            "group": "g",
            "family": "normal",
            "statistic": "x",
            "observed": 10.0,
            "n": 150,
            "k": None,
            "se": 1.0,
        },
        *[
            {
                "id": f"t_{c}",
                "group": "t",
                "family": "multinomial",
                "statistic": "grade",
                "observed": k / 15,
                "n": 15,
                "k": k,
                "se": None,
            }
            for c, k in zip((1, 2, 3, 4), (0, 6, 7, 2), strict=True)
        ],
    ]
)


def test_first_grade_and_still_inadequate() -> None:
    assert first_grade("3-2-2") == 3.0
    assert math.isnan(first_grade(""))
    assert still_inadequate(30.0, 0, 60, 2) == 1.0  # out after 30 months: inadequate at 24
    assert still_inadequate(30.0, 0, 60, 3) == 0.0
    assert still_inadequate(math.nan, 1, 60, 5) == 1.0  # never out, followed 5 years
    assert math.isnan(still_inadequate(math.nan, 1, 36, 5))  # not followed that long


def test_count_targets_observe_the_exact_share() -> None:
    """The table rounds 2/15 to 0.133333; a predictive interval of counts out of 15 whose low end
    is 2/15 must count the record as inside it (study 11 read it as outside)."""
    rounded = TARGETS.assign(observed=TARGETS["observed"].round(6))
    by_name = {o.name: o.observed for o in build_outputs(rounded, {})}
    assert by_name["t_4"] == 2 / 15
    assert by_name["rate"] == 10.0


def test_implausibility_uses_every_variance() -> None:
    outputs = build_outputs(TARGETS.iloc[:1], {"g": 2.0})
    # |10 - 7| / sqrt(em 4 + obs 1 + disc 4) = 1
    assert implausibility(outputs, np.array([[7.0]]), np.array([[4.0]]))[0, 0] == pytest.approx(1.0)


def test_likelihood_prefers_the_matching_model() -> None:
    outputs = build_outputs(TARGETS, {})
    close = [{"x": 10.0, "grade": g} for g in (2, 2, 3, 3, 3, 4, 2, 3)]
    far = [{"x": 14.0, "grade": g} for g in (4, 4, 4, 4, 4, 4, 4, 3)]
    total_close, terms_close = log_likelihood(outputs, TARGETS, close, {})
    total_far, terms_far = log_likelihood(outputs, TARGETS, far, {})
    assert set(terms_close) == {"rate", "t"}  # a count group is one Dirichlet-multinomial term
    assert terms_close["t"] > terms_far["t"] and terms_close["rate"] > terms_far["rate"]
    assert total_close > total_far
    # A concentration (discrepancy) flattens the count likelihood.
    flat = log_likelihood(outputs, TARGETS, far, {"t": 2.0})[1]["t"]
    assert flat > terms_far["t"]


def test_resample_follows_weights() -> None:
    weights = np.array([0.0, 0.25, 0.75])
    picks = resample(weights, 400, seed=1)
    counts = np.bincount(picks, minlength=3)
    assert counts[0] == 0 and counts[1] == 100 and counts[2] == 300  # systematic: exact here


def _shares(weight: float, shares: tuple[float, ...]) -> dict[str, float]:
    """A sample replication's grade shares over ``weight`` LAs (the simulator's keys)."""
    out = {"x": 10.0}
    for grade, share in zip((1, 2, 3, 4), shares, strict=True):
        out[f"grade:{grade}"] = share
        out[f"grade:{grade}:weight"] = weight
    return out


def _dirichlet_multinomial(observed: list[int], alpha: list[float]) -> float:
    """log pmf written out: n! G(A) / G(n + A) * prod G(x + a) / (G(a) x!)."""
    n, total = sum(observed), sum(alpha)
    value = math.lgamma(n + 1) + math.lgamma(total) - math.lgamma(n + total)
    for x, a in zip(observed, alpha, strict=True):
        value += math.lgamma(x + a) - math.lgamma(a) - math.lgamma(x + 1)
    return value


def test_multinomial_likelihood_on_shares_known_answer() -> None:
    outputs = build_outputs(TARGETS, {})
    # Two replications of a sample: 4 LAs (1, 2, 1, 0 of grades 1-4) and 2 LAs (0, 1, 1, 0).
    reps = [_shares(4, (0.25, 0.5, 0.25, 0.0)), _shares(2, (0.0, 0.5, 0.5, 0.0))]
    counts = [model_counts(o, reps) for o in outputs[1:]]
    assert counts == pytest.approx([1.0, 3.0, 2.0, 0.0])  # shares scaled to counts, summed
    means, rep_var = summarise(outputs, reps)
    assert means[1:] == pytest.approx([0.125, 0.5, 0.375, 0.0])  # the outputs: mean shares
    assert rep_var[2] == pytest.approx(0.0) and rep_var[1] == pytest.approx(0.03125 / 2)
    # The record's counts (0, 6, 7, 2) of 15 under alpha = counts + 1 = (2, 4, 3, 1).
    terms = log_likelihood(outputs, TARGETS, reps, {})[1]
    assert terms["t"] == pytest.approx(_dirichlet_multinomial([0, 6, 7, 2], [2, 4, 3, 1]))
    # A concentration of 5 scales alpha to (1, 2, 1.5, 0.5).
    flat = log_likelihood(outputs, TARGETS, reps, {"t": 5.0})[1]["t"]
    assert flat == pytest.approx(_dirichlet_multinomial([0, 6, 7, 2], [1, 2, 1.5, 0.5]))
    # A replication with no LA behind a share (NaN, weight 0) adds nothing.
    empty = _shares(0, (math.nan,) * 4)
    assert [model_counts(o, [*reps, empty]) for o in outputs[1:]] == pytest.approx(counts)


def test_arm_statistics_merge_rather_than_overwrite() -> None:
    sample_a = {"grade:1": 0.5, "grade:1:weight": 2.0, "rate": 10.0, "rate:weight": 100.0}
    sample_b = {"grade:1": 0.25, "grade:1:weight": 6.0, "rate": 20.0, "rate:weight": 300.0}
    merged = merge_arms([sample_a, sample_b, {"only_here": 3.0}])
    # Weighted by the counts behind them: (0.5 * 2 + 0.25 * 6) / 8, (10 * 100 + 20 * 300) / 400.
    assert merged["grade:1"] == pytest.approx(2.5 / 8) and merged["grade:1:weight"] == 8.0
    assert merged["rate"] == pytest.approx(17.5) and merged["rate:weight"] == 400.0
    assert merged["only_here"] == 3.0 and "only_here:weight" not in merged
    # Without weights, arms count alike; a NaN or a zero weight is left out.
    assert merge_arms([{"y": 1.0}, {"y": 3.0}, {"y": math.nan}])["y"] == pytest.approx(2.0)
    none = merge_arms([{"z": 1.0, "z:weight": 0.0}, {"z": math.nan, "z:weight": 5.0}])
    assert math.isnan(none["z"]) and none["z:weight"] == 0.0
    # Disjoint arms (the single-LA stand-in's) are simply united.
    assert merge_arms([{"a": 1.0}, {"b": 2.0}]) == {"a": 1.0, "b": 2.0}


def test_predictive_without_weight_is_nan() -> None:
    from sim.analysis.calibrate.fit_tables import predictive

    outputs = build_outputs(TARGETS, {})
    reps = [[{"x": 10.0, "grade": 2.0}, {"x": 11.0, "grade": 3.0}]]
    assert np.isnan(predictive(outputs, TARGETS, reps, np.zeros(1), seed=1)).all()
    interval = predictive(outputs, TARGETS, reps, np.ones(1), seed=1)
    assert interval[0, 0] < 10.5 < interval[0, 1]  # the rate's mean inside its interval


def test_ranked_implausibility_is_the_kth_largest() -> None:
    imp = np.array([[0.5, 4.0, 2.0], [3.5, 3.1, 0.2]])
    assert ranked(imp, 1).tolist() == [4.0, 3.5]
    assert ranked(imp, 2).tolist() == [2.0, 3.1]  # one wild output no longer rules out row 0
    assert ranked(imp, 5).tolist() == [4.0, 3.5]  # fewer outputs than the rank: the largest
