"""Errors raised while running an experiment.

Bad options or a clashing output folder are bad input (a subclass of
:class:`~sim.scenario.errors.ScenarioError`, so the CLI exits with code 2 and no traceback);
replications that raised are a run failure (:class:`RunFailedError`, exit code 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sim.scenario.errors import ScenarioError

if TYPE_CHECKING:
    import pandas as pd


class RunInputError(ScenarioError):
    """A run option (``--workers``, ``--executor`` ...) or the output folder is unusable.

    Parameters
    ----------
    what
        The option or path at fault, for example ``"--workers"`` or ``"results/baseline"``.
    problem
        What is wrong, in plain words.
    suggestion
        What to do instead, when there is something to suggest.
    """

    def __init__(self, what: str, problem: str, suggestion: str | None = None) -> None:
        super().__init__(file=what, field=None, problem=problem, suggestion=suggestion)

    @property
    def message(self) -> str:
        """One paragraph: what is at fault, what is wrong, what to do."""
        text = f"{self.file}: {self.problem}"
        if self.suggestion:
            text += f" {self.suggestion}"
        return text


class RunFailedError(RuntimeError):
    """Some replications raised; the others finished and were kept.

    Parameters
    ----------
    message
        Summary for the user (how many failed, the first error, where the details are).
    failures
        One row per failed replication: ``arm``, ``replication``, ``error``, ``traceback``.
    partial_dir
        The working folder holding finished chunks and ``failures.csv``, when the run had an
        output folder; ``--resume`` continues from it.
    """

    def __init__(
        self, message: str, failures: pd.DataFrame, partial_dir: Path | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.failures = failures
        self.partial_dir = partial_dir


class RunCancelled(RuntimeError):
    """The caller stopped a run from its ``partial`` callback (the explorer's Cancel button).

    Raised from the callback, it passes through the runner unchanged: the executor stops
    without waiting for the chunks still running and no results folder is written.
    """
