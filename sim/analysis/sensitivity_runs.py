"""Running a sensitivity design: every sample point x every arm x R replications.

The uncertain parameters of a point are applied as dotted overrides to each arm's scenario.
Every task uses the experiment's seed and replication numbers ``0 .. R-1``, so arms *and* sample
points share their random streams (common random numbers, DESIGN §5): a difference between two
points or two arms comes from the parameters, not from different chance events.

Tasks go through the task stream of :func:`sim.run` (:mod:`sim.experiment.stream`: the same
executors, chunks, progress bar and failure message): each (point, arm) pair is one "arm" of
the stream. Each replication is reduced to its outcomes as its chunk arrives, by the same
per-replication statistic as ``summary.csv`` (:func:`sim.analysis.stats.replication_values`),
so a design of thousands of runs never holds their monthly rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.stats import replication_values
from sim.experiment.errors import RunFailedError, RunInputError
from sim.experiment.executors import make_executor
from sim.experiment.store import failure_table, key_columns
from sim.experiment.stream import failure_message, stream_tasks
from sim.experiment.tasks import TaskOutput
from sim.model.metrics import EVENT_COLUMNS, METRIC_NAMES, TEXT_EVENT_COLUMNS
from sim.model.output import ARM, REPLICATION
from sim.scenario.loader import apply_overrides
from sim.scenario.scenario import Scenario
from sim.scenario.sweep import Arm

#: Event outcomes that can be sensitivity outcomes (``grades`` is text).
EVENT_OUTCOMES: tuple[str, ...] = tuple(c for c in EVENT_COLUMNS if c not in TEXT_EVENT_COLUMNS)
#: Every name ``--outcomes`` accepts.
OUTCOME_NAMES: tuple[str, ...] = (*METRIC_NAMES, *EVENT_OUTCOMES)


def check_outcomes(outcomes: Sequence[str]) -> list[str]:
    """Validate outcome names (monthly metrics or numeric event outcomes).

    Raises
    ------
    RunInputError
        Naming the unknown outcome and the valid names.
    """
    chosen = [o.strip() for o in outcomes if o.strip()]
    if not chosen:
        raise RunInputError("--outcomes", "names no outcome.")
    for name in chosen:
        if name not in OUTCOME_NAMES:
            raise RunInputError(
                "--outcomes",
                f"unknown outcome '{name}'.",
                f"Choose from: {', '.join(OUTCOME_NAMES)}.",
            )
    return list(dict.fromkeys(chosen))


def outcome_values(outputs: Sequence[TaskOutput], outcomes: Sequence[str]) -> np.ndarray:
    """Each replication's value of each outcome: ``(len(outputs), len(outcomes))``.

    A monthly metric gives its per-replication statistic as in ``summary.csv`` (mean of the
    last 12 months; ``cost_cumulative_gbp`` its final value), computed by the same function;
    an event outcome its value (NaN when undefined, e.g. a relapse when no intervention
    finished).

    Raises
    ------
    ValueError
        For a population replication (several LAs): its outcomes are not one number each.
    """
    if any(o.entities for o in outputs):
        raise ValueError("sensitivity of a population run (several LAs) is not supported")
    values = np.full((len(outputs), len(outcomes)), np.nan)
    if not outputs:
        return values
    keys = [key_columns(o) for o in outputs]
    rows = pd.DataFrame({name: np.concatenate([k[name] for k in keys]) for name in keys[0]})
    stacked = np.concatenate([o.values for o in outputs])
    position = {(o.arm, o.replication): i for i, o in enumerate(outputs)}
    for j, outcome in enumerate(outcomes):
        if outcome in METRIC_NAMES:
            rows[outcome] = stacked[:, METRIC_NAMES.index(outcome)]
            per = replication_values(rows.loc[:, [*keys[0], outcome]], outcome)
            at = [position[(a, r)] for a, r in zip(per[ARM], per[REPLICATION], strict=True)]
            values[at, j] = per["value"].to_numpy()
        else:
            found = [o.events[0].get(outcome) for o in outputs]
            values[:, j] = [float(v) if v is not None else np.nan for v in found]
    return values


@dataclass(frozen=True)
class Design:
    """What to run.

    Attributes
    ----------
    arms
        The experiment's arms.
    paths
        Dotted paths of the uncertain parameters (columns of ``points``).
    points
        ``(n_points, n_parameters)`` parameter values.
    integer
        Per parameter, whether the field holds whole numbers (values are rounded).
    """

    arms: Sequence[Arm]
    paths: Sequence[str]
    points: np.ndarray
    integer: Sequence[bool]

    def overrides(self, point: int) -> dict[str, float | int]:
        """The dotted overrides of one sample point."""
        values = self.points[point]
        return {
            p: int(round(float(v))) if whole else float(v)
            for p, v, whole in zip(self.paths, values, self.integer, strict=True)
        }

    def scenarios(self) -> list[Scenario]:
        """The scenario of every (point, arm) pair, index ``point * n_arms + arm``."""
        built = []
        for point in range(len(self.points)):
            changes = self.overrides(point)
            for arm in self.arms:
                built.append(
                    apply_overrides(arm.scenario, changes, source=f"<sample point {point}>")
                )
        return built


def evaluate(
    design: Design,
    outcomes: Sequence[str],
    replications: int,
    seed: int,
    workers: int = 1,
    executor: str | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
) -> np.ndarray:
    """Run the design and return ``(n_points, n_arms, n_outcomes)`` means over replications.

    A replication where an outcome is undefined (NaN) is left out of that outcome's mean; the
    mean is NaN when no replication defines it.

    Raises
    ------
    RunFailedError
        When replications raise (the message quotes the first few).
    """
    n_arms = len(design.arms)
    scenarios = design.scenarios()
    tasks = [(index, rep) for index in range(len(scenarios)) for rep in range(replications)]
    values = np.full((len(design.points), n_arms, replications, len(outcomes)), np.nan)

    def reduce(outputs: list[TaskOutput]) -> None:
        for out, row in zip(outputs, outcome_values(outputs, outcomes), strict=True):
            point, arm = divmod(out.arm, n_arms)
            values[point, arm, out.replication] = row

    pool = make_executor(executor, workers, scheduler)
    failures = stream_tasks(
        pool, tasks, seed, scenarios, reduce, progress=progress, title="sensitivity"
    )
    if failures:
        labels = [
            f"point {i // n_arms}, {design.arms[i % n_arms].label}" for i in range(len(scenarios))
        ]
        raise RunFailedError(
            failure_message(failures, labels, len(tasks), what="sensitivity replications"),
            failure_table(failures, labels),
        )
    defined = (~np.isnan(values)).sum(axis=2)
    totals = np.nansum(values, axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(defined > 0, totals / np.maximum(defined, 1), np.nan)
