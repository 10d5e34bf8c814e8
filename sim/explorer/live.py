"""A run of the session in a background thread, so the page can draw it as it arrives.

The page starts a :class:`LiveRun` and keeps it in the session's own state; the thread calls
``sim.run`` with a ``partial`` callback that stores the latest results so far
(:class:`~sim.experiment.partial.PartialResults`), and the page redraws from them as they
arrive. The thread never touches the page: it only sets this object's fields.
When the run completes its record joins the session's runs (keyed by the resolved scenario's
hash, seed and replications) and the page draws it as any finished run. Cancel sets a flag that
the next finished chunk sees (the run stops, nothing is recorded).
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass, field

from sim.experiment.errors import RunCancelled, RunFailedError
from sim.experiment.partial import PartialResults
from sim.explorer.runs import RunRecord, SessionRuns, run_key
from sim.scenario import Scenario, ScenarioError

#: Seconds after a run of the whole page before the fragment that draws a run in progress
#: reruns on its own (Streamlit ``run_every``; assumption).
REFRESH_S = 1.0
#: Seconds between looks at a run in progress while the page waits for its next replication
#: (assumption: short enough that a click on the page is taken at once, long enough to cost
#: nothing).
POLL_S = 0.25


class LiveState(enum.Enum):
    """Where a background run is."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass
class LiveRun:
    """One run of the session going on (or just ended) in a background thread.

    Attributes
    ----------
    runs
        The session's runs; the record is added there when the run completes.
    scenario, ran
        The scenario as edited and as it runs (after the cap).
    replications, seed, workers
        As run.
    total
        Replications in the whole run (all arms), for "k of N" before the first arrives.
    latest
        The results so far (``None`` until the first chunk arrives).
    record
        The finished run's record (state ``DONE``).
    failure
        The run's failed replications (state ``FAILED`` because replications raised).
    problem
        Any other reason the run stopped, one sentence (state ``FAILED``).
    counted
        Replications finished as the progress callback counts them (a population run, whose
        results so far are not drawn, counts its LA replications here).
    """

    runs: SessionRuns
    scenario: Scenario
    ran: Scenario
    replications: int
    seed: int
    workers: int
    total: int
    state: LiveState = LiveState.RUNNING
    latest: PartialResults | None = None
    record: RunRecord | None = None
    failure: RunFailedError | None = None
    problem: str | None = None
    counted: int = 0
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def key(self) -> str:
        """:func:`~sim.explorer.runs.run_key` of the run."""
        return run_key(self.ran, self.seed, self.replications)

    @property
    def done(self) -> int:
        """Replications finished so far."""
        return self.counted if self.latest is None else self.latest.done

    @property
    def alive(self) -> bool:
        """Whether the run's thread is going (so more results may arrive)."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def running(self) -> bool:
        """Whether the run is still going."""
        return self.state is LiveState.RUNNING

    def start(self) -> LiveRun:
        """Start the run in a background thread (daemon: it never holds the server open)."""
        self._thread = threading.Thread(target=self._work, name="csc-explorer-run", daemon=True)
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the run to stop when its next chunk arrives."""
        self._cancel.set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Wait for the thread to end; whether it has."""
        if self._thread is not None:
            self._thread.join(timeout_s)
        return not self.running

    def update(self, partial: PartialResults) -> None:
        """Take the results so far (the ``partial`` callback of ``sim.run``).

        Raises
        ------
        RunCancelled
            When the run was cancelled: ``sim.run`` then stops.
        """
        if self._cancel.is_set():
            raise RunCancelled("cancelled from the page")
        self.latest = partial

    def count(self, done: int, total: int) -> None:
        """Take the progress of the run (the ``progress`` callback of ``sim.run``)."""
        self.counted, self.total = done, total

    def _work(self) -> None:
        try:
            self.record, _ = self.runs.run(
                self.scenario,
                self.ran,
                replications=self.replications,
                seed=self.seed,
                workers=self.workers,
                progress=self.count,
                partial=self.update,
            )
        except RunCancelled:
            self.state = LiveState.CANCELLED
        except RunFailedError as err:
            self.failure = err
            self.state = LiveState.FAILED
        except ScenarioError as err:
            self.problem = err.message
            self.state = LiveState.FAILED
        except Exception as err:  # the page shows one sentence, never a stack (DESIGN §8)
            self.problem = (
                f"The run stopped on an unexpected problem ({type(err).__name__}: {err})."
            )
            self.state = LiveState.FAILED
        else:
            self.state = LiveState.DONE
