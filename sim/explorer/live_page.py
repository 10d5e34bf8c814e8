"""The page's view of a background run: "k of N replications", the results so far, how it ended.

While the session's :class:`~sim.explorer.live.LiveRun` runs, :func:`draw_live` is drawn as a
Streamlit fragment that reruns every :data:`~sim.explorer.live.REFRESH_S` seconds (only that part
of the page, so the form keeps its state); when the run completes the whole page reruns and shows
the finished run as any other (:func:`absorb`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from sim.experiment.errors import RunFailedError
from sim.explorer.live import REFRESH_S, LiveRun, LiveState
from sim.explorer.results_page import draw_partial
from sim.model.output import TASK_KEYS

LIVE = "live"
SHOWN = "shown_run"
NOTE = "run_note"


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
    state = st.session_state
    job: LiveRun | None = state.get(LIVE)
    if job is None:
        return
    if job.state is LiveState.DONE:
        st.rerun()  # the whole page draws the finished run (absorb)
    counted = f"{job.done} of {job.total} replications"
    if job.state is LiveState.RUNNING:
        st.progress(job.done / max(job.total, 1), text=f"Running: {counted} finished…")
    elif job.state is LiveState.CANCELLED:
        st.info(f"Run cancelled after {counted}; nothing of it is kept.")
        return
    elif job.failure is not None:
        _failure(job.failure)
        return
    else:
        st.error(job.problem or "The run stopped.")
        return
    if job.latest is not None and job.latest.done > 0:
        draw_partial(job.latest, f"Results so far: {counted} ({job.ran.name})")


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
