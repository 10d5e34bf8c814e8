"""File names of a results folder (DESIGN §3: these names are fixed)."""

from __future__ import annotations

import os
from pathlib import Path

MANIFEST_JSON = "manifest.json"
RESOLVED_YAML = "scenario.resolved.yaml"
TIMESERIES_PARQUET = "timeseries.parquet"
TIMESERIES_CSV = "timeseries.csv"
EVENTS_CSV = "events.csv"
SUMMARY_CSV = "summary.csv"
#: A run over posterior draws: parameter uncertainty apart from chance (sim.analysis.posterior_split).
UNCERTAINTY_CSV = "uncertainty.csv"
#: A population run: the national experiment's outcomes per arm (sim.analysis.national_outcomes).
NATIONAL_OUTCOMES_CSV = "national_outcomes.csv"
CURVES_DIR = "curves"
REPORT_HTML = "report.html"
#: Written next to the chunk files of an unfinished run when replications failed.
FAILURES_CSV = "failures.csv"
#: Suffix of the working folder of an unfinished run (``<out>.partial``).
PARTIAL_SUFFIX = ".partial"


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file, so readers never see half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
