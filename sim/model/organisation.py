"""Organisational state (DESIGN §4.4): practice quality as embedded capability plus recent gains,
and morale. Integrated weekly with the pure equations of :mod:`sim.model.equations`."""

from __future__ import annotations

from dataclasses import dataclass

from sim.model.equations import DAYS_PER_YEAR, morale_target, quality_flows, relax
from sim.model.parameters import ModelParameters


@dataclass
class OrgConditions:
    """What drives the organisational state this week."""

    effort: float
    stability: float
    embed_boost: float
    turnover: float
    mean_stress_excess: float
    quality: float
    intervention_morale: float


class OrgState:
    """Embedded capability, recent gains and morale."""

    def __init__(
        self, model_params: ModelParameters, embedded: float, gains: float, morale: float
    ) -> None:
        self.p = model_params.scenario.organisation
        self._mp = model_params
        self.embedded = embedded
        self.gains = min(gains, 1.0 - embedded)
        self.morale = morale

    def step(self, dt_days: float, c: OrgConditions) -> None:
        """Advance by ``dt_days`` (Euler step of the quality flows; exponential relaxation of morale)."""
        p = self.p
        d_embedded, d_gains = quality_flows(
            embedded=self.embedded,
            gains=self.gains,
            effort=c.effort,
            gain_rate_per_year=p.gain_rate_per_year,
            gain_fade_years=self._mp.gain_fade_years,
            embed_years=self._mp.embed_years,
            stability=c.stability,
            embed_boost=c.embed_boost,
            erosion_per_year=p.erosion_per_year,
            churn_erosion=p.turnover_erosion * c.turnover,
        )
        dt_years = dt_days / DAYS_PER_YEAR
        self.embedded = min(1.0, max(0.0, self.embedded + d_embedded * dt_years))
        self.gains = min(1.0 - self.embedded, max(0.0, self.gains + d_gains * dt_years))
        target = morale_target(
            morale_reference=p.morale_reference,
            mean_stress_excess=c.mean_stress_excess,
            morale_stress_effect=p.morale_stress_effect,
            quality=c.quality,
            quality_reference=p.quality_reference,
            morale_quality_effect=p.morale_quality_effect,
            governance_deficit=self._mp.governance_deficit,
            governance_morale_effect=self._mp.scenario.leadership.governance_morale_effect,
            intervention_morale=c.intervention_morale,
        )
        self.morale = float(relax(self.morale, target, dt_days, self._mp.morale_adjust_days))

    def shock_morale(self, amount: float) -> None:
        """A sudden fall in morale (inadequate judgement, change of director)."""
        self.morale = max(0.0, self.morale - amount)

    def erode(self, share: float) -> None:
        """Lose a share of embedded capability and recent gains (a change of director)."""
        self.embedded *= 1.0 - share
        self.gains *= 1.0 - share
