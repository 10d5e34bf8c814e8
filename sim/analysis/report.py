"""``report.html``: one self-contained page per results folder (images embedded).

It states the question and the scenario in plain words, lists the arms, shows the outcome
curves, the summary table with intervals, the event outcomes per arm, the assumptions with the
values used, the provenance of every parameter and the run metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.html import esc, page, paragraph, section
from sim.analysis.outcomes import outcomes_table
from sim.analysis.parameters import load_resolved, parameter_rows
from sim.analysis.plots import save_curves
from sim.analysis.sections import (
    arms_section,
    curves_section,
    headline_section,
    metadata_section,
    outcomes_section,
    parameters_section,
)
from sim.analysis.stats import parquet_reader, summary_table
from sim.experiment.layout import (
    CURVES_DIR,
    REPORT_HTML,
    RESOLVED_YAML,
    SUMMARY_CSV,
    TIMESERIES_PARQUET,
    write_text_atomic,
)
from sim.experiment.results import Results, load_results

CONTENTS: tuple[tuple[str, str], ...] = (
    ("question", "Question"),
    ("arms", "Arms"),
    ("results", "Results"),
    ("outcomes", "Event outcomes"),
    ("curves", "Curves"),
    ("assumptions", "Assumptions"),
    ("metadata", "Run metadata"),
)


def question_section(results: Results) -> str:
    """The question and the scenario in plain words."""
    manifest = results.manifest
    description = str(manifest.get("description") or "").strip() or "No description was given."
    facts = (
        f"Scenario '{results.name}': {len(results.arms)} arm(s), {manifest.get('replications')} "
        f"replication(s) per arm, seed {manifest.get('seed')}."
    )
    return section("question", "The question", paragraph(description) + paragraph(facts))


def load_summary(folder: Path, results: Results) -> pd.DataFrame:
    """``summary.csv`` of the folder, computed from the time series when it is missing."""
    path = folder / SUMMARY_CSV
    if path.is_file():
        return pd.read_csv(path)
    return summary_table(parquet_reader(folder / TIMESERIES_PARQUET), results.arms)


def render_report(
    results: Results,
    summary: pd.DataFrame,
    pngs: Mapping[str, Path],
    parameters: tuple[list[Any], list[Any]],
) -> str:
    """The HTML of a run's report."""
    assumption_rows, all_rows = parameters
    body = "".join(
        [
            f"<h1>{esc(results.name)}</h1>",
            question_section(results),
            arms_section(
                results.arms,
                results.arm_overrides,
                dict.fromkeys(results.arms, results.manifest.get("replications")),
            ),
            headline_section(summary, results.arms),
            outcomes_section(outcomes_table(results.events, results.arms)),
            curves_section(pngs),
            parameters_section(assumption_rows, all_rows),
            metadata_section({results.name: results.manifest}),
        ]
    )
    return page(f"{results.name}: simulation report", body, CONTENTS)


def write_report(folder: Path) -> Path:
    """(Re)draw ``curves/`` and write ``report.html`` of a results folder; return its path."""
    folder = Path(folder)
    results = load_results(folder)
    reader = parquet_reader(folder / TIMESERIES_PARQUET)
    pngs = save_curves(folder / CURVES_DIR, reader, results.arms, results.arm_overrides)
    scenario = load_resolved(folder / RESOLVED_YAML)
    parameters: tuple[list[Any], list[Any]] = ([], [])
    if scenario is not None:
        parameters = (
            parameter_rows(scenario, results.arm_overrides, only_assumptions=True),
            parameter_rows(scenario, results.arm_overrides, only_assumptions=False),
        )
    html_text = render_report(results, load_summary(folder, results), pngs, parameters)
    target = folder / REPORT_HTML
    write_text_atomic(target, html_text)
    return target
