"""The SimPy model of one local authority's children's social care service.

The one entry point is :func:`simulate`: a scenario, a seed and a replication number in, one
:class:`ReplicationOutput` out. The model never reads files, prints or plots.
"""

from sim.model.metrics import EVENT_COLUMNS, METRIC_NAMES, METRICS
from sim.model.output import ReplicationOutput
from sim.model.simulation import simulate

__all__ = ["EVENT_COLUMNS", "METRICS", "METRIC_NAMES", "ReplicationOutput", "simulate"]
