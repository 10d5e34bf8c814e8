"""Outcomes of the national experiment (issue 14 part 6), per arm: ``national_outcomes.csv``.

Per replication of an arm, over the whole run: LA-years inadequate (LAs judged inadequate,
summed over months, ÷ 12), relapses (LAs relapsed within 24 months of their first
intervention's end, events.csv), LA-years under a DfE improvement notice, statutory directions
(each with a commissioner) and trusts (events.csv, DfE's ladder), open-case-years in inadequate LAs (children in need living in
inadequate LAs: open cases summed over months ÷ 12), ad-hoc teams formed, the national cost and
its parts (pool salaries, the idle part of them) in £m. Then, per arm, the mean, sd and 95%
t-interval over replications.

**Cost per LA-year of inadequacy avoided**: for an arm with a pool, against the arm without one
(``population.pool.teams`` 0 or unset) that has the same other overrides, replication by
replication (common random numbers, DESIGN §5): (cost − cost of the reference) ÷ (LA-years
inadequate of the reference − LA-years inadequate), the ratio of the mean differences; blank
when nothing is avoided on average.

**Paired differences**: for the same pool arms, ``la_years_inadequate_avoided (against REF)``
(the reference's LA-years inadequate minus the arm's) and ``extra_cost_gbp_m (against REF)``
(the arm's national cost minus the reference's, £m), replication by replication, with mean,
sd, 95% t-interval over the paired differences and n.

**Over posterior draws** (a ``draw`` column), the 95% interval is the t-interval over the K draw
means (each the mean of the draw's R replications, which share its parameters), while mean, sd
and n are over every replication; the table adds ``interval_over`` (``draws``) and ``draws``
(K). The cost per LA-year avoided and the paired differences pair (draw, replication) across
arms as before; the differences' interval is over the K draw means of the paired differences.

:func:`uncertainty_table` splits the spread of each arm's outcomes and of each paired difference
over the draws into parameter and chance (``uncertainty.csv``, as a single LA's:
:mod:`sim.analysis.posterior_split`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.posterior_split import SPLIT_COLUMNS, split_row, variance_split
from sim.analysis.windows import WHOLE_RUN
from sim.model.output import ARM, DRAW, REPLICATION
from sim.scenario.units import MONTHS_PER_YEAR

TEAMS = "population.pool.teams"
#: Paired differences against the reference arm: name -> (outcome, sign of arm minus reference).
DIFFERENCES: dict[str, tuple[str, float]] = {
    "la_years_inadequate_avoided": ("la_years_inadequate", -1.0),
    "extra_cost_gbp_m": ("cost_gbp_m", 1.0),
}
#: Outcomes whose paired differences ``uncertainty.csv`` splits.
SPLIT_DIFFERENCES: tuple[str, ...] = tuple(outcome for outcome, _ in DIFFERENCES.values())

#: Per-replication outcomes (columns of :func:`per_replication`).
OUTCOMES: tuple[str, ...] = (
    "la_years_inadequate",
    "relapses",
    "open_case_years_in_inadequate_las",
    "adhoc_teams_formed",
    "cost_gbp_m",
    "pool_salary_gbp_m",
    "pool_idle_salary_gbp_m",
    "la_years_under_notice",
    "directions",
    "trusts",
)

#: DfE's ladder (events.csv, sim/model/ladder.py): outcome -> (event column, divisor).
LADDER_OUTCOMES: dict[str, tuple[str, float]] = {
    "la_years_under_notice": ("months_under_notice", MONTHS_PER_YEAR),
    "directions": ("directions", 1.0),
    "trusts": ("trusts", 1.0),
}


def per_replication(national: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """One row per arm and replication (with its ``draw`` over a posterior) with every outcome
    of :data:`OUTCOMES`."""
    keys = [ARM, REPLICATION, DRAW] if DRAW in national.columns else [ARM, REPLICATION]
    g = national.assign(**{ARM: national[ARM].astype(str)}).groupby(keys, sort=False)
    out = pd.DataFrame(
        {
            "la_years_inadequate": g["las_inadequate"].sum() / MONTHS_PER_YEAR,
            "open_case_years_in_inadequate_las": g["open_cases_in_inadequate_las"].sum()
            / MONTHS_PER_YEAR,
            "adhoc_teams_formed": g["adhoc_teams_formed"].sum(),
            "cost_gbp_m": g["cost_month_gbp_m"].sum(),
            "pool_salary_gbp_m": g["pool_salary_gbp_m"].sum(),
            "pool_idle_salary_gbp_m": g["pool_idle_salary_gbp_m"].sum(),
        }
    )
    ev = events.assign(**{ARM: events[ARM].astype(str)})
    relapses = ev.groupby(keys, sort=False)["relapsed_within_24m"].sum(min_count=0)
    out["relapses"] = relapses.reindex(out.index).fillna(0.0)
    for outcome, (column, divisor) in LADDER_OUTCOMES.items():
        if column in ev:  # results written before the ladder have no such column
            total = ev.groupby(keys, sort=False)[column].sum(min_count=0) / divisor
            out[outcome] = total.reindex(out.index).fillna(0.0)
        else:
            out[outcome] = np.nan
    return out.reset_index()[[*keys, *OUTCOMES]]


def _reference_arm(label: str, overrides: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The arm without a pool whose other overrides equal ``label``'s (None if there is none)."""
    mine = dict(overrides.get(label, {}))
    if not mine.get(TEAMS):
        return None
    rest = {k: v for k, v in mine.items() if k != TEAMS}
    for other, theirs in overrides.items():
        same = {k: v for k, v in theirs.items() if k != TEAMS} == rest
        if other != label and not theirs.get(TEAMS) and same:
            return other
    for other, theirs in overrides.items():  # e.g. eligibility is moot without a pool
        if other != label and not theirs.get(TEAMS):
            return other
    return None


def reference_arms(arms: list[str], overrides: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Pool arm -> its reference arm without a pool (arms without one are left out)."""
    refs = {arm: _reference_arm(arm, overrides) for arm in arms}
    return {arm: ref for arm, ref in refs.items() if ref is not None}


def difference_name(name: str, reference: str) -> str:
    """The ``outcome`` of a paired-difference row: ``extra_cost_gbp_m (against none)``."""
    return f"{name} (against {reference})"


def outcomes_table(
    national: pd.DataFrame,
    events: pd.DataFrame,
    arms: list[str],
    overrides: Mapping[str, Mapping[str, Any]],
) -> pd.DataFrame:
    """Per arm and outcome: mean, sd, 95% t-interval, n; plus the cost per LA-year avoided."""
    reps = per_replication(national, events)
    drawn = DRAW in reps.columns
    rows = []
    for arm in arms:
        block = reps[reps[ARM] == arm].set_index(REPLICATION)
        n = len(block)
        for outcome in OUTCOMES:
            x = block[outcome].to_numpy(dtype=float)
            row = {ARM: arm, "outcome": outcome, **_interval(x)}
            if drawn:
                means = block.groupby(DRAW, sort=True)[outcome].mean().to_numpy(dtype=float)
                over = _interval(means)
                row |= {"ci_low": over["ci_low"], "ci_high": over["ci_high"]}
                row |= {"interval_over": "draws", "draws": len(means)}
            rows.append(row)
        ref = _reference_arm(arm, overrides)
        if ref is not None and n:
            other = reps[reps[ARM] == ref].set_index(REPLICATION).reindex(block.index)
            extra = float(np.mean(block["cost_gbp_m"] - other["cost_gbp_m"]))
            avoided = float(np.mean(other["la_years_inadequate"] - block["la_years_inadequate"]))
            ratio = extra / avoided if avoided > 0 else float("nan")
            rows.append(
                {
                    ARM: arm,
                    "outcome": f"cost_per_la_year_avoided_gbp_m (against {ref})",
                    "mean": ratio,
                    "sd": float("nan"),
                    "ci_low": float("nan"),
                    "ci_high": float("nan"),
                    "n": n,
                    **({"interval_over": "draws", "draws": _draws(block)} if drawn else {}),
                }
            )
            for name, (outcome, sign) in DIFFERENCES.items():
                paired = sign * (block[outcome] - other[outcome])
                row = {ARM: arm, "outcome": difference_name(name, ref)}
                row |= _interval(paired.to_numpy(dtype=float))
                if drawn:
                    draw_means = paired.groupby(block[DRAW].to_numpy(), sort=True).mean()
                    over = _interval(draw_means.to_numpy(dtype=float))
                    row |= {"ci_low": over["ci_low"], "ci_high": over["ci_high"]}
                    row |= {"interval_over": "draws", "draws": len(draw_means)}
                rows.append(row)
    return pd.DataFrame(rows)


def uncertainty_table(
    national: pd.DataFrame,
    events: pd.DataFrame,
    arms: list[str],
    overrides: Mapping[str, Mapping[str, Any]],
) -> pd.DataFrame:
    """``uncertainty.csv`` of a population run over posterior draws (columns
    :data:`~sim.analysis.posterior_split.SPLIT_COLUMNS`, window ``whole_run``): per arm and
    outcome of :data:`OUTCOMES` (``kind='arm'``) and per pool arm's paired difference (arm minus
    reference, replication by replication) in LA-years inadequate and national cost
    (``kind='difference'``), the law-of-total-variance split over draws
    (:func:`~sim.analysis.posterior_split.variance_split`).
    """
    reps = per_replication(national, events)
    if DRAW not in reps.columns:
        raise ValueError("uncertainty_table needs a run over posterior draws (a draw column)")
    inf = float("inf")
    rows = []
    for arm in arms:
        block = reps[reps[ARM] == arm]
        for outcome in OUTCOMES:
            split = variance_split(block[outcome].to_numpy(), block[DRAW].to_numpy())
            rows.append(split_row("arm", arm, "", WHOLE_RUN, outcome, split, (0.0, inf)))
    for arm, ref in reference_arms(arms, overrides).items():
        block = reps[reps[ARM] == arm].set_index(REPLICATION)
        other = reps[reps[ARM] == ref].set_index(REPLICATION).reindex(block.index)
        for outcome in SPLIT_DIFFERENCES:
            diff = (block[outcome] - other[outcome]).to_numpy(dtype=float)
            split = variance_split(diff, block[DRAW].to_numpy())
            rows.append(split_row("difference", arm, ref, WHOLE_RUN, outcome, split, (-inf, inf)))
    return pd.DataFrame(rows, columns=list(SPLIT_COLUMNS))


def _draws(block: pd.DataFrame) -> int:
    """Posterior draws among an arm's replications."""
    return int(block[DRAW].nunique())


def _interval(x: np.ndarray) -> dict[str, float]:
    n = len(x)
    mean = float(np.mean(x)) if n else float("nan")
    sd = float(np.std(x, ddof=1)) if n > 1 else float("nan")
    half = float(stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n)) if n > 1 else float("nan")
    return {"mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half, "n": n}
