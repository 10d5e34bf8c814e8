"""``report.html`` of a sensitivity run: the tornado plot, the parameters ranked per outcome and
the decision-robustness table, in one self-contained page (instead of a wide terminal dump)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sim.analysis.html import (
    details,
    esc,
    figure,
    number,
    page,
    paragraph,
    png_image,
    section,
    table,
)
from sim.analysis.robustness import flip_summary
from sim.analysis.sensitivity_indices import INDEX_COLUMNS, RANK_INDEX

if TYPE_CHECKING:
    from sim.analysis.sensitivity_result import SensitivityResult

REPORT_HTML = "report.html"
CONTENTS = (("design", "Design"), ("ranking", "Ranking"), ("robustness", "Robustness"))


def _ranking(result: SensitivityResult, outcome: str) -> str:
    arm = "all" if len(result.arms) > 1 else result.arms[0]
    index = RANK_INDEX[result.method]
    rows = result.indices.loc[
        (result.indices["outcome"] == outcome) & (result.indices["arm"] == arm)
    ]
    rows = rows.sort_values(index, ascending=False)
    columns = ["parameter", *INDEX_COLUMNS[result.method]]
    body = [
        [r["parameter"], *(number(r[c], whole=False) for c in columns[1:])]
        for r in rows.to_dict("records")
    ]
    return table(columns, body, [False] + [True] * (len(columns) - 1))


def sensitivity_html(result: SensitivityResult, tornado_png: bytes | None) -> str:
    """The page's HTML."""
    main = result.outcome_names[0]
    design = paragraph(
        f"Scenario '{result.scenario}', {result.method}: {len(result.points)} sample points x "
        f"{len(result.arms)} arm(s) x {result.replications} replication(s) = {result.tasks} runs "
        f"in {result.seconds:.0f} s, seed {result.seed}. Parameters and ranges: the file's "
        "uncertain: section."
    ) + "".join(paragraph(f"Note: {n}", "note") for n in result.problem.notes)
    caption = f"Parameters ranked by {RANK_INDEX[result.method]} for {main}"
    ranking = (figure(png_image(tornado_png, caption), caption) if tornado_png else "") + _ranking(
        result, main
    )
    for outcome in result.outcome_names[1:]:
        ranking += details(f"Ranking for {outcome}", _ranking(result, outcome))
    summary = flip_summary(result.robustness) if not result.robustness.empty else pd.DataFrame()
    if summary.empty:
        robust = paragraph("One arm only: nothing to compare.")
    else:
        shown = summary.copy()
        for column in ("holds", "tied", "worse"):
            shown[column] = shown[column].map(lambda v: f"{100 * v:.0f}%")
        robust = paragraph(
            "Share of sample points where the arm beats its comparator (holds), ties, or does "
            "worse, and the parameter whose range most changes that share."
        ) + table(list(shown.columns), shown.itertuples(index=False), None)
    body = (
        f"<h1>{esc(result.scenario)}: sensitivity</h1>"
        + section("design", "Design", design)
        + section("ranking", "What moves the outcomes", ranking)
        + section("robustness", "Decision robustness", robust)
    )
    return page(f"{result.scenario}: sensitivity", body, CONTENTS)


def write_sensitivity_page(result: SensitivityResult, folder: Path) -> Path:
    """Write ``report.html`` into ``folder`` (which holds ``tornado.png``)."""
    tornado = folder / "tornado.png"
    html_text = sensitivity_html(result, tornado.read_bytes() if tornado.is_file() else None)
    target = folder / REPORT_HTML
    target.write_text(html_text, encoding="utf-8")
    return target
