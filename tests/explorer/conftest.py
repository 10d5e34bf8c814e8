"""Helpers of the explorer tests: the page under Streamlit's AppTest, and the CLI's messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("streamlit", reason="the explorer extra (streamlit) is not installed")

from streamlit.testing.v1 import AppTest  # noqa: E402

from sim.explorer.form import widget_key  # noqa: E402
from sim.explorer.launch import app_path  # noqa: E402

TROUBLED = "reference/troubled"
#: Seconds AppTest waits for one rerun of the page (a run of the model included).
RERUN_TIMEOUT_S = 120


def open_page(clean: bool = True) -> AppTest:
    """The page, opened as a browser would open it (the troubled reference scenario); with
    ``clean``, check that it raised nothing."""
    at = AppTest.from_file(str(app_path()), default_timeout=RERUN_TIMEOUT_S)
    at.run()
    if clean:
        assert not at.exception, [e.value for e in at.exception]
    return at


def field(path: str, token: str = TROUBLED, intervention_type: str | None = None) -> str:
    """The widget key of a field of the form."""
    return widget_key(token, path, intervention_type)


def errors(at: AppTest) -> list[str]:
    """The error messages on the page."""
    return [str(e.value) for e in at.error]


def validate_message(file: Path) -> str:
    """What ``csc-sim validate FILE`` prints for an invalid file (run in the file's folder, so
    the file is named as the page names an upload), without its ``Error: `` prefix."""
    done = subprocess.run(
        [sys.executable, "-m", "sim.cli", "validate", file.name],
        capture_output=True,
        text=True,
        cwd=file.parent,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    return done.stderr.strip().removeprefix("Error: ")


def paste(at: AppTest, text: str) -> AppTest:
    """Load scenario text through the page's paste box (the upload path, without a browser)."""
    at.text_area(key="pasted").set_value(text)
    at.button(key="load_pasted").click().run()
    return at


def wait_for_run(at: AppTest, timeout_s: float = RERUN_TIMEOUT_S) -> AppTest:
    """Wait for the session's background run (if any) to end, then rerun the page once, as the
    page's own refresh would."""
    try:
        job = at.session_state["live"]
    except KeyError:
        job = None
    if job is not None:
        assert job.wait(timeout_s), "the background run did not end in time"
    return at.run()


def press_run(at: AppTest) -> AppTest:
    """Press Run and wait for the run to end (the page then shows the finished run)."""
    at.button(key="run").click().run()
    return wait_for_run(at)
