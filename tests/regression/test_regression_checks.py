"""The comparison rules, on hand-made tables (no simulation)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis.reference_store import same_platform
from sim.analysis.regression_checks import (
    FLOOR_FRACTION,
    K_SE,
    allowed_difference,
    exact_check,
    platform_fingerprint,
    statistical_check,
)

#: A metric's mean, replication sd and replications in the hand-made reference.
MEAN, SD, N = 100.0, 8.0, 16
#: Standard error of the difference of two such means.
SE_DIFF = math.sqrt(2) * SD / math.sqrt(N)


def stats(mean: float, sd: float = SD, n: int = N, metric: str = "open_cases") -> pd.DataFrame:
    return pd.DataFrame([{"arm": "a", "metric": metric, "mean": mean, "sd": sd, "n": n}])


def test_tiny_change_is_ignored() -> None:
    """A shift of 0.1 SE of the difference is well inside the 4-SE rule."""
    table = statistical_check(stats(MEAN), stats(MEAN + 0.1 * SE_DIFF), "s")
    assert list(table["status"]) == ["ok"]
    assert table["allowed"].iloc[0] == pytest.approx(K_SE * SE_DIFF)


@pytest.mark.parametrize(("shift", "status"), [(3.9, "ok"), (4.1, "DRIFT")])
def test_boundary_at_k_standard_errors(shift: float, status: str) -> None:
    """The rule's threshold is exactly K_SE standard errors of the difference."""
    table = statistical_check(stats(MEAN), stats(MEAN + shift * SE_DIFF), "s")
    assert table["status"].iloc[0] == status


def test_zero_variance_metric_uses_the_floor() -> None:
    """With sd = 0 only floating-point noise (below FLOOR_FRACTION) is tolerated."""
    noise = 0.1 * FLOOR_FRACTION
    assert (
        statistical_check(stats(0.0, sd=0.0), stats(noise, sd=0.0), "s")["status"].iloc[0] == "ok"
    )
    change = 1e-3
    assert (
        statistical_check(stats(0.0, sd=0.0), stats(change, sd=0.0), "s")["status"].iloc[0]
        == "DRIFT"
    )
    assert allowed_difference(0.0, 0.0, 5e6) == pytest.approx(FLOOR_FRACTION * 5e6)


def test_undefined_and_missing_outcomes() -> None:
    """Undefined in both runs is fine; defined in one only, or missing from a table, drifts."""
    both = statistical_check(stats(math.nan, n=0), stats(math.nan, n=0), "s")
    assert both["status"].iloc[0] == "ok"
    one = statistical_check(stats(math.nan, n=0), stats(1.0, n=3), "s")
    assert one["status"].iloc[0].startswith("DRIFT")
    missing = statistical_check(stats(MEAN), stats(MEAN, metric="other"), "s")
    assert sorted(missing["status"]) == [
        "DRIFT: missing from the new run",
        "DRIFT: missing from the reference",
    ]


def frame(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "arm": "a",
            "replication": [0, 0, 1, 1],
            "month": [1, 2, 1, 2],
            "x": values,
            "grades": ["4-3", None, "", "2"],
        }
    )


def test_exact_check_passes_identical_and_flags_one_bit() -> None:
    values = [1.0, 2.0, math.nan, 0.1]
    assert exact_check("s", frame(values), frame(values), replications=2).status == "pass"
    changed = list(values)
    changed[3] = float(np.nextafter(0.1, 1.0))
    found = exact_check("s", frame(values), frame(changed), replications=2)
    assert found.failed and found.detail == "1 value(s) differ"
    assert found.mismatches[0][1] == "x [arm=a replication=1 month=2]"


def test_exact_check_only_compares_shared_replications() -> None:
    """Replication 1 differs but only replication 0 is shared: pass."""
    assert (
        exact_check(
            "s", frame([1.0, 2.0, 3.0, 4.0]), frame([1.0, 2.0, 9.0, 9.0]), replications=1
        ).status
        == "pass"
    )


def test_fingerprint_names_numpy_simd_targets_of_this_cpu() -> None:
    """Two CPUs of one architecture can differ in the last bit (NumPy's wider vectors with
    AVX-512): the fingerprint records which of NumPy's dispatch targets this CPU runs."""
    from numpy._core._multiarray_umath import __cpu_dispatch__

    simd = platform_fingerprint()["numpy_simd"]
    assert simd and simd != "unknown"
    assert simd == "none" or set(simd.split()) <= set(__cpu_dispatch__)


def test_reference_without_simd_target_is_another_platform() -> None:
    """References blessed before the SIMD targets were recorded are checked statistically only."""
    fingerprint = platform_fingerprint()
    old = {k: v for k, v in fingerprint.items() if k != "numpy_simd"}
    same, difference = same_platform({"platform_fingerprint": old})
    assert not same and "numpy_simd" in difference
    assert same_platform({"platform_fingerprint": fingerprint}) == (True, "")
