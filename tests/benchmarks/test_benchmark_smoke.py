"""Smoke test of the bare-SimPy M/M/c queue the benchmarks compare the model with.

The benchmark is only meaningful if its floor is a correct queue doing the requested work, so
this checks (fast, < 2 s) that it serves every requested arrival and that its mean wait agrees
with the Erlang C formula.
"""

from __future__ import annotations

import statistics

import pytest

from benchmarks.bare_simpy import erlang_c_wait, mmc, mmc_callbacks, rates_for

SERVERS = 2
ARRIVAL_RATE = 1.4
SERVICE_RATE = 1.0  # utilisation 0.7
ARRIVALS = 12_000
SEEDS = range(8)


def test_serves_exactly_the_requested_arrivals() -> None:
    lam, mu = rates_for(9.0, 10)
    result = mmc(3_000, 10, lam, mu, seed=3)
    assert result.n_arrivals == 3_000
    assert result.n_served == 3_000
    # arrival timeout, process start, request, service timeout, release, process end
    assert result.n_events >= 5 * 3_000
    assert lam / (10 * mu) == pytest.approx(0.8)


def test_mean_wait_agrees_with_erlang_c() -> None:
    """Mean wait over 8 independent runs of 12,000 arrivals of an M/M/2 queue at utilisation 0.7
    is within 4 standard errors of Erlang C (W_q = 0.961).

    Tolerance: the runs are independent (distinct seeds), so the standard error of their grand
    mean is estimated from their spread. Waits at 70% utilisation are strongly autocorrelated:
    one run of 12,000 arrivals has an SD of ~9% of W_q (measured over 60 seeds), so the SE of
    the mean of 8 is ~3%. A 4-SE band has a false-failure probability of about 0.5% under
    Student's t with 7 degrees of freedom, and also absorbs the bias of starting empty (the
    relaxation time is a few hundred arrivals; over 60 seeds the bias was -0.2% +- 1.2%). The
    band is not so wide that the test is empty: we also require the SE to be below 5% of W_q,
    so a wrong number of servers (one server of the same total capacity, M/M/1 with mu = 2,
    waits 1.167: 21% longer, ~7 SE away) or swapped rates (unstable) fails it. The seeds are
    fixed, so the test is deterministic.
    """
    expected = erlang_c_wait(SERVERS, ARRIVAL_RATE, SERVICE_RATE)
    waits = [mmc(ARRIVALS, SERVERS, ARRIVAL_RATE, SERVICE_RATE, seed=s).mean_wait for s in SEEDS]
    mean = statistics.fmean(waits)
    standard_error = statistics.stdev(waits) / len(waits) ** 0.5
    assert standard_error < 0.05 * expected
    assert abs(mean - expected) < 4.0 * standard_error


def test_callback_queue_is_the_same_queue() -> None:
    """The callback-style queue draws the same variates in the same order as the idiomatic one
    (arrival, then service at the start of each service), so with one seed both give the same
    waits: it differs only in how SimPy is used, which is what the benchmark compares."""
    lam, mu = rates_for(9.0, 4)
    idiomatic = mmc(5_000, 4, lam, mu, seed=11)
    callbacks = mmc_callbacks(5_000, 4, lam, mu, seed=11)
    assert callbacks.n_served == callbacks.n_arrivals == 5_000
    assert callbacks.mean_wait == pytest.approx(idiomatic.mean_wait, rel=1e-9)
    assert callbacks.n_events < idiomatic.n_events / 2


def test_erlang_c_known_values() -> None:
    # M/M/1: W_q = rho / (mu - lambda)
    assert erlang_c_wait(1, 0.5, 1.0) == pytest.approx(1.0)
    # M/M/2, a = 1.4: C = 0.5765, W_q = C / 0.6
    assert erlang_c_wait(2, 1.4, 1.0) == pytest.approx(0.5765 / 0.6, rel=1e-3)
    with pytest.raises(ValueError):
        erlang_c_wait(2, 2.0, 1.0)
