"""The law-of-total-variance split of per-replication values over posterior draws."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis.posterior_split import variance_split


def test_split_sums_to_the_total_variance() -> None:
    """Between + within equals the pooled variance exactly (ddof 0), balanced or not."""
    rng = np.random.default_rng(3)
    for sizes in ((4, 4, 4), (2, 5, 3, 1)):
        draws = np.repeat(np.arange(len(sizes)), sizes)
        values = rng.normal(size=draws.size) + 3 * draws
        split = variance_split(values, draws)
        assert split.total == split.between + split.within
        assert np.isclose(split.total, np.var(values), rtol=1e-12, atol=0)
        assert 0 < split.parameter_share < 1


def test_split_attributes_pure_parameter_and_pure_chance() -> None:
    """Values constant within draws are all parameter; equal draw means are all chance."""
    draws = np.repeat([0, 1, 2], 3)
    assert variance_split(np.repeat([1.0, 2.0, 4.0], 3), draws).parameter_share == 1.0
    chance = np.tile([1.0, 2.0, 3.0], 3)
    split = variance_split(chance, draws)
    assert split.between == 0.0 and split.parameter_share == 0.0
    low, high = split.ci_low, split.ci_high
    assert low == high == 2.0  # draw means identical: the interval over draws has no width


def test_interval_is_over_draw_means() -> None:
    """The 95% interval is the t-interval of the K draw means (K - 1 degrees of freedom)."""
    from scipy import stats

    draws = np.repeat(np.arange(4), 5)
    values = np.random.default_rng(5).normal(size=20) + draws
    split = variance_split(values, draws)
    means = np.array([values[draws == k].mean() for k in range(4)])
    half = stats.t.ppf(0.975, 3) * means.std(ddof=1) / 2
    assert np.isclose(split.ci_low, means.mean() - half)
    assert np.isclose(split.ci_high, means.mean() + half)
    assert np.isnan(variance_split(values[:5], draws[:5]).ci_low)  # one draw: undefined


def test_one_replication_per_draw_leaves_the_shares_undefined() -> None:
    """With R = 1 every draw's within-draw variance is 0 by construction, not because chance is
    absent: the split is undefined (NaN), while the total and the interval over draws stand."""
    from sim.analysis.posterior_split import variance_split

    split = variance_split(np.array([1.0, 3.0, 2.0, 6.0]), np.array([0, 1, 2, 3]))
    assert np.isnan(split.parameter_share) and np.isnan(split.within)
    assert split.total == pytest.approx(np.var([1.0, 3.0, 2.0, 6.0]))
    assert split.draws == 4 and split.ci_low < split.mean < split.ci_high


def test_no_spread_sentence_when_the_split_is_undefined() -> None:
    """A table whose shares are all undefined (R = 1) gives no sentence, not "0%"."""
    from sim.analysis.posterior_split import SPLIT_COLUMNS, spread_sentence

    row = dict.fromkeys(SPLIT_COLUMNS, 0.0) | {
        "kind": "arm", "arm": "a", "reference": "", "window": "whole_run",
        "outcome": "months_inadequate", "sd_total": 2.0, "parameter_share": float("nan"),
        "chance_share": float("nan"), "draws": 4, "n": 4,
    }  # fmt: skip
    import pandas as pd

    assert spread_sentence(pd.DataFrame([row])) == ""
    assert "100%" in spread_sentence(pd.DataFrame([row | {"parameter_share": 1.0}]))
