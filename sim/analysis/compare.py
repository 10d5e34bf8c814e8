"""One report and one table comparing several results folders (``csc-sim compare``).

Arms are prefixed by their run's name (``<run>: <arm>``). The comparison folder holds
``comparison.csv`` (the summaries of every run, with a ``run`` column), ``differences.csv``
(every later run's arms minus the first run's, paired by replication when the runs share seed
and replication numbers, else unpaired; see :mod:`sim.analysis.compare_answer`), ``curves/``
and ``report.html``, which leads with those differences. Runs with the same seed share random numbers replication by replication
(common random numbers); the report says when they do not.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.answer_sections import differences_section
from sim.analysis.compare_answer import compare_answer, prefixed
from sim.analysis.html import esc, page, paragraph, section, table
from sim.analysis.labels import arm_labels
from sim.analysis.outcomes import outcomes_table
from sim.analysis.plots import save_curves
from sim.analysis.report import load_summary
from sim.analysis.sections import (
    arms_section,
    curves_section,
    headline_section,
    metadata_section,
    outcomes_section,
)
from sim.analysis.stats import MetricReader, parquet_reader
from sim.experiment.errors import RunInputError
from sim.experiment.layout import (
    CURVES_DIR,
    MANIFEST_JSON,
    REPORT_HTML,
    TIMESERIES_PARQUET,
    write_text_atomic,
)
from sim.experiment.results import Results, load_results

COMPARISON_CSV = "comparison.csv"
#: Differences of every later folder's arms from the first folder's.
DIFFERENCES_CSV = "differences.csv"
CONTENTS: tuple[tuple[str, str], ...] = (
    ("runs", "Runs"),
    ("answer", "Differences"),
    ("arms", "Arms"),
    ("results", "Results"),
    ("outcomes", "Event outcomes"),
    ("curves", "Curves"),
    ("metadata", "Run metadata"),
)


def run_names(runs: Sequence[Results], folders: Sequence[Path]) -> list[str]:
    """A unique name per run: its scenario name, else its folder name, else numbered."""
    names = [r.name or f.name for r, f in zip(runs, folders, strict=True)]
    if len(set(names)) < len(names):
        names = [f.name for f in folders]
    if len(set(names)) < len(names):
        names = [f"{i + 1}. {name}" for i, name in enumerate(names)]
    return names


def _combined_reader(runs: Sequence[Results], names: Sequence[str]) -> MetricReader:
    readers = [
        (name, run, parquet_reader(Path(run.path or "") / TIMESERIES_PARQUET))
        for name, run in zip(names, runs, strict=True)
    ]

    def read(metric: str) -> pd.DataFrame:
        parts = []
        for name, _, reader in readers:
            part = reader(metric)
            parts.append(part.assign(arm=name + ": " + part["arm"].astype(str)))
        return pd.concat(parts, ignore_index=True)

    return read


def _runs_section(runs: Sequence[Results], names: Sequence[str], folders: Sequence[Path]) -> str:
    rows = [
        (
            name,
            str(folder),
            run.name,
            str(run.manifest.get("scenario_sha256", ""))[:12],
            run.manifest.get("seed"),
            run.manifest.get("replications"),
            len(run.arms),
            run.manifest.get("package_version"),
            str(run.manifest.get("git_commit") or "")[:10],
        )
        for name, run, folder in zip(names, runs, folders, strict=True)
    ]
    columns = (
        "Run",
        "Folder",
        "Scenario",
        "sha256 (start)",
        "Seed",
        "Replications",
        "Arms",
        "Version",
        "Commit",
    )
    return section(
        "runs", "Runs compared", table(columns, rows) + paragraph(_seed_note(runs), "note")
    )


def _answer_section(answers: Sequence[Any], first: str) -> str:
    """Sentences and tables of the differences from the first folder."""
    parts = []
    for found in answers:
        how = (
            "paired by replication (the runs share seed and replication numbers: common "
            "random numbers)"
            if found.paired
            else "unpaired (the runs used other seeds or replications: Welch's interval)"
        )
        items = "".join(f"<li>{esc(s)}</li>" for s in found.sentences)
        parts.append(
            paragraph(f"Against '{first}', {how}.")
            + f'<ul class="answer">{items}</ul>'
            + differences_section(found, title="")
        )
    return section("answer", f"Differences from the first folder ({first})", "".join(parts))


def _seed_note(runs: Sequence[Results]) -> str:
    if len({run.manifest.get("seed") for run in runs}) == 1:
        return "All runs used the same seed, so their replications share random numbers (common random numbers)."
    return "The runs used different seeds: differences between them include chance variation."


def compare(
    folders: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str], force: bool = False
) -> Path:
    """Write a comparison of several results folders into ``out``; return the report's path.

    An earlier comparison in ``out`` is replaced only with ``force`` (its curves are removed
    first, so none of an arm no longer compared is left behind).

    Raises
    ------
    RunInputError
        When a folder is not a results folder, ``out`` is one, or ``out`` holds a comparison
        and ``force`` is not set.
    """
    paths = [Path(f) for f in folders]
    if len(paths) < 2:
        raise RunInputError("compare", "needs at least two results folders.")
    runs = [load_results(p) for p in paths]
    target = Path(out)
    if (target / MANIFEST_JSON).exists():
        raise RunInputError(
            str(target),
            "is a results folder; the comparison would overwrite its report.",
            "Choose another --out.",
        )
    if (target / COMPARISON_CSV).exists():
        if not force:
            raise RunInputError(
                str(target),
                "a comparison already exists here.",
                "Use --force to overwrite it, or choose another --out.",
            )
        shutil.rmtree(target / CURVES_DIR, ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    names = run_names(runs, paths)
    arms: list[str] = []
    overrides: dict[str, dict[str, Any]] = {}
    readable: dict[str, str] = {}
    replications: dict[str, Any] = {}
    summaries, outcomes = [], []
    for name, run, folder in zip(names, runs, paths, strict=True):
        for arm in run.arms:
            label = prefixed(name, arm)
            arms.append(label)
            readable[label] = prefixed(name, arm_labels(run.arms, run.arm_overrides)[arm])
            overrides[label] = {"run": name, **run.arm_overrides.get(arm, {})}
            replications[label] = run.manifest.get("replications")
        summary = load_summary(folder, run)
        summaries.append(
            summary.assign(arm=[prefixed(name, a) for a in summary["arm"].astype(str)]).assign(
                run=name
            )
        )
        run_outcomes = outcomes_table(run.events, run.arms, run.timeseries)
        outcomes.append(run_outcomes.assign(arm=[prefixed(name, a) for a in run_outcomes["arm"]]))
    summary_all = pd.concat(summaries, ignore_index=True)
    write_text_atomic(
        target / COMPARISON_CSV,
        summary_all[["run", *[c for c in summary_all if c != "run"]]].to_csv(index=False),
    )
    pngs = save_curves(target / CURVES_DIR, _combined_reader(runs, names), arms, overrides)
    answers = compare_answer(runs, names)
    write_text_atomic(
        target / DIFFERENCES_CSV,
        pd.concat([a.differences for a in answers], ignore_index=True).to_csv(index=False),
    )
    body = "".join(
        [
            f"<h1>Comparison of {len(runs)} runs</h1>",
            _runs_section(runs, names, paths),
            _answer_section(answers, names[0]),
            arms_section(
                arms,
                {a: {k: v for k, v in o.items() if k != "run"} for a, o in overrides.items()},
                replications,
                note="Arms are named '<run>: <arm>'. " + _seed_note(runs),
                names=readable,
            ),
            headline_section(summary_all, arms, readable),
            outcomes_section(pd.concat(outcomes, ignore_index=True), readable),
            curves_section(pngs),
            metadata_section(dict(zip(names, (r.manifest for r in runs), strict=True))),
        ]
    )
    report = target / REPORT_HTML
    write_text_atomic(report, page(f"Comparison: {', '.join(names)}", body, CONTENTS))
    return report
