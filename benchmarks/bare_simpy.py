"""The engine's floor: an idiomatic SimPy M/M/c queue with a fixed number of arrivals.

This is the textbook way to write a queue in SimPy, and what the model is compared with
(DESIGN §7): a generator process makes Poisson arrivals, each customer is its own process that
requests one of ``c`` servers of a ``simpy.Resource``, holds it for an exponential service time
and releases it. Variates come from Python's ``random`` (the idiomatic choice; one call per
variate). The only bookkeeping is a running sum of waits, so the time measured is SimPy's own.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass

import simpy


@dataclass(frozen=True)
class MMCResult:
    """What one M/M/c run did.

    Attributes
    ----------
    n_arrivals
        Customers that arrived.
    n_served
        Customers whose service finished (all of them: the run continues until the queue is empty).
    mean_wait
        Mean time from arrival to the start of service, over all customers.
    n_events
        Events SimPy scheduled (its event counter), comparable to ``ReplicationOutput.n_events``.
    end_time
        Simulated time when the last customer left.
    """

    n_arrivals: int
    n_served: int
    mean_wait: float
    n_events: int
    end_time: float


def mmc(
    n_arrivals: int, servers: int, arrival_rate: float, service_rate: float, seed: int = 0
) -> MMCResult:
    """Simulate an M/M/c queue until ``n_arrivals`` customers have arrived and been served.

    Parameters
    ----------
    n_arrivals
        Number of customers to generate.
    servers
        Number of servers ``c``.
    arrival_rate, service_rate
        Poisson arrival rate and exponential service rate per server (same time unit).
    seed
        Seed of the ``random.Random`` generator.
    """
    if n_arrivals < 0 or servers < 1 or arrival_rate <= 0 or service_rate <= 0:
        raise ValueError("need n_arrivals >= 0, servers >= 1 and positive rates")
    rng = random.Random(seed)
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=servers)
    totals = {"wait": 0.0, "served": 0}

    def customer(env: simpy.Environment):  # type: ignore[no-untyped-def]
        arrived = env.now
        with desk.request() as request:
            yield request
            totals["wait"] += env.now - arrived
            yield env.timeout(rng.expovariate(service_rate))
        totals["served"] += 1

    def source(env: simpy.Environment):  # type: ignore[no-untyped-def]
        for _ in range(n_arrivals):
            yield env.timeout(rng.expovariate(arrival_rate))
            env.process(customer(env))

    env.process(source(env))
    env.run()
    n_events = int(next(env._eid))  # events scheduled so far, as the model counts them
    served = int(totals["served"])
    return MMCResult(
        n_arrivals=n_arrivals,
        n_served=served,
        mean_wait=totals["wait"] / served if served else 0.0,
        n_events=n_events,
        end_time=float(env.now),
    )


def mmc_callbacks(
    n_arrivals: int, servers: int, arrival_rate: float, service_rate: float, seed: int = 0
) -> MMCResult:
    """The same M/M/c queue written the way the model schedules cases: no processes and no
    ``Resource``, only timeouts carrying callbacks, a count of free servers and a FIFO of
    arrival times. Not the floor (the floor is the idiomatic :func:`mmc`); it measures what the
    callback style saves on identical work.
    """
    if n_arrivals < 0 or servers < 1 or arrival_rate <= 0 or service_rate <= 0:
        raise ValueError("need n_arrivals >= 0, servers >= 1 and positive rates")
    rng = random.Random(seed)
    env = simpy.Environment()
    waiting: deque[float] = deque()
    state = {"free": servers, "arrived": 0, "served": 0, "wait": 0.0}

    def start_service(arrived: float) -> None:
        state["wait"] += env.now - arrived
        env.timeout(rng.expovariate(service_rate)).callbacks.append(depart)

    def arrive(_event: simpy.Event) -> None:
        state["arrived"] += 1
        if state["arrived"] < n_arrivals:
            env.timeout(rng.expovariate(arrival_rate)).callbacks.append(arrive)
        if state["free"] > 0:
            state["free"] -= 1
            start_service(env.now)
        else:
            waiting.append(env.now)

    def depart(_event: simpy.Event) -> None:
        state["served"] += 1
        if waiting:
            start_service(waiting.popleft())
        else:
            state["free"] += 1

    if n_arrivals > 0:
        env.timeout(rng.expovariate(arrival_rate)).callbacks.append(arrive)
    env.run()
    served = int(state["served"])
    return MMCResult(
        n_arrivals=int(state["arrived"]),
        n_served=served,
        mean_wait=state["wait"] / served if served else 0.0,
        n_events=int(next(env._eid)),
        end_time=float(env.now),
    )


def erlang_c_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Mean wait in queue of a stationary M/M/c queue (Erlang C): ``C(c, a) / (c·mu - lambda)``.

    Raises
    ------
    ValueError
        When the queue is unstable (``lambda >= c·mu``).
    """
    a = arrival_rate / service_rate
    rho = a / servers
    if rho >= 1.0:
        raise ValueError(f"unstable queue: utilisation {rho:.3f} >= 1")
    term = 1.0  # a^k / k!
    below = 0.0
    for k in range(servers):
        below += term
        term *= a / (k + 1)
    tail = term / (1.0 - rho)  # a^c / c! / (1 - rho)
    probability_wait = tail / (below + tail)
    return probability_wait / (servers * service_rate - arrival_rate)


def rates_for(
    n_arrivals_per_day: float, servers: int, utilisation: float = 0.8
) -> tuple[float, float]:
    """Arrival and service rates (per day) giving ``utilisation`` with ``servers`` servers."""
    if not 0.0 < utilisation < 1.0:
        raise ValueError("utilisation must be in (0, 1)")
    return n_arrivals_per_day, n_arrivals_per_day / (utilisation * servers)


if __name__ == "__main__":  # pragma: no cover - manual check
    lam, mu = rates_for(10.0, 10)
    print(mmc(40_000, 10, lam, mu, seed=1), "Erlang C wait:", erlang_c_wait(10, lam, mu))
