"""Outputs derived from a results folder's tables: ``summary.csv``, ``curves/`` and ``report.html``.

``summary.csv`` is computed one metric column at a time from ``timeseries.parquet`` (bounded
memory). ``csc-sim report DIR`` calls :func:`write_derived` to rebuild them.
"""

from __future__ import annotations

from pathlib import Path

from sim.analysis.stats import parquet_reader, summary_table
from sim.experiment.layout import (
    EVENTS_CSV,
    NATIONAL_OUTCOMES_CSV,
    SUMMARY_CSV,
    TIMESERIES_PARQUET,
    UNCERTAINTY_CSV,
    write_text_atomic,
)
from sim.experiment.results import load_results


def write_summary(folder: Path) -> Path:
    """Write ``summary.csv`` (one row per arm x metric) from the folder's time series."""
    results = load_results(folder)
    table = summary_table(parquet_reader(folder / TIMESERIES_PARQUET), results.arms)
    target = folder / SUMMARY_CSV
    write_text_atomic(target, table.to_csv(index=False))
    return target


def write_uncertainty(folder: Path) -> Path | None:
    """Write ``uncertainty.csv`` (parameter against chance, :mod:`sim.analysis.posterior_split`)
    for a run over posterior draws; ``None`` (nothing written) for any other run."""
    from sim.analysis.answer import reference_arms
    from sim.analysis.posterior_split import uncertainty_table
    from sim.model.output import DRAW

    results = load_results(folder)
    if DRAW not in results.events.columns:
        return None
    references = reference_arms(results.arms, results.arm_overrides)
    table = uncertainty_table(results.timeseries, results.events, references)
    target = folder / UNCERTAINTY_CSV
    write_text_atomic(target, table.to_csv(index=False))
    return target


def write_national_tables(folder: Path) -> None:
    """Write ``national_outcomes.csv`` (the national experiment's outcomes per arm) and, for a
    run over posterior draws, ``uncertainty.csv`` (parameter against chance in those outcomes,
    :func:`sim.analysis.national_outcomes.uncertainty_table`), reading the tables once."""
    import pandas as pd

    from sim.analysis.national_outcomes import outcomes_table, uncertainty_table
    from sim.model.output import DRAW

    results = load_results(folder)
    national = pd.read_parquet(folder / "national.parquet")
    events = pd.read_csv(folder / EVENTS_CSV)
    tables = {NATIONAL_OUTCOMES_CSV: outcomes_table}
    if DRAW in events.columns:
        tables[UNCERTAINTY_CSV] = uncertainty_table
    for name, build in tables.items():
        table = build(national, events, results.arms, results.arm_overrides)
        write_text_atomic(folder / name, table.to_csv(index=False))


def write_derived(folder: Path, report: bool = True) -> None:
    """Write ``summary.csv`` and, with ``report``, ``curves/*.png|svg`` and ``report.html``; for
    a population run ``national_outcomes.csv`` (and, over posterior draws, ``uncertainty.csv``)
    and the national report instead."""
    folder = Path(folder)
    if (folder / "national.parquet").is_file():  # a population run (DESIGN §4.9)
        write_national_tables(folder)
        if report:
            from sim.analysis.national_report import write_national_report

            write_national_report(folder)
        return
    write_summary(folder)
    write_uncertainty(folder)
    if report:
        # imported here: the report pulls in matplotlib, which a run without a report never needs
        from sim.analysis.report import write_report

        write_report(folder)
