"""The report of a population run (DESIGN §4.9 outputs): first the answer
(:mod:`sim.analysis.national_answer`), then national curves with 95% bands, the grade mix over
time, and a table of LAs that an analyst can sort.

Written by ``csc-sim run`` (and ``csc-sim report``) for a results folder with
``national.parquet``: ``report.html`` (one self-contained file), ``curves/national_*.png`` and
``la_table.csv`` (one row per arm and LA, over replications: final grade, mean agency rate,
months inadequate).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.backcast.report_section import ANCHOR as BACKCAST_ANCHOR
from sim.analysis.backcast.report_section import TITLE as BACKCAST_TITLE
from sim.analysis.backcast.report_section import backcast_section
from sim.analysis.html import esc, figure, page, paragraph, png_image, section, table
from sim.analysis.national_answer import ANCHOR as ANSWER_ANCHOR
from sim.analysis.national_answer import TITLE as ANSWER_TITLE
from sim.analysis.national_answer import folder_answer
from sim.analysis.stats import curve_table
from sim.experiment.layout import CURVES_DIR, MANIFEST_JSON, REPORT_HTML, write_text_atomic
from sim.model.output import ARM, DRAW, LA, MONTH, REPLICATION
from sim.scenario.units import MONTHS_PER_YEAR

NATIONAL_PARQUET = "national.parquet"
LA_TABLE_CSV = "la_table.csv"

#: National curves drawn, with their axis labels.
CURVES: dict[str, str] = {
    "las_inadequate": "LAs judged inadequate",
    "las_under_intervention": "LAs under intervention",
    "pool_teams_busy": "Pool teams deployed or assigned",
    "adhoc_teams_formed": "Ad-hoc teams formed in the month",
    "agency_rate_pct": "National agency rate (%)",
    "vacancy_rate_pct": "National vacancy rate (%)",
    "caseload_per_fte": "National caseload per FTE",
    "cost_month_gbp_m": "National cost in the month (£m)",
}
GRADES: dict[str, str] = {
    "las_outstanding": "outstanding",
    "las_good": "good",
    "las_requires_improvement": "requires improvement",
    "las_inadequate": "inadequate",
}
GRADE_COLOURS = ("#1a9850", "#91cf60", "#fc8d59", "#d73027")
CONTENTS = (
    (ANSWER_ANCHOR, ANSWER_TITLE),
    ("question", "Question"),
    ("curves", "National curves"),
    ("grades", "Grade mix"),
    ("las", "LAs"),
)
SORT_SCRIPT = """<script>
document.querySelectorAll('table.sortable th').forEach(function (th, i) {
  th.style.cursor = 'pointer';
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0], asc = th.dataset.asc !== '1';
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[i].textContent, y = b.cells[i].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (isNaN(nx) || isNaN(ny)) ? x.localeCompare(y) : nx - ny;
      return asc ? c : -c;
    });
    th.dataset.asc = asc ? '1' : '0';
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
</script>"""


def _png(fig) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def run_facts(manifest: dict[str, Any], n_arms: int) -> str:
    """The run in one sentence, and what the bands are over (draws, over a posterior)."""
    population = manifest.get("population", {})
    over = "replications"
    posterior = manifest.get("posterior")
    if posterior:
        over = (
            f"the means of {posterior.get('draws')} posterior draws (parameter sets from "
            f"{posterior.get('file')}, {posterior.get('replications_per_draw')} replication(s) "
            "each, which share the draw's parameters); summary.csv and national_outcomes.csv "
            "give their intervals over the draws too (interval_over)"
        )
    return (
        f"{population.get('las', ['?'])[0]} LAs from {population.get('start')} to "
        f"{population.get('end')}; {n_arms} arm(s), {manifest.get('replications')} "
        f"replication(s) per arm, seed {manifest.get('seed')}. Bands are 95% confidence "
        f"intervals of the mean over {over}."
    )


def national_curve(national: pd.DataFrame, column: str, arms: Sequence[str]) -> bytes:
    """PNG of one national column: each arm's mean by month with its 95% confidence band."""
    import matplotlib.pyplot as plt

    keys = [ARM, REPLICATION, MONTH, *([DRAW] if DRAW in national.columns else [])]
    curves = curve_table(national.loc[:, [*keys, column]], column)
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    for arm in arms:
        c = curves[curves[ARM] == arm]
        years = c[MONTH].to_numpy() / MONTHS_PER_YEAR
        (line,) = ax.plot(years, c["mean"], label=arm, linewidth=1.2)
        ax.fill_between(years, c["ci_low"], c["ci_high"], color=line.get_color(), alpha=0.2)
    ax.set_xlabel("Years from the population's start")
    ax.set_ylabel(CURVES.get(column, column))
    ax.grid(True, alpha=0.3)
    if 1 < len(arms) <= 12:
        ax.legend(fontsize="x-small", ncol=2)
    fig.tight_layout()
    data = _png(fig)
    plt.close(fig)
    return data


def grade_mix(national: pd.DataFrame, arm: str) -> bytes:
    """PNG of the mean number of LAs in each grade by month (one arm), stacked."""
    import matplotlib.pyplot as plt

    rows = national[national[ARM] == arm]
    mean = rows.groupby(MONTH)[list(GRADES)].mean()
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    ax.stackplot(
        mean.index.to_numpy() / MONTHS_PER_YEAR,
        [mean[c].to_numpy() for c in GRADES],
        labels=list(GRADES.values()),
        colors=GRADE_COLOURS,
    )
    ax.set_xlabel("Years from the population's start")
    ax.set_ylabel("LAs (mean over replications)")
    ax.set_title(f"Grade mix: {arm}", fontsize="medium")
    ax.legend(fontsize="x-small", loc="lower left")
    fig.tight_layout()
    data = _png(fig)
    plt.close(fig)
    return data


def la_table(timeseries: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """One row per arm and LA, averaged over replications: grade at the end, mean agency and
    vacancy rates, months inadequate, interventions and total cost (£m)."""
    ts = timeseries.copy()
    ts[ARM] = ts[ARM].astype(str)
    last = ts[MONTH].max()
    per_rep = ts.groupby([ARM, LA, REPLICATION]).agg(
        months_inadequate=("ofsted_grade", lambda g: float((g == 4).sum())),
        agency_rate_pct=("agency_rate_pct", "mean"),
        vacancy_rate_pct=("vacancy_rate_pct", "mean"),
        caseload_per_fte=("caseload_per_fte", "mean"),
    )
    final = ts[ts[MONTH] == last].set_index([ARM, LA, REPLICATION])["ofsted_grade"]
    per_rep["final_grade"] = final
    out = per_rep.groupby([ARM, LA]).mean().reset_index()
    ev = events.copy()
    ev[ARM] = ev[ARM].astype(str)
    extra = ev.groupby([ARM, LA]).agg(
        la_name=("la_name", "first"), total_cost_gbp_m=("total_cost_gbp", "mean")
    )
    extra["total_cost_gbp_m"] /= 1e6
    out = out.merge(extra.reset_index(), on=[ARM, LA], how="left")
    columns = [
        ARM,
        LA,
        "la_name",
        "final_grade",
        "months_inadequate",
        "agency_rate_pct",
        "vacancy_rate_pct",
        "caseload_per_fte",
        "total_cost_gbp_m",
    ]
    return out.loc[:, columns].round(2)


def write_national_report(folder: Path) -> Path:
    """Draw the national curves and write ``report.html`` and ``la_table.csv``; return the report."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST_JSON).read_text(encoding="utf-8"))
    arms = [str(a["label"]) for a in manifest.get("arms", [])]
    national = pd.read_parquet(folder / NATIONAL_PARQUET)
    national[ARM] = national[ARM].astype(str)
    timeseries = pd.read_parquet(
        folder / "timeseries.parquet",
        columns=[
            ARM,
            LA,
            REPLICATION,
            MONTH,
            "ofsted_grade",
            "agency_rate_pct",
            "vacancy_rate_pct",
            "caseload_per_fte",
        ],
    )
    events = pd.read_csv(folder / "events.csv")
    las = la_table(timeseries, events)
    las.to_csv(folder / LA_TABLE_CSV, index=False)
    curves_dir = folder / CURVES_DIR
    curves_dir.mkdir(exist_ok=True)
    parts = []
    for column, label in CURVES.items():
        data = national_curve(national, column, arms)
        (curves_dir / f"national_{column}.png").write_bytes(data)
        parts.append(f"<h3>{esc(label)}</h3>" + figure(png_image(data, label), label))
    grades = []
    for arm in arms[:12]:
        data = grade_mix(national, arm)
        grades.append(figure(png_image(data, f"grade mix {arm}"), f"LAs in each grade: {arm}"))
    description = str(manifest.get("description") or "").strip()
    facts = run_facts(manifest, len(arms))
    backcast = backcast_section(folder, national)
    contents = CONTENTS + (((BACKCAST_ANCHOR, BACKCAST_TITLE),) if backcast else ())
    rows = las.itertuples(index=False)
    numeric = [False, False, False] + [True] * 6
    body = "".join(
        [
            f"<h1>{esc(manifest.get('scenario', 'population run'))}</h1>",
            folder_answer(folder, manifest),
            section("question", "The question", paragraph(description) + paragraph(facts)),
            section("curves", "National curves", "".join(parts)),
            section("grades", "Grade mix over time", "".join(grades)),
            section(
                "las",
                "LAs (click a column to sort)",
                paragraph(f"Means over replications; also in {LA_TABLE_CSV}.")
                + table(list(las.columns), [list(r) for r in rows], numeric).replace(
                    "<table>", '<table class="sortable">', 1
                )
                + SORT_SCRIPT,
            ),
            backcast or "",
        ]
    )
    target = folder / REPORT_HTML
    write_text_atomic(target, page(f"{manifest.get('scenario')}: national report", body, contents))
    return target


def mean_months_inadequate(las: pd.DataFrame) -> float:
    """Mean months inadequate per LA (all arms), for quick checks."""
    return float(np.mean(las["months_inadequate"])) if len(las) else float("nan")
