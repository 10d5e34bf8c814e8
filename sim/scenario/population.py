"""The England population: one row per children's services authority, and one authority's own
figures applied to a single-LA scenario (DESIGN §4.9; ``docs/england.md``).

Example
-------
>>> from sim.scenario.population import load_population_table, scenario_for_la
>>> import sim
>>> table = load_population_table()                       # data/england/population.csv
>>> bradford = table.find("Bradford")                     # or table.find("E08000032")
>>> scenario = scenario_for_la(sim.load_scenario("scenarios/reference/troubled.yaml"), bradford)
... # doctest: +SKIP
"""

from __future__ import annotations

from sim.scenario.population_read import TableError, load_population_table
from sim.scenario.population_scenario import START_DATE, la_overrides, scenario_for_la
from sim.scenario.population_table import (
    COLUMNS,
    DEFAULT_TABLE,
    LARow,
    PopulationTable,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_TABLE",
    "START_DATE",
    "LARow",
    "PopulationTable",
    "TableError",
    "la_overrides",
    "load_population_table",
    "scenario_for_la",
]
