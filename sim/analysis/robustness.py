"""Decision robustness: how often the ranking of the arms holds across parameter uncertainty.

A *comparison* asks "does arm A do better than arm B on this outcome?" at every sample point
(A and B share their random numbers, so the difference at a point is the effect of the policy
under those parameter values). For a sweep with a ``grid:``, the first grid field is the
decision lever: every arm is compared with the arm that has the lever at its first value and
the other fields equal (e.g. ``duration_months=18 dcs_mean_tenure_months=12`` against
``duration_months=6 dcs_mean_tenure_months=12``), and, when the grid has more fields, the
comparisons of one lever value are also pooled over the other fields. Without a grid every arm
is compared with the first arm.

For each comparison and outcome ``robustness.csv`` gives the share of sample points where the
claim *holds* (A strictly better), where it ties, and, per parameter, the share in the lower
and the upper half of the parameter's range (split at mid-range) and the Spearman correlation
between the parameter and A's advantage. A parameter whose halves differ most is the one whose
value *flips* the ranking. "Better" is lower for every outcome except those in
:data:`HIGHER_IS_BETTER`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from sim.scenario.paths import format_value
from sim.scenario.sweep import Arm

#: Outcomes where a higher value is better; for all others (costs, grades, relapse, caseloads,
#: turnover ...) lower is better.
HIGHER_IS_BETTER: frozenset[str] = frozenset(
    {"practice_quality", "morale", "assessments_within_45wd_pct", "employed_fte"}
)
ALL_PARAMETERS = "(all)"
ROBUSTNESS_COLUMNS: tuple[str, ...] = (
    "outcome",
    "better",
    "arm",
    "comparator",
    "parameter",
    "n",
    "share_holds",
    "share_tied",
    "share_worse",
    "share_holds_low_half",
    "share_holds_high_half",
    "change",
    "spearman_rho",
)


@dataclass(frozen=True)
class Comparison:
    """Arm(s) A against arm(s) B: ``pairs`` of (A index, B index) pooled together."""

    arm: str
    comparator: str
    pairs: tuple[tuple[int, int], ...]


def _short(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def comparisons(arms: Sequence[Arm]) -> list[Comparison]:
    """The comparisons of an experiment (module docstring); empty with fewer than two arms."""
    if len(arms) < 2:
        return []
    keys = list(arms[0].overrides)
    if not keys or any(list(arm.overrides) != keys for arm in arms):
        return [Comparison(arm.label, arms[0].label, ((i, 0),)) for i, arm in enumerate(arms) if i]
    lever, others = keys[0], keys[1:]
    first = arms[0].overrides[lever]
    base = {
        tuple(arm.overrides[k] for k in others): i
        for i, arm in enumerate(arms)
        if arm.overrides[lever] == first
    }
    single: list[Comparison] = []
    pooled: dict[object, list[tuple[int, int]]] = {}
    for i, arm in enumerate(arms):
        value = arm.overrides[lever]
        match = base.get(tuple(arm.overrides[k] for k in others))
        if value == first or match is None:
            continue
        single.append(Comparison(arm.label, arms[match].label, ((i, match),)))
        pooled.setdefault(value, []).append((i, match))
    if not others:
        return single
    over = ", ".join(_short(k) for k in others)
    head = [
        Comparison(
            f"{_short(lever)}={format_value(v)} (pooled over {over})",
            f"{_short(lever)}={format_value(first)}",
            tuple(p),
        )
        for v, p in pooled.items()
    ]
    return head + single


def _share(flags: np.ndarray) -> float:
    return float(flags.mean()) if flags.size else float("nan")


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(scipy_stats.spearmanr(x, y).statistic)


def robustness_table(
    comparisons_: Sequence[Comparison],
    outcomes: np.ndarray,
    outcome_names: Sequence[str],
    points: np.ndarray,
    paths: Sequence[str],
    lows: Sequence[float],
    highs: Sequence[float],
) -> pd.DataFrame:
    """``robustness.csv`` (columns :data:`ROBUSTNESS_COLUMNS`).

    Parameters
    ----------
    comparisons_
        From :func:`comparisons`.
    outcomes
        ``(n_points, n_arms, n_outcomes)`` outcome means.
    outcome_names
        Names of the last axis of ``outcomes``.
    points, paths, lows, highs
        Parameter values ``(n_points, n_parameters)``, their paths and ranges.
    """
    rows = []
    mids = (np.asarray(lows, float) + np.asarray(highs, float)) / 2
    for k, outcome in enumerate(outcome_names):
        sign = 1.0 if outcome in HIGHER_IS_BETTER else -1.0
        better = "higher" if sign > 0 else "lower"
        for comp in comparisons_:
            gain = np.concatenate(
                [sign * (outcomes[:, a, k] - outcomes[:, b, k]) for a, b in comp.pairs]
            )
            values = np.concatenate([points for _ in comp.pairs])
            keep = ~np.isnan(gain)
            gain, values = gain[keep], values[keep]
            holds = gain > 0
            common = {
                "outcome": outcome,
                "better": better,
                "arm": comp.arm,
                "comparator": comp.comparator,
                "n": int(gain.size),
                "share_holds": _share(holds),
                "share_tied": _share(gain == 0),
                "share_worse": _share(gain < 0),
            }
            rows.append({**common, "parameter": ALL_PARAMETERS})
            for j, path in enumerate(paths):
                lower = values[:, j] < mids[j]
                low, high = _share(holds[lower]), _share(holds[~lower])
                rows.append(
                    {
                        **common,
                        "parameter": path,
                        "share_holds_low_half": low,
                        "share_holds_high_half": high,
                        "change": high - low,
                        "spearman_rho": _spearman(values[:, j], gain),
                    }
                )
    return pd.DataFrame(rows, columns=list(ROBUSTNESS_COLUMNS))


def flip_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per outcome x comparison: the shares and the parameter most likely to flip it
    (largest change in the share between the halves of its range; ties by |Spearman rho|)."""
    rows = []
    keys = ["outcome", "better", "arm", "comparator"]
    for key, group in table.groupby(keys, sort=False):
        overall = group.loc[group["parameter"] == ALL_PARAMETERS].iloc[0]
        params = group.loc[group["parameter"] != ALL_PARAMETERS].copy()
        params["_change"] = params["change"].abs().fillna(0)
        params["_rho"] = params["spearman_rho"].abs().fillna(0)
        flip = "none"
        if not params.empty:
            ordered = params.sort_values(["_change", "_rho"], ascending=False, kind="stable")
            top = ordered.iloc[0]
            if abs(top["change"]) > 0:
                flip = f"{top['parameter']} ({top['share_holds_low_half']:.2f} -> {top['share_holds_high_half']:.2f})"
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "n": int(overall["n"]),
                "holds": overall["share_holds"],
                "tied": overall["share_tied"],
                "worse": overall["share_worse"],
                "flipped by (holds: lower -> upper half)": flip,
            }
        )
    return pd.DataFrame(rows)
