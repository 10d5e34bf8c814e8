"""The report's answer sections (HTML): the summary, the differences, the outcomes per arm,
time to leave inadequate, the grade shares, what the scenario changes and the warnings.

Every number comes from :class:`sim.analysis.answer.Answer` (or the survival table) and is
formatted by :mod:`sim.analysis.formats`, so the sentences and the tables agree exactly.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from sim.analysis.answer import OVER_DRAWS_METHOD, Answer
from sim.analysis.formats import DASH, outcome_interval, outcome_value, plain
from sim.analysis.html import esc, figure, paragraph, png_image, section, table
from sim.analysis.windows import OUTCOME_BY_NAME, OUTCOMES
from sim.scenario.changes import Change

SENSITIVITY_SUFFIX = "-sensitivity"
#: Parameters named in "what the answer depends on".
TOP_PARAMETERS = 3
SHARE_NOTE = (
    "Chance of being inadequate: the share of a window's months in which the last Ofsted "
    "judgement is inadequate. Months inadequate: how many. Chance of relapse: share of "
    "replications judged inadequate again, or with practice quality back below its level at "
    "the start of the intervention, within 24 months of its end (of those where this could be "
    "seen). Cost: the sum of the monthly costs over the window. Intervals are 95%: a "
    "t-interval of the mean clipped to the outcome's range, Wilson's for the chance of relapse; "
    "a difference is taken replication by replication (common random numbers) unless stated."
)


#: Said under the tables of a run over posterior draws.
DRAWS_NOTE = (
    "Over posterior draws: each interval, a share's too, is a t-interval over the draw means "
    "(each the mean of its replications; for a difference, of its replication-paired "
    "differences), clipped to the outcome's range, and n counts draws: the replications of a "
    "draw share its parameters, so the draws are the independent units."
)


def over_draws(result: Answer) -> bool:
    """Whether the answer's intervals are over posterior draws."""
    return bool((result.estimates["method"] == OVER_DRAWS_METHOD).any())


def _cell(unit: str, value: float, low: float, high: float, signed: bool) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    return f"{outcome_value(unit, value, signed)} ({outcome_interval(unit, low, high, signed)})"


def _records(frame: pd.DataFrame, value: str) -> dict[tuple[str, str, str], dict[str, float]]:
    """(arm, outcome, window) -> the row's value and interval."""
    return {
        (str(r["arm"]), str(r["outcome"]), str(r["window"])): {
            value: r[value],
            "ci_low": r["ci_low"],
            "ci_high": r["ci_high"],
        }
        for r in frame.to_dict("records")
    }


def depends_on(folder: Path | None, name: str, source: str) -> str:
    """What the answer depends on: the sensitivity result beside the folder, or a pointer."""
    found = None
    if folder is not None:
        # during a run the report is written in <out>.partial/staging/
        home = folder.parent.parent if folder.parent.name.endswith(".partial") else folder.parent
        found = home / f"{name}{SENSITIVITY_SUFFIX}"
    csv = found / "sensitivity.csv" if found is not None else None
    if csv is not None and csv.is_file():
        try:
            manifest = json.loads((csv.parent / "manifest.json").read_text(encoding="utf-8"))
            method = str(manifest.get("method", "morris"))
            main = str((manifest.get("outcomes") or ["practice_quality"])[0])
            index = {"morris": "mu_star", "sobol": "ST"}.get(method, "mu_star")
            indices = pd.read_csv(csv)
            rows = indices.loc[indices["outcome"] == main]
            arm = "all" if (rows["arm"] == "all").any() else rows["arm"].iloc[0]
            top = rows.loc[rows["arm"] == arm].sort_values(index, ascending=False)
            names = ", ".join(top["parameter"].astype(str).head(TOP_PARAMETERS))
            return (
                f"What the answer depends on: the sensitivity analysis in {found} ({method}) "
                f"ranks {names} as the parameters that move {main} most (see its report.html)."
            )
        except (OSError, ValueError, KeyError, IndexError):
            pass
    return (
        "What the answer depends on is not in this report: the model's mechanism for "
        "embedding gains (DESIGN §4.4) is an assumption. Run `csc-sim sensitivity "
        f"{source or '<the sweep file>'}` (docs/sensitivity.md) to see which parameters move "
        "the answer and how often the ranking of the arms holds."
    )


def answer_section(
    result: Answer, question: str, facts: str, depends: str, spread: str = ""
) -> str:
    """The question, the summary sentences and what the answer depends on (and, over posterior
    draws, how much of the spread is parameter uncertainty)."""
    if result.sentences:
        items = "".join(f"<li>{esc(s)}</li>" for s in result.sentences)
        summary = f'<ul class="answer">{items}</ul>'
        windows = ", ".join(w.label for w in result.windows)
        lead = paragraph(
            "Each arm against its reference; differences are arm minus reference with 95% "
            f"confidence intervals (windows: {windows}). 'Better' or 'worse' is said only where "
            "the interval excludes no difference."
        )
    else:
        summary = ""
        lead = paragraph("One arm only: there is no comparison to summarise; see the tables.")
    body = (
        f'<p class="question">{esc(question)}</p>'
        + paragraph(facts)
        + lead
        + summary
        + (paragraph(spread) if spread else "")
        + paragraph(depends, "note")
    )
    return section("answer", "The answer", body)


def differences_section(
    result: Answer, anchor: str = "differences", title: str = "Differences from the reference"
) -> str:
    """Differences from the reference per comparison, outcome and window."""
    if result.differences.empty:
        return ""
    windows = result.windows
    keyed = _records(result.differences, "difference")
    rows = []
    for arm, reference in result.references.items():
        for outcome in OUTCOMES:
            cells = []
            for window in windows:
                key = (arm, outcome.name, window.key)
                if key in keyed:
                    r = keyed[key]
                    cells.append(
                        _cell(outcome.unit, r["difference"], r["ci_low"], r["ci_high"], True)
                    )
                else:
                    cells.append(DASH)
            rows.append([result.names.get(arm, arm), result.names.get(reference, reference),
                         outcome.label, *cells])  # fmt: skip
    how = "paired by replication" if result.paired else "unpaired (Welch)"
    if over_draws(result):
        how += ", over the posterior draws' means"
    columns = ["Arm", "Against", "Outcome", *[w.label.capitalize() for w in windows]]
    body = paragraph(f"Arm minus reference, {how}, with 95% confidence intervals.") + table(
        columns, rows, [False, False, False] + [True] * len(windows)
    )
    if not title:
        return body
    return section(anchor, title, body)


def estimates_section(result: Answer, arms: Sequence[str]) -> str:
    """Each arm's key outcomes per window (mean and 95% interval)."""
    keyed = _records(result.estimates, "mean")
    rows = []
    for arm in arms:
        for outcome in OUTCOMES:
            cells = []
            for window in result.windows:
                key = (str(arm), outcome.name, window.key)
                if key in keyed:
                    r = keyed[key]
                    cells.append(_cell(outcome.unit, r["mean"], r["ci_low"], r["ci_high"], False))
                else:
                    cells.append(DASH)
            rows.append([result.names.get(str(arm), str(arm)), outcome.label, *cells])
    columns = ["Arm", "Outcome", *[w.label.capitalize() for w in result.windows]]
    body = table(columns, rows, [False, False] + [True] * len(result.windows)) + paragraph(
        SHARE_NOTE, "note"
    )
    if over_draws(result):
        body += paragraph(DRAWS_NOTE, "note")
    return section("per-arm", "Key outcomes per arm", body)


def _median_text(value: float, low: float, high: float) -> str:
    def one(x: float) -> str:
        return "not reached" if math.isinf(x) else plain(x, 1)

    if math.isnan(value):
        return DASH
    return f"{one(value)} ({one(low)} to {one(high)})"


def survival_section(survival: pd.DataFrame, names: Mapping[str, str], png: bytes | None) -> str:
    """Kaplan-Meier curves and medians of time to leave inadequate."""
    rows = [
        (
            names.get(r["arm"], r["arm"]),
            r["at_risk"],
            r["left"],
            r["censored"],
            r["never_inadequate"],
            _median_text(r["median_months"], r["median_ci_low"], r["median_ci_high"]),
        )
        for r in survival.to_dict("records")
    ]
    columns = ("Arm", "At risk", "Left inadequate", "Censored (still inadequate at the end)",
               "Never inadequate", "Median months to leave (95% CI)")  # fmt: skip
    caption = "Share of replications still inadequate, by years since first inadequate (Kaplan-Meier, 95% band)."
    image = figure(png_image(png, caption), caption) if png else ""
    note = paragraph(
        "Kaplan-Meier estimates (lifelines) with censoring: a replication still inadequate at "
        "the end of the run is censored, not dropped and not averaged. The median is where the "
        "curve crosses 50% ('not reached' when fewer than half left inadequate in the run).",
        "note",
    )
    return section(
        "survival",
        "Time to leave inadequate",
        image + table(columns, rows, (False,) + (True,) * 5) + note,
    )


def grades_section(png: bytes) -> str:
    """The stacked grade shares per arm."""
    caption = "Share of replications holding each Ofsted judgement, month by month, per arm."
    return section(
        "grades",
        "Ofsted grade",
        figure(png_image(png, caption), caption)
        + paragraph(
            "The grade is shown as shares of replications, not as a mean of grades.", "note"
        ),
    )


def changes_section(changes: Sequence[Change], warnings: Sequence[str], zero: Sequence[str]) -> str:
    """What the scenario changes from the defaults, warnings, and identically-zero metrics."""
    parts = []
    for text in warnings:
        parts.append(f'<p class="warning"><strong>Warning:</strong> {esc(text)}</p>')
    rows = [
        (c.path, _shown(c.value, c.unit), _shown(c.default, c.unit), c.unit, c.source)
        for c in changes
    ]
    parts.append(
        paragraph(f"{len(rows)} parameter(s) differ from their defaults (a median English LA).")
        + table(("Parameter", "Value here", "Default", "Unit", "Where the value comes from"), rows)
    )
    if zero:
        parts.append(
            paragraph(
                "Zero in every month of every run (not an error of the report): "
                + ", ".join(zero)
                + ".",
                "note",
            )
        )
    return section("changes", "What this scenario changes", "".join(parts))


def _shown(value: object, unit: str) -> str:
    from sim.scenario.paths import format_value

    if unit == "GBP" and isinstance(value, int | float) and not isinstance(value, bool):
        return outcome_value("GBP", float(value))
    return format_value(value)


def outcome_label(name: str) -> str:
    """Words of an answer outcome."""
    return OUTCOME_BY_NAME[name].label
