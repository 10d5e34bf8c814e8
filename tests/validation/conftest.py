"""Helpers for validation tests: run several replications of a scenario and reduce them."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from sim.model import simulate
from sim.model.output import ReplicationOutput
from sim.scenario.scenario import Scenario


def _one(args: tuple[Scenario, int, int]) -> ReplicationOutput:
    return simulate(*args)


def replicate(
    scenario: Scenario, n: int, seed: int = 2026, workers: int = 2
) -> list[ReplicationOutput]:
    """``n`` replications of one scenario, on ``workers`` processes (results in replication order)."""
    tasks = [(scenario, seed, r) for r in range(n)]
    if workers <= 1 or n < 4:
        return [_one(t) for t in tasks]
    with ProcessPoolExecutor(min(workers, os.cpu_count() or 1)) as pool:
        return list(pool.map(_one, tasks))


def last_year_means(outputs: list[ReplicationOutput], metric: str) -> np.ndarray:
    """Per-replication mean of a metric over its last 12 recorded months."""
    return np.array([np.nanmean(o.timeseries[metric][-12:]) for o in outputs])


def paired_difference(
    a: list[ReplicationOutput],
    b: list[ReplicationOutput],
    stat: Callable[[ReplicationOutput], float],
) -> tuple[float, float]:
    """Mean and standard error of the paired difference stat(b) - stat(a) (common random numbers)."""
    d = np.array([stat(y) - stat(x) for x, y in zip(a, b)])
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d)))
