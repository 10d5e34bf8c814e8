"""One authority's own figures applied to a single-LA scenario (DESIGN §4.9, "my council").

:func:`la_overrides` turns a row of the population table into dotted scenario overrides;
:func:`scenario_for_la` applies them to a scenario and validates the result like any override.
The equations are pure functions called with keywords; ``docs/england.md`` derives them.

What is set from the table (everything else keeps the base scenario's value):

* ``demand.first_referrals_per_year``: referrals less re-referrals (CIN 2017-18).
* ``workforce.establishment_fte``: case-holding posts, :func:`case_holding_posts`.
* ``initial.vacancy_rate`` and ``initial.agency_rate``: :func:`start_staffing_rates`.
* ``initial.grade`` and ``initial.months_since_inspection``: the judgement in force at the start.
* ``initial.embedded_quality``: practice at the level the LA's grade stands for,
  :func:`starting_quality_for_grade` (unless ``population.quality_from_grade`` is false).
* ``la`` (the code) and a closing sentence of ``description`` naming the authority.
* ``cases.front_door_nfa_share``, ``not_in_need_share``, ``child_protection_share``,
  ``looked_after_share``: the LA's own 2017-18 shares, :func:`case_mix_shares`.
* ``cases.cp_median_months`` and ``looked_after_median_months``: the LA's own stock ÷ starts
  (Little's law), and ``cases.cin_median_months`` so that the LA's whole stock of open cases at
  the start equals the cases its social workers held at the 2017 census,
  :func:`plan_medians_for_census`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sim.scenario.cases import Cases
from sim.scenario.errors import ScenarioError
from sim.scenario.loader import apply_overrides
from sim.scenario.population_read import TableError
from sim.scenario.population_table import LARow
from sim.scenario.scenario import Scenario
from sim.scenario.units import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    MONTHS_PER_YEAR,
    WORKING_DAYS_PER_CALENDAR_DAY,
)

START_DATE = dt.date(2017, 10, 1)
"""Default start of a population run: the day after the 2017 workforce census (30 September)."""


def case_holding_posts(
    *, case_holders_fte: float, inpost_fte: float, vacancy_fte: float, agency_fte: float
) -> float:
    """Funded case-holding posts (FTE) whose staffing reproduces the LA's case holders.

    The model's posts are employed, vacant, or vacant and covered by an agency worker, so its
    case holders are employed + agency FTE. The census counts case holders among all social
    workers in post (employed + agency); taking the same case-holding share of the posts gives
    ``case_holders × (inpost + vacant) / (inpost + agency)``. Where agency FTE exceeds the vacant
    FTE (agency workers beyond the vacancies, which the model cannot hold), the vacant posts are
    raised to the agency FTE, so that case holders and the agency rate are both kept.
    """
    workers = inpost_fte + agency_fte
    if workers <= 0:
        return case_holders_fte
    return case_holders_fte * (inpost_fte + max(vacancy_fte, agency_fte)) / workers


def start_staffing_rates(
    *, inpost_fte: float, vacancy_fte: float, agency_fte: float
) -> tuple[float, float]:
    """(vacancy rate, agency rate) of the posts at the start, as shares (DfE definitions).

    Vacancy = vacant ÷ (vacant + employed), with the vacant posts raised to the agency FTE where
    the census has more agency workers than vacancies (see :func:`case_holding_posts`); agency =
    agency ÷ (agency + employed). An LA with nobody employed counts as fully vacant.
    """
    vacant = max(vacancy_fte, agency_fte)
    vacancy = vacant / (vacant + inpost_fte) if vacant + inpost_fte > 0 else 0.0
    agency = agency_fte / (agency_fte + inpost_fte) if agency_fte + inpost_fte > 0 else 0.0
    return vacancy, agency


def months_between(*, since: dt.date, until: dt.date) -> float:
    """Months (of 365/12 days) from ``since`` to ``until``; 0 when ``since`` is later."""
    return max(0.0, (until - since).days / DAYS_PER_MONTH)


def case_mix_shares(
    *, referrals: float, nfa: float, not_in_need: float, cp_starts: float, cla_starts: float
) -> dict[str, float]:
    """The LA's case-mix shares in the model's terms (``cases.*`` fields).

    The front-door share is of referrals; the others are of assessments, taken as the referrals
    not closed at the front door. A share is 0 when there were no referrals (or no assessments).
    Raises ``ValueError`` when the assessed outcomes exceed the assessments.
    """
    assessed = referrals - nfa
    nfa_share = nfa / referrals if referrals > 0 else 0.0
    per = 1.0 / assessed if assessed > 0 else 0.0
    shares = {
        "front_door_nfa_share": nfa_share,
        "not_in_need_share": not_in_need * per,
        "child_protection_share": cp_starts * per,
        "looked_after_share": cla_starts * per,
    }
    outcome = (
        shares["not_in_need_share"]
        + shares["child_protection_share"]
        + shares["looked_after_share"]
    )
    if outcome > 1.0:
        raise ValueError(
            f"not in need, child protection and looked-after starts add up to {outcome:.0%} of assessments"
        )
    return shares


def assessment_mean_days(*, bin_edges: list[float], bin_counts: list[float]) -> float:
    """Mean calendar days of an assessment at normal workload (bins uniform inside, as the model)."""
    total = sum(bin_counts)
    mids = [(a + b) / 2.0 for a, b in zip(bin_edges[:-1], bin_edges[1:], strict=True)]
    working = sum(m * c for m, c in zip(mids, bin_counts, strict=True)) / total
    return working / WORKING_DAYS_PER_CALENDAR_DAY


def median_for_mean(*, mean_months: float, sigma: float) -> float:
    """Median of a lognormal with this mean and log-scale sigma (months)."""
    return mean_months / math.exp(sigma * sigma / 2.0)


def plan_medians_for_census(
    *,
    assessments_per_year: float,
    shares: dict[str, float],
    cases: float,
    cp_open: float,
    cp_starts: float,
    cla_open: float,
    cla_starts: float,
    cin_open: float,
    base: Cases,
) -> dict[str, float]:
    """Median plan lengths (months) that give the LA its own stocks of open cases at the start.

    Child protection and looked-after lengths are the LA's stock ÷ starts (Little's law, mean
    length), turned into the lognormal median with the base scenario's sigma. The child-in-need
    length takes what is left of the census cases after assessments in progress and those two
    stocks (as the model seeds them: inflow × mean length). When nothing is left (the census
    cases are fewer than those stocks), the three plan stocks are scaled by one factor so that
    they fill what the assessments leave, in the proportions of the LA's children-in-need census
    at 31 March (child-in-need plans = ``cin_open - cp_open - cla_open``). A kind without starts
    keeps the base length. Raises ``ValueError`` when the census cases are fewer than the
    assessments in progress alone.
    """
    per_year = assessments_per_year
    assessing = (
        per_year
        * assessment_mean_days(
            bin_edges=base.assessment_wd_bin_edges, bin_counts=base.assessment_wd_bin_counts
        )
        / DAYS_PER_YEAR
    )
    cin_share = (
        1.0
        - shares["not_in_need_share"]
        - shares["child_protection_share"]
        - shares["looked_after_share"]
    )
    kinds = {
        # field: (inflow/year in the model, LA stock, LA starts/year, sigma, base median)
        "cp_median_months": (
            per_year * shares["child_protection_share"],
            cp_open,
            cp_starts,
            base.cp_sigma,
            base.cp_median_months,
        ),
        "looked_after_median_months": (
            per_year * shares["looked_after_share"],
            cla_open,
            cla_starts,
            base.looked_after_sigma,
            base.looked_after_median_months,
        ),
    }
    means: dict[str, float] = {}
    for field, (_, stock, starts, sigma, default) in kinds.items():
        means[field] = (
            MONTHS_PER_YEAR * stock / starts
            if starts > 0 and stock > 0
            else default * math.exp(sigma * sigma / 2.0)
        )
    held = sum(kinds[f][0] * means[f] / MONTHS_PER_YEAR for f in kinds)
    cin_inflow = per_year * cin_share
    left = cases - assessing - held
    if cases < assessing:
        raise ValueError(
            f"the census cases ({cases:.0f}) are fewer than the assessments in progress that the "
            f"LA's referrals imply ({assessing:.0f})"
        )
    if cin_inflow > 0 and left > 0:
        cin_mean = MONTHS_PER_YEAR * left / cin_inflow
    else:
        cin_stock = max(0.0, cin_open - cp_open - cla_open)
        plans = held + (cin_stock if cin_inflow > 0 else 0.0)
        factor = (cases - assessing) / plans if plans > 0 else 1.0
        means = {f: m * factor for f, m in means.items()}
        cin_mean = (
            MONTHS_PER_YEAR * cin_stock * factor / cin_inflow
            if cin_inflow > 0 and cin_stock > 0
            else (base.cin_median_months * math.exp(base.cin_sigma**2 / 2.0))
        )
    out = {f: median_for_mean(mean_months=means[f], sigma=kinds[f][3]) for f in kinds}
    out["cin_median_months"] = median_for_mean(mean_months=cin_mean, sigma=base.cin_sigma)
    return out


def starting_quality_for_grade(
    *,
    grade: int,
    threshold_outstanding: float,
    threshold_good: float,
    threshold_requires_improvement: float,
) -> float:
    """Practice quality (embedded capability + recent gains) of an LA holding ``grade``: the
    middle of the grade's band of inspection scores.

    Good and requires improvement have bands between two thresholds; the open bands
    (outstanding above its threshold, inadequate below requires improvement's) are taken as wide
    as their neighbour's (good's, requires improvement's). With the defaults (0.68, 0.55, 0.45)
    an outstanding LA starts at 0.745, good 0.615, requires improvement 0.50 and inadequate 0.40.
    """
    bands = {
        1: (threshold_outstanding, 2.0 * threshold_outstanding - threshold_good),
        2: (threshold_good, threshold_outstanding),
        3: (threshold_requires_improvement, threshold_good),
        4: (
            2.0 * threshold_requires_improvement - threshold_good,
            threshold_requires_improvement,
        ),
    }
    low, high = bands[grade]
    return (low + high) / 2.0


LA_LABEL = " [Local authority: "
"""Start of the sentence :func:`described` adds to a scenario's description."""


def described(description: str, row: LARow) -> str:
    """``description`` with one closing sentence naming the authority (replacing any earlier
    one, so that applying an LA twice, or another LA, leaves one sentence)."""
    own = description.split(LA_LABEL)[0].rstrip()
    return f"{own}{LA_LABEL}{row.name} ({row.code}), from its own figures in the population table.]"


def la_overrides(base: Scenario, row: LARow, *, start: dt.date = START_DATE) -> dict[str, Any]:
    """Dotted overrides that give ``base`` the authority's own figures (see the module docstring).

    Parameters
    ----------
    base
        The scenario whose policies and national parameters are kept.
    row
        The authority.
    start
        Date of the start (for months since the last judgement); default 1 October 2017.

    Raises
    ------
    ValueError
        When the row's figures cannot be turned into a case mix (named in the message).
    """
    vacancy, agency = start_staffing_rates(
        inpost_fte=row.inpost_fte, vacancy_fte=row.vacancy_fte, agency_fte=row.agency_fte
    )
    shares = case_mix_shares(
        referrals=row.referrals_per_year,
        nfa=row.nfa_per_year,
        not_in_need=row.not_in_need_per_year,
        cp_starts=row.cp_starts_per_year,
        cla_starts=row.cla_starts_per_year,
    )
    p = base.demand.rereferral_base_probability
    first = row.first_referrals_per_year
    assessments = first / (1.0 - p) * (1.0 - shares["front_door_nfa_share"])
    medians = plan_medians_for_census(
        assessments_per_year=assessments,
        shares=shares,
        cases=row.cases,
        cp_open=row.cp_open_31_march,
        cp_starts=row.cp_starts_per_year,
        cla_open=row.cla_open_31_march,
        cla_starts=row.cla_starts_per_year,
        cin_open=row.cin_open_31_march,
        base=base.cases,
    )
    overrides: dict[str, Any] = {
        "la": row.code,
        "description": described(base.description, row),
        "demand.first_referrals_per_year": first,
        "workforce.establishment_fte": case_holding_posts(
            case_holders_fte=row.case_holders_fte,
            inpost_fte=row.inpost_fte,
            vacancy_fte=row.vacancy_fte,
            agency_fte=row.agency_fte,
        ),
        "initial.vacancy_rate": vacancy,
        "initial.agency_rate": agency,
        "initial.grade": row.grade,
        "initial.months_since_inspection": months_between(since=row.judgement_date, until=start),
    }
    if base.population.quality_from_grade:
        judged = base.inspection
        quality = starting_quality_for_grade(
            grade=row.grade,
            threshold_outstanding=judged.threshold_outstanding,
            threshold_good=judged.threshold_good,
            threshold_requires_improvement=judged.threshold_requires_improvement,
        )
        overrides["initial.embedded_quality"] = min(
            1.0, max(0.0, quality - base.initial.recent_gains)
        )
    overrides.update({f"cases.{k}": v for k, v in shares.items()})
    overrides.update({f"cases.{k}": v for k, v in medians.items()})
    return overrides


FIELD_COLUMNS: dict[str, str] = {
    "demand.first_referrals_per_year": "first_referrals_per_year",
    "workforce.establishment_fte": "case_holders_fte",
    "initial.vacancy_rate": "vacancy_fte",
    "initial.agency_rate": "agency_fte",
    "initial.grade": "grade",
    "initial.months_since_inspection": "judgement_date",
    "initial.embedded_quality": "grade",
    "cases.front_door_nfa_share": "nfa_per_year",
    "cases.not_in_need_share": "not_in_need_per_year",
    "cases.child_protection_share": "cp_starts_per_year",
    "cases.looked_after_share": "cla_starts_per_year",
    "cases.cp_median_months": "cp_open_31_march",
    "cases.looked_after_median_months": "cla_open_31_march",
    "cases.cin_median_months": "cases",
}
"""The table column that mostly decides each field :func:`la_overrides` sets (named in errors)."""


def scenario_for_la(
    base: Scenario,
    row: LARow,
    *,
    start: dt.date = START_DATE,
    source: str | None = None,
    line: int | None = None,
) -> Scenario:
    """A validated copy of ``base`` with the authority's own figures (:func:`la_overrides`).

    Parameters
    ----------
    base
        A single-LA scenario (its policies and national parameters are kept).
    row
        The authority, from :func:`~sim.scenario.population_read.load_population_table`.
    start
        Date of the start; default 1 October 2017.
    source, line
        The table file and the row's line in it, named in an error.

    Raises
    ------
    TableError
        When the row's figures give a value outside a field's bounds, or no case mix: names the
        table, the row and the column, the field and its bounds.
    """
    where = source or "population table"
    try:
        overrides = la_overrides(base, row, start=start)
    except ValueError as err:
        raise TableError(
            where,
            f"the figures of {row.name} ({row.code}) give no valid case mix: {err}.",
            "Check that row of the population table.",
            row=line,
            la=row.name,
        ) from None
    try:
        return apply_overrides(base, overrides, link=False)
    except ScenarioError as err:
        field = err.field or ""
        raise TableError(
            where,
            f"{row.name}'s figures make scenario field '{field}' invalid: {err.problem}",
            err.suggestion,
            row=line,
            la=row.name,
            column=FIELD_COLUMNS.get(field),
        ) from None
