"""Executors: serial, process pool and Dask, behind one interface.

An executor maps a picklable function over work items and yields the results as they finish,
in any order (the runner reassembles them). At most a few items per worker are in flight, so a
run of thousands of chunks never holds them all in memory at once.

Process pools use the ``fork`` start method on Linux and ``spawn`` elsewhere. Measured on the
project's 2-core machine, fork, forkserver and spawn pools cost about the same for a run (the
differences, well under a second, were within run-to-run noise), but forkserver and spawn re-import
the user's ``__main__`` module in every worker, so a plain script without an
``if __name__ == "__main__":`` guard fails with them. Fork's hazard is copying a process whose
other threads hold locks; the runner starts the pool before its own threads (the progress bar's
monitor), and the worker function only runs the model. See ``docs/running-at-scale.md``.

Pool workers end with their parent, even one killed by SIGKILL (``sim.experiment.watchdog``),
and so do the workers of a local Dask cluster (``sim.experiment.dask_watchdog``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from types import TracebackType
from typing import Any, Protocol, TypeVar

from sim.experiment.errors import RunInputError
from sim.experiment.watchdog import watch_parent

T = TypeVar("T")
R = TypeVar("R")

EXECUTOR_NAMES: tuple[str, ...] = ("serial", "process", "dask")
#: Items in flight per worker: enough to keep workers busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 2


class Executor(Protocol):
    """What the runner needs from an executor."""

    name: str
    workers: int

    def __enter__(self) -> Executor: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def imap_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Apply ``fn`` to every item; yield results in completion order."""
        ...

    def describe(self) -> dict[str, Any]:
        """Executor details for the manifest."""
        ...


class SerialExecutor:
    """Runs items one after another in this process (the default for one worker)."""

    name = "serial"

    def __init__(self) -> None:
        self.workers = 1

    def __enter__(self) -> SerialExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def imap_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Apply ``fn`` to each item in turn."""
        for item in items:
            yield fn(item)

    def describe(self) -> dict[str, Any]:
        """Executor details for the manifest."""
        return {"executor": self.name, "workers": 1}


def _bounded(
    submit: Callable[[T], Future[R]], items: Iterable[T], limit: int
) -> Iterator[Future[R]]:
    """Submit items keeping at most ``limit`` futures pending; yield futures as they finish."""
    pending: set[Future[R]] = set()
    iterator = iter(items)
    exhausted = False
    while True:
        while not exhausted and len(pending) < limit:
            try:
                pending.add(submit(next(iterator)))
            except StopIteration:
                exhausted = True
        if not pending:
            return
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        yield from done


def default_start_method() -> str:
    """``fork`` on Linux, ``spawn`` elsewhere (fork is unsafe on macOS and absent on Windows)."""
    methods = multiprocessing.get_all_start_methods()
    return "fork" if "fork" in methods and sys.platform.startswith("linux") else "spawn"


class ProcessExecutor:
    """A local pool of worker processes (``concurrent.futures.ProcessPoolExecutor``).

    Parameters
    ----------
    workers
        Number of worker processes.
    start_method
        Multiprocessing start method; default :func:`default_start_method`.
    """

    name = "process"

    def __init__(self, workers: int, start_method: str | None = None) -> None:
        self.workers = workers
        self.start_method = start_method or default_start_method()
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ProcessExecutor:
        context = multiprocessing.get_context(self.start_method)
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=watch_parent,
            initargs=(os.getpid(),),
        )
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=exc_type is None, cancel_futures=True)
            self._pool = None

    def imap_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Run items on the pool; yield results as they finish."""
        pool = self._pool
        if pool is None:
            raise RuntimeError("use the executor as a context manager")
        limit = self.workers * IN_FLIGHT_PER_WORKER
        for future in _bounded(lambda item: pool.submit(fn, item), items, limit):
            yield future.result()

    def describe(self) -> dict[str, Any]:
        """Executor details for the manifest."""
        return {"executor": self.name, "workers": self.workers, "start_method": self.start_method}


class DaskExecutor:
    """A Dask cluster: a new ``LocalCluster`` or an existing scheduler.

    Parameters
    ----------
    workers
        Worker processes of the local cluster (one thread each). Ignored when ``scheduler``
        is given: the cluster's own workers are used.
    scheduler
        Address of an existing scheduler, for example ``tcp://10.0.0.5:8786``.
    """

    name = "dask"

    def __init__(self, workers: int, scheduler: str | None = None) -> None:
        self.workers = workers
        self.scheduler = scheduler
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskExecutor:
        from dask.distributed import Client, LocalCluster

        if self.scheduler:
            self._client = Client(self.scheduler)
            n_workers = len(self._client.scheduler_info().get("workers", {}))
            self.workers = max(n_workers, 1)
        else:
            self._cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self._client = Client(self._cluster)
            from sim.experiment.dask_watchdog import WatchParent

            self._client.register_plugin(WatchParent(os.getpid()))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def imap_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Submit items to the cluster; yield results as they finish."""
        from dask.distributed import as_completed

        client = self._client
        if client is None:
            raise RuntimeError("use the executor as a context manager")
        limit = self.workers * IN_FLIGHT_PER_WORKER
        iterator = iter(items)
        queue = as_completed()
        for item in iterator:
            queue.add(client.submit(fn, item, pure=False))
            if queue.count() >= limit:
                break
        for future in queue:
            result = future.result()
            future.release()
            for next_item in iterator:
                queue.add(client.submit(fn, next_item, pure=False))
                break
            yield result

    def describe(self) -> dict[str, Any]:
        """Executor details for the manifest."""
        return {"executor": self.name, "workers": self.workers, "scheduler": self.scheduler}


def make_executor(name: str | None, workers: int, scheduler: str | None = None) -> Executor:
    """Build an executor from the ``--executor``, ``--workers`` and ``--scheduler`` options.

    Parameters
    ----------
    name
        ``"serial"``, ``"process"`` or ``"dask"``; ``None`` picks serial for one worker,
        process otherwise (Dask when a scheduler address is given).
    workers
        Number of workers (at least 1).
    scheduler
        Address of an existing Dask scheduler (Dask only).

    Raises
    ------
    RunInputError
        When an option is invalid or Dask is not installed.
    """
    check_executor_options(name, workers, scheduler)
    chosen = resolve_executor_name(name, workers, scheduler)
    if chosen == "serial":
        return SerialExecutor()
    if chosen == "process":
        return ProcessExecutor(workers)
    return DaskExecutor(workers, scheduler)


def resolve_executor_name(name: str | None, workers: int, scheduler: str | None) -> str:
    """The executor ``make_executor`` picks for these options."""
    if name is not None:
        return name
    if scheduler:
        return "dask"
    return "serial" if workers == 1 else "process"


def check_executor_options(name: str | None, workers: int, scheduler: str | None) -> None:
    """Validate executor options without starting anything (raises :class:`RunInputError`)."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise RunInputError("--workers", f"must be a whole number of at least 1, got {workers!r}.")
    if name is not None and name not in EXECUTOR_NAMES:
        raise RunInputError(
            "--executor",
            f"unknown executor '{name}'.",
            f"Choose one of: {', '.join(EXECUTOR_NAMES)}.",
        )
    chosen = resolve_executor_name(name, workers, scheduler)
    if scheduler and chosen != "dask":
        raise RunInputError(
            "--scheduler",
            f"a scheduler address needs the dask executor, not '{chosen}'.",
            "Use --executor dask or drop --scheduler.",
        )
    if chosen == "serial" and workers != 1:
        raise RunInputError(
            "--workers",
            f"the serial executor runs one worker, got {workers}.",
            "Use --executor process or dask for more workers.",
        )
    if chosen == "dask":
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise RunInputError(
                "--executor",
                "the dask executor needs dask.distributed, which is not installed.",
                "Install it with: pip install 'csc-sim[dask]'.",
            ) from None
