"""The scenario file: top-level fields and its sections."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from sim.scenario.cases import Cases
from sim.scenario.costs import Costs
from sim.scenario.demand import Demand
from sim.scenario.england import Population
from sim.scenario.fields import HASH_OMIT_DEFAULT, Section, param
from sim.scenario.initial import Initial
from sim.scenario.inspection import Inspection
from sim.scenario.intervention import Intervention
from sim.scenario.ladder import Ladder
from sim.scenario.leadership import Leadership
from sim.scenario.organisation import Organisation
from sim.scenario.workforce import Workforce


class UncertainParameter(Section):
    """One uncertain parameter for sensitivity analysis: a uniform range, or a distribution."""

    low: float = param(
        0.0, unit="as the parameter", source="the analyst", description="Lower bound."
    )
    high: float = param(
        1.0, unit="as the parameter", source="the analyst", description="Upper bound."
    )
    distribution: Literal["uniform", "triangular", "normal"] = param(
        "uniform",
        unit="choice",
        source="the analyst",
        description="Distribution over [low, high] (normal: mean and sd are mid and quarter-range).",
    )


class Scenario(Section):
    """A complete scenario: one local authority, its policies, and how to run it."""

    name: str = Field(
        "scenario",
        min_length=1,
        max_length=120,
        description="Short name; names the results folder.",
    )
    description: str = Field(
        "", max_length=20_000, description="What the scenario asks, in plain words."
    )
    extends: str | None = Field(
        None, description="Path of a scenario this one builds on, relative to this file."
    )
    la: str | None = Field(
        None,
        min_length=1,
        max_length=120,
        description="One local authority of the population table (ONS code or name; the table "
        "is population.table, blank: the shipped one): the scenario runs it alone from its own "
        "figures (docs/england.md). Blank: the scenario's own figures.",
        json_schema_extra={HASH_OMIT_DEFAULT: True},
    )
    horizon_years: float = param(
        10.0,
        unit="years",
        gt=0,
        le=100,
        source="the analyst",
        description="Length of the recorded run after warm-up.",
    )
    warmup_years: float = param(
        2.0,
        unit="years",
        ge=0,
        le=20,
        source="calibrated: notebook 5 (warm-up): after 2 years open cases, caseload and re-referrals are within ~1% of steady state (1 year leaves re-referrals ~7% low)",
        description="Simulated time before recording starts (organisational state held at its initial values).",
    )
    replications: int = param(
        16,
        unit="runs",
        ge=1,
        le=100_000,
        source="notebook 5 (replications)",
        description="Independent replications to run by default.",
    )
    seed: int = param(
        20261129,
        unit="integer",
        ge=0,
        le=2**63 - 1,
        source="the analyst",
        description="Base random seed of the experiment.",
    )
    demand: Demand = Field(default_factory=Demand)
    cases: Cases = Field(default_factory=Cases)
    workforce: Workforce = Field(default_factory=Workforce)
    leadership: Leadership = Field(default_factory=Leadership)
    organisation: Organisation = Field(default_factory=Organisation)
    inspection: Inspection = Field(default_factory=Inspection)
    intervention: Intervention = Field(default_factory=Intervention)
    ladder: Ladder = Field(default_factory=Ladder, json_schema_extra={HASH_OMIT_DEFAULT: True})
    costs: Costs = Field(default_factory=Costs)
    initial: Initial = Field(default_factory=Initial)
    population: Population = Field(default_factory=Population)
    grid: dict[str, list[Any]] | None = Field(
        None,
        description="Sweep: dotted field path -> list of values; the lists are crossed into arms.",
    )
    arms: dict[str, dict[str, Any]] | None = Field(
        None, description="Sweep: arm label -> dotted overrides applied to this scenario."
    )
    uncertain: dict[str, UncertainParameter] | None = Field(
        None, description="Sensitivity analysis: dotted field path -> range or distribution."
    )
    labels: dict[str, str | dict[Any, str]] | None = Field(
        None,
        description="Report: readable arm names. An arm's label -> text, or a grid field's "
        "dotted path -> {value: text} (an arm's texts are joined by '; ').",
    )
    reference: str | None = Field(
        None,
        max_length=500,
        description="Report: the arm every other is compared with (default: within the other "
        "settings, the first value of the first grid field).",
    )

    @field_validator("grid")
    @classmethod
    def _grid_lists_non_empty(
        cls, grid: dict[str, list[Any]] | None
    ) -> dict[str, list[Any]] | None:
        if grid:
            for path, values in grid.items():
                if not values:
                    raise ValueError(f"grid entry '{path}' has no values")
        return grid

    @property
    def is_population(self) -> bool:
        """Whether the scenario runs every LA of a population table: ``population.table`` is
        set and ``la`` is not (``la`` picks one LA of the same table and runs it alone)."""
        return self.population.enabled and self.la is None

    @property
    def is_sweep(self) -> bool:
        """Whether the scenario defines more than one arm."""
        return bool(self.grid) or bool(self.arms)


#: Fields that change only how results are shown, never a run (left out of the scenario's hash).
PRESENTATION_FIELDS: frozenset[str] = frozenset({"labels", "reference"})

SECTIONS: dict[str, type[BaseModel]] = {
    name: info.annotation  # type: ignore[misc]
    for name, info in Scenario.model_fields.items()
    if isinstance(info.annotation, type) and issubclass(info.annotation, Section)
}
