"""The interactive cap: a run from the page stays short, and the page shows the command for the
full run.

These are limits of the page, not of the model (the model's own bounds are the scenario fields'):
chosen so that the troubled reference scenario's 8 replications finish in about 10 seconds on
two cores, and a two-lever sweep of a few arms in well under a minute.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass

from sim.scenario import Scenario, load_scenario

#: Most replications per arm a page run may have (runs).
MAX_REPLICATIONS = 16
#: Replications per arm a page run starts with (runs).
DEFAULT_REPLICATIONS = 8
#: Longest recorded horizon a page run may have (years).
MAX_HORIZON_YEARS = 10.0
#: Most arm x replication runs in one page run (runs).
MAX_RUNS = 96
#: Most worker processes a page run uses.
MAX_WORKERS = 2


@dataclass(frozen=True)
class Capped:
    """A scenario and replication count brought within the cap.

    Attributes
    ----------
    scenario
        The scenario to run (horizon at most :data:`MAX_HORIZON_YEARS`).
    replications
        Replications per arm to run.
    notes
        What the cap changed, in words (empty when nothing).
    """

    scenario: Scenario
    replications: int
    notes: tuple[str, ...]

    @property
    def capped(self) -> bool:
        """Whether the cap changed anything."""
        return bool(self.notes)


def cap(scenario: Scenario, replications: int, arms: int) -> Capped:
    """Bring a run within the interactive cap.

    Parameters
    ----------
    scenario
        The edited, valid scenario.
    replications
        Replications per arm asked for.
    arms
        Arms of the scenario.
    """
    notes = []
    reps = max(1, min(int(replications), MAX_REPLICATIONS))
    if reps < replications:
        notes.append(f"replications per arm {replications} -> {reps}")
    most = max(1, MAX_RUNS // max(arms, 1))
    if reps > most:
        notes.append(
            f"replications per arm {reps} -> {most} ({arms} arms, at most {MAX_RUNS} runs)"
        )
        reps = most
    run = scenario
    if scenario.horizon_years > MAX_HORIZON_YEARS:
        notes.append(f"horizon {scenario.horizon_years:g} -> {MAX_HORIZON_YEARS:g} years")
        run = load_scenario(scenario, overrides={"horizon_years": MAX_HORIZON_YEARS})
    return Capped(run, reps, tuple(notes))


def workers() -> int:
    """Worker processes for a page run: the cores, at most :data:`MAX_WORKERS`."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def full_run_command(file_name: str) -> str:
    """The ``csc-sim run`` command for the full run of a downloaded scenario file (its own
    replications, seed and horizon)."""
    return f"csc-sim run {shlex.quote(file_name)} --workers {workers()}"
