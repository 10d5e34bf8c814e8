"""The study's journal on disk, so ``--resume`` after a kill repeats no finished simulation.

``<out>/journal/`` holds ``study.json`` (the digest of the calibration file, targets and
scenarios, and one chained digest per stage: ``Study.stage_digests``), ``design-<stage>.json``
(the parameter sets of each wave and of the posterior stage, written before they run),
``design-<stage>.<part>.json`` (any other array a stage derives before its runs; the emulated
posterior's screened pool is a stage of its own without runs, ``design-pool.json``) and ``runs.jsonl`` (one line per finished replication:
stage, point, arm, replication, statistics), appended and flushed as chunks finish. A last line
without its newline (killed while writing) is dropped; any other damage is bad input (exit 2).

When the file changed since the study began, ``--resume`` keeps the stages whose digests are
unchanged, up to the first that differs (for example every wave, after a change of the
posterior's points or the number of waves), and deletes the designs and runs of that stage and
the later ones (``Journal.redone``); when even the first wave's digest differs, it refuses.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from sim.experiment.errors import RunInputError
from sim.scenario.errors import ScenarioError

JOURNAL_DIR = "journal"
STUDY_JSON = "study.json"
RUNS_JSONL = "runs.jsonl"
Key = tuple[str, int, int, int]
"""``(stage, point, arm, replication)``."""


def _clean(stats: dict[str, float]) -> dict[str, float | None]:
    return {k: (None if not math.isfinite(v) else v) for k, v in stats.items()}


class Journal:
    """Finished replications and designs of one study.

    Parameters
    ----------
    out
        The study's results folder.
    digest
        sha256 of what decides the runs; a journal of another study is refused.
    resume, force
        Continue an existing journal; or delete the folder and start again.
    stages
        The digest of each stage, in order (``Study.stage_digests``); none: the study resumes
        only unchanged.
    """

    def __init__(
        self,
        out: Path,
        digest: str,
        resume: bool,
        force: bool,
        stages: dict[str, str] | None = None,
    ) -> None:
        self.folder = out / JOURNAL_DIR
        self.runs: dict[Key, dict[str, float]] = {}
        self.stages = dict(stages or {})
        #: Stages of an earlier journal run again because the file changed before them.
        self.redone: list[str] = []
        study = self.folder / STUDY_JSON
        if out.exists() and any(out.iterdir()) and not resume:
            if not force:
                raise RunInputError(
                    str(out),
                    "the folder already holds a calibration study.",
                    "Add --resume to continue it, --force to start again, or --out for another folder.",
                )
            shutil.rmtree(out)
        if resume and study.is_file():
            self._load(study, digest)  # study.json is then rewritten below: the new digests
        elif resume and out.exists() and any(out.iterdir()):
            raise ScenarioError(
                str(study),
                None,
                "the journal has no study.json, so it cannot be resumed.",
                "Start again with --force.",
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        if resume or not study.is_file():
            partial = study.with_suffix(".partial")
            record: dict[str, Any] = {"digest": digest}
            if self.stages:
                record["stages"] = self.stages
            partial.write_text(json.dumps(record), encoding="utf-8")
            partial.replace(study)
        self._handle = open(self.folder / RUNS_JSONL, "a", encoding="utf-8")  # noqa: SIM115

    def _load(self, study: Path, digest: str) -> None:
        """Load the journal: its runs, less those of the stages the file's changes reach."""
        try:
            record = json.loads(study.read_text(encoding="utf-8"))
            saved = record["digest"]
            saved_stages = record.get("stages") or {}
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise ScenarioError(
                str(study),
                None,
                "the study journal is damaged (not the JSON written by calibrate).",
                "Start again with --force.",
            ) from None
        kept = self._kept_stages(saved_stages) if saved != digest else list(self.stages)
        if saved != digest and not kept:
            raise ScenarioError(
                str(study),
                None,
                "the calibration file, its targets or scenarios changed since this study began, so "
                "its runs cannot be reused.",
                "Start again with --force, or use another --out.",
            )
        dropped = set(saved_stages) - set(kept) if saved != digest else set()
        self._load_runs(dropped)
        # Only once the runs have been read (a damaged journal changes nothing):
        for name in dropped:
            self._design_path(name).unlink(missing_ok=True)
            for part in self.folder.glob(self._design_path(name, "*").name):
                part.unlink()
        if saved != digest:
            self.redone = [name for name in self.stages if name not in kept]

    def _load_runs(self, dropped: set[str]) -> None:
        """Read the finished replications, leaving out (and deleting) those of ``dropped``."""
        path = self.folder / RUNS_JSONL
        if not path.is_file():
            return
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        complete = lines[:-1]  # the last piece is empty, or a line cut short by a kill
        kept_lines: list[str] = []
        for number, line in enumerate(complete, start=1):
            try:
                rec = json.loads(line)
                key = (
                    str(rec["stage"]),
                    int(rec["point"]),
                    int(rec["arm"]),
                    int(rec["replication"]),
                )
                stats = {k: (math.nan if v is None else float(v)) for k, v in rec["stats"].items()}
            except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
                raise ScenarioError(
                    str(path),
                    f"line {number}",
                    "the study journal is damaged: the line is not a finished replication.",
                    "Start again with --force (finished runs are then repeated).",
                ) from None
            if key[0] in dropped:
                continue
            self.runs[key] = stats
            kept_lines.append(line)
        if lines[-1] or len(kept_lines) < len(complete):
            # drop the cut-short line, and the runs of stages to be redone
            partial = path.with_suffix(".partial")
            partial.write_text(
                "\n".join(kept_lines) + ("\n" if kept_lines else ""), encoding="utf-8"
            )
            partial.replace(path)

    def _kept_stages(self, saved: dict[str, str]) -> list[str]:
        """The stages, in order, whose digests match the earlier journal's, up to the first
        that differs. A stage the earlier journal did not have (a wave or round added since,
        or the pool from before it was a stage of its own) is made afresh without ending the
        stages kept: every stage's digest holds what decides it, so a later stage that
        depends on the new one differs itself."""
        kept: list[str] = []
        for name, stage_digest in self.stages.items():
            if name not in saved:
                continue
            if saved[name] != stage_digest:
                break
            kept.append(name)
        return kept

    def record(self, key: Key, stats: dict[str, float]) -> None:
        """Append one finished replication (flushed to disk at once)."""
        stage, point, arm, rep = key
        line = json.dumps(
            {"stage": stage, "point": point, "arm": arm, "replication": rep, "stats": _clean(stats)}
        )
        self._handle.write(line + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.runs[key] = stats

    def _design_path(self, stage: str, part: str | None = None) -> Path:
        """``design-<stage>.json``, or ``design-<stage>.<part>.json`` for another of its arrays."""
        return self.folder / (f"design-{stage}.{part}.json" if part else f"design-{stage}.json")

    def design(self, stage: str, make: Any, part: str | None = None) -> np.ndarray:
        """The stage's parameter sets (unit cube): saved ones, or ``make()`` saved now; with
        ``part``, another array of the stage (deleted with the stage's design when the stage is
        redone)."""
        path = self._design_path(stage, part)
        if path.is_file():
            try:
                return np.array(json.loads(path.read_text(encoding="utf-8")), dtype=float)
            except (json.JSONDecodeError, ValueError):
                raise ScenarioError(
                    str(path),
                    None,
                    "the study journal is damaged (design not readable).",
                    "Start again with --force.",
                ) from None
        points = np.asarray(make(), dtype=float)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(points.tolist()), encoding="utf-8")
        partial.replace(path)
        return points

    def close(self) -> None:
        """Close the runs file."""
        self._handle.close()
