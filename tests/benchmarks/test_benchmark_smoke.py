"""Smoke test of the bare-SimPy M/M/c queue the benchmarks compare the model with.

The benchmark is only meaningful if its floor is a correct queue doing the requested work, so
this checks (fast, < 2 s) that it serves every requested arrival and that its mean wait agrees
with the Erlang C formula.
"""

from __future__ import annotations

import statistics

import pytest

from benchmarks.bare_simpy import erlang_c_wait, mmc, rates_for

SERVERS = 2
ARRIVAL_RATE = 1.4
SERVICE_RATE = 1.0  # utilisation 0.7
ARRIVALS = 20_000
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
    """Mean wait over 8 independent runs of 20,000 arrivals of an M/M/2 queue at utilisation 0.7
    is within 4 standard errors of Erlang C (W_q = 0.961).

    Tolerance: the runs are independent (distinct seeds), so the standard error of their grand
    mean is estimated from their spread (about 2.3% of W_q here: waits in a queue at 70%
    utilisation are strongly autocorrelated, so one run of 20,000 arrivals has an SD of ~6.5%).
    A 4-SE band has a false-failure probability of about 0.5% under Student's t with 7 degrees
    of freedom, and is wide enough to absorb the bias of starting empty (the relaxation time is
    a few hundred arrivals, so the bias is ~1-2% of W_q at 20,000 arrivals). The band is not so
    wide that the test is empty: we also require the standard error to be below 5% of W_q, so a
    wrong number of servers (one server of the same total capacity, M/M/1 with mu = 2, waits
    1.167: 21% longer, more than 8 standard errors away) or swapped rates (unstable) fails it. The seeds are fixed, so the test is deterministic.
    """
    expected = erlang_c_wait(SERVERS, ARRIVAL_RATE, SERVICE_RATE)
    waits = [mmc(ARRIVALS, SERVERS, ARRIVAL_RATE, SERVICE_RATE, seed=s).mean_wait for s in SEEDS]
    mean = statistics.fmean(waits)
    standard_error = statistics.stdev(waits) / len(waits) ** 0.5
    assert standard_error < 0.05 * expected
    assert abs(mean - expected) < 4.0 * standard_error


def test_erlang_c_known_values() -> None:
    # M/M/1: W_q = rho / (mu - lambda)
    assert erlang_c_wait(1, 0.5, 1.0) == pytest.approx(1.0)
    # M/M/2, a = 1.4: C = 0.5765, W_q = C / 0.6
    assert erlang_c_wait(2, 1.4, 1.0) == pytest.approx(0.5765 / 0.6, rel=1e-3)
    with pytest.raises(ValueError):
        erlang_c_wait(2, 2.0, 1.0)
