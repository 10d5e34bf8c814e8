"""Pure pieces of the fit: statistics of a replication, implausibility, likelihoods, resampling."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis.calibrate.likelihood import build_outputs, implausibility, log_likelihood
from sim.analysis.calibrate.simulator import first_grade, still_inadequate
from sim.analysis.calibrate.study import resample

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
