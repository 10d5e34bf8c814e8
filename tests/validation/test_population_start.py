"""An LA run from its own figures starts holding its own census cases (DESIGN §4.9).

``scenario_for_la`` chooses the plan lengths so that the stock the model seeds (inflow × mean
length, Little's law) is the LA's 2017 census cases exactly (tests/scenario). Here the model runs
through its warm-up: for an LA whose census caseload is at or below the caseload target, nothing
pushes the stock away, so after the warm-up the mean open cases agree with the census within the
chance spread; for an LA whose caseload is far above the target, assessments stretch under the
pressure (cases.assessment_pressure_stretch) and the stock rises above the census, as it should.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import sim
from sim.scenario.population import load_population_table

REPLICATIONS = 4
SEED = 7


def _first_month(name: str) -> tuple[np.ndarray, float, float, float]:
    table = load_population_table()
    row = table.find(name)
    scenario = sim.load_scenario(
        "scenarios/england/council.yaml", overrides={"la": name, "horizon_years": 1 / 12}
    )
    series = sim.run(scenario, replications=REPLICATIONS, seed=SEED, workers=1).timeseries
    first = series[series["month"] == series["month"].min()]
    target = scenario.workforce.caseload_target
    return first["open_cases"].to_numpy(dtype=float), row.cases, row.caseload_per_fte, target


@pytest.mark.parametrize("name", ["Solihull", "Kingston upon Thames"])
def test_open_cases_after_warmup_match_the_census(name: str) -> None:
    open_cases, census, caseload, target = _first_month(name)
    assert caseload <= target  # no pressure
    # The seeded stock is Poisson around the census, so its spread is at least sqrt(census);
    # 4 standard errors of the mean of 4 replications (a false alarm well under 1 in 1,000).
    spread = max(open_cases.std(ddof=1), math.sqrt(census))
    assert abs(open_cases.mean() - census) <= 4 * spread / math.sqrt(REPLICATIONS)


def test_pressure_above_target_raises_the_stock() -> None:
    open_cases, census, caseload, target = _first_month("Staffordshire")  # the highest, 26.4
    assert caseload > 1.5 * target
    spread = max(open_cases.std(ddof=1), math.sqrt(census))
    assert open_cases.mean() > census + 2 * spread / math.sqrt(REPLICATIONS)
