"""Calibration targets (DESIGN §6) and the check of a run against them.

Each target is a national figure for 2023-2025 with a band and its citation (evidence.md §8). A
run is compared on the per-replication mean over its last 12 recorded months, averaged over
replications.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.stats import LAST_MONTHS

CSWW = "DfE Children's social work workforce 2017-2025 (evidence §1a, §8)"
CIN = "DfE Children in need 2013-2025 (evidence §2a, §8)"


@dataclass(frozen=True)
class Target:
    """A national calibration target."""

    metric: str
    low: float
    high: float
    figure: str
    citation: str


#: Monthly metrics checked over the last 12 months of the baseline.
TARGETS: tuple[Target, ...] = (
    Target("turnover_rate_pct", 12.0, 17.0, "turnover 11.8-17.2% (2017-2025)", CSWW),
    Target("vacancy_rate_pct", 14.0, 20.0, "vacancy rate 14.2-20.0%", CSWW),
    Target("agency_rate_pct", 13.0, 18.0, "agency rate 13.0-17.9%", CSWW),
    Target("caseload_per_fte", 14.5, 17.5, "caseload 15.2-17.7 cases per case-holding FTE", CSWW),
    Target("rereferral_rate_pct", 19.0, 25.0, "re-referrals within 12 months 21.5-24.7%", CIN),
    Target(
        "assessments_within_45wd_pct",
        80.0,
        90.0,
        "85.7% of assessments within 45 working days (2025)",
        "DfE C2 completed assessments by duration 2025 (evidence §2b)",
    ),
)

#: Long-run targets: director changes per year and the share of time in each Ofsted grade.
DCS_CHANGES_PER_YEAR = Target(
    "dcs_changes_per_year",
    0.22,
    0.45,
    "~49 changes a year across 153 LAs (0.32)",
    "ADCS DCS updates (evidence §4, §8)",
)
GRADE_SHARES_PCT: dict[int, float] = {1: 23.5, 2: 43.8, 3: 20.3, 4: 12.4}
GRADE_SHARE_TOLERANCE_PCT = 12.0
GRADE_SOURCE = "Ofsted LA inspection outcomes as at 31 March 2025 (evidence §3a)"


def targets_table() -> pd.DataFrame:
    """The targets as a table (metric, low, high, figure, citation)."""
    rows = [t.__dict__ for t in (*TARGETS, DCS_CHANGES_PER_YEAR)]
    rows += [
        {
            "metric": f"grade_{g}_share_pct",
            "low": max(0.0, s - GRADE_SHARE_TOLERANCE_PCT),
            "high": s + GRADE_SHARE_TOLERANCE_PCT,
            "figure": f"{s}% of LAs",
            "citation": GRADE_SOURCE,
        }
        for g, s in GRADE_SHARES_PCT.items()
    ]
    return pd.DataFrame(rows)


def check_calibration(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Compare a run's last 12 months with the monthly targets.

    Parameters
    ----------
    timeseries
        Columns ``replication, month`` and the metrics (one arm).

    Returns
    -------
    DataFrame
        One row per target: metric, model (mean over replications of the last-12-month mean),
        se (standard error across replications), low, high, ok, figure, citation.
    """
    last = timeseries[timeseries["month"] > timeseries["month"].max() - LAST_MONTHS]
    per_rep = last.groupby("replication").mean(numeric_only=True)
    rows = []
    for t in TARGETS:
        values = per_rep[t.metric].to_numpy(dtype=float)
        mean = float(np.nanmean(values))
        se = (
            float(np.nanstd(values, ddof=1) / np.sqrt(len(values)))
            if len(values) > 1
            else float("nan")
        )
        rows.append(
            {
                "metric": t.metric,
                "model": mean,
                "se": se,
                "low": t.low,
                "high": t.high,
                "ok": t.low <= mean <= t.high,
                "figure": t.figure,
                "citation": t.citation,
            }
        )
    return pd.DataFrame(rows)


def long_run_checks(
    timeseries: pd.DataFrame, dcs_changes: np.ndarray, years: float
) -> pd.DataFrame:
    """Director changes per year and the share of months in each grade, against England.

    Parameters
    ----------
    timeseries
        All recorded months of a long baseline run (``ofsted_grade`` column).
    dcs_changes
        Director changes per replication over the run.
    years
        Recorded years per replication.
    """
    rate = float(np.mean(dcs_changes) / years)
    t = DCS_CHANGES_PER_YEAR
    rows = [
        {
            "metric": t.metric,
            "model": rate,
            "low": t.low,
            "high": t.high,
            "ok": t.low <= rate <= t.high,
            "figure": t.figure,
            "citation": t.citation,
        }
    ]
    grades = timeseries["ofsted_grade"].to_numpy(dtype=float)
    for g, share in GRADE_SHARES_PCT.items():
        model = 100.0 * float(np.mean(grades == g))
        low, high = share - GRADE_SHARE_TOLERANCE_PCT, share + GRADE_SHARE_TOLERANCE_PCT
        rows.append(
            {
                "metric": f"grade_{g}_share_pct",
                "model": model,
                "low": low,
                "high": high,
                "ok": low <= model <= high,
                "figure": f"{share}% of LAs",
                "citation": GRADE_SOURCE,
            }
        )
    return pd.DataFrame(rows)


def calibration_markdown(results_dir: str) -> str:
    """Markdown table of a baseline results folder against the targets (for docs/calibration.md)."""
    from pathlib import Path

    folder = Path(results_dir)
    table = check_calibration(pd.read_parquet(folder / "timeseries.parquet"))
    lines = [
        "| metric | model (mean of replications) | standard error | national band | within | national figure | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        lines.append(
            f"| `{row.metric}` | {row.model:.2f} | {row.se:.2f} | {row.low:g}–{row.high:g} | "
            f"{'yes' if row.ok else '**no**'} | {row.figure} | {row.citation} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - documentation helper
    import sys

    print(calibration_markdown(sys.argv[1]))
