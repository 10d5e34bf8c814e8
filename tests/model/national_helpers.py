"""A small synthetic population for the national tests: a few small LAs, a short horizon.

Small LAs (40 FTE, 1,100 referrals a year) keep each run to a fraction of a second; the
troubled reference LA (inadequate at the start) gives every LA an intervention at once, so a
small pool meets many failures together.
"""

from __future__ import annotations

from typing import Any

from sim.model.national import LASpec
from sim.scenario.loader import load_scenario
from sim.scenario.population_scenarios import single_la_base
from sim.scenario.scenario import Scenario

SMALL_LA = {
    "warmup_years": 0.5,
    "workforce.establishment_fte": 40,
    "demand.first_referrals_per_year": 1100,
}


def population_scenario(reference: str = "troubled", **overrides: Any) -> Scenario:
    """A population scenario over the synthetic table: ``population.*`` keys as overrides."""
    values: dict[str, Any] = {
        **SMALL_LA,
        "population.table": "synthetic",
        "population.end": "2019-09-30",
        **overrides,
    }
    return load_scenario(f"scenarios/reference/{reference}.yaml", overrides=values)


def synthetic_specs(scenario: Scenario, n: int = 4) -> list[LASpec]:
    """``n`` LAs sharing the scenario's national settings, with codes E0, E1, ..."""
    base = single_la_base(scenario)
    return [LASpec(f"E{i}", f"LA {i}", base) for i in range(n)]
