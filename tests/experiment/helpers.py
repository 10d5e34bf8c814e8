"""Shared helpers of the experiment and analysis tests: small scenario files and run settings.

Runs in tests are short (1 recorded year after a 3-month warm-up) so the whole suite stays
fast; the scenarios extend the reference baseline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
BASELINE = REPO / "scenarios" / "reference" / "baseline.yaml"
HORIZON_YEARS = 1
WARMUP_YEARS = 0.25
MONTHS = HORIZON_YEARS * 12


def scenario_yaml(
    name: str = "small",
    replications: int = 3,
    durations: tuple[int, ...] | None = (6, 24),
    trigger: str = "at_start",
    description: str = "A short test scenario.",
) -> str:
    """Text of a small scenario extending the baseline; a sweep over durations when given."""
    lines = [
        f"extends: {BASELINE}",
        f"name: {json.dumps(name)}",
        f"description: {json.dumps(description)}",
        f"horizon_years: {HORIZON_YEARS}",
        f"warmup_years: {WARMUP_YEARS}",
        f"replications: {replications}",
        "seed: 7",
        "intervention:",
        f"  trigger: {trigger}",
    ]
    if durations:
        lines += ["grid:", f"  intervention.duration_months: [{', '.join(map(str, durations))}]"]
    return "\n".join(lines) + "\n"


def write_scenario(folder: Path, file: str = "small.yaml", **options: Any) -> Path:
    """Write :func:`scenario_yaml` into ``folder`` and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file
    path.write_text(scenario_yaml(**options), encoding="utf-8")
    return path


def read_table(folder: Path) -> pd.DataFrame:
    """``timeseries.parquet`` of a results folder as a DataFrame."""
    return pd.read_parquet(folder / "timeseries.parquet")
