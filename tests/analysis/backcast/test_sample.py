"""The stratified sample of LAs (allocation by hand, grade mix kept, reproducible) and one
evaluation of a tiny sample over a short back-cast."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from sim.analysis.backcast.sample import allocate, evaluate_sample, stratified_sample
from sim.scenario.errors import ScenarioError
from sim.scenario.population import load_population_table
from tests.backcast_fixture import ENGLAND
from tests.experiment.helpers import REPO


def test_allocation_is_hamilton_by_hand() -> None:
    # quotas 10 * (5, 3, 2) / 10 = 5, 3, 2 exactly; then 4 of 10: 2, 1.2, 0.8 -> 2, 1, 1
    assert allocate({"a": 5, "b": 3, "c": 2}, 10) == {"a": 5, "b": 3, "c": 2}
    assert allocate({"a": 5, "b": 3, "c": 2}, 4) == {"a": 2, "b": 1, "c": 1}
    with pytest.raises(ScenarioError, match="not possible"):
        allocate({"a": 1}, 2)


def test_sample_keeps_the_starting_grade_mix_and_is_reproducible() -> None:
    table = load_population_table()
    grade = {r.code: r.grade for r in table.rows}
    sample = stratified_sample(38, seed=3)
    assert len(sample) == len(set(sample)) == 38
    mix = collections.Counter(grade[c] for c in sample)
    everyone = collections.Counter(grade.values())
    for g, n in everyone.items():  # 38 / 152 = a quarter of each grade, to within one LA
        assert abs(mix[g] - n / 4) < 1
    assert stratified_sample(38, seed=3) == sample
    assert stratified_sample(38, seed=4) != sample
    with pytest.raises(ScenarioError, match="Choose 1 to 152"):
        stratified_sample(0, seed=3)


def test_one_evaluation_of_a_tiny_sample(tmp_path: Path) -> None:
    file = tmp_path / "short.yaml"
    file.write_text(
        f"extends: {ENGLAND}\nwarmup_years: 0.5\npopulation:\n"
        f"  table: {REPO / 'data' / 'england' / 'population.csv'}\n  end: 2019-12-31\n",
        encoding="utf-8",
    )
    sample = stratified_sample(3, seed=1)
    stats = evaluate_sample(sample, replications=2, seed=5, scenario_file=file)
    assert len(stats) == 2
    for rep in stats:
        assert sum(rep[f"grade_mix_2025_{g}"] for g in (1, 2, 3, 4)) == pytest.approx(1.0)
        assert {"csww_agency_rate_pct_2018", "csww_agency_rate_pct_2019"} <= set(rep)
    # A parameter set changes the run: a much higher leaving rate raises turnover.
    high = evaluate_sample(
        sample,
        {"workforce.leave_base_rate_per_year": 0.4},
        replications=2,
        seed=5,
        scenario_file=file,
    )
    assert min(r["csww_turnover_rate_pct_2019"] for r in high) > max(
        r["csww_turnover_rate_pct_2019"] for r in stats
    )
