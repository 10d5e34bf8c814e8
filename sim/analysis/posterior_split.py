"""Parameter uncertainty apart from chance, in a run over posterior draws.

A run over a posterior (``csc-sim run --posterior``) has K parameter sets (draws) x R
replications per arm; replication ``n`` belongs to draw ``events.draw``. For each outcome of each
arm, and each paired difference (arm minus reference, replication by replication, common random
numbers within a draw), the per-replication values ``x[k, r]`` are split by the **law of total
variance** over draws, with the empirical (population, ``ddof=0``) moments:

    Var(x) = Var_k(mean_r x[k, r]) + mean_k Var_r(x[k, r])
             ------------------------   -------------------
             between draws: parameter   within draws: chance

weighting each draw by its replications, so the two parts sum exactly to the total (any
grouping). ``parameter_share`` is between / total. With R replications per draw the between part
also holds about ``within / R`` of chance (the draw means are noisy), so the parameter share is
an upper estimate that tightens as R grows (stated in ``docs/calibration.md``).

The **total interval** is the 95% t-interval of the mean over the K draw means (K - 1 degrees of
freedom): the draws are independent samples of the posterior, the replications of a draw are
not independent of its parameters, so draws, not replications, are the unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.stats import t_critical
from sim.analysis.windows import OUTCOME_BY_NAME, WHOLE_RUN, replication_outcomes, windows_for
from sim.model.output import ARM, DRAW, REPLICATION

SPLIT_COLUMNS: tuple[str, ...] = (
    "kind",
    "arm",
    "reference",
    "window",
    "outcome",
    "mean",
    "ci_low",
    "ci_high",
    "sd_total",
    "parameter_share",
    "chance_share",
    "draws",
    "n",
)


@dataclass(frozen=True)
class Split:
    """The law-of-total-variance split of per-replication values over draws.

    Attributes
    ----------
    total, between, within
        Variances (``ddof=0``): total = between (parameter) + within (chance), which equals the
        pooled variance of the values up to rounding.
    mean, ci_low, ci_high
        Mean and its 95% t-interval over the draw means.
    draws, n
        Draws and replications with a value.
    """

    total: float
    between: float
    within: float
    mean: float
    ci_low: float
    ci_high: float
    draws: int
    n: int

    @property
    def parameter_share(self) -> float:
        """Between-draw share of the variance (NaN when the total is 0, or when no draw has two
        replications: then chance cannot be told apart from the parameters)."""
        return self.between / self.total if self.total > 0 else float("nan")


def variance_split(values: np.ndarray, draws: np.ndarray) -> Split:
    """Split per-replication ``values`` by ``draws`` (NaN values are left out).

    Parameters
    ----------
    values
        One value per replication.
    draws
        The draw of each replication.
    """
    x = np.asarray(values, dtype=float)
    d = np.asarray(draws)
    keep = ~np.isnan(x)
    x, d = x[keep], d[keep]
    nan = float("nan")
    if x.size == 0:
        return Split(nan, nan, nan, nan, nan, nan, 0, 0)
    labels, index = np.unique(d, return_inverse=True)
    counts = np.bincount(index).astype(float)
    means = np.bincount(index, weights=x) / counts
    grand = float(x.mean())
    within = float(np.sum((x - means[index]) ** 2) / x.size)
    between = float(np.sum(counts * (means - grand) ** 2) / x.size)
    if counts.max() < 2:  # one replication per draw: chance cannot be told from parameters
        between = within = nan
    k = labels.size
    if k >= 2:
        half = float(t_critical(k)) * float(means.std(ddof=1)) / np.sqrt(k)
        low, high = float(means.mean()) - half, float(means.mean()) + half
    else:
        low = high = nan
    total = between + within if np.isfinite(between) else float(np.mean((x - grand) ** 2))
    return Split(total, between, within, grand, float(low), float(high), k, int(x.size))


def split_row(
    kind: str, arm: str, ref: str, window: str, outcome: str, s: Split, bounds: tuple[float, float]
) -> dict[str, object]:
    """One row of ``uncertainty.csv`` (:data:`SPLIT_COLUMNS`) from a split, its interval clipped
    to ``bounds`` (what the outcome, or the difference, can take)."""
    share = s.parameter_share
    low, high = bounds
    return {
        "kind": kind,
        "arm": arm,
        "reference": ref,
        "window": window,
        "outcome": outcome,
        "mean": s.mean,
        "ci_low": float(np.clip(s.ci_low, low, high)),
        "ci_high": float(np.clip(s.ci_high, low, high)),
        "sd_total": float(np.sqrt(s.total)) if np.isfinite(s.total) else float("nan"),
        "parameter_share": share,
        "chance_share": 1.0 - share if np.isfinite(share) else float("nan"),
        "draws": s.draws,
        "n": s.n,
    }


def uncertainty_table(
    timeseries: pd.DataFrame, events: pd.DataFrame, references: Mapping[str, str]
) -> pd.DataFrame:
    """Per arm (``kind='arm'``) and per paired difference (``kind='difference'``), per window
    and outcome: mean, 95% interval over draws, total sd and the parameter and chance shares.

    Parameters
    ----------
    timeseries, events
        The results' tables of a run over a posterior (``events`` has a ``draw`` column).
    references
        Arm -> its reference arm (:func:`sim.analysis.answer.reference_arms`).
    """
    windows = windows_for(int(timeseries["month"].max()))
    by_key = {w.key: w for w in windows}
    per_rep = replication_outcomes(timeseries, events, windows)
    draw_of = events.drop_duplicates([ARM, REPLICATION]).set_index(REPLICATION)[DRAW]
    draw_of = draw_of[~draw_of.index.duplicated()]
    per_rep[DRAW] = per_rep[REPLICATION].map(draw_of).to_numpy()
    rows = []
    for (arm, window, outcome), group in per_rep.groupby(
        [ARM, "window", "outcome"], sort=False, observed=True
    ):
        split = variance_split(group["value"].to_numpy(), group[DRAW].to_numpy())
        bounds = OUTCOME_BY_NAME[str(outcome)].range_in(by_key[str(window)])
        rows.append(split_row("arm", str(arm), "", str(window), str(outcome), split, bounds))
    wide = per_rep.pivot_table(
        index=["window", "outcome", REPLICATION], columns=ARM, values="value", dropna=False
    )
    for (window, outcome), block in wide.groupby(level=["window", "outcome"], sort=False):
        if OUTCOME_BY_NAME[str(outcome)].whole_run_only and window != WHOLE_RUN:
            continue
        reps = block.index.get_level_values(REPLICATION)
        low, high = OUTCOME_BY_NAME[str(outcome)].range_in(by_key[str(window)])
        span = (low - high, high - low)
        for arm, ref in references.items():
            if arm not in block or ref not in block:
                continue
            diff = block[arm].to_numpy(dtype=float) - block[ref].to_numpy(dtype=float)
            split = variance_split(diff, draw_of.reindex(reps).to_numpy())
            rows.append(split_row("difference", arm, ref, str(window), str(outcome), split, span))
    return pd.DataFrame(rows, columns=list(SPLIT_COLUMNS))


def spread_sentence(
    table: pd.DataFrame,
    outcomes: Sequence[str] = ("months_inadequate", "practice_quality"),
    labels: Mapping[str, str] | None = None,
) -> str:
    """ "Of the spread ..., X% is parameter uncertainty": per outcome of ``outcomes`` (whole run)
    that varies, the pooled between-draw share of the variance of the paired differences (of
    the arms' values when there is no comparison); empty when none varies. ``labels`` names
    the outcomes (default: a single LA's outcome labels)."""
    kind = "difference" if (table["kind"] == "difference").any() else "arm"
    parts = []
    for outcome in outcomes:
        rows = table.loc[
            (table["outcome"] == outcome) & (table["window"] == WHOLE_RUN) & (table["kind"] == kind)
        ]
        rows = rows[rows["parameter_share"].notna()]  # undefined at one replication per draw
        total = (rows["sd_total"] ** 2).fillna(0.0)
        if rows.empty or total.sum() <= 0:
            continue
        share = float((rows["parameter_share"].fillna(0.0) * total).sum() / total.sum())
        label = labels[outcome] if labels is not None else OUTCOME_BY_NAME[outcome].label
        parts.append(f"{100 * share:.0f}% in {label}")
    if not parts:
        return ""
    what = "the differences between arms" if kind == "difference" else "the arms' outcomes"
    return (
        f"Over {int(table['draws'].max())} posterior draws: of the spread of {what} (whole run), "
        f"the share that is parameter uncertainty (between draws; the rest is chance, within "
        f"draws) is {'; '.join(parts)}. See uncertainty.csv."
    )
