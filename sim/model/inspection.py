"""Ofsted inspection (DESIGN §4.5): the ILACS cycle, monitoring of inadequate LAs, and grading."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from sim.model.equations import (
    DAYS_PER_MONTH,
    GRADE_INADEQUATE,
    authority_effect_for_grade,
    grade_from_score,
    inspection_score,
    score_band,
)
from sim.model.parameters import ModelParameters

INADEQUATE = GRADE_INADEQUATE


class Shortfalls(NamedTuple):
    """What inspectors mark down besides practice quality (docs/model.md §2.6)."""

    timeliness: float  # share of assessments within 45 working days below the reference
    caseload_excess: float  # relative caseload above target
    unallocated_per_fte: float  # unallocated cases per case-holding FTE
    turnover_excess: float  # annual turnover above the stable level


class Inspectorate:
    """When the next graded inspection falls, and what it judges."""

    def __init__(
        self,
        model_params: ModelParameters,
        rng: np.random.Generator,
        grade: int,
        origin: float,
        quality: float,
    ) -> None:
        params = self.p = model_params.scenario.inspection
        self._reinspection_days = model_params.inadequate_reinspection_days
        self.rng = rng
        self.grade = grade
        self._when_ready = params.reinspection == "when_ready"
        self.ready_level = params.threshold_requires_improvement + params.readiness_quality_margin
        self._visits_needed = math.ceil(params.readiness_months / params.monitoring_visit_months)
        self.earliest = -np.inf  # when_ready: no re-inspection before this (days)
        self.next_visit = np.inf  # when_ready: the next monitoring visit (days)
        self.good_visits = 0  # when_ready: consecutive visits that saw improvement
        self.last_inadequate = origin if grade == INADEQUATE else -np.inf
        last = origin - model_params.initial_days_since_inspection
        self.next_time = max(self._next_after(last, grade), origin) if params.enabled else np.inf
        self.history: list[tuple[float, int]] = []
        self.authority_effect = self._effect_for(grade=grade, quality=quality)

    def _effect_for(self, *, grade: int, quality: float) -> float:
        """The LA's persistent score effect, consistent with ``grade`` at practice ``quality``
        (no draw when ``authority_effect_sd`` is 0, so that the stream is as before)."""
        p = self.p
        if p.authority_effect_sd <= 0.0:
            return 0.0
        low, high = score_band(
            grade=grade,
            threshold_outstanding=p.threshold_outstanding,
            threshold_good=p.threshold_good,
            threshold_requires_improvement=p.threshold_requires_improvement,
        )
        return authority_effect_for_grade(
            u_sum=float(self.rng.random()),
            z_split=float(self.rng.standard_normal()),
            effect_sd=p.authority_effect_sd,
            noise_sd=p.score_noise_sd,
            quality=quality,
            score_low=low,
            score_high=high,
        )

    def _next_after(self, t: float, grade: int) -> float:
        p = self.p
        if grade == INADEQUATE:
            if self._when_ready:
                self.earliest = t + p.reinspection_min_months * DAYS_PER_MONTH
                self.next_visit = t + p.monitoring_visit_months * DAYS_PER_MONTH
                self.good_visits = 0
                return t + p.reinspection_max_months * DAYS_PER_MONTH
            return t + self._reinspection_days
        jitter = self.rng.uniform(-p.cycle_jitter_months, p.cycle_jitter_months)
        return t + (p.cycle_months + jitter) * DAYS_PER_MONTH

    @property
    def visits_score(self) -> bool:
        """Whether monitoring visits look at the score an inspection would give
        (``readiness_basis: score``) rather than practice quality alone."""
        return self.p.readiness_basis == "score"

    def visit_due(self, now: float) -> bool:
        """Whether a quarterly monitoring visit of an inadequate LA falls due (``when_ready``)."""
        return self._when_ready and self.grade == INADEQUATE and now >= self.next_visit

    def monitor(self, now: float, seen: float) -> None:
        """A quarterly monitoring visit of an inadequate LA, when one falls due (``when_ready``
        only): it sees improvement when what it looks at, ``seen`` (practice quality, or the
        score of :meth:`expected_score` under ``readiness_basis: score``), is at least
        :attr:`ready_level`; once enough consecutive visits have (``readiness_months``) and the
        minimum interval has passed, the re-inspection falls due now."""
        if not self.visit_due(now):
            return
        self.next_visit += self.p.monitoring_visit_months * DAYS_PER_MONTH
        self.good_visits = self.good_visits + 1 if seen >= self.ready_level else 0
        if now >= self.earliest and self.good_visits >= self._visits_needed:
            self.next_time = min(self.next_time, now)

    def postpone(self, paused: float, resumed: float) -> None:
        """Inspections and monitoring visits falling due in a national pause (days ``paused`` to
        ``resumed``) are put back by its length."""
        for name in ("next_time", "next_visit", "earliest"):
            if getattr(self, name) < resumed:
                setattr(self, name, getattr(self, name) + resumed - paused)

    def due(self, now: float) -> bool:
        """Whether a graded inspection falls due."""
        return now >= self.next_time

    def monitoring(self) -> bool:
        """Whether the LA is under monitoring visits (judged inadequate)."""
        return self.grade == INADEQUATE

    def expected_score(self, quality: float, seen: Shortfalls) -> float:
        """The score an inspection would give now before the per-visit noise: practice
        ``quality`` less the shortfalls inspectors see, plus the LA's persistent effect."""
        return self._score(quality, seen, noise=self.authority_effect)

    def _score(self, quality: float, seen: Shortfalls, noise: float) -> float:
        p = self.p
        return inspection_score(
            quality=quality,
            timeliness_shortfall=seen.timeliness,
            weight_timeliness=p.weight_timeliness,
            caseload_excess=seen.caseload_excess,
            weight_caseload=p.weight_caseload,
            unallocated_per_fte=seen.unallocated_per_fte,
            weight_unallocated=p.weight_unallocated,
            turnover_excess=seen.turnover_excess,
            weight_stability=p.weight_stability,
            noise=noise,
        )

    def inspect(self, now: float, quality: float, seen: Shortfalls) -> int:
        """Grade the service now and schedule the next inspection; return the grade."""
        p = self.p
        noise = self.authority_effect + float(self.rng.normal(0.0, p.score_noise_sd))
        score = self._score(quality, seen, noise=noise)
        self.grade = grade_from_score(
            score=score,
            threshold_outstanding=p.threshold_outstanding,
            threshold_good=p.threshold_good,
            threshold_requires_improvement=p.threshold_requires_improvement,
        )
        if self.grade == INADEQUATE:
            self.last_inadequate = now
        self.history.append((now, self.grade))
        self.next_time = self._next_after(now, self.grade)
        return self.grade
