"""The month end (DESIGN §3): roll the monthly counters, update turnover, cost the month and
record one row of metrics."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.caseflow import CaseBook
from sim.model.costs import monthly_cost
from sim.model.equations import DAYS_PER_YEAR
from sim.model.workforce import AGENCY, EMPLOYED

if TYPE_CHECKING:
    from sim.model.simulation import LocalAuthority


def close_month(la: LocalAuthority, recording: bool) -> None:
    """Close the month of ``la``: turnover over the last 12 months always; cost and a row of
    metrics once the warm-up is over (``recording``)."""
    cases, rec, posts, now = la.cases, la.recorder, la.posts, la.env.now
    rec.referrals.push(cases.referrals)
    rec.rereferrals.push(cases.rereferrals)
    rec.assessments.push(cases.assessments_done)
    rec.assessments_in_time.push(cases.assessments_in_time)
    leavers = la.month_leavers
    rec.leavers.push(leavers)
    la.month_leavers = 0
    employed = posts.count(EMPLOYED)
    agency = posts.count(AGENCY)
    la.turnover = rec.leavers.total / max(1, employed)
    if recording and rec.row < rec.n_months:
        vacant = posts.n - employed
        cost = monthly_cost(
            la.s,
            employed,
            agency,
            la.leadership,
            la.intervention.team_fte(now),
            la.intervention.oversight_bodies(now),
            la.month_hires,
            la.month_setup_cost,
        )
        la.cumulative_cost += cost
        la.leavers_recorded += leavers
        done = cases.assessments_done
        rec.write(
            {
                "referrals": cases.referrals,
                "rereferral_rate_pct": 100.0
                * rec.rereferrals.total
                / max(1.0, rec.referrals.total),
                "open_cases": cases.n_open,
                "unallocated_cases": cases.n_unallocated,
                "caseload_per_fte": la.caseload(),
                "assessments_within_45wd_pct": 100.0 * cases.assessments_in_time / done
                if done
                else np.nan,
                "employed_fte": employed,
                "agency_fte": agency,
                "vacancy_fte": vacant,
                "turnover_rate_pct": 100.0 * la.turnover,
                "agency_rate_pct": 100.0 * agency / max(1, agency + employed),
                "vacancy_rate_pct": 100.0 * vacant / max(1, posts.n),
                "sw_changes_3plus_pct": three_plus_workers_pct(la.cases.book, now),
                "practice_quality": la.quality,
                "morale": la.org.morale,
                "dcs_changes_12m": la.leadership.changes_since(now - DAYS_PER_YEAR),
                "interim_leaders": la.leadership.interim_leaders(),
                "ofsted_grade": la.inspectorate.grade,
                "under_intervention": float(la.intervention.active(now)),
                "change_team_fte": la.intervention.team_fte(now),
                "cost_month_gbp": cost,
                "cost_cumulative_gbp": la.cumulative_cost,
            }
        )
    cases.referrals = cases.rereferrals = cases.assessments_done = cases.assessments_in_time = 0
    la.month_hires = 0
    la.month_setup_cost = 0.0


def three_plus_workers_pct(book: CaseBook, now: float) -> float:
    """Share (%) of cases open a year or more that had their third or later social worker in the
    last 12 months (two changes within the year; NaN when no case is that old)."""
    h = book.high
    long_open = book.is_open[:h] & (book.referred[:h] <= now - DAYS_PER_YEAR)
    n = int(np.count_nonzero(long_open))
    if n == 0:
        return np.nan
    recent_second_change = book.change_2[:h] >= now - DAYS_PER_YEAR
    return 100.0 * float(np.count_nonzero(long_open & recent_second_change)) / n
