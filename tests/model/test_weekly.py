"""The weekly update follows its declared order (sim/model/weekly.py)."""

from __future__ import annotations

from sim.model.simulation import LocalAuthority
from sim.model.weekly import WEEKLY_STEPS, bind_steps
from sim.scenario.scenario import Scenario


def test_every_declared_step_is_a_method_and_every_step_method_is_declared() -> None:
    names = [step.name for step in WEEKLY_STEPS]
    assert len(set(names)) == len(names)
    methods = {m.removeprefix("_step_") for m in dir(LocalAuthority) if m.startswith("_step_")}
    assert methods == set(names)


def test_warm_up_weeks_skip_the_organisational_steps_in_order() -> None:
    la = LocalAuthority.alone(Scenario(horizon_years=0.25, warmup_years=0.0), 1, 0)
    warm = [f.__name__.removeprefix("_step_") for f in bind_steps(la, recording=False)]
    full = [f.__name__.removeprefix("_step_") for f in bind_steps(la, recording=True)]
    assert full == [step.name for step in WEEKLY_STEPS]
    assert warm == [step.name for step in WEEKLY_STEPS if not step.after_warmup]
    assert full[0] == "calendar"  # parked events reach the heap before anything else happens


def _embedded_after_a_settling_quarter(pauses: bool) -> tuple[float, float]:
    """Embedded capability before and after 13 weeks of a director who took the post at the
    start (settling for 12 months), from 0.2 of recent gains."""
    s = Scenario(
        horizon_years=1.0,
        warmup_years=0.0,
        initial={"dcs_months_in_post": 0.0, "recent_gains": 0.2},
        leadership={"settle_months": 12.0, "settling_pauses_embedding": pauses},
    )
    la = LocalAuthority.alone(s, 1, 0)
    before = la.org.embedded
    la.start()
    la.env.run(until=13 * 7.0 + 0.5)
    assert not la.leadership.settled(la.env.now)
    return before, la.org.embedded


def test_a_settling_director_pauses_embedding_unless_told_otherwise() -> None:
    """``leadership.settling_pauses_embedding`` (default on): while the director settles no
    gain embeds, so embedded capability only erodes; off, the gains go on embedding."""
    before, paused = _embedded_after_a_settling_quarter(True)
    assert paused < before
    _, embedding = _embedded_after_a_settling_quarter(False)
    assert embedding > before
