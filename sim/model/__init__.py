"""The SimPy model of one local authority's children's social care service.

The one entry point for a single LA is :func:`simulate`: a scenario, a seed and a replication
number in, one :class:`ReplicationOutput` out. Several LAs on one clock are built from
:class:`LocalAuthority`, :class:`ModelParameters` and :class:`Streams` (keyed by LA). The
model never reads files, prints or plots.
"""

from sim.model.metrics import EVENT_COLUMNS, METRIC_NAMES, METRICS
from sim.model.output import ReplicationOutput
from sim.model.parameters import ModelParameters
from sim.model.simulation import LocalAuthority, simulate
from sim.model.streams import Streams

__all__ = [
    "EVENT_COLUMNS",
    "METRICS",
    "METRIC_NAMES",
    "LocalAuthority",
    "ModelParameters",
    "ReplicationOutput",
    "Streams",
    "simulate",
]
