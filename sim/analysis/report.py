"""``report.html``: one self-contained page per results folder (images embedded).

It leads with the answer: the question, then sentences generated from the paired differences
between each arm and its reference (:mod:`sim.analysis.answer`), and what the answer depends on.
Then the differences and per-arm outcomes over stated windows, time to leave inadequate
(Kaplan-Meier), the grade as shares of replications, what the scenario changes (with warnings for
settings that do nothing), the arms, the summary table, the outcome curves, the assumptions with
the values used, and the run metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.answer import Answer, answer
from sim.analysis.answer_sections import (
    answer_section,
    changes_section,
    depends_on,
    differences_section,
    estimates_section,
    grades_section,
    survival_section,
)
from sim.analysis.html import esc, page, paragraph, section
from sim.analysis.labels import arm_labels
from sim.analysis.outcomes import outcomes_table
from sim.analysis.overlays import GRADE_METRIC
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
from sim.model.metrics import METRIC_NAMES
from sim.model.output import DRAW
from sim.scenario.changes import Change, changed_fields, inert_settings
from sim.scenario.errors import ScenarioError
from sim.scenario.scenario import Scenario

CONTENTS: tuple[tuple[str, str], ...] = (
    ("answer", "Answer"),
    ("differences", "Differences"),
    ("per-arm", "Per arm"),
    ("survival", "Leaving inadequate"),
    ("grades", "Grades"),
    ("changes", "What changes"),
    ("arms", "Arms"),
    ("results", "Results"),
    ("outcomes", "Event outcomes"),
    ("curves", "Curves"),
    ("assumptions", "Assumptions"),
    ("metadata", "Run metadata"),
)


@dataclass
class ReportData:
    """Everything the report shows, computed once from a results folder (plain data)."""

    answer: Answer
    outcomes: pd.DataFrame
    survival: pd.DataFrame
    survival_png: bytes | None
    grades_png: bytes
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    zero_metrics: list[str] = field(default_factory=list)
    #: A run over posterior draws: "of the spread, X% is parameter uncertainty" (else empty).
    spread: str = ""


def facts_text(results: Results) -> str:
    """Scenario name, arms, replications and seed in one sentence."""
    manifest = results.manifest
    posterior = manifest.get("posterior") or {}
    over = (
        f" ({posterior.get('draws')} posterior draws from {posterior.get('file')} x "
        f"{posterior.get('replications_per_draw')} replications each)"
        if posterior
        else ""
    )
    return (
        f"Scenario '{results.name}': {len(results.arms)} arm(s), {manifest.get('replications')} "
        f"replication(s) per arm{over}, seed {manifest.get('seed')}."
    )


def load_summary(folder: Path, results: Results) -> pd.DataFrame:
    """``summary.csv`` of the folder, computed from the time series when it is missing."""
    path = folder / SUMMARY_CSV
    if path.is_file():
        return pd.read_csv(path)
    return summary_table(parquet_reader(folder / TIMESERIES_PARQUET), results.arms)


def zero_metrics(timeseries: pd.DataFrame) -> list[str]:
    """Metrics that are zero in every month of every replication."""
    return [m for m in METRIC_NAMES if m in timeseries and bool((timeseries[m] == 0).all())]


def scenario_layers(results: Results) -> list[Any] | None:
    """The ``extends`` chain of the file the run was read from, when it is still there."""
    from sim.scenario.extends import read_layers
    from sim.scenario.yaml_safe import load_yaml_file

    source = str(results.manifest.get("source") or "")
    if not source or not Path(source).is_file():
        return None
    try:
        return read_layers(load_yaml_file(source), source, None)
    except ScenarioError:
        return None


def report_data(results: Results, scenario: Scenario | None) -> ReportData:
    """Compute the answer, the survival table, the figures and the notes of a run."""
    from sim.analysis.figures import grade_figure, png_bytes, survival_figure
    from sim.analysis.grades import grade_shares
    from sim.analysis.survival import survival_curves, survival_data, survival_table

    timeseries, events = results.timeseries, results.events
    arms, overrides = results.arms, results.arm_overrides
    labels = scenario.labels if scenario is not None else None
    names = arm_labels(arms, overrides, labels)
    first_field = (
        next(iter(scenario.grid), None) if scenario is not None and scenario.grid else None
    )
    reference = scenario.reference if scenario is not None else None
    warnings: list[str] = []
    if reference is not None and reference not in arms:
        warnings.append(
            f"reference '{reference}' is not one of the arms, so the default reference is used "
            f"(arms: {', '.join(arms)})."
        )
        reference = None
    result = answer(timeseries, events, arms, overrides, names=names,
                    first_field=first_field, reference=reference)  # fmt: skip
    data = survival_data(events, timeseries)
    curves = survival_curves(data, arms)
    survival_png = (
        png_bytes(survival_figure(curves, arms, overrides, names)) if not curves.empty else None
    )
    grades_png = png_bytes(grade_figure(grade_shares(timeseries, arms), arms, names))
    changes: list[Change] = []
    if scenario is not None:
        changes = changed_fields(scenario, scenario_layers(results), overrides)
        warnings.extend(inert_settings(scenario, overrides))
    spread = ""
    if DRAW in events.columns:
        from sim.analysis.posterior_split import spread_sentence, uncertainty_table

        spread = spread_sentence(uncertainty_table(timeseries, events, result.references))
    return ReportData(
        result,
        outcomes_table(events, arms, timeseries),
        survival_table(data, arms),
        survival_png,
        grades_png,
        changes,
        warnings,
        zero_metrics(timeseries),
        spread,
    )


def render_report(
    results: Results,
    summary: pd.DataFrame,
    pngs: Mapping[str, Path],
    parameters: tuple[list[Any], list[Any]],
    data: ReportData,
    folder: Path | None = None,
) -> str:
    """The HTML of a run's report."""
    assumption_rows, all_rows = parameters
    names = data.answer.names
    question = str(results.manifest.get("description") or "").strip() or "No description was given."
    depends = depends_on(folder, results.name, str(results.manifest.get("source") or ""))
    body = "".join(
        [
            f"<h1>{esc(results.name)}</h1>",
            answer_section(data.answer, question, facts_text(results), depends, data.spread),
            differences_section(data.answer),
            estimates_section(data.answer, results.arms),
            survival_section(data.survival, names, data.survival_png),
            grades_section(data.grades_png),
            changes_section(data.changes, data.warnings, data.zero_metrics),
            arms_section(
                results.arms,
                results.arm_overrides,
                dict.fromkeys(results.arms, results.manifest.get("replications")),
                names=names,
            ),
            headline_section(summary, results.arms, names),
            outcomes_section(data.outcomes, names),
            # the grade is shown as shares of replications (above), not as a mean of grades
            curves_section({m: p for m, p in pngs.items() if m != GRADE_METRIC}),
            parameters_section(assumption_rows, all_rows),
            metadata_section({results.name: results.manifest}),
        ]
    )
    return page(f"{results.name}: simulation report", body, CONTENTS)


def question_section(results: Results) -> str:
    """The question and the scenario in plain words (kept for callers of the old layout)."""
    description = (
        str(results.manifest.get("description") or "").strip() or "No description was given."
    )
    return section(
        "question", "The question", paragraph(description) + paragraph(facts_text(results))
    )


def write_report(folder: Path) -> Path:
    """(Re)draw ``curves/`` and write ``report.html`` and ``results.xlsx``; return the report."""
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
    data = report_data(results, scenario)
    summary = load_summary(folder, results)
    html_text = render_report(results, summary, pngs, parameters, data, folder)
    target = folder / REPORT_HTML
    write_text_atomic(target, html_text)
    from sim.analysis.workbook import write_workbook

    write_workbook(folder / "results.xlsx", summary, data, parameters[0])
    return target
