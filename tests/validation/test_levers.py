"""Direction of every policy lever (issue 3), from the troubled reference LA at fixed seeds.

Each test runs two arms with common random numbers and looks at the paired difference of an
outcome across replications. Trajectories diverge once inspections go differently, so the
differences are noisy; each test asks for the difference to have the expected sign and to exceed
2 standard errors of the paired difference (one-sided z = 2). The replication counts were chosen
so the effect is 4-6 standard errors at these seeds (measured when the tests were written: length
z≈4.2 at 48 replications, leadership z≈3.8 at 8, ownership, oversight, pool and development
z≈4.4-6.4 at 12-16), i.e. a test fails if its lever's effect shrinks to about half of today's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from sim.model.output import ReplicationOutput
from sim.scenario.loader import load_scenario
from tests.validation.conftest import paired_difference, replicate

TROUBLED = Path(__file__).resolve().parents[2] / "scenarios" / "reference" / "troubled.yaml"
Z = 2.0
HORIZON = {"horizon_years": 5}


def arms(
    a: dict[str, Any], b: dict[str, Any], n: int, seed: int = 31
) -> tuple[list[ReplicationOutput], list[ReplicationOutput]]:
    return (
        replicate(load_scenario(TROUBLED, overrides={**HORIZON, **a}), n, seed),
        replicate(load_scenario(TROUBLED, overrides={**HORIZON, **b}), n, seed),
    )


def mean_quality(o: ReplicationOutput) -> float:
    return float(np.nanmean(o.timeseries["practice_quality"]))


def relapsed(o: ReplicationOutput) -> float:
    return float(o.events["relapsed_within_24m"])


def assert_improves(
    a: list[ReplicationOutput], b: list[ReplicationOutput], stat=mean_quality
) -> None:  # type: ignore[no-untyped-def]
    d, se = paired_difference(a, b, stat)
    assert d > 0 and d > Z * se, f"difference {d:.4f}, standard error {se:.4f}"


def test_longer_intervention_relapses_less() -> None:
    short, long = arms(
        {"intervention.duration_months": 6}, {"intervention.duration_months": 24}, 48
    )
    d, se = paired_difference(short, long, relapsed)
    assert d < 0 and -d > Z * se, f"relapse difference {d:.3f} ± {se:.3f}"


def test_stable_leadership_ends_with_higher_quality() -> None:
    unstable, stable = arms(
        {"leadership.dcs_mean_tenure_months": 12}, {"leadership.dcs_mean_tenure_months": 60}, 8
    )
    assert_improves(
        unstable, stable, lambda o: float(np.nanmean(o.timeseries["practice_quality"][-12:]))
    )


def test_owned_beats_imposed() -> None:
    assert_improves(
        *arms({"intervention.ownership": "imposed"}, {"intervention.ownership": "owned"}, 12)
    )


def test_less_oversight_noise_helps() -> None:
    assert_improves(
        *arms({"intervention.oversight_bodies": 4}, {"intervention.oversight_bodies": 1}, 12)
    )


def test_permanent_pool_beats_adhoc_interims() -> None:
    assert_improves(
        *arms({"intervention.formation": "adhoc"}, {"intervention.formation": "pool"}, 12)
    )


def test_practitioner_development_helps() -> None:
    assert_improves(
        *arms(
            {"intervention.practitioner_development": 0.0},
            {"intervention.practitioner_development": 0.5},
            12,
        )
    )
