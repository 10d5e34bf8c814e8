"""The weekly update follows its declared order (sim/model/weekly.py)."""

from __future__ import annotations

from sim.model.simulation import LocalAuthority
from sim.model.weekly import WEEKLY_STEPS, bind_steps
from sim.scenario.scenario import Scenario


def test_every_declared_step_is_a_method_and_every_step_method_is_declared() -> None:
    names = [step.name for step in WEEKLY_STEPS]
    assert len(set(names)) == len(names)
    methods = {m.removeprefix("_step_") for m in vars(LocalAuthority) if m.startswith("_step_")}
    assert methods == set(names)


def test_warm_up_weeks_skip_the_organisational_steps_in_order() -> None:
    la = LocalAuthority.alone(Scenario(horizon_years=0.25, warmup_years=0.0), 1, 0)
    warm = [f.__name__.removeprefix("_step_") for f in bind_steps(la, recording=False)]
    full = [f.__name__.removeprefix("_step_") for f in bind_steps(la, recording=True)]
    assert full == [step.name for step in WEEKLY_STEPS]
    assert warm == [step.name for step in WEEKLY_STEPS if not step.after_warmup]
    assert full[0] == "calendar"  # parked events reach the heap before anything else happens
