"""Targets from the DfE workforce and children-in-need files, and the director-change rate.

The CSWW census is taken at 30 September; a census year ``y`` is the year ending 30 September
``y``. The "cliff edge" (the seed article) lines up each LA's census years around each of its ILACS
inadequate judgements: offset 0 is the first census on or after the inspection date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.targets.rows import CIN, CSWW, TargetRow

#: CSWW columns and the model's monthly metrics they match (DESIGN §3).
CSWW_METRICS: dict[str, str] = {
    "turnover_rate_fte": "turnover_rate_pct",
    "vacancy_rate_fte": "vacancy_rate_pct",
    "agency_rate_fte": "agency_rate_pct",
    "caseload_fte": "caseload_per_fte",
}
CSWW_WORDS: dict[str, str] = {
    "turnover_rate_fte": "turnover rate (FTE leavers / FTE in post)",
    "vacancy_rate_fte": "vacancy rate (vacant / (vacant + employed) FTE)",
    "agency_rate_fte": "agency rate (agency / (agency + employed) FTE)",
    "caseload_fte": "caseload (cases / case-holding FTE)",
}
UNITS: dict[str, str] = {
    "turnover_rate_fte": "percent",
    "vacancy_rate_fte": "percent",
    "agency_rate_fte": "percent",
    "caseload_fte": "cases per FTE",
}
#: The years a median LA of the baseline describes (DESIGN §4).
RECENT_YEARS: tuple[int, ...] = (2023, 2024, 2025)
#: Census years around an inadequate judgement, for the cliff edge.
CLIFF_OFFSETS: tuple[int, ...] = (-2, -1, 0, 1, 2, 3)
CENSUS_MONTH, CENSUS_DAY = 9, 30
#: Director changes: ~49 changes a year across 153 LAs (ADCS; evidence §4, §8), band 0.22-0.45.
DCS_CHANGES = 49.0
DCS_LAS = 153
DCS_BAND = (0.22, 0.45)
#: Assessments completed within 45 working days, England 2025 (evidence §2b, derived).
ASSESSMENTS_45WD_PCT = 85.7


def _national(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["geographic_level"] == "National"].drop_duplicates("time_period")


def _las(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["geographic_level"] == "Local authority"]


def national_series(csww: pd.DataFrame) -> list[TargetRow]:
    """England's rate in each census year 2017-2025, and the mean of 2023-2025.

    The standard error is the spread between LAs that year over the square root of their number
    (how well one year's LAs pin a median LA's rate).
    """
    national = _national(csww).set_index("time_period").sort_index()
    las = _las(csww)
    rows = []
    for column, metric in CSWW_METRICS.items():
        for year, value in national[column].items():
            values = las.loc[las["time_period"] == year, column].dropna()
            rows.append(
                TargetRow(
                    id=f"csww_{metric}_{year}",
                    group=f"csww_{metric}",
                    family="normal",
                    statistic=f"{metric}@{year}",
                    description=f"England's {CSWW_WORDS[column]}, census 30 September {year}",
                    observed=float(value),
                    n=len(values),
                    se=float(values.std(ddof=1) / np.sqrt(len(values))),
                    unit=UNITS[column],
                    years=str(year),
                    source=CSWW,
                )
            )
        recent = las[las["time_period"].isin(RECENT_YEARS)]
        per_la = recent.groupby("new_la_code")[column].mean().dropna()
        first, last = RECENT_YEARS[0], RECENT_YEARS[-1]
        rows.append(
            TargetRow(
                id=f"csww_{metric}_{first}_{last}",
                group="csww_recent",
                family="normal",
                statistic=metric,
                description=(
                    f"England's {CSWW_WORDS[column]}, mean of the censuses {first}-{last} "
                    "(the years the baseline LA describes)"
                ),
                observed=float(national.loc[list(RECENT_YEARS), column].mean()),
                n=len(per_la),
                se=float(per_la.std(ddof=1) / np.sqrt(len(per_la))),
                unit=UNITS[column],
                years=f"{first}-{last}",
                source=CSWW,
            )
        )
    return rows


def census_year(date: pd.Timestamp) -> int:
    """The first CSWW census year (30 September) on or after a date."""
    census = pd.Timestamp(year=date.year, month=CENSUS_MONTH, day=CENSUS_DAY)
    return date.year if date <= census else date.year + 1


def cliff_edge_panel(csww: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """Each ILACS inadequate judgement's LA rates by census offset.

    Returns
    -------
    DataFrame
        ``la_code, date, offset`` and the CSWW columns (NaN where suppressed or out of range).
    """
    las = _las(csww).set_index(["new_la_code", "time_period"])[list(CSWW_METRICS)].astype(float)
    judged = history[history["grade"] == 4]
    records = []
    for code, date in zip(judged["la_code"], judged["date"], strict=True):
        zero = census_year(date)
        for offset in CLIFF_OFFSETS:
            key = (code, zero + offset)
            found = las.loc[key] if key in las.index else None
            row: dict[str, object] = {"la_code": code, "date": date, "offset": offset}
            for column in CSWW_METRICS:
                row[column] = np.nan if found is None else float(found[column])
            records.append(row)
    return pd.DataFrame(records)


def cliff_edge(csww: pd.DataFrame, history: pd.DataFrame) -> list[TargetRow]:
    """The workforce around an inadequate judgement, averaged over judgements, per offset."""
    panel = cliff_edge_panel(csww, history)
    rows = []
    for column, metric in CSWW_METRICS.items():
        for offset, values in panel.groupby("offset")[column]:
            values = values.dropna()
            rows.append(
                TargetRow(
                    id=f"cliff_{metric}_{offset:+d}",
                    group=f"cliff_{metric}",
                    family="normal",
                    statistic=f"cliff_{metric}@{offset:+d}",
                    description=(
                        f"{CSWW_WORDS[column]} of an LA in the census {offset:+d} years from an "
                        "ILACS inadequate judgement (0: first census on or after it), mean over "
                        "judgements"
                    ),
                    observed=float(values.mean()),
                    n=len(values),
                    se=float(values.std(ddof=1) / np.sqrt(len(values))),
                    unit=UNITS[column],
                    years="2017-2025",
                    source=CSWW + "; judgements: Ofsted ILACS_inspection_history",
                )
            )
    return rows


def rereferrals(cin: pd.DataFrame) -> list[TargetRow]:
    """Re-referrals within 12 months as a share of referrals, England, mean of 2023-2025."""
    national = _national(cin).set_index("time_period")
    years = list(RECENT_YEARS)
    referrals = float(national.loc[years, "referral_count"].sum())
    again = float(national.loc[years, "rereferral_count"].sum())
    las = _las(cin)
    per_la = las[las["time_period"].isin(years)].groupby("new_la_code")["rereferral_percent"].mean()
    per_la = per_la.dropna()
    return [
        TargetRow(
            id="rereferral_rate_2023_2025",
            group="children_in_need",
            family="normal",
            statistic="rereferral_rate_pct",
            description="re-referrals within 12 months of a previous referral, per cent of referrals (years to 31 March 2023-2025)",
            observed=100.0 * again / referrals,
            n=len(per_la),
            se=float(per_la.std(ddof=1) / np.sqrt(len(per_la))),
            unit="percent",
            years="2023-2025",
            source=CIN,
        )
    ]


def assessments() -> list[TargetRow]:
    """Assessments completed within 45 working days, England 2025 (as the baseline check)."""
    return [
        TargetRow(
            id="assessments_within_45wd_2025",
            group="children_in_need",
            family="normal",
            statistic="assessments_within_45wd_pct",
            description="assessments completed within 45 working days, per cent (year to 31 March 2025)",
            observed=ASSESSMENTS_45WD_PCT,
            se=float("nan"),
            unit="percent",
            years="2025",
            source="DfE, Children in need 2025, table C2 completed assessments by duration (evidence §2b, derived)",
        )
    ]


def director_changes() -> list[TargetRow]:
    """Director (DCS) changes per LA per year: ~49 a year across 153 LAs (evidence §4, §8)."""
    low, high = DCS_BAND
    return [
        TargetRow(
            id="dcs_changes_per_year",
            group="leadership",
            family="normal",
            statistic="dcs_changes_per_year",
            description=f"changes of director per LA per year (~{DCS_CHANGES:g} a year across {DCS_LAS} LAs; band {low}-{high})",
            observed=DCS_CHANGES / DCS_LAS,
            n=DCS_LAS,
            # The band of evidence §8 read as +-2 standard errors.
            se=(high - low) / 4,
            unit="changes per LA per year",
            years="2017-2024",
            source="ADCS DCS updates 2017-2024 (evidence §4, §8)",
        )
    ]
