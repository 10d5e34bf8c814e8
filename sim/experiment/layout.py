"""File names of a results folder (DESIGN §3: these names are fixed)."""

from __future__ import annotations

MANIFEST_JSON = "manifest.json"
RESOLVED_YAML = "scenario.resolved.yaml"
TIMESERIES_PARQUET = "timeseries.parquet"
TIMESERIES_CSV = "timeseries.csv"
EVENTS_CSV = "events.csv"
SUMMARY_CSV = "summary.csv"
CURVES_DIR = "curves"
REPORT_HTML = "report.html"
#: Written next to the chunk files of an unfinished run when replications failed.
FAILURES_CSV = "failures.csv"
#: Suffix of the working folder of an unfinished run (``<out>.partial``).
PARTIAL_SUFFIX = ".partial"
