"""SALib problem, samples and indices for the ``uncertain:`` section, and the tornado plot.

Distributions map to SALib's ``dists``:

==============  ================================================================
``uniform``     ``unif`` over [low, high]
``triangular``  ``triang`` over [low, high], peak at mid-range (the section has
                no mode field)
``normal``      ``truncnorm``: mean mid-range, sd a quarter of the range,
                truncated to [low, high] (the ~4.6% beyond two sd is cut off so
                every value stays inside the range the file declared and the
                field's bounds were checked against; Morris also needs finite
                values at the ends of its grid)
==============  ================================================================

Any other distribution would fall back to uniform with a note in ``sensitivity.csv``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.scenario.paths import resolve_path
from sim.scenario.scenario import Scenario

METHODS: tuple[str, ...] = ("morris", "sobol")
#: Grid levels of the Morris design (SALib's default; 4 is the usual choice, Saltelli 2004).
MORRIS_LEVELS = 4
#: Confidence level of the bootstrap intervals SALib reports.
CONF_LEVEL = 0.95
#: Bootstrap resamples for those intervals (SALib's default).
RESAMPLES = 100
#: Seeds handed to SALib are reduced modulo this (numpy/scipy accept 32-bit seeds everywhere).
SEED_MODULUS = 2**32
#: A normal's sd is (high - low) / NORMAL_SDS_IN_RANGE: the range is mean +/- 2 sd.
NORMAL_SDS_IN_RANGE = 4.0
#: Peak of a triangular distribution as a fraction of the range (mid-range).
TRIANGULAR_PEAK = 0.5
#: The "method" of a sensitivity run over posterior draws (``csc-sim sensitivity --posterior``).
POSTERIOR_METHOD = "posterior"
INDEX_COLUMNS: dict[str, tuple[str, ...]] = {
    "morris": ("mu_star", "mu_star_conf", "sigma", "mu"),
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    # Over posterior draws (no box to decompose): Spearman's rank correlation of each parameter
    # with the outcome across the draws, and the 95% half-width of |rho| (Fisher z).
    POSTERIOR_METHOD: ("abs_rho", "abs_rho_conf", "rho", "p_value"),
}
#: The index that ranks parameters in the tornado plot.
RANK_INDEX: dict[str, str] = {"morris": "mu_star", "sobol": "ST", POSTERIOR_METHOD: "abs_rho"}


@dataclass
class Problem:
    """The uncertain parameters as a SALib problem.

    Attributes
    ----------
    paths, lows, highs, distributions, integer
        Per parameter: dotted path, range, distribution name, whole-number field.
    notes
        Remarks for the output (distribution fallbacks).
    """

    paths: list[str]
    lows: list[float]
    highs: list[float]
    distributions: list[str]
    integer: list[bool]
    notes: list[str] = field(default_factory=list)

    def salib(self) -> dict[str, Any]:
        """The SALib ``problem`` dict."""
        bounds: list[list[float]] = []
        dists: list[str] = []
        for low, high, dist in zip(self.lows, self.highs, self.distributions, strict=True):
            if dist == "triangular":
                bounds.append([low, high, TRIANGULAR_PEAK])
                dists.append("triang")
            elif dist == "normal":
                mid, sd = (low + high) / 2, (high - low) / NORMAL_SDS_IN_RANGE
                bounds.append([low, high, mid, sd])
                dists.append("truncnorm")
            else:
                bounds.append([low, high])
                dists.append("unif")
        return {
            "num_vars": len(self.paths),
            "names": list(self.paths),
            "bounds": bounds,
            "dists": dists,
        }


def build_problem(scenario: Scenario, source: str) -> Problem:
    """The problem of a scenario's ``uncertain:`` section (already validated)."""
    problem = Problem([], [], [], [], [])
    for path, spec in (scenario.uncertain or {}).items():
        ref = resolve_path(path, file=source, field=f"uncertain.{path}")
        problem.paths.append(ref.path)
        problem.lows.append(float(spec.low))
        problem.highs.append(float(spec.high))
        dist = str(spec.distribution)
        if dist not in ("uniform", "triangular", "normal"):
            problem.notes.append(
                f"{path}: distribution '{dist}' is not supported by SALib here; uniform used."
            )
            dist = "uniform"
        problem.distributions.append(dist)
        problem.integer.append(ref.info.annotation is int)
    return problem


def sample(problem: Problem, method: str, samples: int, seed: int) -> np.ndarray:
    """Sample points: Morris trajectories (``samples * (k + 1)`` points) or Saltelli-Sobol'
    first- and total-order design (``samples * (k + 2)`` points)."""
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    spec = problem.salib()
    if method == "morris":
        return np.asarray(
            morris_sample.sample(spec, samples, num_levels=MORRIS_LEVELS, seed=seed % SEED_MODULUS)
        )
    return np.asarray(
        sobol_sample.sample(spec, samples, calc_second_order=False, seed=seed % SEED_MODULUS)
    )


def analyse(
    problem: Problem, method: str, points: np.ndarray, y: np.ndarray, seed: int
) -> dict[str, np.ndarray]:
    """Indices of one outcome vector ``y`` (one value per sample point), per parameter."""
    if method == POSTERIOR_METHOD:
        return rank_correlations(points, y)
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze

    spec = problem.salib()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a constant outcome divides by zero (NaN)
        if method == "morris":
            found = morris_analyze.analyze(
                spec,
                points,
                y,
                num_resamples=RESAMPLES,
                conf_level=CONF_LEVEL,
                num_levels=MORRIS_LEVELS,
                seed=seed % SEED_MODULUS,
            )
        else:
            found = sobol_analyze.analyze(
                spec,
                y,
                calc_second_order=False,
                num_resamples=RESAMPLES,
                conf_level=CONF_LEVEL,
                seed=seed % SEED_MODULUS,
            )
    return {name: np.asarray(found[name], dtype=float) for name in INDEX_COLUMNS[method]}


def rank_correlations(points: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Spearman's rho of each parameter (column of ``points``) with ``y`` over posterior draws,
    its p-value and the 95% half-width of |rho| by Fisher's z (``1.96 / sqrt(n - 3)``)."""
    from scipy import stats as scipy_stats

    n, k = points.shape
    rho, p_value = np.full(k, np.nan), np.full(k, np.nan)
    for j in range(k):
        if np.ptp(points[:, j]) > 0 and np.ptp(y) > 0:
            found = scipy_stats.spearmanr(points[:, j], y)
            rho[j], p_value[j] = float(found.statistic), float(found.pvalue)
    z = np.arctanh(np.clip(np.abs(rho), 0, 0.999999))
    half = scipy_stats.norm.ppf(0.5 + CONF_LEVEL / 2) / np.sqrt(max(n - 3, 1))
    conf = np.maximum(np.tanh(z + half) - np.tanh(z), 0.0)  # NaN stays NaN
    return {"abs_rho": np.abs(rho), "abs_rho_conf": conf, "rho": rho, "p_value": p_value}


def indices_table(
    problem: Problem,
    method: str,
    points: np.ndarray,
    outcomes: np.ndarray,
    outcome_names: Sequence[str],
    arm_labels: Sequence[str],
    seed: int,
) -> pd.DataFrame:
    """``sensitivity.csv``: one row per parameter x outcome x arm (and ``"all"``: the mean over arms).

    Columns: ``parameter, outcome, arm``, the method's indices, ``rank`` (1 = most influential
    by mu_star or ST) and ``note``. An outcome undefined at some sample point gets NaN indices.
    """
    rows = []
    columns = INDEX_COLUMNS[method]
    for k, outcome in enumerate(outcome_names):
        series = [(label, outcomes[:, a, k]) for a, label in enumerate(arm_labels)]
        if len(arm_labels) > 1:
            series.append(("all", outcomes[:, :, k].mean(axis=1)))
        for label, y in series:
            note = ""
            if np.isnan(y).any():
                found = {c: np.full(len(problem.paths), np.nan) for c in columns}
                note = "outcome undefined at some sample points (e.g. no intervention ended in the run)"
            else:
                found = analyse(problem, method, points, y, seed)
                if np.ptp(y) == 0:
                    note = "outcome does not vary across the sample points"
            rank = pd.Series(found[RANK_INDEX[method]]).rank(ascending=False, method="min")
            for i, path in enumerate(problem.paths):
                rows.append(
                    {
                        "parameter": path,
                        "outcome": outcome,
                        "arm": label,
                        **{c: float(found[c][i]) for c in columns},
                        "rank": float(rank.iloc[i]),
                        "note": note,
                    }
                )
    return pd.DataFrame(rows, columns=["parameter", "outcome", "arm", *columns, "rank", "note"])


def tornado_plot(
    table: pd.DataFrame, method: str, outcome: str, arm: str, path: Path, subtitle: str = ""
) -> Path:
    """Horizontal bars of the ranking index (with its confidence half-width), largest on top."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    index = RANK_INDEX[method]
    rows = table.loc[(table["outcome"] == outcome) & (table["arm"] == arm)].sort_values(
        index, na_position="first"
    )
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(rows), 2) + 1.6))
    values, half = rows[index].fillna(0).to_numpy(), rows[f"{index}_conf"].fillna(0).to_numpy()
    # The bootstrap interval is symmetric; indices are non-negative, so clip the bar at zero.
    ax.barh(
        rows["parameter"],
        values,
        xerr=np.vstack([np.minimum(half, np.maximum(values, 0)), half]),
        color="#3b6ea5",
        capsize=3,
        label=index,
    )
    if method == "sobol":
        ax.barh(rows["parameter"], rows["S1"].fillna(0), color="#e0a030", height=0.4, label="S1")
        ax.legend(loc="lower right")
    label = {
        "morris": "Morris mu* (mean |elementary effect|, outcome units per full range)",
        "sobol": "Sobol' total-order index ST",
        POSTERIOR_METHOD: "|Spearman rho| of parameter and outcome over posterior draws",
    }[method]
    ax.set_xlabel(label)
    where = "mean over arms" if arm == "all" else arm
    ax.set_title(f"Sensitivity of {outcome} ({where}){subtitle}", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
