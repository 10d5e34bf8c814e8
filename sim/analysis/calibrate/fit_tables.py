"""Tables of a finished study: targets against predictive intervals, waves, the posterior.

A predictive interval is the 2.5-97.5% range of what the record would read if the model were
true: for each parameter set (prior: wave 1's Latin hypercube, equal weights; posterior: the
weighted ensemble), its mean over replications plus a normal draw with the observation,
discrepancy and replicate variances (rates), or a binomial draw of the target's ``n`` LAs at the
model's share (counts). Draws are seeded.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.analysis.calibrate.likelihood import Output, summarise
from sim.analysis.calibrate.simulator import Stats
from sim.analysis.calibrate.study import Fit, resample

DRAWS_PER_SET = 200
LOW_Q, HIGH_Q = 2.5, 97.5


def predictive(
    outputs: list[Output],
    targets: pd.DataFrame,
    stats: list[list[Stats]],
    weights: np.ndarray,
    seed: int,
) -> np.ndarray:
    """``(n_outputs, 2)`` predictive 95% intervals (NaN when no parameter set has weight, e.g.
    every posterior set's likelihood zero)."""
    rng = np.random.default_rng([seed, 5])
    n_of = targets.set_index("id")["n"]
    summaries = [summarise(outputs, reps) for reps in stats]
    out = np.full((len(outputs), 2), math.nan)
    if not weights.sum() > 0:
        return out
    counts = rng.multinomial(DRAWS_PER_SET * len(stats), weights / weights.sum())
    for i, o in enumerate(outputs):
        draws = []
        for (mean, rep_var), k in zip(summaries, counts, strict=True):
            if k == 0 or not math.isfinite(mean[i]):
                continue
            if o.family == "multinomial":
                n = int(n_of[o.target])
                draws.append(rng.binomial(n, min(max(mean[i], 0.0), 1.0), size=k) / n)
            else:
                var = o.obs_var + o.disc_var + (rep_var[i] if math.isfinite(rep_var[i]) else 0.0)
                draws.append(mean[i] + math.sqrt(var) * rng.standard_normal(k))
        if draws:
            out[i] = np.percentile(np.concatenate(draws), [LOW_Q, HIGH_Q])
    return out


def fit_table(fit: Fit, targets: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Every fitted target: observed, prior and posterior predictive intervals, inside or not,
    and the share of the prior space it alone put above the cut-off in some wave."""
    first = fit.wave_stats[0]
    before = predictive(fit.outputs, targets, first, np.ones(len(first)), seed)
    after = predictive(fit.outputs, targets, fit.posterior_stats, fit.weights, seed)
    rows = []
    for i, o in enumerate(fit.outputs):
        rows.append(
            {
                "target": o.name,
                "family": o.family,
                "observed": o.observed,
                "prior_low": before[i, 0],
                "prior_high": before[i, 1],
                "posterior_low": after[i, 0],
                "posterior_high": after[i, 1],
                "inside_posterior": bool(after[i, 0] <= o.observed <= after[i, 1]),
                "inside_prior": bool(before[i, 0] <= o.observed <= before[i, 1]),
                "ruled_out_share": float(fit.ruled_out_by[i]),
            }
        )
    return pd.DataFrame(rows)


def waves_table(fit: Fit) -> pd.DataFrame:
    """One row per wave: points and runs, share of the prior space left before and after, time."""
    return pd.DataFrame(
        [
            {
                "wave": w.number,
                "points": w.points,
                "runs": w.runs,
                "space_left_before": w.remaining_before,
                "space_left_after": w.remaining_after,
                "ruled_out_this_wave": w.remaining_before - w.remaining_after,
                "seconds": round(w.seconds, 1),
            }
            for w in fit.waves
        ]
    )


def posterior_table(fit: Fit, seed: int) -> pd.DataFrame:
    """The ensemble: one row per parameter set, its weight, log-likelihood, and how often a
    systematic importance resample of as many draws as sets picks it (``resampled``)."""
    frame = pd.DataFrame(fit.posterior_values, columns=fit.prior.paths)
    for j, whole in enumerate(fit.prior.integer):
        if whole:
            frame[fit.prior.paths[j]] = frame[fit.prior.paths[j]].round().astype(int)
    frame["weight"] = fit.weights
    frame["log_likelihood"] = fit.log_lik
    picks = resample(fit.weights, len(fit.weights), seed)
    frame["resampled"] = np.bincount(picks, minlength=len(fit.weights)).astype(int)
    return frame


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: list[float]) -> np.ndarray:
    """Quantiles of a weighted sample."""
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    cum = cum / cum[-1]
    return np.interp(qs, cum, values[order])


def marginals_table(fit: Fit) -> pd.DataFrame:
    """Per parameter: prior range, posterior mean and 5/50/95% quantiles."""
    rows = []
    for j, (path, spec) in enumerate(zip(fit.prior.paths, fit.prior.specs, strict=True)):
        v = fit.posterior_values[:, j]
        q5, q50, q95 = (
            weighted_quantiles(v, fit.weights, [0.05, 0.5, 0.95])
            if fit.weights.sum() > 0
            else (math.nan,) * 3
        )
        rows.append(
            {
                "parameter": path,
                "prior_low": spec.low,
                "prior_high": spec.high,
                "posterior_mean": float(np.sum(v * fit.weights))
                if fit.weights.sum() > 0
                else math.nan,
                "q05": q5,
                "q50": q50,
                "q95": q95,
            }
        )
    return pd.DataFrame(rows)
