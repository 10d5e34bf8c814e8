"""A scenario that names an authority (``la: Bradford``): load it with the authority's own figures.

Precedence, lowest first: the scenario file and its ``extends`` parents; the authority's
figures from the population table (:func:`~sim.scenario.population_scenario.scenario_for_la`);
overrides (``--set`` on the command line, ``overrides=`` in the API), which win over both.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from sim.scenario.errors import ScenarioError
from sim.scenario.population_read import load_population_table
from sim.scenario.population_scenario import scenario_for_la
from sim.scenario.population_table import DEFAULT_TABLE, PopulationTable
from sim.scenario.scenario import Scenario

LINK_FIELDS = ("la", "population.table")
"""Fields that choose the authority and its table."""

_TABLES: dict[tuple[str, float, int], PopulationTable] = {}


def table_path(written: str | None, file: str) -> str:
    """The table a scenario names, relative to the scenario file that names it (or the working
    directory for overrides and mappings); the shipped table when none is named."""
    if written is None:
        return str(DEFAULT_TABLE)
    if os.path.isabs(written) or not os.path.isfile(file):
        return written
    return os.path.normpath(os.path.join(os.path.dirname(file), written))


def resolve_table(data: dict[str, Any], file: str) -> None:
    """Rewrite ``population.table`` of unvalidated scenario ``data`` (if it is a path) as the
    path it names from the working directory: it is written relative to ``file``, the scenario
    file that sets it (so a scenario that ``extends`` another finds the other's table)."""
    section = data.get("population")
    if isinstance(section, dict) and isinstance(section.get("table"), str):
        section["table"] = table_path(section["table"], file)


def check_renamed_table_field(
    data: dict[str, Any], overrides: Mapping[str, Any], blame: Any
) -> None:
    """Refuse the old top-level ``population_table`` (one field now names the table); an unset
    one (``null``, as older resolved scenario files write it) is dropped, as it named nothing."""
    if "population_table" in data and data["population_table"] is None:
        del data["population_table"]
    if "population_table" in data or "population_table" in overrides:
        raise ScenarioError(
            blame(("population_table",)),
            "population_table",
            "this field has been merged into population.table: one field names the population "
            "table, for 'la' (one LA alone) and for a population run (every LA); its path is "
            "relative to the file that sets it.",
            "Write it as 'population:' with '  table: <path>' beneath, or leave it out for the "
            "shipped table.",
        )


def cached_table(path: str) -> PopulationTable:
    """The table at ``path``, read once per process while the file is unchanged."""
    try:
        stat = os.stat(path)
        key = (os.path.abspath(path), stat.st_mtime, stat.st_size)
    except OSError:
        return load_population_table(path)  # raises the table's own error
    if key not in _TABLES:
        _TABLES[key] = load_population_table(path)
    return _TABLES[key]


def with_own_figures(
    scenario: Scenario,
    overrides: Mapping[str, Any],
    *,
    la_file: str,
    apply: Any,
) -> Scenario:
    """``scenario`` with the figures of the authority it names, then ``overrides`` again.

    Parameters
    ----------
    scenario
        A validated scenario whose ``la`` is set.
    overrides
        The user's dotted overrides (re-applied so that they win over the table).
    la_file
        The file that sets ``la`` (named in errors). The table is ``population.table``, already
        resolved from the file that sets it (:func:`resolve_table`), or the shipped one.
    apply
        :func:`sim.scenario.loader.apply_overrides` (passed in to avoid an import cycle).
    """
    assert scenario.la is not None
    table = cached_table(scenario.population.table or str(DEFAULT_TABLE))
    row = table.find(scenario.la, file=la_file, field="la")
    own = scenario_for_la(scenario, row, source=table.source, line=table.line_of(row.code))
    rest = {k: v for k, v in overrides.items() if k not in LINK_FIELDS}
    return apply(own, rest) if rest else own
