"""Pool workers that exit when their parent dies (no orphans).

A process-pool worker blocks on its call queue for ever if the parent is killed outright
(SIGKILL, the OOM killer, a batch scheduler), holding its memory. :func:`watch_parent` runs in
each worker as the pool's initializer and makes the worker end with its parent:

* on Linux, ``prctl(PR_SET_PDEATHSIG, SIGTERM)`` asks the kernel to send SIGTERM to the worker
  when the thread that started it exits (the runner starts its pool from the calling thread and
  shuts it down there, so that thread outlives the workers);
* elsewhere, or when ``prctl`` is unavailable, a daemon thread polls ``os.getppid()`` and ends
  the worker once the parent has gone (the worker is then re-parented, so its parent id changes).

Neither touches the model or its random streams, so results stay bit-identical.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

#: ``PR_SET_PDEATHSIG`` and ``PR_GET_PDEATHSIG`` from ``<linux/prctl.h>``.
PR_SET_PDEATHSIG, PR_GET_PDEATHSIG = 1, 2
#: Seconds between two looks at the parent's process id in the fallback thread.
POLL_INTERVAL_S = 1.0
#: Exit status of a worker ended by the fallback thread (128 + SIGTERM, as if signalled).
ORPHAN_EXIT_STATUS = 128 + int(signal.SIGTERM)


def set_parent_death_signal(sig: int = signal.SIGTERM) -> bool:
    """Ask the Linux kernel to send ``sig`` to this process when its parent dies.

    Returns
    -------
    bool
        ``True`` when the request was accepted; ``False`` off Linux or when ``prctl`` fails.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def parent_death_signal() -> tuple[int, int]:
    """This process's parent id and the signal the kernel sends it when the parent dies (0: none,
    or not Linux)."""
    value = ctypes.c_int(0)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_GET_PDEATHSIG, ctypes.byref(value), 0, 0, 0)
        except (OSError, AttributeError):
            value.value = 0
    return os.getppid(), value.value


def _poll_parent(parent_pid: int, interval_s: float) -> None:
    while os.getppid() == parent_pid:
        time.sleep(interval_s)
    os._exit(ORPHAN_EXIT_STATUS)


def start_parent_poller(parent_pid: int, interval_s: float = POLL_INTERVAL_S) -> threading.Thread:
    """Start a daemon thread that ends this process once ``parent_pid`` is no longer its parent."""
    thread = threading.Thread(
        target=_poll_parent, args=(parent_pid, interval_s), name="parent-watchdog", daemon=True
    )
    thread.start()
    return thread


def watch_parent(parent_pid: int, use_prctl: bool = True, sig: int = signal.SIGTERM) -> None:
    """Pool initializer: end this worker when the process ``parent_pid`` dies.

    Parameters
    ----------
    parent_pid
        Process id of the parent that started the pool (``os.getpid()`` there).
    use_prctl
        Try the Linux parent-death signal first; ``False`` uses only the polling thread.
    sig
        The parent-death signal (SIGKILL for a worker whose own SIGTERM handler would first try
        to reach its dead parent, as a Dask worker's does).
    """
    if use_prctl and set_parent_death_signal(sig):
        # The parent may have died between fork and prctl: the signal would never come.
        if os.getppid() != parent_pid:
            os._exit(ORPHAN_EXIT_STATUS)
        return
    start_parent_poller(parent_pid)
