"""The page's view of a background run: "k of N replications", the results so far, how it ended.

While the session's :class:`~sim.explorer.live.LiveRun` runs, :func:`draw_live` is drawn as a
Streamlit fragment that reruns itself each time a replication arrives (only that part of the
page, so the form keeps its state): a rerun loop, started by the fragment's timer, so the
results are redrawn once per new replication rather than once per tick. When the run
completes the whole page reruns and shows the finished run as any other (:func:`absorb`).
"""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from sim.experiment.errors import RunFailedError
from sim.explorer.live import POLL_S, REFRESH_S, LiveRun, LiveState
from sim.explorer.results_page import draw_partial
from sim.model.output import TASK_KEYS

LIVE = "live"
SHOWN = "shown_run"
NOTE = "run_note"
#: Which run of the script this is: the page's (set by :func:`mark_page_run`) or the fragment's.
PASS = "script_pass"
PAGE_PASS, FRAGMENT_PASS = "page", "fragment"


def mark_page_run(state: Any) -> None:
    """Note that the whole page is running (a fragment-only rerun does not call this)."""
    state[PASS] = PAGE_PASS


def absorb(state: Any) -> None:
    """When the session's background run has completed, show its record as the finished run."""
    job: LiveRun | None = state.get(LIVE)
    if job is None or job.state is not LiveState.DONE or job.record is None:
        return
    state[SHOWN] = job.record.key
    state[NOTE] = f"Done in {job.record.seconds:.1f} s."
    state[LIVE] = None


def _failure(err: RunFailedError) -> None:
    st.error(str(err.message).split(" Details (with tracebacks)")[0])
    failures = err.failures
    columns = [c for c in (*TASK_KEYS, "error") if c in failures.columns]
    st.dataframe(failures.loc[:, columns], hide_index=True)


def _live_view() -> None:
    """The run under way: progress and the results so far, redrawn as replications arrive.

    In a run of the whole page it draws and returns; the fragment's timer (every
    :data:`REFRESH_S` seconds; its requests queue rather than interrupt) then reruns it alone.
    In such a rerun, after drawing, it waits for the next replication (or the end of the run),
    touching the progress bar every :data:`POLL_S` seconds; each touch is where Streamlit takes
    a click on the page (Cancel, a changed field), so the page stays responsive while it waits.
    A new replication reruns this fragment only; the end of the run reruns the page.
    """
    state = st.session_state
    job: LiveRun | None = state.get(LIVE)
    if job is None:
        return
    if job.state is LiveState.DONE:
        st.rerun()  # the whole page draws the finished run (absorb)
    if job.state is LiveState.CANCELLED:
        st.info(f"Run cancelled after {_counted(job)}; nothing of it is kept.")
        return
    if job.state is LiveState.FAILED:
        if job.failure is not None:
            _failure(job.failure)
        else:
            st.error(job.problem or "The run stopped.")
        return
    bar = st.progress(_share(job), text=f"Running: {_counted(job)} finished…")
    drawn = job.done
    if job.latest is not None and drawn > 0:
        draw_partial(job.latest, f"Results so far: {_counted(job)} ({job.ran.name})")
    if state.get(PASS) != FRAGMENT_PASS:
        state[PASS] = FRAGMENT_PASS
        return  # a run of the whole page: the fragment's timer starts the loop below
    if job.running and not job.alive:
        return  # a run whose thread never started: nothing will arrive
    while job.running and job.done == drawn:
        time.sleep(POLL_S)
        bar.progress(_share(job), text=f"Running: {_counted(job)} finished…")
    st.rerun(scope="fragment" if job.running else "app")


def _counted(job: LiveRun) -> str:
    return f"{job.done} of {job.total} replications"


def _share(job: LiveRun) -> float:
    return min(job.done / max(job.total, 1), 1.0)


def draw_live(state: Any) -> bool:
    """Draw the session's background run, if there is one; whether there was one to draw."""
    job: LiveRun | None = state.get(LIVE)
    if job is None:
        return False
    if job.running:
        st.fragment(run_every=REFRESH_S)(_live_view)()
    else:
        _live_view()
    return True
