"""The flatness measure of the benchmark's scaling section (``benchmarks/flatness.py``)."""

from __future__ import annotations

import pytest

from benchmarks.flatness import flatness, relative_costs


def test_flatness_reads_deviation_from_the_median() -> None:
    ratio, deviation = flatness([17.1, 14.2, 13.9, 13.8, 14.6, 15.2])
    assert ratio == pytest.approx(17.1 / 13.8)
    assert deviation == pytest.approx(17.1 / 14.4 - 1.0)  # median of six: (14.2 + 14.6) / 2


def test_relative_costs_cancel_a_slow_round() -> None:
    """A round run 30% slower (every size alike) does not change relative costs, while the
    minimum over rounds would mix the rounds' speeds when the sizes' fastest rounds differ."""
    steady = {"small": [12.0, 12.0, 12.0], "mid": [10.0, 10.0, 10.0], "large": [11.0, 11.0, 11.0]}
    # the median of each round is "large" (11 µs)
    assert relative_costs(steady) == pytest.approx({"small": 12 / 11, "mid": 10 / 11, "large": 1.0})
    drifting = {k: [v[0], v[1] * 1.3, v[2] * 0.8] for k, v in steady.items()}
    assert relative_costs(drifting) == pytest.approx(relative_costs(steady))


def test_relative_costs_ignore_one_disturbed_round() -> None:
    rounds = {"small": [12.0, 12.0, 30.0], "mid": [10.0, 10.0, 10.0], "large": [11.0, 11.0, 11.0]}
    assert relative_costs(rounds)["small"] == pytest.approx(12 / 11)


def test_relative_costs_need_complete_rounds() -> None:
    with pytest.raises(ValueError, match="same, non-zero number of rounds"):
        relative_costs({"small": [12.0, 12.0], "mid": [10.0]})
