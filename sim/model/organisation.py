"""Organisational state (DESIGN §4.4): practice quality as embedded capability plus recent gains,
and morale. Integrated weekly with the pure equations of :mod:`sim.model.equations`."""

from __future__ import annotations

from dataclasses import dataclass

from sim.model.equations import DAYS_PER_MONTH, DAYS_PER_YEAR, morale_target, quality_flows, relax
from sim.scenario.organisation import Organisation


@dataclass
class OrgConditions:
    """What drives the organisational state this week."""

    effort: float
    stability: float
    embed_boost: float
    turnover: float
    mean_stress_excess: float
    quality: float
    governance_morale_loss: float
    intervention_morale: float


class OrgState:
    """Embedded capability, recent gains and morale."""

    def __init__(self, params: Organisation, embedded: float, gains: float, morale: float) -> None:
        self.p = params
        self.embedded = embedded
        self.gains = min(gains, 1.0 - embedded)
        self.morale = morale

    def step(self, dt_days: float, c: OrgConditions) -> None:
        """Advance by ``dt_days`` (Euler step of the quality flows; exponential relaxation of morale)."""
        p = self.p
        d_embedded, d_gains = quality_flows(
            self.embedded,
            self.gains,
            c.effort,
            p.gain_rate_per_year,
            p.gain_fade_months / 12.0,
            p.embed_months / 12.0,
            c.stability,
            c.embed_boost,
            p.erosion_per_year,
            p.turnover_erosion * c.turnover,
        )
        dt_years = dt_days / DAYS_PER_YEAR
        self.embedded = min(1.0, max(0.0, self.embedded + d_embedded * dt_years))
        self.gains = min(1.0 - self.embedded, max(0.0, self.gains + d_gains * dt_years))
        target = morale_target(
            p.morale_reference,
            c.mean_stress_excess,
            p.morale_stress_effect,
            c.quality,
            p.quality_reference,
            p.morale_quality_effect,
            c.governance_morale_loss,
            1.0,
            c.intervention_morale,
        )
        self.morale = float(
            relax(self.morale, target, dt_days, p.morale_adjust_months * DAYS_PER_MONTH)
        )

    def shock_morale(self, amount: float) -> None:
        """A sudden fall in morale (inadequate judgement, change of director)."""
        self.morale = max(0.0, self.morale - amount)

    def erode(self, share: float) -> None:
        """Lose a share of embedded capability and recent gains (a change of director)."""
        self.embedded *= 1.0 - share
        self.gains *= 1.0 - share
