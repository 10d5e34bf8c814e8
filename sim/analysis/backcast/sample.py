"""A stratified sample of England's LAs, run over the back-cast dates for one parameter set:
the population statistics a calibration over grades and transitions needs, at a fraction of
the cost of all 152 LAs (issue 15 part 2, "compare like with like").

**The sample.** The population table's LAs are grouped into strata by starting grade (the
grade in force at 1 October 2017) and, within a grade, by region. ``size`` LAs are allocated
first to grades in proportion to their numbers of LAs, then each grade's share to its regions in
proportion (Hamilton's largest-remainder rule at each stage; ties to the larger stratum, then the
earlier name), so the sample's starting grade mix is the population's to within one LA per grade.
Within each grade-region stratum LAs are drawn without replacement by a NumPy generator seeded
with ``seed``. Proportional allocation makes the sample (nearly) self-weighting, so its
statistics are the unweighted ones of :mod:`sim.analysis.backcast.statistics`.

**One evaluation** (:func:`evaluate_sample`) runs the population scenario (by default
``scenarios/england/england.yaml``) restricted to the sample (``population.las``), with the
parameter set as overrides, through the project's executors into a scratch results folder, and
returns each replication's statistics by target id of ``calibration/targets.csv``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.backcast.table import EVENTS, NATIONAL, TIMESERIES, replication_statistics
from sim.experiment.runner import run
from sim.model.output import MONTH, REPLICATION
from sim.scenario.errors import ScenarioError
from sim.scenario.loader import load_scenario
from sim.scenario.population import load_population_table
from sim.scenario.resources import shipped_path

ENGLAND = "scenarios/england/england.yaml"


def allocate(sizes: Mapping[Any, int], size: int) -> dict[Any, int]:
    """LAs drawn per stratum: proportional, by largest remainder (Hamilton)."""
    total = sum(sizes.values())
    if not 0 <= size <= total or total == 0:
        raise ScenarioError(
            "<england sample>",
            "size",
            f"a sample of {size} LAs is not possible from {total}.",
            f"Choose 1 to {total}.",
        )
    quota = {k: size * n / total for k, n in sizes.items()}
    taken = {k: int(np.floor(q)) for k, q in quota.items()}
    order = sorted(sizes, key=lambda k: (-(quota[k] - taken[k]), -sizes[k], k))
    for key in order[: size - sum(taken.values())]:
        taken[key] += 1
    return taken


def stratified_sample(size: int, seed: int, table_path: str | Path | None = None) -> list[str]:
    """Codes of a stratified sample of ``size`` LAs (strata: starting grade x region)."""
    table = load_population_table(table_path) if table_path else load_population_table()
    if not 1 <= size <= len(table.rows):
        raise ScenarioError(
            "<england sample>",
            "size",
            f"a sample of {size} LAs is not possible from the table's {len(table.rows)}.",
            f"Choose 1 to {len(table.rows)}.",
        )
    strata: dict[tuple[int, str], list[str]] = {}
    for row in table.rows:
        strata.setdefault((row.grade, row.region), []).append(row.code)
    by_grade: dict[int, int] = {}
    for (grade, _), codes in strata.items():
        by_grade[grade] = by_grade.get(grade, 0) + len(codes)
    counts: dict[tuple[int, str], int] = {}
    for grade, n_grade in allocate(by_grade, size).items():
        regions = {k: len(v) for k, v in strata.items() if k[0] == grade}
        counts.update(allocate(regions, n_grade) if n_grade else dict.fromkeys(regions, 0))
    rng = np.random.default_rng(seed)
    chosen: list[str] = []
    for key in sorted(strata):
        codes = sorted(strata[key])
        if counts[key]:
            chosen.extend(str(c) for c in rng.choice(codes, size=counts[key], replace=False))
    return sorted(chosen)


def evaluate_sample(
    codes: list[str],
    overrides: Mapping[str, Any] | None = None,
    *,
    replications: int = 2,
    seed: int = 20261201,
    workers: int = 1,
    scenario_file: str | Path | None = None,
) -> list[dict[str, float]]:
    """The back-cast statistics (by target id) of each replication of the sample's run."""
    source = Path(scenario_file) if scenario_file else shipped_path(ENGLAND)
    scenario = load_scenario(source, overrides={**(overrides or {}), "population.las": codes})
    with tempfile.TemporaryDirectory(prefix="england_sample_") as scratch:
        folder = Path(scratch) / "run"
        run(scenario, replications, seed, workers, out=folder, progress=False)
        national = pd.read_parquet(folder / NATIONAL)
        timeseries = pd.read_parquet(folder / TIMESERIES)
        events = pd.read_csv(folder / EVENTS, dtype={"la": str, "grades": str})
    out = []
    for rep, rows in national.groupby(REPLICATION):
        dates = pd.Series(pd.to_datetime(rows["date"]).to_numpy(), index=rows[MONTH].to_numpy())
        stats, _ = replication_statistics(
            timeseries[timeseries[REPLICATION] == rep], events[events[REPLICATION] == rep], dates
        )
        out.append(stats)
    return out
