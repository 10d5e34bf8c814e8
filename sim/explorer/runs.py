"""Runs of one browser session: keyed by the resolved scenario's hash and seed, kept in the
session's own temporary folder, and the only source of downloads.

Each browser session (tab) holds one :class:`SessionRuns` in its own state, so two tabs never
see each other's runs. A run is reused only when the scenario that would run (after the cap),
its seed and its replication count are the same (:func:`run_key`), so a changed field never
shows stale results. Downloads are built from the session's own records, never from a path
the browser sends.
"""

from __future__ import annotations

import functools
import io
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sim
from sim.experiment.partial import PartialCallback
from sim.experiment.progress import ProgressCallback
from sim.experiment.results import Results
from sim.scenario import Scenario, resolved_yaml, scenario_sha256


def run_key(scenario: Scenario, seed: int, replications: int) -> str:
    """What identifies a run: the resolved scenario's SHA-256, the seed and the replications."""
    return f"{scenario_sha256(scenario)}:{seed}:{replications}"


@dataclass(frozen=True)
class RunRecord:
    """One finished run of the session.

    Attributes
    ----------
    number
        1, 2, ... in the order the session ran them.
    key
        :func:`run_key` of the run.
    label
        What the page calls it, e.g. ``"run 2: troubled"``.
    scenario
        The scenario as edited (before the cap), for the YAML download.
    ran
        The scenario that ran (after the cap).
    replications, seed
        As run.
    folder
        The results folder, inside the session's temporary folder.
    seconds
        Wall time of the run.
    """

    number: int
    key: str
    label: str
    scenario: Scenario
    ran: Scenario
    replications: int
    seed: int
    folder: Path
    seconds: float

    @functools.cached_property
    def results(self) -> Results:
        """The run's results (read from its folder once)."""
        return sim.load_results(self.folder)


class SessionRuns:
    """The runs of one browser session, in a temporary folder removed with the session."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="csc-explorer-")
        self.root = Path(self._tmp.name)
        self.records: list[RunRecord] = []
        self._attempts = 0
        self._lock = threading.Lock()

    def find(self, key: str) -> RunRecord | None:
        """The session's run with this key, if there is one."""
        return next((r for r in self.records if r.key == key), None)

    def new_folder(self) -> Path:
        """A fresh results folder for the next run (cancelled runs never leave a name taken)."""
        with self._lock:
            self._attempts += 1
            return self.root / f"run-{self._attempts}"

    def run(
        self,
        scenario: Scenario,
        ran: Scenario,
        *,
        replications: int,
        seed: int,
        workers: int,
        folder: Path | None = None,
        progress: ProgressCallback | None = None,
        partial: PartialCallback | None = None,
    ) -> tuple[RunRecord, bool]:
        """Run ``ran`` and add its record, or reuse the session's identical run.

        Parameters
        ----------
        scenario, ran
            The scenario as edited, and as it runs (after the cap).
        replications, seed, workers
            As :func:`sim.run` takes them.
        folder
            The results folder (default: :meth:`new_folder`).
        progress, partial
            As :func:`sim.run` takes them (a background run follows its run with them).

        Returns
        -------
        (RunRecord, bool)
            The record and whether it was reused.

        Raises
        ------
        ScenarioError, RunFailedError, RunCancelled
            As :func:`sim.run` raises them.
        """
        key = run_key(ran, seed, replications)
        found = self.find(key)
        if found is not None:
            return found, True
        folder = folder if folder is not None else self.new_folder()
        clock = time.perf_counter()
        sim.run(
            ran,
            replications=replications,
            seed=seed,
            workers=workers,
            out=folder,
            progress=progress if progress is not None else False,
            report=False,
            partial=partial,
        )
        seconds = time.perf_counter() - clock
        with self._lock:  # a background run adds its record from its own thread
            found = self.find(key)
            if found is not None:
                return found, True
            number = len(self.records) + 1
            record = RunRecord(
                number=number,
                key=key,
                label=f"run {number}: {ran.name}",
                scenario=scenario,
                ran=ran,
                replications=replications,
                seed=seed,
                folder=folder,
                seconds=seconds,
            )
            self.records.append(record)
        return record, False

    def close(self) -> None:
        """Remove the session's folder."""
        self._tmp.cleanup()


def scenario_yaml(scenario: Scenario) -> bytes:
    """The edited scenario as a complete YAML file (loads back into an equal scenario)."""
    return resolved_yaml(scenario).encode("utf-8")


def results_zip(record: RunRecord) -> bytes:
    """The run's results folder as a zip archive (files under ``<name>/``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(record.folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{record.folder.name}/{path.relative_to(record.folder)}")
    return buffer.getvalue()


def report_html(record: RunRecord) -> bytes:
    """The run's ``report.html`` (built the first time it is asked for, as ``csc-sim report``)."""
    from sim.analysis.derived import write_derived
    from sim.experiment.layout import REPORT_HTML

    target = record.folder / REPORT_HTML
    if not target.is_file():
        write_derived(record.folder, report=True)
    return target.read_bytes()


def describe(record: RunRecord) -> dict[str, Any]:
    """A one-line description of a run for the page's list of runs."""
    return {
        "run": record.number,
        "scenario": record.ran.name,
        "replications": record.replications,
        "seed": record.seed,
        "horizon (years)": record.ran.horizon_years,
        "seconds": round(record.seconds, 1),
        "sha256": scenario_sha256(record.ran)[:12],
    }
