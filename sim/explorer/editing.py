"""A scenario source and the form's edits -> the resolved scenario, or the house message.

The page never validates on its own: a shipped file goes through :func:`sim.load_scenario` with
the edits as overrides, an upload through
:func:`~sim.scenario.loader.scenario_from_dict`, and both then through the sweep and
``uncertain:`` checks, exactly the steps of ``csc-sim validate``. A problem is the same
:class:`~sim.scenario.errors.ScenarioError` and therefore the same message the command prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sim
from sim.scenario import Scenario, ScenarioError, expand_arms, scenario_from_dict
from sim.scenario import validate_uncertain as check_uncertain

TYPE_PATH = "intervention.type"


@dataclass(frozen=True)
class Source:
    """Where the page's scenario comes from.

    Attributes
    ----------
    label
        What the page shows (``"reference/troubled"``, ``"upload: my.yaml"``).
    name
        The file named in messages.
    path
        A shipped file, or ``None`` for an upload.
    data
        An upload's parsed contents (``None`` for a shipped file).
    """

    label: str
    name: str
    path: Path | None = None
    data: Mapping[str, Any] | None = field(default=None, hash=False, compare=False)


@dataclass(frozen=True)
class Checked:
    """The outcome of checking a source with edits.

    Attributes
    ----------
    scenario
        The resolved scenario, or ``None`` when it is invalid.
    arms
        Number of arms (1 for a scenario that is not a sweep; 0 when invalid).
    message
        The house message of the first problem, or ``None`` when valid.
    """

    scenario: Scenario | None
    arms: int
    message: str | None

    @property
    def ok(self) -> bool:
        """Whether the scenario is valid."""
        return self.message is None


def load(source: Source, edits: Mapping[str, Any] | None = None) -> Scenario:
    """The source's scenario with ``edits`` (dotted path -> value) applied.

    Raises
    ------
    ScenarioError
        As :func:`sim.load_scenario` raises it.
    """
    overrides = dict(edits or {})
    if source.path is not None:
        return sim.load_scenario(source.path, overrides=overrides)
    return scenario_from_dict(source.data or {}, source=source.name, overrides=overrides)


def check(source: Source, edits: Mapping[str, Any] | None = None) -> Checked:
    """Load, expand the sweep and check ``uncertain:``: the steps of ``csc-sim validate``."""
    try:
        scenario = load(source, edits)
        arms = expand_arms(scenario, source=source.name)
        check_uncertain(scenario, source=source.name)
    except ScenarioError as err:
        return Checked(None, 0, err.message)
    return Checked(scenario, len(arms), None)


def same_value(a: Any, b: Any) -> bool:
    """Whether a form value equals a scenario value (``2650`` equals ``2650.0``; a switch never
    equals a number)."""
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return bool(a == b)


def edits_from_form(values: Mapping[str, Any], shown: Mapping[str, Any]) -> dict[str, Any]:
    """The form values that differ from what the form was opened with.

    Parameters
    ----------
    values
        Dotted path -> the value in the form now.
    shown
        Dotted path -> the value the form showed when it opened (the source's value).
    """
    return {path: value for path, value in values.items() if not same_value(value, shown.get(path))}
