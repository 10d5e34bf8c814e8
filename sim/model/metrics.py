"""Names, units and DfE definitions of the monthly metrics and event outcomes (DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """A monthly output column."""

    name: str
    unit: str
    label: str
    definition: str


METRICS: tuple[Metric, ...] = (
    Metric(
        "referrals",
        "referrals/month",
        "Referrals",
        "Referrals received in the month (DfE CIN census).",
    ),
    Metric(
        "rereferral_rate_pct",
        "%",
        "Re-referral rate",
        "Re-referrals within 12 months of a previous referral ÷ referrals, trailing 12 months (DfE CIN).",
    ),
    Metric(
        "open_cases",
        "cases",
        "Open cases",
        "Cases open at month end: in assessment (allocated or not) or on a plan or looked after.",
    ),
    Metric(
        "unallocated_cases",
        "cases",
        "Unallocated cases",
        "Cases waiting at month end with no allocated social worker.",
    ),
    Metric(
        "caseload_per_fte",
        "cases/FTE",
        "Caseload per FTE",
        "Allocated cases ÷ case-holding FTE in post, employed and agency (DfE CSWW).",
    ),
    Metric(
        "assessments_within_45wd_pct",
        "%",
        "Assessments within 45 working days",
        "Assessments completed in the month within 45 working days of referral ÷ assessments completed (DfE CIN).",
    ),
    Metric(
        "employed_fte",
        "FTE",
        "Employed FTE",
        "Employed case-holding social workers in post (DfE CSWW).",
    ),
    Metric(
        "agency_fte", "FTE", "Agency FTE", "Agency case-holding social workers in post (DfE CSWW)."
    ),
    Metric("vacancy_fte", "FTE", "Vacant FTE", "Funded posts with no employed worker (DfE CSWW)."),
    Metric(
        "turnover_rate_pct",
        "%",
        "Turnover",
        "Employed leavers in the trailing 12 months ÷ employed FTE in post (DfE CSWW).",
    ),
    Metric(
        "agency_rate_pct", "%", "Agency rate", "Agency FTE ÷ (agency + employed FTE) (DfE CSWW)."
    ),
    Metric(
        "vacancy_rate_pct", "%", "Vacancy rate", "Vacant FTE ÷ (vacant + employed FTE) (DfE CSWW)."
    ),
    Metric(
        "sw_changes_3plus_pct",
        "%",
        "Children with 3+ social workers",
        "Children open ≥ 12 months who had 3 or more social workers in the trailing 12 months ÷ children open ≥ 12 months (DfE CLA social worker count).",
    ),
    Metric(
        "practice_quality",
        "0-1",
        "Practice quality",
        "Embedded capability plus recent gains less day-to-day pressure (model state, 0-1).",
    ),
    Metric("morale", "0-1", "Morale", "Workforce morale (model state, 0-1)."),
    Metric(
        "dcs_changes_12m",
        "changes",
        "Director changes (12 months)",
        "Changes of director of children's services in the trailing 12 months.",
    ),
    Metric(
        "interim_leaders",
        "people",
        "Interim leaders",
        "Interim director and interim team managers in post at month end.",
    ),
    Metric(
        "ofsted_grade",
        "grade",
        "Ofsted grade",
        "Last graded judgement: 1 outstanding, 2 good, 3 requires improvement, 4 inadequate.",
    ),
    Metric(
        "under_intervention",
        "0/1",
        "Under intervention",
        "1 while an intervention's change team is in place.",
    ),
    Metric("change_team_fte", "FTE", "Change team", "Change-team FTE in place at month end."),
    Metric(
        "cost_month_gbp",
        "GBP",
        "Cost in month",
        "Staff, interim, change-team, oversight, recruitment and set-up costs in the month.",
    ),
    Metric("cost_cumulative_gbp", "GBP", "Cumulative cost", "Cost since the start of recording."),
)

METRIC_NAMES: tuple[str, ...] = tuple(m.name for m in METRICS)
METRIC_BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}

#: Columns of events.csv after arm and replication (DESIGN §3).
EVENT_COLUMNS: tuple[str, ...] = (
    "months_to_exit_inadequate",
    "censored",
    "relapsed_within_24m",
    "inspections",
    "grades",
    "judgement_months",
    "total_cost_gbp",
    "leavers",
    "dcs_changes",
    "months_under_notice",
    "notices",
    "directions",
    "trusts",
)

#: Event columns that hold ``-``-separated sequences (text), not numbers: the graded judgements
#: after the warm-up and the month (1-based, the month end that first shows it) of each.
TEXT_EVENT_COLUMNS: tuple[str, ...] = ("grades", "judgement_months")
