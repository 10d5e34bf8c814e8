"""Differences between results folders (``csc-sim compare``): every arm of a later folder
against the first folder.

An arm is compared with the first folder's arm of the same label (else with the first folder's
first arm). The difference is **paired** by replication when both runs used the same seed and
replication numbers (common random numbers), else **unpaired** (Welch's interval); the report
says which. Windows are those of the shortest run. The numbers come from the same functions as
a run's own answer (:mod:`sim.analysis.answer`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sim.analysis.answer import Answer, arm_estimates, comparison_sentence, differences
from sim.analysis.labels import arm_labels
from sim.analysis.windows import replication_outcomes, windows_for
from sim.experiment.results import Results


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


def compare_answer(runs: Sequence[Results], names: Sequence[str]) -> list[Answer]:
    """One :class:`Answer` per later run: its arms against the first run's."""
    first, first_name = runs[0], names[0]
    horizon = min(int(run.timeseries["month"].max()) for run in runs)
    windows = windows_for(horizon)
    answers = []
    for run, name in zip(runs[1:], names[1:], strict=True):
        paired = shares_random_numbers(first, run)
        parts_ts, parts_ev, references = [], [], {}
        readable: dict[str, str] = {}
        for source, label in ((first, first_name), (run, name)):
            ts = source.timeseries.assign(
                arm=[prefixed(label, str(a)) for a in source.timeseries["arm"]]
            )
            ev = source.events.assign(arm=[prefixed(label, str(a)) for a in source.events["arm"]])
            parts_ts.append(ts)
            parts_ev.append(ev)
            own = arm_labels(source.arms, source.arm_overrides)
            readable.update({prefixed(label, a): prefixed(label, own[a]) for a in source.arms})
        for arm in run.arms:
            match = arm if arm in first.arms else first.arms[0]
            references[prefixed(name, arm)] = prefixed(first_name, match)
        per_rep = replication_outcomes(
            pd.concat(parts_ts, ignore_index=True), pd.concat(parts_ev, ignore_index=True), windows
        )
        diffs = differences(per_rep, references, windows, paired)
        arms = [*references.values(), *references]
        sentences = [comparison_sentence(diffs, a, readable, windows) for a in references]
        answers.append(
            Answer(
                windows,
                references,
                readable,
                arm_estimates(per_rep, windows, list(dict.fromkeys(arms))),
                diffs,
                paired,
                [s for s in sentences if s],
            )
        )
    return answers
