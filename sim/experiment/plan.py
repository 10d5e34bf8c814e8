"""A validated run plan: the scenario, its arms, the seed and the number of replications.

Everything a run needs is resolved and validated here, before any folder is created, so bad
input never leaves a half-made results folder behind (DESIGN §3: exit code 2, no output).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.experiment.errors import RunInputError
from sim.experiment.posterior import PosteriorDraws, draw_scenarios, load_draws
from sim.scenario.errors import ScenarioError
from sim.scenario.messages import describe_error
from sim.scenario.scenario import Scenario

#: Version of the ``plan.json`` layout in a partial results folder.
PLAN_FORMAT = 1

ScenarioLike = Scenario | str | os.PathLike[str]


@dataclass(frozen=True)
class ArmSpec:
    """One arm of an experiment.

    Attributes
    ----------
    label
        Name of the arm in tables and legends.
    overrides
        Dotted field path -> value applied to the base scenario to make this arm.
    scenario
        The arm's complete scenario, as the model receives it.
    """

    label: str
    overrides: dict[str, Any]
    scenario: Scenario


@dataclass(frozen=True)
class RunPlan:
    """What to run: arms x replications, all sharing one seed (common random numbers).

    Attributes
    ----------
    scenario
        The base scenario, with the seed and replication count actually used.
    source
        Where the scenario came from (a path, or ``"<scenario>"``), for messages.
    arms
        The arms in order; a scenario that is not a sweep has one arm.
    seed, replications
        Base seed and replications per arm.
    sha256
        Fingerprint of the resolved base scenario.
    overrides
        ``--set`` overrides applied to the file (recorded in the manifest beside ``source``).
    posterior
        Parameter sets drawn from a posterior, or ``None``. With draws, ``replications`` counts
        every draw's replications (K·R per arm) and draw ``k`` owns replications
        ``k·R .. k·R+R-1``.
    draw_arms
        ``[arm][draw]`` -> scenario, with a posterior (empty without).
    """

    scenario: Scenario
    source: str
    arms: tuple[ArmSpec, ...]
    seed: int
    replications: int
    sha256: str
    overrides: dict[str, Any] | None = None
    posterior: PosteriorDraws | None = None
    draw_arms: tuple[tuple[Scenario, ...], ...] = ()

    @property
    def per_draw(self) -> int:
        """Replications per draw (R); 0 without a posterior."""
        return self.posterior.per_draw if self.posterior else 0

    @functools.cached_property
    def resolved_yaml(self) -> str:
        """Complete text of the resolved base scenario (written only when asked for: dumping
        it costs a few milliseconds, a visible share of a short in-memory ``sim.run``)."""
        from sim.scenario.loader import resolved_yaml

        return resolved_yaml(self.scenario)

    @property
    def n_tasks(self) -> int:
        """Number of (arm, replication) tasks."""
        return len(self.arms) * self.replications

    def record(self) -> dict[str, Any]:
        """The JSON-serialisable identity of the plan (``plan.json``): resume checks it."""
        return {
            "format": PLAN_FORMAT,
            "scenario": self.scenario.name,
            "scenario_sha256": self.sha256,
            "seed": self.seed,
            "replications": self.replications,
            "arms": [{"label": a.label, "overrides": a.overrides} for a in self.arms],
            **({"posterior": self.posterior.record()} if self.posterior else {}),
        }


def _with_run_settings(scenario: Scenario, replications: int | None, seed: int | None) -> Scenario:
    """Copy of ``scenario`` with the replication count and seed used by this run."""
    updated = scenario.model_copy(deep=True)
    for flag, field, value in (
        ("--replications", "replications", replications),
        ("--seed", "seed", seed),
    ):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise RunInputError(flag, f"must be a whole number, got {value!r}.")
        try:
            setattr(updated, field, value)
        except ValidationError as err:
            problem, hint = describe_error(err.errors(include_url=False)[0])
            raise RunInputError(flag, f"{problem} {hint}" if hint else problem) from None
    return updated


def prepare_plan(
    scenario: ScenarioLike,
    replications: int | None = None,
    seed: int | None = None,
    *,
    overrides: dict[str, Any] | None = None,
    posterior: str | os.PathLike[str] | None = None,
    draws: int | None = None,
) -> RunPlan:
    """Load (if needed), override and expand a scenario into a validated run plan.

    Parameters
    ----------
    scenario
        A :class:`Scenario` or the path of a scenario or sweep file.
    replications, seed
        Override the scenario's own ``replications`` and ``seed``.
    overrides
        Dotted field path -> value applied to the file (``--set``); recorded in the manifest.
    posterior, draws
        A ``posterior.parquet`` and the number of parameter sets K to draw from it
        (:mod:`sim.experiment.posterior`); every arm runs K x ``replications``. In a population
        run each draw's values are national settings, laid under every LA's own figures as
        ``--set`` is (:func:`sim.experiment.population_tasks.draw_specs`).

    Returns
    -------
    RunPlan
        The validated plan; every arm's scenario has been built and checked.

    Raises
    ------
    ScenarioError
        When the file, a field, an arm or an option is invalid.
    """
    from sim.scenario.loader import load_scenario, scenario_sha256
    from sim.scenario.sweep import expand_arms

    if isinstance(scenario, Scenario):
        source, base = "<scenario>", load_scenario(scenario, overrides) if overrides else scenario
    else:
        source = str(Path(scenario))
        base = load_scenario(source, overrides=overrides or None)
    base = _with_run_settings(base, replications, seed)
    arms = tuple(
        ArmSpec(label=str(arm.label), overrides=dict(arm.overrides), scenario=arm.scenario)
        for arm in expand_arms(base, source=source)
    )
    if not arms:
        raise ScenarioError(source, None, "the scenario defines no arms to run.")
    labels = [arm.label for arm in arms]
    duplicated = sorted({label for label in labels if labels.count(label) > 1})
    if duplicated:
        raise ScenarioError(
            source, "arms", f"arm labels must be unique; repeated: {', '.join(duplicated)}."
        )
    if draws is not None and posterior is None:
        raise RunInputError("--draws", "needs --posterior (the file to draw parameter sets from).")
    per_arm, drawn = int(base.replications), None
    draw_arms: tuple[tuple[Scenario, ...], ...] = ()
    if posterior is not None:
        drawn = load_draws(posterior, draws, int(base.seed), per_arm)
        draw_arms = draw_scenarios(drawn, [(a.scenario, a.overrides) for a in arms])
        per_arm *= drawn.n_draws
    return RunPlan(
        scenario=base,
        source=source,
        arms=arms,
        seed=int(base.seed),
        replications=per_arm,
        sha256=scenario_sha256(base),
        overrides=dict(overrides) if overrides else None,
        posterior=drawn,
        draw_arms=draw_arms,
    )
