"""The two comparisons of a regression check: exact (same platform) and statistical.

**Exact.** On the platform that blessed the references (same operating system, machine
architecture, Python and NumPy versions, and the SIMD instruction sets NumPy dispatches to on this
CPU: :func:`platform_fingerprint`), every value of the time
series and of the event outcomes must be bit-identical for the replications both runs share
(same seed, same replication numbers). Elsewhere the exact check is skipped: floating-point
results may legitimately differ across platforms and library versions.

**Statistical.** For each summary metric and event outcome, per arm::

    |mean_new - mean_ref| <= allowed = max(K_SE * sqrt(se_new**2 + se_ref**2), floor)
    se = sd / sqrt(n),  floor = FLOOR_FRACTION * max(1, |mean_ref|)

``K_SE = 4``: with about 28 comparisons per scenario and two reference scenarios (56 in all)
a 4-SE rule keeps the family-wise false-alarm rate small (per comparison about 4e-4 with
16 + 16 replications, Student t with ~30 degrees of freedom; at most ~2% over 56 comparisons
by Bonferroni, less since the metrics are correlated), yet a shift of about 1.5 replication
standard deviations (4 SE of the difference at n = 16) is caught half the time and one of
2 sd nearly always. The runs share seeds (common random numbers), so the new and reference
means are positively correlated and the rule is conservative.

The ``floor`` only matters for metrics with no spread across replications (e.g. ``change_team_fte``
without an intervention): there ``allowed`` would be 0 and floating-point noise in the last
digits would count as drift. ``FLOOR_FRACTION = 1e-6`` tolerates that noise (one part in a
million, and 1e-6 in absolute terms near zero) and nothing a modeller would call a change.
"""

from __future__ import annotations

import math
import platform
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.model.output import ARM, series_keys

#: Allowed difference of means in standard errors of the difference (see the module docstring).
K_SE = 4.0
#: Smallest allowed difference, relative to max(1, |reference mean|): floating-point noise only.
FLOOR_FRACTION = 1e-6
#: Columns of the table of drifted comparisons.
DRIFT_COLUMNS: tuple[str, ...] = (
    "scenario",
    "metric",
    "reference",
    "new",
    "difference",
    "allowed",
    "status",
)
#: Key columns of a single-LA ``timeseries`` table, the default rows of an exact check.
SERIES_KEYS: tuple[str, ...] = series_keys()
#: Columns of a statistics table (``summary.csv``/``events_summary.csv``) the rule needs.
STAT_COLUMNS: tuple[str, ...] = (ARM, "metric", "mean", "sd", "n")
#: Mismatching cells quoted in an exact-check failure.
MISMATCHES_QUOTED = 5

STATUS_OK, STATUS_DRIFT, STATUS_SKIPPED = "ok", "DRIFT", "skipped"

RULE_EXACT = (
    "EXACT: on the platform that blessed the references (same OS, machine, Python, NumPy and its SIMD targets on the CPU), "
    "every time-series value and event outcome of the shared replications must be bit-identical; "
    "elsewhere this check is skipped."
)
RULE_STATISTICAL = (
    f"STATISTICAL: for each summary metric and event outcome, |mean_new - mean_ref| <= "
    f"max({K_SE:g} * sqrt(se_new^2 + se_ref^2), {FLOOR_FRACTION:g} * max(1, |mean_ref|)), "
    "se = sd / sqrt(n)."
)


def numpy_simd() -> str:
    """The SIMD targets NumPy dispatches to on this CPU (e.g. ``"X86_V3"``; ``"X86_V3 X86_V4"`` with
    AVX-512), or ``"unknown"``.

    The same NumPy build sums and reduces arrays with wider vectors on a CPU with more instruction
    sets, so results can differ in the last bit between two CPUs of one architecture (seen here:
    references blessed on an AVX-512 machine differed by 1.1e-16 in morale on an AVX2 one).
    """
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:  # another NumPy layout: the versions alone decide
        return "unknown"
    return " ".join(name for name in __cpu_dispatch__ if __cpu_features__.get(name)) or "none"


def platform_fingerprint() -> dict[str, str]:
    """What must match for results to be bit-identical: OS, machine, Python and NumPy versions,
    and NumPy's SIMD targets on this CPU (:func:`numpy_simd`)."""
    return {
        "system": platform.system(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numpy_simd": numpy_simd(),
    }


def allowed_difference(se_new: float, se_ref: float, mean_ref: float) -> float:
    """The largest difference of means the statistical rule accepts (module docstring)."""
    floor = FLOOR_FRACTION * max(1.0, abs(mean_ref))
    spread = K_SE * math.sqrt(se_new**2 + se_ref**2)
    return max(spread, floor)


def _se(sd: float, n: float) -> float:
    return float(sd) / math.sqrt(n) if n >= 2 and math.isfinite(sd) else 0.0


def _compare_row(ref: pd.Series, new: pd.Series) -> tuple[float, str]:
    """``(allowed, status)`` of one arm x metric."""
    n_ref, n_new = int(ref["n"]), int(new["n"])
    if n_ref == 0 and n_new == 0:
        return math.nan, STATUS_OK  # undefined in both runs (e.g. relapse without intervention)
    if n_ref == 0 or n_new == 0:
        return math.nan, f"{STATUS_DRIFT}: defined in one run only"
    if n_ref < 2 or n_new < 2:
        return math.nan, f"{STATUS_SKIPPED}: fewer than 2 values"
    allowed = allowed_difference(_se(new["sd"], n_new), _se(ref["sd"], n_ref), float(ref["mean"]))
    within = abs(float(new["mean"]) - float(ref["mean"])) <= allowed
    return allowed, STATUS_OK if within else STATUS_DRIFT


def statistical_check(reference: pd.DataFrame, new: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """Compare two statistics tables (columns ``arm, metric, mean, sd, n``) by the 4-SE rule.

    Parameters
    ----------
    reference, new
        One row per arm x metric (``summary.csv`` plus ``events_summary.csv``).
    scenario
        Name for the ``scenario`` column.

    Returns
    -------
    pandas.DataFrame
        One row per arm x metric of either table, columns :data:`DRIFT_COLUMNS`; ``metric`` is
        prefixed with the arm label when the scenario has several arms. A comparison missing
        from one table is a drift.
    """
    keys = [ARM, "metric"]
    ref = reference.loc[:, list(STAT_COLUMNS)].astype({"arm": str, "metric": str})
    cur = new.loc[:, list(STAT_COLUMNS)].astype({"arm": str, "metric": str})
    merged = ref.merge(cur, on=keys, how="outer", suffixes=("_ref", "_new"), indicator=True)
    several_arms = merged["arm"].nunique() > 1
    rows = []
    for _, row in merged.iterrows():
        name = f"{row['arm']}: {row['metric']}" if several_arms else str(row["metric"])
        mean_ref, mean_new = float(row["mean_ref"]), float(row["mean_new"])
        if row["_merge"] != "both":
            missing = "new run" if row["_merge"] == "left_only" else "reference"
            allowed, status = math.nan, f"{STATUS_DRIFT}: missing from the {missing}"
        else:
            allowed, status = _compare_row(
                pd.Series({"mean": mean_ref, "sd": row["sd_ref"], "n": row["n_ref"]}),
                pd.Series({"mean": mean_new, "sd": row["sd_new"], "n": row["n_new"]}),
            )
        rows.append((scenario, name, mean_ref, mean_new, mean_new - mean_ref, allowed, status))
    return pd.DataFrame(rows, columns=list(DRIFT_COLUMNS))


@dataclass
class ExactResult:
    """Outcome of the exact check of one scenario.

    Attributes
    ----------
    status
        ``"pass"``, ``"fail"`` or ``"skipped: <reason>"``.
    detail
        One line for the report.
    mismatches
        Up to :data:`MISMATCHES_QUOTED` differing cells as rows of :data:`DRIFT_COLUMNS`.
    """

    status: str
    detail: str
    mismatches: list[tuple[object, ...]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Whether the exact check ran and found a difference."""
        return self.status == "fail"


def _differs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Where two float64 arrays are not bit-identical (any NaN equals any NaN: a missing value
    read back from CSV may carry a different NaN payload)."""
    x = np.ascontiguousarray(a, dtype=np.float64)
    y = np.ascontiguousarray(b, dtype=np.float64)
    both_nan = np.isnan(x) & np.isnan(y)
    return (x.view(np.uint64) != y.view(np.uint64)) & ~both_nan


def _text(column: pd.Series) -> np.ndarray:
    """A column as plain strings, missing values as ``""``."""
    return column.astype("string").fillna("").to_numpy(dtype=str)


def _number(value: object) -> float:
    """``value`` as a float, NaN when it is not a number."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _shared(frame: pd.DataFrame, replications: int, keys: list[str]) -> pd.DataFrame:
    chosen = frame.loc[frame["replication"] < replications].copy()
    chosen["arm"] = chosen["arm"].astype(str)
    return chosen.sort_values(keys, kind="stable").reset_index(drop=True)


def exact_check(
    scenario: str,
    reference: pd.DataFrame,
    new: pd.DataFrame,
    replications: int,
    keys: tuple[str, ...] = SERIES_KEYS,
) -> ExactResult:
    """Bit-for-bit comparison of two tables over their first ``replications`` replications.

    Parameters
    ----------
    scenario
        Name for messages and the mismatch rows.
    reference, new
        ``timeseries`` (or ``events``) tables with the ``keys`` columns.
    replications
        Replications both runs computed (numbers ``0 .. replications - 1``).
    keys
        Columns that identify a row; every other column is compared.
    """
    key_list = list(keys)
    ref, cur = _shared(reference, replications, key_list), _shared(new, replications, key_list)
    columns = [c for c in ref.columns if c not in key_list]
    if list(cur.columns) != list(ref.columns) or len(cur) != len(ref):
        detail = f"tables differ in shape: reference {ref.shape}, new {cur.shape}"
        return ExactResult(
            "fail",
            detail,
            [(scenario, "(table shape)", len(ref), len(cur), math.nan, 0.0, "not identical")],
        )
    if not ref[key_list].astype(str).equals(cur[key_list].astype(str)):
        return ExactResult("fail", "rows differ (arm, replication or month)")
    mismatches: list[tuple[object, ...]] = []
    n_diff = 0
    for column in columns:
        if pd.api.types.is_numeric_dtype(ref[column]) and pd.api.types.is_numeric_dtype(
            cur[column]
        ):
            differs = _differs(ref[column].to_numpy(float), cur[column].to_numpy(float))
        else:
            differs = _text(ref[column]) != _text(cur[column])
        n_diff += int(differs.sum())
        for i in np.flatnonzero(differs)[: MISMATCHES_QUOTED - len(mismatches)]:
            where = " ".join(f"{k}={ref.at[i, k]!s}" for k in key_list)
            a, b = ref.at[i, column], cur.at[i, column]
            delta = _number(b) - _number(a)
            mismatches.append(
                (scenario, f"{column} [{where}]", a, b, delta, 0.0, "not bit-identical")
            )
    if n_diff:
        return ExactResult("fail", f"{n_diff} value(s) differ", mismatches)
    return ExactResult("pass", f"{len(ref)} rows x {len(columns)} columns bit-identical")
