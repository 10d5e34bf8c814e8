"""Ofsted inspection (DESIGN §4.5): the ILACS cycle, monitoring of inadequate LAs, and grading."""

from __future__ import annotations

import numpy as np

from sim.model.equations import DAYS_PER_MONTH, GRADE_INADEQUATE, grade_from_score, inspection_score
from sim.scenario.inspection import Inspection

INADEQUATE = GRADE_INADEQUATE


class Inspectorate:
    """When the next graded inspection falls, and what it judges."""

    def __init__(
        self,
        params: Inspection,
        rng: np.random.Generator,
        grade: int,
        months_since: float,
        origin: float,
    ) -> None:
        self.p = params
        self.rng = rng
        self.grade = grade
        self.last_inadequate = origin if grade == INADEQUATE else -np.inf
        last = origin - months_since * DAYS_PER_MONTH
        self.next_time = max(self._next_after(last, grade), origin) if params.enabled else np.inf
        self.history: list[tuple[float, int]] = []

    def _next_after(self, t: float, grade: int) -> float:
        p = self.p
        if grade == INADEQUATE:
            return t + p.inadequate_reinspection_months * DAYS_PER_MONTH
        jitter = self.rng.uniform(-p.cycle_jitter_months, p.cycle_jitter_months)
        return t + (p.cycle_months + jitter) * DAYS_PER_MONTH

    def due(self, now: float) -> bool:
        """Whether a graded inspection falls due."""
        return now >= self.next_time

    def monitoring(self) -> bool:
        """Whether the LA is under monitoring visits (judged inadequate)."""
        return self.grade == INADEQUATE

    def inspect(
        self,
        now: float,
        quality: float,
        timeliness_shortfall: float,
        caseload_excess: float,
        unallocated_per_fte: float,
        turnover_excess: float,
    ) -> int:
        """Grade the service now and schedule the next inspection; return the grade."""
        p = self.p
        score = inspection_score(
            quality,
            timeliness_shortfall,
            p.weight_timeliness,
            caseload_excess,
            p.weight_caseload,
            unallocated_per_fte,
            p.weight_unallocated,
            turnover_excess,
            p.weight_stability,
            float(self.rng.normal(0.0, p.score_noise_sd)),
        )
        self.grade = grade_from_score(
            score, p.threshold_outstanding, p.threshold_good, p.threshold_requires_improvement
        )
        if self.grade == INADEQUATE:
            self.last_inadequate = now
        self.history.append((now, self.grade))
        self.next_time = self._next_after(now, self.grade)
        return self.grade
