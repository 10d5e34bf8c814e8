"""Blessed reference results: what ``csc-sim bless`` writes and ``csc-sim regress`` reads.

One folder per reference scenario, ``results/reference/<scenario name>/``, kept small enough to
commit to git:

``manifest.json``          why and when it was blessed (``message``, ``blessed_at``), from which
                           commit, the seed and replications, the scenario's sha256, and the
                           platform fingerprint and dependency versions (exact check)
``scenario.resolved.yaml`` the complete scenario that was run
``summary.csv``            summary metrics per arm (the statistical check)
``events_summary.csv``     event outcomes per arm, same columns (the statistical check)
``events.csv``             event outcomes per replication (the exact check)
``timeseries.parquet``     every monthly value, zstd-compressed (the exact check)
"""

from __future__ import annotations

import json
import platform
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.analysis.regression_checks import platform_fingerprint
from sim.analysis.stats import SUMMARY_COLUMNS, describe, frame_reader, summary_table
from sim.experiment.assemble import timeseries_schema
from sim.experiment.layout import (
    EVENTS_CSV,
    MANIFEST_JSON,
    RESOLVED_YAML,
    SUMMARY_CSV,
    TIMESERIES_PARQUET,
)
from sim.experiment.manifest import git_commit, git_dirty, now_iso
from sim.experiment.results import Results
from sim.model.metrics import EVENT_COLUMNS, TEXT_EVENT_COLUMNS
from sim.model.output import event_keys

EVENTS_SUMMARY_CSV = "events_summary.csv"
#: Event outcomes compared statistically: the numeric columns of events.csv.
NUMERIC_EVENTS: tuple[str, ...] = tuple(c for c in EVENT_COLUMNS if c not in TEXT_EVENT_COLUMNS)
#: zstd level of the blessed Parquet file: near the smallest size, still fast to write.
PARQUET_ZSTD_LEVEL = 19
#: Layout version of a blessed reference folder.
REFERENCE_FORMAT = 1


def event_statistics(events: pd.DataFrame, arms: Sequence[str]) -> pd.DataFrame:
    """One row per arm x numeric event outcome, with the columns of ``summary.csv``.

    Missing values (a relapse with no finished intervention, the time to exit of a censored
    replication) are left out, so ``n`` counts the replications where the outcome is defined.
    """
    labels = events["arm"].astype(str)
    rows = []
    for outcome in NUMERIC_EVENTS:
        values = pd.to_numeric(events[outcome], errors="coerce")
        for arm in arms:
            data = values.loc[labels == str(arm)].to_numpy(dtype=float)
            rows.append({"arm": str(arm), "metric": outcome, **describe(data)})
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def bless_manifest(results: Results, source: str, message: str) -> dict[str, Any]:
    """The manifest of a blessed reference, from the run's own manifest and the bless message."""
    run = results.manifest
    return {
        "format": REFERENCE_FORMAT,
        "scenario": results.name,
        "source": source,
        "message": message,
        "blessed_at": now_iso(),
        "git_commit": git_commit(),
        "git_dirty": git_dirty(),
        "package_version": run.get("package_version"),
        "scenario_sha256": run.get("scenario_sha256"),
        "seed": run.get("seed"),
        "replications": run.get("replications"),
        "arms": run.get("arms"),
        "platform_fingerprint": platform_fingerprint(),
        "platform": platform.platform(),
        "python": run.get("python"),
        "dependencies": run.get("dependencies"),
        "wall_seconds": run.get("wall_seconds"),
    }


def write_reference(folder: Path, results: Results, manifest: dict[str, Any]) -> None:
    """Write one blessed reference folder (``folder`` must not exist)."""
    folder.mkdir(parents=True)
    frame = results.timeseries.copy()
    frame["arm"] = frame["arm"].astype(str)
    schema = timeseries_schema()
    table = pa.Table.from_pandas(
        frame.loc[:, list(schema.names)], schema=schema, preserve_index=False
    )
    pq.write_table(
        table,
        folder / TIMESERIES_PARQUET,
        compression="zstd",
        compression_level=PARQUET_ZSTD_LEVEL,
        use_byte_stream_split=False,
    )
    events = results.events.loc[:, [*event_keys(), *EVENT_COLUMNS]].copy()
    events["arm"] = events["arm"].astype(str)
    events.to_csv(folder / EVENTS_CSV, index=False)
    summary_table(frame_reader(results.timeseries), results.arms).to_csv(
        folder / SUMMARY_CSV, index=False
    )
    event_statistics(results.events, results.arms).to_csv(folder / EVENTS_SUMMARY_CSV, index=False)
    (folder / RESOLVED_YAML).write_text(results.scenario_yaml, encoding="utf-8")
    (folder / MANIFEST_JSON).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def replace_folder(staging: Path, target: Path) -> None:
    """Move ``staging`` to ``target``, replacing it; the old folder is removed only afterwards."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    if old.exists():
        shutil.rmtree(old)


class Reference:
    """A blessed reference folder, read lazily.

    Parameters
    ----------
    folder
        ``results/reference/<scenario name>``.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest: dict[str, Any] = json.loads(
            (folder / MANIFEST_JSON).read_text(encoding="utf-8")
        )

    @property
    def replications(self) -> int:
        """Replications the reference was blessed with."""
        return int(self.manifest["replications"])

    @property
    def seed(self) -> int:
        """Base seed of the blessed run."""
        return int(self.manifest["seed"])

    def statistics(self) -> pd.DataFrame:
        """``summary.csv`` and ``events_summary.csv`` in one table."""
        parts = [pd.read_csv(self.folder / name) for name in (SUMMARY_CSV, EVENTS_SUMMARY_CSV)]
        return pd.concat(parts, ignore_index=True)

    def timeseries(self) -> pd.DataFrame:
        """The blessed monthly values."""
        return pd.read_parquet(self.folder / TIMESERIES_PARQUET)

    def events(self) -> pd.DataFrame:
        """The blessed event outcomes per replication."""
        return pd.read_csv(
            self.folder / EVENTS_CSV,
            dtype=dict.fromkeys(TEXT_EVENT_COLUMNS, "string"),
            float_precision="round_trip",  # exact, as the run's own events (read_events)
        )


def run_statistics(results: Results) -> pd.DataFrame:
    """Summary metrics and event outcomes of a run, in the layout of :meth:`Reference.statistics`."""
    return pd.concat(
        [
            summary_table(frame_reader(results.timeseries), results.arms),
            event_statistics(results.events, results.arms),
        ],
        ignore_index=True,
    )


def same_platform(manifest: dict[str, Any]) -> tuple[bool, str]:
    """Whether this platform matches the blessed one, and a phrase describing any difference."""
    blessed = manifest.get("platform_fingerprint") or {}
    here = platform_fingerprint()
    differing = [f"{k} {blessed.get(k)} vs {v}" for k, v in here.items() if blessed.get(k) != v]
    return not differing, "; ".join(differing)


__all__ = [
    "EVENTS_SUMMARY_CSV",
    "NUMERIC_EVENTS",
    "Reference",
    "bless_manifest",
    "event_statistics",
    "replace_folder",
    "run_statistics",
    "same_platform",
    "write_reference",
]
