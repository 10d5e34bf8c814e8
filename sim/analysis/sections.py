"""Sections of the HTML reports (a run's report and a comparison), as HTML strings."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.html import (
    DASH,
    details,
    esc,
    estimate,
    figure,
    interval,
    number,
    paragraph,
    png_image,
    section,
    table,
)
from sim.analysis.stats import LAST_MONTHS
from sim.model.metrics import METRIC_BY_NAME

#: Metrics of the headline table (the full table follows, collapsed).
HEADLINE_METRICS: tuple[str, ...] = (
    "practice_quality",
    "morale",
    "turnover_rate_pct",
    "agency_rate_pct",
    "caseload_per_fte",
    "cost_cumulative_gbp",
)

STATISTICS_NOTE = (
    f"How to read the numbers: each replication is summarised by the mean of a metric over its last "
    f"{LAST_MONTHS} recorded months (for cumulative cost, its final value). The table gives the mean "
    "of these values over replications with a 95% confidence interval of that mean (Student's t), "
    "(clipped to the values the metric can take), and the 10th to 90th percentiles of the replications, which show how much single runs vary. "
    "With one replication the interval is undefined (–). Curves show the month-by-month mean of "
    "each arm with a shaded 95% confidence band of the mean."
)


DRAWS_NOTE = (
    "Over posterior draws: the replications of a draw share its parameter set, so they are not "
    "independent samples of the posterior. The 95% interval of a mean (in the table and the "
    "curves' bands) is therefore the t-interval over the draw means (each the mean of its "
    "replications; summary.csv says so in interval_over and draws), while the mean, SD, n and "
    "the 10-90% range are over every replication (the predictive spread)."
)


def _unit(metric: str) -> str:
    info = METRIC_BY_NAME.get(metric)
    return info.unit if info else ""


def _label(metric: str) -> str:
    info = METRIC_BY_NAME.get(metric)
    return info.label if info else metric


def overrides_text(overrides: Mapping[str, Any]) -> str:
    """``path = value; ...`` or a dash for the base scenario."""
    return "; ".join(f"{k} = {v}" for k, v in overrides.items()) or "(the scenario as written)"


CRN_NOTE = (
    "Every arm ran with the same seed and replication numbers (common random numbers), so "
    "differences between arms come from the policies, not from luck of the draw."
)


def arms_section(
    arms: Sequence[str],
    overrides: Mapping[str, Mapping[str, Any]],
    replications: Mapping[str, Any],
    note: str = CRN_NOTE,
    names: Mapping[str, str] | None = None,
) -> str:
    """Which arms were run (readable names), how each differs from the scenario, and how many
    replications."""
    names = names or {}
    rows = [
        (names.get(arm, arm), overrides_text(overrides.get(arm, {})), replications.get(arm, ""))
        for arm in arms
    ]
    columns = ("Arm", "Settings", "Replications")
    return section("arms", "Arms", paragraph(note) + table(columns, rows, (False, False, True)))


def headline_section(
    summary: pd.DataFrame, arms: Sequence[str], names: Mapping[str, str] | None = None
) -> str:
    """Key metrics per arm (mean and 95% CI), then every metric in a collapsible table."""
    names = names or {}
    metrics = [m for m in HEADLINE_METRICS if m in set(summary["metric"])]
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in summary.to_dict("records")
    ]
    by_key = {(str(r["arm"]), str(r["metric"])): r for r in records}
    rows = []
    for arm in arms:
        cells: list[str] = [names.get(arm, arm)]
        for metric in metrics:
            r = by_key.get((str(arm), metric))
            unit = _unit(metric)
            cells.append(
                f"{estimate(r['mean'], unit)} ({interval(r['ci_low'], r['ci_high'], unit)})"
                if r
                else DASH
            )
        rows.append(cells)
    headline = table(
        ["Arm", *[f"{_label(m)} ({_unit(m)})" for m in metrics]],
        rows,
        [False] + [True] * len(metrics),
    )
    full_rows = [
        (
            _label(r["metric"]),
            _unit(r["metric"]),
            names.get(str(r["arm"]), str(r["arm"])),
            estimate(r["mean"], _unit(r["metric"])),
            interval(r["ci_low"], r["ci_high"], _unit(r["metric"])),
            estimate(r["sd"], _unit(r["metric"])),
            interval(r["p10"], r["p90"], _unit(r["metric"])),
            number(r["n"]),
        )
        for r in records
    ]
    full = table(
        (
            "Metric",
            "Unit",
            "Arm",
            "Mean",
            "95% CI of the mean",
            "SD",
            "10-90% of replications",
            "n",
        ),
        full_rows,
        (False, False, False, True, True, True, True, True),
    )
    body = (
        paragraph(
            "Mean over replications, with the 95% confidence interval of the mean in brackets."
        )
        + headline
        + details("All metrics (summary.csv)", full)
        + paragraph(STATISTICS_NOTE, "note")
        + (paragraph(DRAWS_NOTE, "note") if "interval_over" in summary.columns else "")
    )
    return section("results", "Results", body)


def _median(value: float, low: float, high: float) -> str:
    def one(x: float) -> str:
        return "not reached" if math.isinf(x) else estimate(x)

    if math.isnan(value):
        return DASH
    return f"{one(value)} ({one(low)} to {one(high)})"


def outcomes_section(outcomes: pd.DataFrame, names: Mapping[str, str] | None = None) -> str:
    """Leaving inadequate (Kaplan-Meier), relapse (Wilson) and total cost per arm."""
    names = names or {}
    rows = [
        (
            names.get(str(r["arm"]), str(r["arm"])),
            number(r["replications"]),
            number(r["exited"]),
            number(r["censored"]),
            _median(r["median_months_to_exit"], r["median_ci_low"], r["median_ci_high"]),
            DASH
            if r["relapsed_n"] == 0
            else f"{100 * r['relapsed_share']:.0f}% of {r['relapsed_n']} "
            f"({100 * r['relapsed_ci_low']:.0f}% to {100 * r['relapsed_ci_high']:.0f}%)",
            number(r["total_cost_mean"], "GBP"),
            interval(r["total_cost_ci_low"], r["total_cost_ci_high"], "GBP"),
            number(r["inspections_mean"]),
            number(r.get("months_under_notice_mean", float("nan")), whole=False),
            number(r.get("directions_mean", float("nan")), whole=False),
            number(r.get("trusts_mean", float("nan")), whole=False),
        )
        for r in outcomes.to_dict("records")
    ]
    columns = (
        "Arm",
        "Replications",
        "Left inadequate",
        "Censored (still inadequate at the end)",
        "Median months to leave inadequate (95% CI, Kaplan-Meier)",
        "Relapsed within 24 months (95% CI, Wilson)",
        "Mean total cost",
        "95% CI",
        "Mean graded inspections",
        "Mean months under a DfE improvement notice",
        "Mean statutory directions (each with a commissioner)",
        "Mean trusts",
    )
    note = paragraph(
        "Time to leave inadequate is a Kaplan-Meier estimate: replications still inadequate at "
        "the end of the run are censored, so the median is 'not reached' when fewer than half "
        "left. Relapse: judged inadequate again, or practice quality back below its level at the "
        "start of the intervention, within 24 months of the intervention's end; the share is of "
        "replications where it could be assessed.",
        "note",
    )
    return section(
        "outcomes",
        "Event outcomes",
        table(columns, rows, (False,) + (True,) * (len(columns) - 1)) + note,
    )


def curves_section(pngs: Mapping[str, Path]) -> str:
    """Every curve, embedded as a PNG data URI, with the metric's definition."""
    parts = [
        paragraph(
            "Mean of each arm by month with its 95% confidence band. Grey shading (one arm) or "
            "coloured strips along the bottom (several arms) mark months when most replications of "
            "the arm were under intervention; triangles mark months when most received a new Ofsted grade."
        )
    ]
    for metric, path in pngs.items():
        info = METRIC_BY_NAME.get(metric)
        caption = f"{info.label} ({info.unit}): {info.definition}" if info else metric
        parts.append(
            f"<h3>{esc(_label(metric))}</h3>"
            + figure(png_image(path.read_bytes(), caption), caption)
        )
    return section("curves", "Outcome curves", "".join(parts))


def parameters_section(
    assumption_rows: Sequence[Sequence[str]], all_rows: Sequence[Sequence[str]]
) -> str:
    """Assumptions (with values used) and the provenance of every parameter."""
    from sim.analysis.parameters import PARAMETER_COLUMNS

    if not all_rows:
        return section(
            "assumptions", "Assumptions", paragraph("The resolved scenario could not be read.")
        )
    body = (
        paragraph(
            f"{len(assumption_rows)} of {len(all_rows)} parameters rest on modelling assumptions "
            "rather than published figures or calibration; results depend on them, and the "
            "sensitivity analysis shows how much."
        )
        + table(PARAMETER_COLUMNS, assumption_rows)
        + details(
            f"Provenance of all {len(all_rows)} parameters", table(PARAMETER_COLUMNS, all_rows)
        )
    )
    return section("assumptions", "Assumptions and provenance", body)


def _flatten(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, value in data.items():
        if key == "arms":
            continue
        if isinstance(value, Mapping):
            rows.extend(_flatten(value, f"{prefix}{key}."))
        else:
            rows.append((f"{prefix}{key}", "" if value is None else str(value)))
    return rows


def metadata_section(manifests: Mapping[str, Mapping[str, Any]]) -> str:
    """The run metadata of each manifest (name -> manifest)."""
    parts = []
    for name, manifest in manifests.items():
        rows = _flatten(manifest)
        title = f"<h3>{esc(name)}</h3>" if len(manifests) > 1 else ""
        parts.append(title + table(("Item", "Value"), rows))
    return section("metadata", "Run metadata", "".join(parts))
