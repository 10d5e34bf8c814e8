"""The order of the weekly update, declared once (as Starsim's ``loop.py`` writes its steps down).

Each week the LA runs these steps in this order (:class:`sim.model.simulation.LocalAuthority`
binds each name to its method ``_step_<name>``). During the warm-up the organisational state is
frozen: the steps marked ``after_warmup`` do not run, and the week's conditions keep their
neutral values (no intervention, no monitoring, no leaving shock).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class WeeklyStep(NamedTuple):
    """One step of the weekly update."""

    name: str
    after_warmup: bool  # runs only once the warm-up is over
    does: str


WEEKLY_STEPS: tuple[WeeklyStep, ...] = (
    WeeklyStep("calendar", False, "move next week's parked events onto SimPy's heap"),
    WeeklyStep(
        "conditions",
        True,
        "intervention milestones; this week's intervention, monitoring and leaving shock",
    ),
    WeeklyStep("workforce", False, "stress, leaving, recruitment and agency cover of every post"),
    WeeklyStep(
        "caseloads",
        False,
        "leavers' cases reallocated, handovers, waiting cases allocated, internal moves; "
        "the week's hires and leavers counted",
    ),
    WeeklyStep("pressure", False, "day-to-day pressures measured; practice quality"),
    WeeklyStep("leadership", True, "the director and team managers"),
    WeeklyStep("inspection", True, "a graded inspection when one is due"),
    WeeklyStep(
        "organisation", True, "improvement effort, embedding, erosion and morale; practice quality"
    ),
    WeeklyStep("rereferral", False, "re-referral chances from this week's practice quality"),
)

Step = Callable[[float], None]


def bind_steps(owner: object, recording: bool) -> tuple[Step, ...]:
    """The methods ``owner._step_<name>(now)`` of the steps that run in a week of the warm-up
    (``recording=False``) or after it, in :data:`WEEKLY_STEPS` order."""
    return tuple(
        getattr(owner, f"_step_{step.name}")
        for step in WEEKLY_STEPS
        if recording or not step.after_warmup
    )
