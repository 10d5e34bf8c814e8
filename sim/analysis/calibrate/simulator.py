"""Simulators: what maps a parameter set to the target statistics (pluggable).

A simulator names the statistics it provides, builds the scenarios ("arms") one parameter set
needs, and turns one finished replication of one arm into statistics. The study runs the arms
through the project's executors and journals each replication's statistics.

``single_la`` is a **stand-in for the England population** that the national model (DESIGN
§4.9) will provide: the national workforce bands come from the baseline LA's last 12 months,
and the transitions from grade 4 and the time inadequate from one LA started at an inadequate
judgement (``inadequate_start``). A population simulator plugs in by registering in
``SIMULATORS`` with the statistics it provides (e.g. ``agency_rate_pct@2019``, ``grade_in_force``,
``cliff_agency_rate_pct@+0``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

import numpy as np

from sim.analysis.stats import LAST_MONTHS
from sim.experiment.tasks import TaskOutput
from sim.model.metrics import METRIC_NAMES
from sim.scenario.errors import ScenarioError
from sim.scenario.loader import apply_overrides
from sim.scenario.scenario import Scenario

MONTHS_PER_YEAR = 12
#: Workforce and children-in-need metrics the baseline arm reports (last 12 months' mean).
BAND_METRICS: tuple[str, ...] = (
    "turnover_rate_pct",
    "vacancy_rate_pct",
    "agency_rate_pct",
    "caseload_per_fte",
    "rereferral_rate_pct",
    "assessments_within_45wd_pct",
)
SURVIVAL_YEARS: tuple[int, ...] = (2, 3, 4, 5)
Stats = dict[str, float]


class Simulator(Protocol):
    """What the study needs from a simulator."""

    name: str

    def provides(self) -> tuple[str, ...]:
        """Names of the statistics it can compute."""
        ...

    def scenarios(self, overrides: dict[str, float | int], source: str) -> list[Scenario]:
        """The scenarios (arms) one parameter set needs, with ``overrides`` applied."""
        ...

    def statistics(self, arm: int, output: TaskOutput) -> Stats:
        """Statistics from one finished replication of arm ``arm``."""
        ...


def first_grade(grades: object) -> float:
    """The first graded judgement in an events ``grades`` string (``"3-2"`` -> 3; none: NaN)."""
    if not isinstance(grades, str) or not grades:
        return math.nan
    return float(grades.split("-")[0])


def still_inadequate(
    months_to_exit: object, censored: object, horizon_months: float, years: int
) -> float:
    """1 if still inadequate ``years`` after the start, 0 if out by then, NaN if not followed."""
    limit = years * MONTHS_PER_YEAR
    exit_months = float(months_to_exit) if isinstance(months_to_exit, (int, float)) else math.nan
    if math.isfinite(exit_months) and not censored:
        return float(exit_months > limit)
    return 1.0 if horizon_months >= limit else math.nan


class SingleLASimulator:
    """The stand-in: the baseline LA for the bands, an inadequate start for the transitions.

    Parameters
    ----------
    base
        The baseline scenario (a median LA).
    inadequate
        A scenario starting at an inadequate judgement, or None when no target needs it.
    horizon_years
        Recorded years of each run (the warm-up is the scenario's).
    needed
        The statistics the study fits (arms that no statistic needs are not run).
    """

    name = "single_la"

    def __init__(
        self,
        base: Scenario,
        inadequate: Scenario | None,
        horizon_years: float,
        needed: tuple[str, ...],
    ) -> None:
        self.horizon_years = horizon_years
        self._arms: list[tuple[str, Scenario]] = []
        baseline = {*BAND_METRICS, "dcs_changes_per_year"}
        from_four = {"next_grade_from_4", *(f"still_inadequate_{y}y" for y in SURVIVAL_YEARS)}
        if baseline & set(needed) or not needed:
            self._arms.append(("baseline", base))
        if from_four & set(needed):
            if inadequate is None:
                raise ScenarioError(
                    "<calibration file>",
                    "inadequate_start",
                    "the targets need runs from an inadequate start, and none is named.",
                    "Add inadequate_start: ../scenarios/reference/troubled.yaml.",
                )
            self._arms.append(("inadequate_start", inadequate))

    def provides(self) -> tuple[str, ...]:
        return (
            *BAND_METRICS,
            "dcs_changes_per_year",
            "next_grade_from_4",
            *(f"still_inadequate_{y}y" for y in SURVIVAL_YEARS),
        )

    @property
    def arm_names(self) -> list[str]:
        """Label of each arm."""
        return [name for name, _ in self._arms]

    def scenarios(self, overrides: dict[str, float | int], source: str) -> list[Scenario]:
        changes = {**overrides, "horizon_years": self.horizon_years}
        return [apply_overrides(s, changes, source=source) for _, s in self._arms]

    def statistics(self, arm: int, output: TaskOutput) -> Stats:
        name = self._arms[arm][0]
        months = output.values.shape[0]
        if name == "baseline":
            last = output.values[-LAST_MONTHS:]
            stats = {m: float(np.mean(last[:, METRIC_NAMES.index(m)])) for m in BAND_METRICS}
            # Director changes in the trailing 12 months, averaged over the recorded months
            # after the first year (so every month's window lies inside the record).
            trailing = output.values[MONTHS_PER_YEAR - 1 :, METRIC_NAMES.index("dcs_changes_12m")]
            stats["dcs_changes_per_year"] = float(np.mean(trailing))
            return stats
        events = output.events[0]  # a single-LA replication: one entity
        stats = {"next_grade_from_4": first_grade(events.get("grades"))}
        for years in SURVIVAL_YEARS:
            stats[f"still_inadequate_{years}y"] = still_inadequate(
                events.get("months_to_exit_inadequate"), events.get("censored"), months, years
            )
        return stats


def single_la(
    base: Scenario, inadequate: Scenario | None, horizon_years: float, needed: tuple[str, ...]
) -> SingleLASimulator:
    """Factory of the stand-in simulator."""
    return SingleLASimulator(base, inadequate, horizon_years, needed)


#: Simulators by the name a calibration file gives in ``simulator:``.
SIMULATORS: dict[
    str, Callable[[Scenario, Scenario | None, float, tuple[str, ...]], SingleLASimulator]
] = {
    "single_la": single_la,
}
