"""Targets as emulated outputs, implausibility, and the likelihood of a parameter set.

Each fitted target gives scalar *outputs*: a normal or survival target its model mean over the
replications; a multinomial group one output per category (the category is the last ``_<n>`` of
the row's id): the mean over replications of the category's share when the simulator gives shares
(``<statistic>:<category>``, :func:`~sim.analysis.calibrate.simulator.share_key`, e.g. the grade
mix over a sample's LAs), or else the share of replications whose statistic falls in it (one LA's
next grade). Variances are explicit:

* observation: ``se**2`` from the targets table (normal, survival); ``p(1-p)/n`` for a count share
  (``p`` the observed share, smoothed as ``(k + 1/2)/(n + 1)``);
* model discrepancy: the file's ``discrepancy`` (a standard deviation; for a multinomial group a
  Dirichlet concentration ``c``, read as a share variance ``p(1-p)/(c + 1)``);
* replicate (chance) variance: the variance across replications over their number.

Likelihoods: normal for rates and survival shares; Dirichlet-multinomial for count groups, with
``alpha = counts + 1`` (the replications' counts under a uniform prior), shrunk to total ``c``
when the file gives a concentration (more discrepancy, flatter likelihood). The model's counts
are, per category, the replications summed: a share times its weight (the sample's LAs, or its
re-inspections from that origin), or 1 for a replication whose statistic is the category.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from sim.analysis.calibrate.simulator import Stats, share_key, weight_key


@dataclass(frozen=True)
class Output:
    """One scalar emulated output."""

    name: str
    target: str
    group: str
    family: str
    statistic: str
    category: float
    observed: float
    obs_var: float
    disc_var: float


def _discrepancy(table_row: pd.Series, discrepancy: dict[str, float]) -> float:
    if table_row["id"] in discrepancy:
        return discrepancy[table_row["id"]]
    return discrepancy.get(table_row["group"], 0.0)


def build_outputs(targets: pd.DataFrame, discrepancy: dict[str, float]) -> list[Output]:
    """The emulated outputs of the fitted targets, in table order."""
    outputs = []
    for _, row in targets.iterrows():
        family = row["family"]
        disc = _discrepancy(row, discrepancy)
        observed = float(row["observed"])
        if family == "multinomial":
            n, k = float(row["n"]), float(row["k"])
            # The share exactly as the counts give it: the table's is rounded (2/15 reads
            # 0.133333), and a predictive interval of counts out of n can end at exactly k/n.
            observed = k / n
            p = (k + 0.5) / (n + 1.0)
            obs_var = p * (1 - p) / n
            disc_var = p * (1 - p) / (disc + 1.0) if disc > 0 else 0.0
            category = float(str(row["id"]).rsplit("_", 1)[-1])
        else:
            se = float(row["se"])
            obs_var = se**2 if math.isfinite(se) else 0.0
            disc_var = disc**2
            category = math.nan
        outputs.append(
            Output(
                name=str(row["id"]),
                target=str(row["id"]),
                group=str(row["group"]),
                family=family,
                statistic=str(row["statistic"]),
                category=category,
                observed=observed,
                obs_var=obs_var,
                disc_var=disc_var,
            )
        )
    return outputs


def _gives_shares(output: Output, replications: Sequence[Stats]) -> bool:
    if output.family != "multinomial":
        return False
    key = share_key(output.statistic, output.category)
    return any(key in r for r in replications)


def _values(output: Output, replications: Sequence[Stats]) -> np.ndarray:
    """Per replication: the statistic, the category's share, or whether it is the category."""
    if _gives_shares(output, replications):
        key = share_key(output.statistic, output.category)
        shares = np.array([r.get(key, math.nan) for r in replications], dtype=float)
        return shares[np.isfinite(shares)]
    raw = np.array([r.get(output.statistic, math.nan) for r in replications], dtype=float)
    raw = raw[np.isfinite(raw)]
    if output.family == "multinomial":
        return (raw == output.category).astype(float)
    return raw


def model_counts(output: Output, replications: Sequence[Stats]) -> float:
    """The model's count of a multinomial output's category, summed over replications: each
    replication's share times its weight (its count behind the share; 1 when none is given), or
    1 per replication whose statistic is the category."""
    if not _gives_shares(output, replications):
        return float(_values(output, replications).sum())
    key = share_key(output.statistic, output.category)
    total = 0.0
    for r in replications:
        share, weight = r.get(key, math.nan), r.get(weight_key(key), 1.0)
        if math.isfinite(share) and weight > 0:
            total += share * weight
    return total


def summarise(
    outputs: Sequence[Output], replications: Sequence[Stats]
) -> tuple[np.ndarray, np.ndarray]:
    """Model mean and replicate variance of the mean, per output, from one point's replications."""
    means = np.full(len(outputs), math.nan)
    rep_var = np.full(len(outputs), math.nan)
    for i, output in enumerate(outputs):
        values = _values(output, replications)
        if len(values):
            means[i] = float(np.mean(values))
            rep_var[i] = (
                float(np.var(values, ddof=1)) / len(values) if len(values) > 1 else math.nan
            )
    return means, rep_var


def output_means(outputs: Sequence[Output], stats: Sequence[Sequence[Stats]]) -> np.ndarray:
    """Model mean per point (rows) and output (columns) from each point's replications."""
    return np.array([summarise(outputs, reps)[0] for reps in stats]).reshape(
        len(stats), len(outputs)
    )


def residual_and_variance(
    outputs: Sequence[Output], mean: np.ndarray, em_var: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``z - E[f(x)]`` and ``Var_em + Var_obs + Var_disc`` per candidate (rows) and output.

    The emulator's variance includes the replicate (chance) variance through its white-noise term.
    """
    observed = np.array([o.observed for o in outputs])
    fixed = np.array([o.obs_var + o.disc_var for o in outputs])
    return observed - mean, np.maximum(em_var + fixed, 1e-12)


def implausibility(outputs: Sequence[Output], mean: np.ndarray, em_var: np.ndarray) -> np.ndarray:
    """``|z - E[f(x)]| / sqrt(Var_em + Var_obs + Var_disc)`` per candidate (rows) and output."""
    residual, total = residual_and_variance(outputs, mean, em_var)
    return np.abs(residual) / np.sqrt(total)


def log_likelihood(
    outputs: Sequence[Output],
    targets: pd.DataFrame,
    replications: Sequence[Stats],
    discrepancy: dict[str, float],
) -> tuple[float, dict[str, float]]:
    """Log-likelihood of the record given one point's replications, in total and per target
    (a multinomial group is one term, named by its group)."""
    terms: dict[str, float] = {}
    by_id = targets.set_index("id")
    groups: dict[str, list[Output]] = {}
    for output in outputs:
        if output.family == "multinomial":
            groups.setdefault(output.group, []).append(output)
            continue
        values = _values(output, replications)
        if not len(values):
            terms[output.target] = -math.inf
            continue
        rep = float(np.var(values, ddof=1)) / len(values) if len(values) > 1 else 0.0
        sd = math.sqrt(max(output.obs_var + output.disc_var + rep, 1e-12))
        terms[output.target] = float(sps.norm.logpdf(output.observed, float(np.mean(values)), sd))
    for group, members in groups.items():
        counts = np.array([model_counts(o, replications) for o in members])
        observed = np.array([by_id.loc[o.target, "k"] for o in members], dtype=int)
        alpha = counts + 1.0
        concentration = discrepancy.get(group, 0.0)
        if concentration > 0 and alpha.sum() > concentration:
            alpha = alpha * concentration / alpha.sum()
        terms[group] = float(sps.dirichlet_multinomial.logpmf(observed, alpha, int(observed.sum())))
    return float(sum(terms.values())), terms
