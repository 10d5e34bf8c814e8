"""Running a sensitivity design: every sample point x every arm x R replications.

The uncertain parameters of a point are applied as dotted overrides to each arm's scenario.
Every task uses the experiment's seed and replication numbers ``0 .. R-1``, so arms *and* sample
points share their random streams (common random numbers, DESIGN §5): a difference between two
points or two arms comes from the parameters, not from different chance events.

Tasks go through the executors of :func:`sim.run` (serial, process pool or Dask): each
(point, arm) pair is one "arm" of a :class:`~sim.experiment.tasks.ChunkJob`, run by
:func:`~sim.experiment.tasks.run_chunk`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.analysis.stats import FINAL_VALUE_METRICS, LAST_MONTHS
from sim.experiment.errors import RunFailedError, RunInputError
from sim.experiment.executors import make_executor
from sim.experiment.progress import make_progress
from sim.experiment.store import failure_table
from sim.experiment.tasks import TaskFailure, TaskOutput, auto_chunk_size, make_jobs, run_chunk
from sim.model.metrics import EVENT_COLUMNS, METRIC_NAMES
from sim.scenario.loader import apply_overrides
from sim.scenario.scenario import Scenario
from sim.scenario.sweep import Arm

#: Event outcomes that can be sensitivity outcomes (``grades`` is text).
EVENT_OUTCOMES: tuple[str, ...] = tuple(c for c in EVENT_COLUMNS if c != "grades")
#: Every name ``--outcomes`` accepts.
OUTCOME_NAMES: tuple[str, ...] = (*METRIC_NAMES, *EVENT_OUTCOMES)
#: Failures quoted in the error message when replications raise.
FAILURES_QUOTED = 3


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


def outcome_value(output: TaskOutput, outcome: str) -> float:
    """One replication's value of an outcome.

    A monthly metric gives its per-replication statistic as in ``summary.csv`` (mean of the
    last 12 months; ``cost_cumulative_gbp`` its final value); an event outcome its value
    (NaN when undefined, e.g. a relapse when no intervention finished).
    """
    if outcome in METRIC_NAMES:
        column = output.values[:, METRIC_NAMES.index(outcome)]
        window = 1 if outcome in FINAL_VALUE_METRICS else LAST_MONTHS
        return float(column[-window:].mean())
    value = output.events.get(outcome)
    return float(value) if value is not None else float("nan")


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
    failures: list[TaskFailure] = []
    pool = make_executor(executor, workers, scheduler)
    with pool:  # started before the progress bar's thread exists (see sim.experiment.runner)
        bar = make_progress(len(tasks), 0, progress, "sensitivity")
        try:
            jobs = make_jobs(tasks, seed, scenarios, auto_chunk_size(len(tasks), pool.workers))
            for result in pool.imap_unordered(run_chunk, jobs):
                for out in result.outputs:
                    point, arm = divmod(out.arm, n_arms)
                    values[point, arm, out.replication] = [outcome_value(out, o) for o in outcomes]
                failures.extend(result.failures)
                bar.update(result.n_tasks)
        finally:
            bar.close()
    if failures:
        labels = [
            f"point {i // n_arms}, {design.arms[i % n_arms].label}" for i in range(len(scenarios))
        ]
        quoted = "; ".join(
            f"{labels[f.arm]} replication {f.replication}: {f.error}"
            for f in failures[:FAILURES_QUOTED]
        )
        raise RunFailedError(
            f"{len(failures)} of {len(tasks)} sensitivity replications failed: {quoted}.",
            failure_table(failures, labels),
        )
    defined = (~np.isnan(values)).sum(axis=2)
    totals = np.nansum(values, axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(defined > 0, totals / np.maximum(defined, 1), np.nan)
