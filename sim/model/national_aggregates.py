"""National aggregates per month of a population run (the rows of ``national.parquet``).

Computed from the LAs' monthly metrics and pool series (DESIGN §4.9 outputs): LAs in each
grade and under intervention, pool teams busy and idle, LAs waiting, teams formed, national
agency and vacancy rates and caseload (ratios of national totals, as the DfE computes them),
children in open cases in inadequate LAs, and the national cost in £m, the pool's salaries
(paid whether its teams are deployed or idle) included.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sim.model.equations import DAYS_PER_MONTH
from sim.scenario.england import Population
from sim.scenario.units import MONTHS_PER_YEAR

GBP_PER_M = 1_000_000.0

#: Columns of ``national.parquet`` after the keys (arm, replication, month).
NATIONAL_COLUMNS: tuple[str, ...] = (
    "las",
    "las_outstanding",
    "las_good",
    "las_requires_improvement",
    "las_inadequate",
    "las_under_intervention",
    "las_waiting_for_team",
    "pool_teams",
    "pool_teams_busy",
    "pool_teams_idle",
    "pool_teams_deployed",
    "adhoc_teams_formed",
    "referrals",
    "open_cases",
    "open_cases_in_inadequate_las",
    "agency_rate_pct",
    "vacancy_rate_pct",
    "caseload_per_fte",
    "la_cost_gbp_m",
    "pool_salary_gbp_m",
    "pool_idle_salary_gbp_m",
    "cost_month_gbp_m",
)


def pool_open_months(population: Population, warmup_days: float, n_months: int) -> np.ndarray:
    """Whether the pool exists at each month end (its salaries are paid from then)."""
    if population.pool.teams is None:
        return np.zeros(n_months, dtype=bool)
    ends = warmup_days + DAYS_PER_MONTH * np.arange(1, n_months + 1)
    starts = population.pool.starts
    if starts is None:
        return np.ones(n_months, dtype=bool)
    opens = warmup_days + float((starts - population.start).days)
    return ends >= opens - 1e-9


def national_rows(
    metrics: Mapping[str, np.ndarray],
    pool_series: Mapping[str, np.ndarray],
    pool_idle: np.ndarray,
    population: Population,
    warmup_days: float,
) -> dict[str, np.ndarray]:
    """National monthly aggregates of one replication.

    Parameters
    ----------
    metrics
        Metric name -> ``(n_las, n_months)`` array of the LAs' monthly metrics.
    pool_series
        ``pool_team``, ``waiting``, ``adhoc_formed``, ``pool_formed`` -> ``(n_las, n_months)``.
    pool_idle
        Idle pool teams at each month end (``n_months``).
    population
        The population section (pool size, salary, start date).
    warmup_days
        Length of the warm-up (month ``m`` ends at ``warmup + m`` months).
    """
    grade = metrics["ofsted_grade"]
    n_las, n_months = grade.shape
    employed, agency = metrics["employed_fte"], metrics["agency_fte"]
    vacant = metrics["vacancy_fte"]
    in_post = (employed + agency).sum(axis=0)
    allocated = (metrics["caseload_per_fte"] * (employed + agency)).sum(axis=0)
    pool = population.pool
    open_ = pool_open_months(population, warmup_days, n_months)
    teams = np.where(open_, float(pool.teams or 0), 0.0)
    idle = np.where(open_, pool_idle, 0.0)
    salary_month = pool.team_fte * pool.salary_per_fte_gbp_year / MONTHS_PER_YEAR
    la_cost = metrics["cost_month_gbp"].sum(axis=0)
    pool_salary = teams * salary_month
    return {
        "las": np.full(n_months, float(n_las)),
        "las_outstanding": (grade == 1).sum(axis=0).astype(float),
        "las_good": (grade == 2).sum(axis=0).astype(float),
        "las_requires_improvement": (grade == 3).sum(axis=0).astype(float),
        "las_inadequate": (grade == 4).sum(axis=0).astype(float),
        "las_under_intervention": metrics["under_intervention"].sum(axis=0),
        "las_waiting_for_team": pool_series["waiting"].sum(axis=0),
        "pool_teams": teams,
        "pool_teams_busy": teams - idle,
        "pool_teams_idle": idle,
        "pool_teams_deployed": pool_series["pool_formed"].sum(axis=0),
        "adhoc_teams_formed": pool_series["adhoc_formed"].sum(axis=0),
        "referrals": metrics["referrals"].sum(axis=0),
        "open_cases": metrics["open_cases"].sum(axis=0),
        "open_cases_in_inadequate_las": np.where(grade == 4, metrics["open_cases"], 0.0).sum(
            axis=0
        ),
        "agency_rate_pct": 100.0 * agency.sum(axis=0) / np.maximum(1.0, in_post),
        "vacancy_rate_pct": 100.0
        * vacant.sum(axis=0)
        / np.maximum(1.0, (vacant + employed).sum(axis=0)),
        "caseload_per_fte": allocated / np.maximum(1.0, in_post),
        "la_cost_gbp_m": la_cost / GBP_PER_M,
        "pool_salary_gbp_m": pool_salary / GBP_PER_M,
        "pool_idle_salary_gbp_m": idle * salary_month / GBP_PER_M,
        "cost_month_gbp_m": (la_cost + pool_salary) / GBP_PER_M,
    }
