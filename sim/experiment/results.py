"""The results of a run as plain data: tidy tables, the manifest and the resolved scenario.

A :class:`Results` object either wraps a results folder (tables are read from disk the first
time they are used) or holds the tables in memory (``sim.run`` without ``out``). Analysis
functions read it; the conveniences ``summary()``, ``plot()`` and ``save()`` that DESIGN §3
promises live on the facade in :mod:`sim.api` (the top layer), which ``sim.run`` and
``sim.load_results`` return, so this layer never imports the analysis layer.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from sim.experiment.assemble import (
    events_columns,
    read_events,
    with_arm_order,
    write_timeseries_frame,
)
from sim.experiment.errors import RunInputError
from sim.experiment.layout import (
    EVENTS_CSV,
    MANIFEST_JSON,
    RESOLVED_YAML,
    TIMESERIES_CSV,
    TIMESERIES_PARQUET,
)
from sim.experiment.store import PartialStore
from sim.model.output import ARM, LA

PathLike = str | os.PathLike[str]
ResultsT = TypeVar("ResultsT", bound="Results")


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as indented UTF-8 JSON."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


class Results:
    """Tables and provenance of one run.

    Parameters
    ----------
    manifest
        Contents of ``manifest.json``.
    path
        The results folder, when the results live on disk.
    timeseries, events
        The tables, when held in memory.
    scenario_yaml
        Text of ``scenario.resolved.yaml``, or a function that makes it when first asked for.
    """

    def __init__(
        self,
        manifest: dict[str, Any],
        *,
        path: Path | None = None,
        timeseries: pd.DataFrame | None = None,
        events: pd.DataFrame | None = None,
        scenario_yaml: str | Callable[[], str] | None = None,
    ) -> None:
        if path is None and (timeseries is None or events is None):
            raise ValueError("Results needs a folder or both tables")
        self.manifest = manifest
        self.path = path
        self._timeseries = timeseries
        self._events = events
        self._scenario_yaml = scenario_yaml

    def __repr__(self) -> str:
        where = f" at {self.path}" if self.path else ""
        return (
            f"<Results '{self.name}': {len(self.arms)} arm(s) x "
            f"{self.manifest.get('replications')} replication(s){where}>"
        )

    @property
    def name(self) -> str:
        """Name of the scenario."""
        return str(self.manifest.get("scenario", ""))

    @property
    def arms(self) -> list[str]:
        """Arm labels, in the run's order."""
        return [str(arm["label"]) for arm in self.manifest.get("arms", [])]

    @property
    def arm_overrides(self) -> dict[str, dict[str, Any]]:
        """Arm label -> the dotted overrides that make the arm."""
        return {
            str(arm["label"]): dict(arm.get("overrides") or {})
            for arm in self.manifest.get("arms", [])
        }

    @property
    def timeseries(self) -> pd.DataFrame:
        """One row per arm x replication (x LA) x month: the key columns, then every metric."""
        if self._timeseries is None:
            assert self.path is not None
            frame = pd.read_parquet(self.path / TIMESERIES_PARQUET)
            self._timeseries = with_arm_order(frame, self.arms)
        return self._timeseries

    @property
    def events(self) -> pd.DataFrame:
        """One row per arm x replication (x LA): the key columns, then the event outcomes."""
        if self._events is None:
            assert self.path is not None
            self._events = read_events(self.path / EVENTS_CSV, self.arms)
        return self._events

    @property
    def scenario_yaml(self) -> str:
        """The complete resolved scenario, as YAML text."""
        if callable(self._scenario_yaml):
            self._scenario_yaml = self._scenario_yaml()
        if self._scenario_yaml is None:
            self._scenario_yaml = (
                (self.path / RESOLVED_YAML).read_text(encoding="utf-8") if self.path else ""
            )
        return self._scenario_yaml

    def as_kind(self, kind: type[ResultsT]) -> ResultsT:
        """The same data as another kind of results (the facade of :mod:`sim.api`), not copied."""
        return kind(
            self.manifest,
            path=self.path,
            timeseries=self._timeseries,
            events=self._events,
            scenario_yaml=self._scenario_yaml,
        )

    def in_memory(self) -> Results:
        """A copy holding every table in memory (independent of the folder)."""
        return type(self)(
            dict(self.manifest),
            timeseries=self.timeseries.copy(),
            events=self.events.copy(),
            scenario_yaml=self.scenario_yaml,
        )


#: Called with a finished results folder (still in staging) to add derived files before it is
#: moved into place: the top layer passes the analysis layer's writer of ``summary.csv``,
#: curves and report (this layer does not import the analysis layer).
Finisher = Callable[[Path], None]


def save_results(
    results: Results, path: PathLike, force: bool = False, finish: Finisher | None = None
) -> Path:
    """Write a complete results folder (atomically) and return its path.

    Parameters
    ----------
    results
        The results to write.
    path
        Folder to create.
    force
        Replace an existing results folder.
    finish
        Adds derived files (summary, curves, report) to the staged folder before it is moved.
    """
    target = Path(path)
    if results.path is not None and target.exists() and target.resolve() == results.path.resolve():
        raise RunInputError(str(target), "these results are already saved in this folder.")
    if target.exists() and not force:
        raise RunInputError(
            str(target), "already exists.", "Use force=True (--force) to overwrite it."
        )
    if target.exists() and not (target / MANIFEST_JSON).exists() and any(target.iterdir()):
        raise RunInputError(
            str(target), "exists and is not a results folder; it will not be overwritten."
        )
    store = PartialStore(target)
    if store.partial.exists():
        shutil.rmtree(store.partial)
    store.staging.mkdir(parents=True)
    if results.path is not None:
        for name in (TIMESERIES_PARQUET, TIMESERIES_CSV, EVENTS_CSV):
            shutil.copy2(results.path / name, store.staging / name)
    else:
        write_timeseries_frame(results.timeseries, store.staging)
        entities = LA in results.events.columns
        events = results.events.loc[:, events_columns(entities)].copy()
        events[ARM] = events[ARM].astype(str)
        events.to_csv(store.staging / EVENTS_CSV, index=False)
    (store.staging / RESOLVED_YAML).write_text(results.scenario_yaml, encoding="utf-8")
    write_json(store.staging / MANIFEST_JSON, results.manifest)
    if finish is not None:
        finish(store.staging)
    store.commit()
    return target


def load_results(path: PathLike) -> Results:
    """Open a results folder written by ``sim.run`` or ``csc-sim run``.

    Raises
    ------
    RunInputError
        When the folder does not exist or has no ``manifest.json``.
    """
    folder = Path(path)
    manifest_path = folder / MANIFEST_JSON
    if not manifest_path.is_file():
        raise RunInputError(
            str(folder),
            "is not a results folder (no manifest.json).",
            "Give the folder written by `csc-sim run` (default results/<scenario name>).",
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise RunInputError(str(manifest_path), f"is not valid JSON ({err}).") from None
    return Results(manifest, path=folder)
