"""The progress bar: replications done, rate and time left, only where someone is watching.

Shown when stderr is a terminal, the environment variable ``CI`` is not set and the code is not
running in a notebook, unless the caller asks explicitly (``progress=True`` or ``False``).
"""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import Protocol


class Progress(Protocol):
    """What the runner needs from a progress display."""

    def update(self, n: int = 1) -> object: ...

    def close(self) -> None: ...


class NoProgress:
    """A progress display that shows nothing."""

    def update(self, n: int = 1) -> None:
        """Ignore progress."""

    def close(self) -> None:
        """Nothing to close."""

    def __enter__(self) -> NoProgress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


def in_notebook() -> bool:
    """Whether the code runs inside a Jupyter kernel."""
    if "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def should_show(progress: bool | None) -> bool:
    """Whether to show a progress bar.

    Parameters
    ----------
    progress
        ``True`` or ``False`` to decide explicitly; ``None`` for automatic (terminal, not CI,
        not a notebook).
    """
    if progress is not None:
        return progress
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and not os.environ.get("CI") and not in_notebook()


def make_progress(total: int, initial: int, progress: bool | None, description: str) -> Progress:
    """A tqdm bar over replications, or a silent stand-in.

    Parameters
    ----------
    total
        Replications in the run (all arms).
    initial
        Replications already done (reused from an interrupted run).
    progress
        See :func:`should_show`.
    description
        Text shown before the bar.
    """
    if not should_show(progress):
        return NoProgress()
    from tqdm import tqdm

    bar: Progress = tqdm(
        total=total,
        initial=initial,
        desc=description,
        unit="rep",
        file=sys.stderr,
        dynamic_ncols=True,
        smoothing=0.1,
    )
    return bar
