"""The results of a run: tidy tables, the manifest, and methods to summarise, plot and save.

A :class:`Results` object either wraps a results folder (tables are read from disk the first
time they are used) or holds the tables in memory (``sim.run`` without ``out``). Statistics,
plots and the report live in :mod:`sim.analysis`; the methods here delegate to it (imported
lazily: the one place the experiment layer reaches up to the analysis layer, so that
``results.summary()`` and ``results.plot()`` work as DESIGN §3 promises).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim.experiment.assemble import write_timeseries_frame
from sim.experiment.errors import RunInputError
from sim.experiment.layout import (
    EVENTS_CSV,
    MANIFEST_JSON,
    RESOLVED_YAML,
    TIMESERIES_CSV,
    TIMESERIES_PARQUET,
)
from sim.experiment.store import PartialStore
from sim.model.metrics import EVENT_COLUMNS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PathLike = str | os.PathLike[str]


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as indented UTF-8 JSON."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_derived(folder: Path, report: bool = True) -> None:
    """Write ``summary.csv`` and, with ``report``, ``curves/`` and ``report.html`` into ``folder``."""
    from sim.analysis.derived import write_derived as _write

    _write(folder, report=report)


def _with_arm_order(frame: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Make ``arm`` a categorical column whose categories follow the run's arm order."""
    frame["arm"] = pd.Categorical(frame["arm"].astype(str), categories=labels)
    return frame


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
        Text of ``scenario.resolved.yaml``.
    """

    def __init__(
        self,
        manifest: dict[str, Any],
        *,
        path: Path | None = None,
        timeseries: pd.DataFrame | None = None,
        events: pd.DataFrame | None = None,
        scenario_yaml: str | None = None,
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
        """One row per arm x replication x month: ``arm, replication, month, <metrics>``."""
        if self._timeseries is None:
            assert self.path is not None
            frame = pd.read_parquet(self.path / TIMESERIES_PARQUET)
            self._timeseries = _with_arm_order(frame, self.arms)
        return self._timeseries

    @property
    def events(self) -> pd.DataFrame:
        """One row per arm x replication: ``arm, replication, <event outcomes>``."""
        if self._events is None:
            assert self.path is not None
            frame = pd.read_csv(
                self.path / EVENTS_CSV, dtype={"grades": "string"}, keep_default_na=True
            )
            self._events = _with_arm_order(frame, self.arms)
        return self._events

    @property
    def scenario_yaml(self) -> str:
        """The complete resolved scenario, as YAML text."""
        if self._scenario_yaml is None:
            self._scenario_yaml = (
                (self.path / RESOLVED_YAML).read_text(encoding="utf-8") if self.path else ""
            )
        return self._scenario_yaml

    def in_memory(self) -> Results:
        """A copy holding every table in memory (independent of the folder)."""
        return Results(
            dict(self.manifest),
            timeseries=self.timeseries.copy(),
            events=self.events.copy(),
            scenario_yaml=self.scenario_yaml,
        )

    def summary(self) -> pd.DataFrame:
        """One row per arm x metric: ``arm, metric, mean, sd, ci_low, ci_high, p10, p90, n``.

        The per-replication statistic is the mean of the metric over the last 12 recorded
        months (``cost_cumulative_gbp``: its final value); ``ci_low``/``ci_high`` bound a 95%
        t-interval of the mean over replications, and ``p10``/``p90`` the spread between them.
        """
        from sim.analysis.stats import frame_reader, summary_table

        return summary_table(frame_reader(self.timeseries), self.arms)

    def plot(
        self, metrics: str | list[str], arms: list[str] | None = None, spread: bool = False
    ) -> Figure:
        """Mean per arm over time with its 95% confidence band, one panel per metric.

        Parameters
        ----------
        metrics
            Metric name(s), columns of :attr:`timeseries`.
        arms
            Arms to draw (default all).
        spread
            Also shade the 10-90% range of the replications (labelled as such).
        """
        from sim.analysis.plots import plot_metrics
        from sim.analysis.stats import frame_reader

        chosen = [metrics] if isinstance(metrics, str) else list(metrics)
        return plot_metrics(frame_reader(self.timeseries), chosen, arms or self.arms, spread=spread)

    def save(self, path: PathLike, force: bool = False, report: bool = True) -> Path:
        """Write a complete results folder (atomically) and return its path.

        Parameters
        ----------
        path
            Folder to create.
        force
            Replace an existing results folder.
        report
            Also draw the curves and write ``report.html``.
        """
        target = Path(path)
        if self.path is not None and target.exists() and target.resolve() == self.path.resolve():
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
        if self.path is not None:
            for name in (TIMESERIES_PARQUET, TIMESERIES_CSV, EVENTS_CSV):
                shutil.copy2(self.path / name, store.staging / name)
        else:
            write_timeseries_frame(self.timeseries, store.staging)
            events = self.events.loc[:, ["arm", "replication", *EVENT_COLUMNS]].copy()
            events["arm"] = events["arm"].astype(str)
            events.to_csv(store.staging / EVENTS_CSV, index=False)
        (store.staging / RESOLVED_YAML).write_text(self.scenario_yaml, encoding="utf-8")
        write_json(store.staging / MANIFEST_JSON, self.manifest)
        write_derived(store.staging, report=report)
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
