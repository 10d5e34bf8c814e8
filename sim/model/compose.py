"""Build one LA of a population on a shared SimPy environment with streams keyed by its code.

The one place that knows how :class:`~sim.model.simulation.LocalAuthority` takes an
environment and LA-keyed streams from outside (DESIGN §5: in a population run each LA's streams
are keyed by the LA's code, so LAs draw independent numbers and an LA draws the same numbers in
every arm).
"""

from __future__ import annotations

import simpy

from sim.model.parameters import ModelParameters
from sim.model.simulation import LocalAuthority
from sim.model.streams import Streams
from sim.scenario.scenario import Scenario


def local_authority(
    env: simpy.Environment, scenario: Scenario, seed: int, replication: int, code: str
) -> LocalAuthority:
    """One LA on ``env``, its streams keyed by ``code``; its processes are not yet started."""
    return LocalAuthority(
        env,
        ModelParameters.from_scenario(scenario),
        Streams(seed, replication, la=code),
        la=code,
    )
