"""The model's parameters, built once from a scenario: every unit conversion happens here.

A scenario states durations in months or years and rates per year, as the evidence does; the
model runs in days. :meth:`ModelParameters.from_scenario` converts once, so the model's modules
read model-ready values (``*_days``) and never convert units themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.model.equations import DAYS_PER_MONTH, DAYS_PER_YEAR, MONTHS_PER_YEAR
from sim.scenario.scenario import Scenario


@dataclass(frozen=True)
class ModelParameters:
    """Model-ready values of one LA's scenario (one arm).

    Attributes
    ----------
    scenario
        The validated scenario (an arm, without sweep fields) the values come from.
    warmup_days
        Length of the warm-up, days (``warmup_years``).
    n_months
        Months recorded after the warm-up (``horizon_years`` × 12, rounded).
    end_days
        Time at which the run ends, days (warm-up plus the recorded months).
    """

    scenario: Scenario
    warmup_days: float
    n_months: int
    end_days: float

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ModelParameters:
        """Convert a validated scenario's fields to the model's units."""
        warmup_days = scenario.warmup_years * DAYS_PER_YEAR
        n_months = int(round(scenario.horizon_years * MONTHS_PER_YEAR))
        return cls(
            scenario=scenario,
            warmup_days=warmup_days,
            n_months=n_months,
            end_days=warmup_days + n_months * DAYS_PER_MONTH,
        )
