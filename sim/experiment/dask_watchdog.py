"""Workers of a local Dask cluster that exit when their parent dies (no orphans).

A ``LocalCluster`` started by the run (``--executor dask`` without ``--scheduler``) runs its
nannies in the run's own process and their worker processes as its children. Dask ends those
workers itself once the parent's end of a pipe closes, which took 5.7 s after a SIGKILL on a
loaded 2-core machine; :class:`WatchParent`, registered on the cluster's workers, adds the
parent-death signal of :func:`sim.experiment.watchdog.watch_parent`, so that the kernel ends them
at once. Workers of an existing scheduler have parents of their own and are left alone.

This module imports ``dask.distributed``; import it only when the Dask executor is used.
"""

from __future__ import annotations

import signal
from typing import Any

from distributed import WorkerPlugin

from sim.experiment.watchdog import watch_parent


class WatchParent(WorkerPlugin):
    """Worker plugin: end the worker process when the process ``parent_pid`` dies.

    Parameters
    ----------
    parent_pid
        Process id of the run that started the local cluster (``os.getpid()`` there).
    """

    name = "csc-sim-watch-parent"

    def __init__(self, parent_pid: int) -> None:
        self.parent_pid = parent_pid

    def setup(self, worker: Any) -> None:
        """Called in each worker process when it starts (or when the plugin is registered)."""
        # SIGKILL: on SIGTERM a Dask worker first closes gracefully, trying its dead scheduler.
        watch_parent(self.parent_pid, sig=signal.SIGKILL)
