"""The month end (DESIGN §3): roll the monthly counters, update turnover, cost the month and
record one row of metrics."""

from __future__ import annotations

import numpy as np

from sim.model.caseflow import CaseBook, CaseFlow
from sim.model.costs import monthly_cost
from sim.model.equations import DAYS_PER_YEAR
from sim.model.inspection import Inspectorate
from sim.model.intervention import InterventionState
from sim.model.leadership import LeadershipState
from sim.model.parameters import ModelParameters
from sim.model.recorder import Recorder
from sim.model.workforce import AGENCY, EMPLOYED, Posts


def close_month(
    *,
    recorder: Recorder,
    cases: CaseFlow,
    posts: Posts,
    leadership: LeadershipState,
    inspectorate: Inspectorate,
    intervention: InterventionState,
    params: ModelParameters,
    quality: float,
    morale: float,
    now: float,
    recording: bool,
    ladder_oversight_bodies: int = 0,
) -> None:
    """Close the month at time ``now`` (days): roll the trailing sums and update turnover in the
    recorder's ledger always; cost the month and write a row of metrics once the warm-up is over
    (``recording``); then reset the month's counters (the ledger's and the case flow's).

    ``quality`` and ``morale`` are the LA's practice quality and morale now (0-1); ``params``
    gives the cost rates; ``ladder_oversight_bodies`` are the oversight bodies DfE's ladder adds
    to the intervention's (a standing notice, a commissioner).
    """
    rec, ledger = recorder, recorder.ledger
    rec.referrals.push(cases.referrals)
    rec.rereferrals.push(cases.rereferrals)
    rec.assessments.push(cases.assessments_done)
    rec.assessments_in_time.push(cases.assessments_in_time)
    leavers = ledger.month_leavers
    rec.leavers.push(leavers)
    employed = posts.count(EMPLOYED)
    agency = posts.count(AGENCY)
    ledger.turnover = rec.leavers.total / max(1, employed)
    if recording and rec.row < rec.n_months:
        vacant = posts.n - employed
        cost = monthly_cost(
            params,
            employed,
            agency,
            leadership,
            intervention.team_fte(now),
            intervention.oversight_bodies(now) + ladder_oversight_bodies,
            ledger.month_hires,
            ledger.month_setup_cost_gbp,
        )
        ledger.cumulative_cost_gbp += cost
        ledger.leavers_recorded += leavers
        done = cases.assessments_done
        rec.write(
            {
                "referrals": cases.referrals,
                "rereferral_rate_pct": 100.0
                * rec.rereferrals.total
                / max(1.0, rec.referrals.total),
                "open_cases": cases.n_open,
                "unallocated_cases": cases.n_unallocated,
                "caseload_per_fte": cases.caseload(),
                "assessments_within_45wd_pct": 100.0 * cases.assessments_in_time / done
                if done
                else np.nan,
                "employed_fte": employed,
                "agency_fte": agency,
                "vacancy_fte": vacant,
                "turnover_rate_pct": 100.0 * ledger.turnover,
                "agency_rate_pct": 100.0 * agency / max(1, agency + employed),
                "vacancy_rate_pct": 100.0 * vacant / max(1, posts.n),
                "sw_changes_3plus_pct": three_plus_workers_pct(cases.book, now),
                "practice_quality": quality,
                "morale": morale,
                "dcs_changes_12m": leadership.changes_since(now - DAYS_PER_YEAR),
                "interim_leaders": leadership.interim_leaders(),
                "ofsted_grade": inspectorate.grade,
                "under_intervention": float(intervention.active(now)),
                "change_team_fte": intervention.team_fte(now),
                "cost_month_gbp": cost,
                "cost_cumulative_gbp": ledger.cumulative_cost_gbp,
            }
        )
    cases.referrals = cases.rereferrals = cases.assessments_done = cases.assessments_in_time = 0
    ledger.new_month()


def three_plus_workers_pct(book: CaseBook, now: float) -> float:
    """Share (%) of cases open a year or more that had their third or later social worker in the
    last 12 months (two changes within the year; NaN when no case is that old)."""
    year_ago = now - DAYS_PER_YEAR
    long_open = np.array(book.is_open, dtype=bool) & (
        np.array(book.referred, dtype=float) <= year_ago
    )
    n = int(np.count_nonzero(long_open))
    if n == 0:
        return np.nan
    recent_second_change = np.array(book.change_2, dtype=float) >= year_ago
    return 100.0 * float(np.count_nonzero(long_open & recent_second_change)) / n
