"""Sensitivity analysis and decision robustness (`csc-sim sensitivity`).

The end-to-end tests run a tiny Morris design: 2 parameters, 2 arms, 3 trajectories (9 points),
1 replication, a 2-year horizon after a half-year warm-up (18 short runs, a few seconds).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sim.analysis.robustness import ALL_PARAMETERS, comparisons, flip_summary, robustness_table
from sim.analysis.sensitivity import SensitivityResult, sensitivity
from sim.analysis.sensitivity_indices import Problem, analyse, sample
from sim.cli import main
from sim.scenario.loader import load_scenario
from sim.scenario.sweep import expand_arms

REPO = Path(__file__).resolve().parents[2]
TROUBLED = REPO / "scenarios" / "reference" / "troubled.yaml"
#: Morris trajectories of the tiny design (9 points with 2 parameters).
TRAJECTORIES = 3
INERT = "costs.recruitment_cost_per_hire_gbp"
DRIVER = "demand.first_referrals_per_year"
TINY = f"""
name: tiny
extends: {TROUBLED}
horizon_years: 2
warmup_years: 0.5
grid:
  intervention.duration_months: [6, 18]
uncertain:
  {INERT}: {{low: 2000, high: 8000}}
  {DRIVER}: {{low: 2000, high: 3300, distribution: normal}}
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[SensitivityResult, Path]:
    root = tmp_path_factory.mktemp("sensitivity")
    file = root / "tiny.yaml"
    file.write_text(TINY, encoding="utf-8")
    found = sensitivity(
        file,
        samples=TRAJECTORIES,
        replications=1,
        out=root / "out",
        outcomes=["practice_quality", "caseload_per_fte", "relapsed_within_24m"],
    )
    return found, root / "out"


def test_writes_the_outputs(tiny: tuple[SensitivityResult, Path]) -> None:
    found, out = tiny
    for name in (
        "sensitivity.csv",
        "robustness.csv",
        "tornado.png",
        "samples.csv",
        "manifest.json",
        "report.html",
    ):
        assert (out / name).is_file(), name
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "Decision robustness" in page
    assert DRIVER in page and INERT in page
    assert "report.html" in found.headline() and len(found.headline().splitlines()) == 3
    table = pd.read_csv(out / "sensitivity.csv")
    assert list(table.columns[:7]) == [
        "parameter",
        "outcome",
        "arm",
        "mu_star",
        "mu_star_conf",
        "sigma",
        "mu",
    ]
    assert set(table["arm"]) == {"duration_months=6", "duration_months=18", "all"}
    defined = table.loc[table["outcome"].isin(["practice_quality", "caseload_per_fte"])]
    assert not defined[["mu_star", "mu_star_conf", "sigma"]].isna().any().any()
    assert len(pd.read_csv(out / "samples.csv")) == TRAJECTORIES * (2 + 1) * 2


def test_inert_parameter_has_no_effect_and_driver_ranks_first(
    tiny: tuple[SensitivityResult, Path],
) -> None:
    """Recruitment cost cannot change practice quality: with common random numbers its
    elementary effects are exactly zero (tolerance 1e-12 for float noise only). Referrals must
    drive caseloads: they rank first with a clearly positive mu*."""
    table = tiny[0].indices
    inert = table.loc[
        (table["parameter"] == INERT) & (table["outcome"] == "practice_quality"), "mu_star"
    ]
    assert (inert.abs() < 1e-12).all()
    caseload = table.loc[(table["outcome"] == "caseload_per_fte") & (table["arm"] == "all")]
    top = caseload.sort_values("mu_star", ascending=False).iloc[0]
    assert top["parameter"] == DRIVER and top["rank"] == 1 and top["mu_star"] > 1.0


def test_robustness_shares_are_proportions(tiny: tuple[SensitivityResult, Path]) -> None:
    table = pd.read_csv(tiny[1] / "robustness.csv")
    assert set(table["arm"]) == {"duration_months=18"} and set(table["comparator"]) == {
        "duration_months=6"
    }
    shares = table[["share_holds", "share_tied", "share_holds_low_half", "share_holds_high_half"]]
    values = shares.to_numpy().ravel()
    values = values[~np.isnan(values)]
    assert values.size and ((values >= 0) & (values <= 1)).all()
    assert "Decision robustness" in tiny[0].render()


def test_normal_parameter_stays_in_its_range(tiny: tuple[SensitivityResult, Path]) -> None:
    """A normal distribution is truncated to [low, high] (the Morris grid reaches its ends)."""
    column = tiny[0].points[:, 1]
    assert column.min() >= 2000 and column.max() <= 3300


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_uncertain_path_exits_2(tmp_path: Path) -> None:
    file = write(tmp_path, TINY.replace(DRIVER, "demand.first_referals_per_year"))
    result = CliRunner().invoke(main, ["sensitivity", str(file), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "uncertain.demand.first_referals_per_year" in result.output
    assert "first_referrals_per_year" in result.output  # the suggestion
    assert "Traceback" not in result.output and not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--outcomes", "happiness"], "unknown outcome 'happiness'"),
        (["--method", "sobol", "--samples", "6"], "power of two"),
        (["--horizon-years", "0"], "--horizon-years"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, args: list[str], words: str) -> None:
    file = write(tmp_path, TINY)
    result = CliRunner().invoke(main, ["sensitivity", str(file), *args])
    assert result.exit_code == 2 and words in result.output


def test_no_uncertain_section_exits_2(tmp_path: Path) -> None:
    file = write(tmp_path, TINY.split("uncertain:")[0])
    result = CliRunner().invoke(main, ["sensitivity", str(file)])
    assert result.exit_code == 2 and "uncertain" in result.output


def test_sobol_indices_of_a_known_function() -> None:
    """y = 3 x1 + 0 x2 on [0, 1]^2: x1 explains all the variance. With 256 base samples the
    Saltelli estimators are within 0.1 of the exact S1 = ST = 1 and 0 (a loose bound: their
    bootstrap intervals at this size are a few hundredths wide)."""
    problem = Problem(["x1", "x2"], [0.0, 0.0], [1.0, 1.0], ["uniform", "uniform"], [False, False])
    points = sample(problem, "sobol", 256, seed=1)
    found = analyse(problem, "sobol", points, 3 * points[:, 0], seed=1)
    assert found["ST"][0] == pytest.approx(1.0, abs=0.1) and found["S1"][0] == pytest.approx(
        1.0, abs=0.1
    )
    assert abs(found["ST"][1]) < 0.1


def test_grid_comparisons_pool_over_the_other_lever(tmp_path: Path) -> None:
    text = "name: g\ngrid:\n  intervention.duration_months: [6, 18, 24]\n  leadership.dcs_mean_tenure_months: [12, 60]\n"
    arms = expand_arms(load_scenario(write(tmp_path, text)))
    found = comparisons(arms)
    pooled = [c for c in found if "pooled" in c.arm]
    assert [c.arm for c in pooled] == [
        "duration_months=18 (pooled over dcs_mean_tenure_months)",
        "duration_months=24 (pooled over dcs_mean_tenure_months)",
    ]
    assert all(len(c.pairs) == 2 and c.comparator == "duration_months=6" for c in pooled)
    single = [c for c in found if "pooled" not in c.arm]
    assert len(single) == 4 and all(c.comparator.startswith("duration_months=6 ") for c in single)


def test_flipping_parameter_is_named() -> None:
    """Arm 1 beats arm 0 exactly when x > 0.5: the share holds 0 in the lower half of x's range
    and 1 in the upper half, and x (not the inert y) is named as what flips the ranking."""
    rng = np.random.default_rng(3)
    points = rng.uniform(0, 1, size=(40, 2))
    outcomes = np.zeros((40, 2, 1))
    outcomes[:, 1, 0] = np.where(points[:, 0] > 0.5, -1.0, 1.0)  # lower is better (a cost)
    arms = expand_arms(load_scenario({"name": "n", "arms": {"a": {}, "b": {"seed": 2}}}))
    table = robustness_table(
        comparisons(arms), outcomes, ["cost_cumulative_gbp"], points, ["x", "y"], [0, 0], [1, 1]
    )
    row = table.loc[table["parameter"] == "x"].iloc[0]
    assert row["share_holds_low_half"] == 0 and row["share_holds_high_half"] == 1
    overall = table.loc[table["parameter"] == ALL_PARAMETERS, "share_holds"].iloc[0]
    assert math.isclose(overall, float((points[:, 0] > 0.5).mean()))
    assert (
        flip_summary(table)["flipped by (holds: lower -> upper half)"]
        .iloc[0]
        .startswith("x (0.00 -> 1.00)")
    )
