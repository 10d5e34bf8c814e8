"""The back-cast's statistics against hand-computed values on synthetic LAs, so that a wrong
definition (a weighting, a census month, the ILACS filter, the censoring) fails."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis.backcast.judgements import Judgement, collapse, date_judgements
from sim.analysis.backcast.statistics import (
    census_series,
    cliff_edge,
    grade_mix,
    inadequate_spells,
    interval_gaps,
    survival,
    transition_counts,
    transitions,
)

NAN = math.nan


def test_judgements_dated_by_the_month_their_grade_first_shows() -> None:
    monthly = np.array([3, 3, 4, 4, 4, 4, 2, 2])
    dated = date_judgements(grades=[4, 4, 2], monthly_grade=monthly)
    assert [j.grade for j in dated] == [4, 4, 2]
    assert dated[0].month == 3
    assert math.isnan(dated[1].month)  # inadequate again: no trace in the monthly grades
    assert dated[2].month == 7


def test_judgement_in_the_first_month_uses_the_initial_grade_when_given() -> None:
    monthly = np.array([2, 2, 2])
    assert date_judgements(grades=[2], monthly_grade=monthly, initial_grade=3)[0].month == 1
    assert math.isnan(date_judgements(grades=[2], monthly_grade=monthly)[0].month)


def test_judgements_that_disagree_with_the_monthly_grades_are_refused() -> None:
    with pytest.raises(ValueError, match="do not match"):
        date_judgements(grades=[4], monthly_grade=np.array([3, 2, 2]))
    assert collapse([2, 2, 4, 4, 2]) == [2, 4, 2]


def test_census_series_is_a_ratio_of_national_totals_at_30_september() -> None:
    dates = pd.Series(pd.to_datetime(["2018-08-31", "2018-09-30", "2018-10-31"]), index=[1, 2, 3])
    ts = pd.DataFrame(
        {
            "month": [2, 2, 1, 3],
            "employed_fte": [80.0, 20.0, 999.0, 999.0],
            "agency_fte": [20.0, 5.0, 0.0, 0.0],
            "vacancy_fte": [20.0, 10.0, 0.0, 0.0],
            "turnover_rate_pct": [10.0, 50.0, 0.0, 0.0],
            "caseload_per_fte": [15.0, 30.0, 0.0, 0.0],
        }
    )
    out = census_series(ts, dates)
    assert set(out) == {
        "csww_turnover_rate_pct_2018",
        "csww_vacancy_rate_pct_2018",
        "csww_agency_rate_pct_2018",
        "csww_caseload_per_fte_2018",
    }
    # leavers 8 + 10 over 100 employed; vacant 30 over 130; agency 25 over 125;
    # cases 15*100 + 30*25 = 2250 over 125 case holders.
    assert out["csww_turnover_rate_pct_2018"] == pytest.approx(18.0)
    assert out["csww_vacancy_rate_pct_2018"] == pytest.approx(100 * 30 / 130)
    assert out["csww_agency_rate_pct_2018"] == pytest.approx(20.0)
    assert out["csww_caseload_per_fte_2018"] == pytest.approx(18.0)


def test_grade_mix_shares() -> None:
    out = grade_mix([4, 4, 2, 3])
    assert out == {
        "grade_mix_2025_1": 0.0,
        "grade_mix_2025_2": 0.25,
        "grade_mix_2025_3": 0.25,
        "grade_mix_2025_4": 0.5,
    }


HISTORIES = {
    # a judgement before the ILACS era (month 2 < 4): its pair (3 -> 4) is not counted
    "A": [Judgement(3, 2), Judgement(4, 10), Judgement(4, NAN), Judgement(2, 40)],
    "B": [Judgement(4, 5), Judgement(3, 29)],
    "C": [Judgement(2, 6)],
}


def test_transitions_count_consecutive_pairs_from_the_ilacs_era() -> None:
    counts = transition_counts(HISTORIES, ilacs_from_month=4)
    # pairs: A 4->4 (from month 10), A 4->2 (undated first: counted), B 4->3
    assert counts["transition_4_to_4"].k == 1 and counts["transition_4_to_4"].n == 3
    assert counts["transition_4_to_2"].k == 1 and counts["transition_4_to_3"].k == 1
    assert counts["transition_3_to_4"].n == 0
    shares = transitions(HISTORIES, ilacs_from_month=4)
    assert shares["transition_4_to_4"] == pytest.approx(1 / 3)
    assert math.isnan(shares["transition_1_to_1"])


def test_inadequate_spells_and_kaplan_meier() -> None:
    histories = {
        **HISTORIES,
        # inadequate at the end: censored at month 60 (4 years after month 12)
        "D": [Judgement(2, 6), Judgement(4, 12)],
        # inadequate at the start and again (undated): left out, counted
        "E": [Judgement(4, NAN), Judgement(3, 30)],
    }
    spells = inadequate_spells(histories, end_month=60, ilacs_from_month=4)
    # A: month 10 -> 40 (2.5 y, ended); B: 5 -> 29 (2 y, ended); D: 12 -> 60 (4 y, censored)
    assert sorted(zip(spells.years.tolist(), spells.exited.tolist(), strict=True)) == [
        (2.0, 1),
        (2.5, 1),
        (4.0, 0),
    ]
    assert spells.undated == 1
    km = survival(spells)
    # 3 at risk; one exit at 2 y -> 2/3; one at 2.5 y of 2 at risk -> 1/3; censored at 4.
    assert km["still_inadequate_2y"] == pytest.approx(2 / 3)
    assert km["still_inadequate_3y"] == pytest.approx(1 / 3)
    assert km["still_inadequate_4y"] == pytest.approx(1 / 3)
    assert math.isnan(km["still_inadequate_5y"])  # beyond the longest follow-up


def test_intervals_use_dated_pairs_from_the_ilacs_era() -> None:
    gaps = interval_gaps(HISTORIES, ilacs_from_month=4)
    # A 3->4 starts before the era; A 4->4 and 4->2 have an undated end; B 4->3: 24 months
    assert gaps == {1: [], 2: [], 3: [], 4: [24.0]}


def test_sequences_parse_whatever_a_csv_reader_made_of_them() -> None:
    from sim.analysis.backcast.judgements import parse_sequence

    assert parse_sequence("3-4-2") == [3.0, 4.0, 2.0]
    assert parse_sequence(2.0) == [2.0]  # one judgement, read as a number
    assert parse_sequence(NAN) == [] and parse_sequence("") == []


def test_truncate_at_the_end_of_the_record() -> None:
    from sim.analysis.backcast.statistics import truncate

    history = [Judgement(3, 10), Judgement(3, NAN), Judgement(2, 95), Judgement(2, NAN)]
    assert truncate(history, 90) == history[:2]
    assert truncate(history, 95) == history


def test_cliff_edge_averages_each_judgements_census_offsets() -> None:
    # Monthly calendar October 2017 to March 2025 (month 1 = 31 October 2017).
    dates = pd.Series(pd.date_range("2017-10-31", "2025-03-31", freq="ME"), index=range(1, 91))
    month_of = {d.year: m for m, d in dates.items() if d.month == 9}  # the Septembers

    def rates(la: str, base: float) -> pd.DataFrame:
        # each census year's rate is base + the year's last two digits, so offsets are legible
        return pd.DataFrame(
            {
                "la": la,
                "month": list(dates.index),
                "turnover_rate_pct": [base + d.year - 2000 for d in dates],
                "vacancy_rate_pct": 2.0 * base,
                "agency_rate_pct": 3.0 * base,
                "caseload_per_fte": 4.0 * base,
            }
        )

    ts = pd.concat([rates("A", 0.0), rates("B", 100.0)], ignore_index=True)
    march_2020 = next(m for m, d in dates.items() if (d.year, d.month) == (2020, 3))
    november_2021 = next(m for m, d in dates.items() if (d.year, d.month) == (2021, 11))
    histories = {
        # A: inadequate in March 2020 (census 2020 is offset 0), good later (not counted);
        # a judgement before the ILACS era is left out.
        "A": [Judgement(4, 2.0), Judgement(4, float(march_2020)), Judgement(2, 60.0)],
        # B: inadequate in November 2021 (offset 0 is the census of 2022); an undated
        # inadequate judgement cannot be placed.
        "B": [Judgement(4, float(november_2021)), Judgement(4, NAN)],
    }
    stats, counts = cliff_edge(ts, histories, dates, ilacs_from_month=4)
    # offset 0: A's 2020 census (20) and B's 2022 census (122) -> 71
    assert stats["cliff_turnover_rate_pct_+0"] == pytest.approx((20 + 122) / 2)
    assert stats["cliff_vacancy_rate_pct_+0"] == pytest.approx((0 + 200) / 2)
    assert counts["cliff_caseload_per_fte_+0"] == 2
    # offset +3: A's 2023 census (23); B's 2025 census is after the run's last September
    assert stats["cliff_turnover_rate_pct_+3"] == pytest.approx(23.0)
    assert counts["cliff_turnover_rate_pct_+3"] == 1
    # offset -2: A's 2018 (18) and B's 2020 (120)
    assert stats["cliff_turnover_rate_pct_-2"] == pytest.approx((18 + 120) / 2)
    assert 2018 in month_of and 2017 not in month_of
    # no judgement at all: every value NaN, counts 0
    empty, none = cliff_edge(ts, {"A": [Judgement(2, 10.0)]}, dates, ilacs_from_month=4)
    assert all(math.isnan(v) for v in empty.values()) and set(none.values()) == {0.0}
