"""`csc-sim regress` and `csc-sim bless` against short reference scenarios blessed in a tmp dir.

Besides passing on unchanged results, a regression check must *fail* on a changed model (the
Covasim ``test_regression`` lesson): a reference perturbed by 25%, more referrals, and a single
changed value are all caught and named.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner, Result

from sim.analysis.reference_store import EVENTS_SUMMARY_CSV
from sim.cli import main
from tests.regression.conftest import TEST_REPLICATIONS, copy_reference_scenarios

#: Reference means are multiplied by this in the perturbation test (a 25% change).
PERTURBATION = 1.25
#: Metrics whose last-12-month mean is large and non-zero in both scenarios, so a 25% shift of
#: the reference is many standard errors (their replication sd is a few percent of the mean).
STABLE_METRICS = ("referrals", "open_cases", "employed_fte", "cost_cumulative_gbp")


def regress(scenarios: Path, reference: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        main, ["regress", "--scenarios", str(scenarios), "--reference", str(reference), *extra]
    )


def test_regress_passes_against_fresh_references(blessed: tuple[Path, Path]) -> None:
    """Unchanged model, same platform: both checks pass and the rules are printed."""
    result = regress(*blessed)
    assert result.exit_code == 0, result.output
    assert "exact pass" in result.output
    assert "EXACT:" in result.output and "STATISTICAL:" in result.output
    assert "PASS: no drift." in result.output


def test_fewer_replications_compare_the_shared_ones(blessed: tuple[Path, Path]) -> None:
    """--replications below the blessed count: the exact check covers the shared replications."""
    result = regress(*blessed, "--replications", "2")
    assert result.exit_code == 0, result.output
    assert "[2 replications" in result.output


def test_manifest_records_why_when_and_versions(blessed: tuple[Path, Path]) -> None:
    manifest = json.loads((blessed[1] / "baseline" / "manifest.json").read_text())
    assert manifest["message"] == "test references"
    assert manifest["replications"] == TEST_REPLICATIONS
    for key in ("blessed_at", "git_commit", "platform_fingerprint", "dependencies", "seed"):
        assert key in manifest
    assert set(manifest["platform_fingerprint"]) == {
        "system",
        "machine",
        "python",
        "numpy",
        "numpy_simd",
    }


def test_reference_means_perturbed_by_25_percent_fail(reference_copy: tuple[Path, Path]) -> None:
    """Every reference mean x 1.25: exit 1 and the drifted metrics are named in the table."""
    scenarios, reference = reference_copy
    for folder in reference.iterdir():
        for name in ("summary.csv", EVENTS_SUMMARY_CSV):
            table = pd.read_csv(folder / name)
            table["mean"] *= PERTURBATION
            table.to_csv(folder / name, index=False)
    result = regress(scenarios, reference)
    assert result.exit_code == 1, result.output
    drifted = result.output.split("Drifted:")[1]
    for metric in STABLE_METRICS:
        assert metric in drifted
    assert "DRIFT" in drifted and "FAIL" in result.output
    # Metrics that are zero stay zero when scaled: they must not be reported.
    assert "unallocated_cases" not in drifted


def test_more_referrals_fail(blessed: tuple[Path, Path], tmp_path: Path) -> None:
    """A model fed 25% more first-time referrals drifts: both checks fail and name referrals."""
    base_rate = 2650.0
    scenarios = copy_reference_scenarios(
        tmp_path / "scenarios", demand={"first_referrals_per_year": base_rate * PERTURBATION}
    )
    result = regress(scenarios, blessed[1])
    assert result.exit_code == 1, result.output
    drifted = result.output.split("Drifted:")[1]
    assert "exact fail" in result.output
    lines = [
        line for line in drifted.splitlines() if " referrals " in f" {line} " and "DRIFT" in line
    ]
    assert len(lines) == 2, drifted  # baseline and troubled
    assert "the scenario file changed since it was blessed" in result.output


def test_exact_check_detects_one_changed_value(reference_copy: tuple[Path, Path]) -> None:
    """One time-series value changed in its last bit: the exact check fails and names it; the
    statistical check (which allows several standard errors) does not."""
    scenarios, reference = reference_copy
    path = reference / "baseline" / "timeseries.parquet"
    frame = pd.read_parquet(path)
    row = 5  # replication 0, month 6
    values = frame["morale"].to_numpy().copy()
    values[row] = np.nextafter(values[row], np.inf)  # the smallest possible change
    frame["morale"] = values
    frame.to_parquet(path, index=False)
    result = regress(scenarios, reference)
    assert result.exit_code == 1, result.output
    assert "baseline: exact fail (timeseries: 1 value(s) differ)" in result.output
    assert "morale [arm=baseline replication=0 month=6]" in result.output
    assert " DRIFT" not in result.output.split("Drifted:")[1]


def test_exact_check_skipped_on_another_platform(reference_copy: tuple[Path, Path]) -> None:
    """A reference blessed with another NumPy: exact check skipped, statistical check decides."""
    scenarios, reference = reference_copy
    for folder in reference.iterdir():
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["platform_fingerprint"]["numpy"] = "0.0.1"
        (folder / "manifest.json").write_text(json.dumps(manifest))
    result = regress(scenarios, reference)
    assert result.exit_code == 0, result.output
    assert "exact skipped: different platform" in result.output


def test_missing_reference_fails(blessed: tuple[Path, Path], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = regress(blessed[0], tmp_path / "empty")
    assert result.exit_code == 1
    assert "no blessed reference" in result.output


def test_bless_needs_a_message(blessed: tuple[Path, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(
        main, ["bless", "--scenarios", str(blessed[0]), "--reference", str(tmp_path / "r")]
    )
    assert missing.exit_code == 2 and "--message" in missing.output
    blank = runner.invoke(
        main,
        ["bless", "-m", "  ", "--scenarios", str(blessed[0]), "--reference", str(tmp_path / "r")],
    )
    assert blank.exit_code == 2 and "--message: is required" in blank.output
    assert not (tmp_path / "r").exists()


def test_bad_replications_exit_2(blessed: tuple[Path, Path]) -> None:
    result = regress(*blessed, "--replications", "1")
    assert result.exit_code == 2
    assert "--replications" in result.output
