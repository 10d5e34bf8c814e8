"""Build ``calibration/targets.csv`` from the shipped record (``python -m sim.analysis.targets``).

The table is committed; ``tests/analysis/targets`` checks that this builder reproduces it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from sim.analysis.targets import ofsted, record, workforce
from sim.analysis.targets.rows import TARGET_COLUMNS
from sim.scenario.resources import shipped_path

#: Where the committed table lives: ``calibration/`` beside ``sim/`` in a checkout, else the copy
#: an installed wheel carries (:func:`~sim.scenario.resources.shipped_path`).
TARGETS_CSV = shipped_path("calibration/targets.csv")
#: Digits kept in the CSV (so the committed file is stable across platforms).
DIGITS = 6


def build_targets(data_dir: Path | None = None) -> pd.DataFrame:
    """Every target statistic of the record, one row each (columns ``TARGET_COLUMNS``)."""
    history = record.ilacs_history(data_dir)
    staff = record.csww(data_dir)
    rows = [
        *workforce.national_series(staff),
        *workforce.rereferrals(record.cin_referrals(data_dir)),
        *workforce.assessments(),
        *workforce.director_changes(),
        *ofsted.grade_mix(record.grades_in_force(data_dir)),
        *ofsted.transitions(history),
        *ofsted.survival(history),
        *ofsted.intervals(history),
        *workforce.cliff_edge(staff, history),
    ]
    table = pd.DataFrame([r.as_dict() for r in rows], columns=list(TARGET_COLUMNS))
    for column in ("observed", "se"):
        table[column] = table[column].astype(float).round(DIGITS)
    for column in ("n", "k"):
        table[column] = table[column].astype("Int64")
    return table


def write_targets(path: Path = TARGETS_CSV, data_dir: Path | None = None) -> Path:
    """Write the table (whole, through a temporary file, so nothing is half-written)."""
    table = build_targets(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".csv.partial")
    table.to_csv(partial, index=False, lineterminator="\n")
    partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - thin wrapper
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=TARGETS_CSV)
    args = parser.parse_args(argv)
    print(write_targets(args.out))


if __name__ == "__main__":  # pragma: no cover
    main()
