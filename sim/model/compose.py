"""Build one LA of a population on a shared SimPy environment with streams keyed by its code.

The one place that knows how :class:`~sim.model.simulation.LocalAuthority` takes an
environment and LA-keyed streams from outside (DESIGN §5: in a population run each LA's streams
are keyed by the LA's code, so LAs draw independent numbers and an LA draws the same numbers in
every arm).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import simpy

from sim.model import simulation
from sim.model.simulation import LocalAuthority
from sim.scenario.scenario import Scenario


def la_seed(seed: int, code: str) -> int:
    """Base seed of LA ``code``'s streams: the experiment's seed and a stable key of the code."""
    key = zlib.crc32(f"la/{code}".encode())
    return int(np.random.SeedSequence([seed, key]).generate_state(1, np.uint64)[0] >> 1)


@contextmanager
def _environment(env: simpy.Environment) -> Iterator[None]:
    """Make ``LocalAuthority`` build on ``env`` instead of a new environment."""

    class _Shared:
        Environment = staticmethod(lambda: env)

    original = simulation.simpy
    simulation.simpy = _Shared  # type: ignore[assignment]
    try:
        yield
    finally:
        simulation.simpy = original


def local_authority(
    env: simpy.Environment, scenario: Scenario, seed: int, replication: int, code: str
) -> LocalAuthority:
    """One LA on ``env``, its streams keyed by ``code``; its processes are not yet started."""
    with _environment(env):
        la = LocalAuthority(scenario, la_seed(seed, code), replication)
    la.code = code  # type: ignore[attr-defined]
    return la
