"""Progress: a bar where someone is watching, plain lines where output goes to a log.

The bar (tqdm) is shown when stderr is a terminal, the environment variable ``CI`` is not set
and the code is not running in a notebook, unless the caller asks explicitly (``progress=True``
or ``False``). Elsewhere (CI logs, output piped to a file) automatic progress (``None``) prints
plain lines to stderr: one when the run starts, then one about every 10% of the replications
with the elapsed time and an estimate of the time left, so logs are not silent. A notebook
shows neither.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Protocol, TypeAlias

ProgressCallback: TypeAlias = Callable[[int, int], object]
"""A function called with (replications done, replications in the run) as chunks finish."""

ProgressOption: TypeAlias = "bool | ProgressCallback | None"
"""``True``/``False`` to show a bar or not, ``None`` for automatic, or a callback."""


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


class CallbackProgress:
    """A progress display that reports to a function (for example a page's progress bar).

    Parameters
    ----------
    total
        Replications in the run (all arms).
    initial
        Replications already done.
    callback
        Called with (done, total) at the start and after every finished chunk.
    """

    def __init__(self, total: int, initial: int, callback: ProgressCallback) -> None:
        self.total = total
        self.done = initial
        self.callback = callback
        callback(initial, total)

    def update(self, n: int = 1) -> None:
        """Count ``n`` more replications done and report."""
        self.done += n
        self.callback(self.done, self.total)

    def close(self) -> None:
        """Nothing to close."""


#: Plain progress lines are printed about every this share of the replications.
LINE_STEP = 0.10


class LineProgress:
    """Plain progress lines on stderr: a start line, then about every 10% (see the module)."""

    def __init__(
        self, total: int, initial: int, description: str, unit: str = "replications"
    ) -> None:
        self.total, self.done, self.description = max(total, 0), initial, description
        self.unit = unit
        self.start = time.monotonic()
        self.initial = initial
        self.next_share = LINE_STEP * (int(self._share() / LINE_STEP) + 1)
        reused = f" ({initial} already done)" if initial else ""
        self._print(f"started: {self.total} {unit}{reused}")

    def _share(self) -> float:
        return self.done / self.total if self.total else 1.0

    def _print(self, text: str) -> None:
        print(f"{self.description}: {text}", file=sys.stderr, flush=True)

    def update(self, n: int = 1) -> None:
        """Count ``n`` more finished replications; print a line when a 10% step is passed."""
        self.done += n
        if self._share() + 1e-12 < self.next_share or self.done >= self.total:
            return
        while self.next_share <= self._share() + 1e-12:
            self.next_share += LINE_STEP
        self._print(self._status())

    def _status(self) -> str:
        elapsed = time.monotonic() - self.start
        text = (
            f"{self.done}/{self.total} {self.unit} ({100 * self._share():.0f}%) in {elapsed:.0f} s"
        )
        computed = self.done - self.initial
        if computed > 0 and self.done < self.total:
            left = elapsed / computed * (self.total - self.done)
            text += f", about {left:.0f} s left"
        return text

    def close(self) -> None:
        """Print the final line."""
        self._print(self._status())


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


def make_progress(
    total: int,
    initial: int,
    progress: ProgressOption,
    description: str,
    unit: str = "replications",
) -> Progress:
    """A tqdm bar over replications, plain progress lines, a callback, or a silent stand-in.

    Parameters
    ----------
    total
        Replications in the run (all arms), or other units of work (``unit``).
    initial
        Units already done (reused from an interrupted run).
    progress
        A callback (see :class:`CallbackProgress`), or see :func:`should_show`.
    description
        Text shown before the bar.
    unit
        What is counted: a population run counts ``LA runs`` (an LA in one replication), so that
        a coupled task of every LA weighs as much as that many per-LA tasks and the time left is
        estimated over comparable units.
    """
    if callable(progress):
        return CallbackProgress(total, initial, progress)
    if not should_show(progress):
        if progress is None and not in_notebook():
            return LineProgress(total, initial, description, unit)
        return NoProgress()
    from tqdm import tqdm

    bar: Progress = tqdm(
        total=total,
        initial=initial,
        desc=description,
        unit="rep" if unit == "replications" else unit,
        file=sys.stderr,
        dynamic_ncols=True,
        smoothing=0.1,
    )
    return bar
