"""Differences between results folders (``csc-sim compare``): every arm of a later folder
against the first folder.

An arm is compared with the first folder's arm of the same label (else with the first folder's
first arm). The difference is **paired** by replication when both runs used the same seed and
replication numbers (common random numbers), else **unpaired** (Welch's interval); the report
says which. Windows are those of the shortest run. The numbers come from the same functions as
a run's own answer (:mod:`sim.analysis.answer`).

When both runs were over posterior draws (a ``draw`` column), each run's replications are first
averaged within its draws, so estimates and differences are over the draw means (draws, not
replications, are the independent units); the difference is paired by draw when the runs also
drew the same parameter sets (same posterior file, draw ids and replications per draw), else
unpaired. A run with draws compared with one without stays at the level of replications.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sim.analysis.answer import (
    Answer,
    arm_estimates,
    comparison_sentence,
    differences,
    draw_means,
)
from sim.analysis.labels import arm_labels
from sim.analysis.windows import replication_outcomes, windows_for
from sim.experiment.results import Results
from sim.model.output import DRAW


def prefixed(name: str, arm: str) -> str:
    """The label of a run's arm in a comparison."""
    return f"{name}: {arm}"


def shares_random_numbers(first: Results, other: Results) -> bool:
    """Whether two runs used the same seed and the same replication numbers."""
    if first.manifest.get("seed") != other.manifest.get("seed"):
        return False
    reps_a = set(first.events["replication"].astype(int))
    reps_b = set(other.events["replication"].astype(int))
    return bool(reps_a & reps_b) and reps_a == reps_b


def over_draws(first: Results, other: Results) -> bool:
    """Whether both runs were over posterior draws."""
    return DRAW in first.events.columns and DRAW in other.events.columns


def same_draws(first: Results, other: Results) -> bool:
    """Whether two runs over a posterior drew the same parameter sets the same way."""
    a, b = first.manifest.get("posterior") or {}, other.manifest.get("posterior") or {}
    keys = ("sha256", "draw_ids", "replications_per_draw")
    return bool(a) and all(a.get(k) == b.get(k) for k in keys)


def compare_answer(runs: Sequence[Results], names: Sequence[str]) -> list[Answer]:
    """One :class:`Answer` per later run: its arms against the first run's."""
    first, first_name = runs[0], names[0]
    horizon = min(int(run.timeseries["month"].max()) for run in runs)
    windows = windows_for(horizon)
    answers = []
    for run, name in zip(runs[1:], names[1:], strict=True):
        paired = shares_random_numbers(first, run)
        drawn = over_draws(first, run)
        paired = paired and (same_draws(first, run) if drawn else True)
        parts: list[pd.DataFrame] = []
        references: dict[str, str] = {}
        readable: dict[str, str] = {}
        for source, label in ((first, first_name), (run, name)):
            ts = source.timeseries.assign(
                arm=[prefixed(label, str(a)) for a in source.timeseries["arm"]]
            )
            ev = source.events.assign(arm=[prefixed(label, str(a)) for a in source.events["arm"]])
            own_reps = replication_outcomes(ts, ev, windows)
            parts.append(draw_means(own_reps, ev) if drawn else own_reps)
            own = arm_labels(source.arms, source.arm_overrides)
            readable.update({prefixed(label, a): prefixed(label, own[a]) for a in source.arms})
        for arm in run.arms:
            match = arm if arm in first.arms else first.arms[0]
            references[prefixed(name, arm)] = prefixed(first_name, match)
        per_rep = pd.concat(parts, ignore_index=True)
        diffs = differences(per_rep, references, windows, paired)
        arms = [*references.values(), *references]
        unit = "posterior draws (each the mean of its replications)" if drawn else "replications"
        sentences = [comparison_sentence(diffs, a, readable, windows, unit) for a in references]
        answers.append(
            Answer(
                windows,
                references,
                readable,
                arm_estimates(per_rep, windows, list(dict.fromkeys(arms)), draws=drawn),
                diffs,
                paired,
                [s for s in sentences if s],
            )
        )
    return answers
