"""The scenarios of a population run: one per LA of the table (DESIGN §4.9).

Each LA's scenario is the population scenario's own sections (the national settings every LA
shares) with the table's per-LA figures laid over them (``scenario_for_la`` of
:mod:`sim.scenario.population`), run from the population's start date to its end date after the
scenario's warm-up. The LA scenarios are single-LA scenarios: their population section is
reset, so each could be run alone (``csc-sim run``) with the same results as in the population.
"""

from __future__ import annotations

from pathlib import Path

from sim.scenario.england import Population
from sim.scenario.errors import ScenarioError
from sim.scenario.scenario import Scenario
from sim.scenario.units import MONTHS_PER_YEAR


def single_la_base(scenario: Scenario) -> Scenario:
    """The national settings as a single-LA scenario of the population's length."""
    population = scenario.population
    base = scenario.model_copy(deep=True)
    base.grid = None
    base.arms = None
    base.uncertain = None
    base.population = Population()
    base.la = None
    base.horizon_years = population.months() / MONTHS_PER_YEAR
    return base


def population_las(scenario: Scenario, source: str) -> list[tuple[str, str, Scenario]]:
    """``(code, name, scenario)`` of every LA the population scenario runs, in table order.

    Raises
    ------
    ScenarioError
        When the table is missing or malformed (its own error), or ``population.las`` names an
        LA that is not in it (with the nearest names).
    """
    from sim.scenario.population import load_population_table, scenario_for_la

    population = scenario.population
    if population.table is None:
        raise ScenarioError(source, "population.table", "a population run needs a table.")
    path = Path(population.table)
    if not path.is_file():
        raise ScenarioError(
            source,
            "population.table",
            f"the population table '{path}' does not exist (the path is relative to the "
            "scenario file that sets population.table).",
            "The table shipped with the project is data/england/population.csv (from "
            "scenarios/england/: '../../data/england/population.csv').",
        )
    table = load_population_table(path)
    rows = list(table.rows)
    if population.las is not None:
        rows = [
            table.find(wanted, file=source, field=f"population.las[{i}]")
            for i, wanted in enumerate(population.las)
        ]
    codes = [r.code for r in rows]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise ScenarioError(
            source, "population.las", f"names the same LA more than once: {', '.join(repeated)}."
        )
    base = single_la_base(scenario)
    return [
        (row.code, row.name, scenario_for_la(base, row, start=population.start, source=str(path)))
        for row in rows
    ]
