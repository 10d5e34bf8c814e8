"""The answer: paired differences from a reference arm, with 95% intervals, and the sentences
that say them.

Pure functions of the results' tables (``timeseries``, ``events``) and the arms' overrides; they
return plain data (data frames, strings), which the report, ``results.xlsx``, ``csc-sim compare``
and the explorer all show, so a number in a sentence and in a table is the same number.

**Reference arm.** With a grid, each arm is compared with the arm that has the same other
settings and the *first value of the first grid field* (so the 18-month team with 12-month
directors is compared with the 6-month team with 12-month directors). A file's ``reference:``
names one arm to compare every other with instead. Named arms without a grid are compared with
the first arm.

**Differences.** Arms of one run share random numbers replication by replication (common random
numbers), so the difference is taken replication by replication (arm minus reference) and its
mean gets a t-interval (``paired``); without common random numbers (runs with other seeds) the
means are compared with Welch's interval. Every interval is clipped to the range the difference
can take (see :mod:`sim.analysis.intervals`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sim.analysis.formats import outcome_interval, outcome_value
from sim.analysis.intervals import bounded_mean, paired_difference, welch_difference, wilson_share
from sim.analysis.windows import (
    OUTCOME_BY_NAME,
    OUTCOMES,
    WHOLE_RUN,
    Window,
    replication_outcomes,
    windows_for,
)
from sim.model.output import ARM, DRAW, REPLICATION

ESTIMATE_COLUMNS = ("arm", "window", "outcome", "mean", "ci_low", "ci_high", "n", "method")
DIFFERENCE_COLUMNS = (
    "arm",
    "reference",
    "window",
    "outcome",
    "difference",
    "ci_low",
    "ci_high",
    "n",
    "paired",
    "arm_mean",
    "reference_mean",
)
#: What each comparison's sentence says: outcome -> the windows it names (those the run has;
#: the whole run when it has none of them).
SENTENCE_PLAN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("practice_quality", ("years_1_3", "years_8_10")),
    ("inadequate_share", ("years_8_10",)),
    ("months_inadequate", (WHOLE_RUN,)),
    ("relapse", (WHOLE_RUN,)),
    ("cost_gbp", (WHOLE_RUN,)),
)


def _varying_field(arms: Sequence[str], overrides: Mapping[str, Mapping[str, Any]]) -> str | None:
    first = overrides.get(arms[0], {}) if arms else {}
    for path in first:
        if len({repr(overrides.get(a, {}).get(path)) for a in arms}) > 1:
            return path
    return None


def reference_arms(
    arms: Sequence[str],
    overrides: Mapping[str, Mapping[str, Any]],
    first_field: str | None = None,
    reference: str | None = None,
) -> dict[str, str]:
    """Arm -> the arm it is compared with (the reference arms themselves are left out).

    Raises
    ------
    ValueError
        When ``reference`` is not one of the arms (the message names the arms).
    """
    arms = [str(a) for a in arms]
    if len(arms) < 2:
        return {}
    if reference is not None:
        if reference not in arms:
            raise ValueError(f"reference '{reference}' is not an arm; arms: {', '.join(arms)}")
        return {a: reference for a in arms if a != reference}
    path = first_field if first_field is not None else _varying_field(arms, overrides)
    if path is None:
        return {a: arms[0] for a in arms[1:]}
    base_value = repr(overrides.get(arms[0], {}).get(path))

    def rest(arm: str) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((k, repr(v)) for k, v in overrides.get(arm, {}).items() if k != path))

    bases = {rest(a): a for a in arms if repr(overrides.get(a, {}).get(path)) == base_value}
    return {a: bases.get(rest(a), arms[0]) for a in arms if a not in bases.values()}


#: ``method`` of an estimate over posterior draws.
OVER_DRAWS_METHOD = "t over draws (clipped)"


def arm_estimates(
    outcomes: pd.DataFrame, windows: Sequence[Window], arms: Sequence[str], draws: bool = False
) -> pd.DataFrame:
    """Per arm, window and outcome: the mean with its 95% interval (Wilson for 0/1 outcomes),
    in the order arm, outcome, window.

    ``draws``: ``outcomes`` holds draw means (:func:`draw_means`: the draw in the
    ``replication`` column), so every interval, a share's too, is the t-interval over the draw
    means, clipped to the outcome's range, and ``n`` counts draws."""
    by_key = {w.key: w for w in windows}
    rows = []
    for (arm, window, name), group in outcomes.groupby(
        ["arm", "window", "outcome"], sort=False, observed=True
    ):
        outcome = OUTCOME_BY_NAME[str(name)]
        low, high = outcome.range_in(by_key[str(window)])
        if draws:
            est, method = bounded_mean(group["value"].to_numpy(), low, high), OVER_DRAWS_METHOD
        elif name == "relapse":
            est, method = wilson_share(group["value"].to_numpy()), "Wilson"
        else:
            est, method = bounded_mean(group["value"].to_numpy(), low, high), "t (clipped)"
        rows.append((arm, window, name, est.value, est.ci_low, est.ci_high, est.n, method))
    table = pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))
    return _ordered(table, arms, windows)


def _ordered(table: pd.DataFrame, arms: Sequence[str], windows: Sequence[Window]) -> pd.DataFrame:
    """Rows in the order arm (as given), outcome (as :data:`OUTCOMES`), window (as given)."""
    keys = pd.DataFrame(
        {
            "_a": table["arm"].map({a: i for i, a in enumerate(arms)}),
            "_o": table["outcome"].map({o.name: i for i, o in enumerate(OUTCOMES)}),
            "_w": table["window"].map({w.key: i for i, w in enumerate(windows)}),
        }
    )
    order = keys.sort_values(["_a", "_o", "_w"], kind="stable").index
    return table.loc[order].reset_index(drop=True)


def differences(
    outcomes: pd.DataFrame,
    references: Mapping[str, str],
    windows: Sequence[Window],
    paired: bool = True,
) -> pd.DataFrame:
    """Arm minus its reference, per window and outcome, with a 95% interval.

    ``paired``: replication by replication (only replications present, and with a value, in
    both arms count); otherwise Welch's interval of the difference of the means.
    """
    by_key = {w.key: w for w in windows}
    wide = outcomes.pivot_table(
        index=["window", "outcome", "replication"], columns="arm", values="value", dropna=False
    )
    rows = []
    for (window, name), block in wide.groupby(level=["window", "outcome"], sort=False):
        outcome = OUTCOME_BY_NAME[str(name)]
        if outcome.whole_run_only and window != WHOLE_RUN:
            continue
        low, high = outcome.range_in(by_key[str(window)])
        span = high - low
        for arm, ref in references.items():
            if arm not in block or ref not in block:
                continue
            a, b = block[arm].to_numpy(dtype=float), block[ref].to_numpy(dtype=float)
            if paired:
                both = ~(pd.isna(a) | pd.isna(b))
                est = paired_difference(a[both] - b[both], span)
                a, b = a[both], b[both]
            else:
                est = welch_difference(a, b, span)
            rows.append(
                (arm, ref, window, name, est.value, est.ci_low, est.ci_high, est.n, paired,
                 float(pd.Series(a).mean()), float(pd.Series(b).mean()))
            )  # fmt: skip
    return _ordered(pd.DataFrame(rows, columns=list(DIFFERENCE_COLUMNS)), list(references), windows)


def _phrase(row: Mapping[str, Any], window_label: str) -> str:
    outcome = OUTCOME_BY_NAME[str(row["outcome"])]
    unit = outcome.unit
    value = outcome_value(unit, row["difference"], signed=True)
    ci = outcome_interval(unit, row["ci_low"], row["ci_high"], signed=True)
    where = "" if outcome.whole_run_only else f" in {window_label}"
    if row["window"] == WHOLE_RUN and not outcome.whole_run_only:
        where = " over the whole run"
    low, high = row["ci_low"], row["ci_high"]
    if row["difference"] == 0 and low == 0 and high == 0:
        return f"the same {outcome.label}{where} in every replication"
    clear = not (pd.isna(low) or pd.isna(high)) and (low > 0 or high < 0)
    if not clear:
        return f"no clear difference in {outcome.label}{where} ({value}; 95% CI {ci})"
    better = (row["difference"] > 0) == outcome.higher_is_better
    verdict = "better" if better else "worse"
    return f"{outcome.label}{where} {value} ({ci}; {verdict})"


def comparison_sentence(
    table: pd.DataFrame,
    arm: str,
    names: Mapping[str, str],
    windows: Sequence[Window],
    unit: str = "replications",
) -> str:
    """One sentence: ``arm`` against its reference over the outcomes of :data:`SENTENCE_PLAN`
    (``unit``: what the differences' ``n`` counts)."""
    labels = {w.key: w.label for w in windows}
    rows = table.loc[table["arm"] == arm]
    if rows.empty:
        return ""
    reference = str(rows["reference"].iloc[0])
    parts: list[str] = []
    for outcome, wanted in SENTENCE_PLAN:
        hits = rows.loc[(rows["outcome"] == outcome) & rows["window"].isin(wanted)]
        if hits.empty:
            hits = rows.loc[(rows["outcome"] == outcome) & (rows["window"] == WHOLE_RUN)]
        for hit in hits.to_dict("records"):
            parts.append(_phrase({str(k): v for k, v in hit.items()}, labels[str(hit["window"])]))
    n = int(rows["n"].max())
    how = "paired by replication" if bool(rows["paired"].iloc[0]) else "unpaired"
    own, other, shared = split_names(names.get(arm, arm), names.get(reference, reference))
    context = "; ".join([*shared, f"{how}, {n} {unit}"])
    return f"{own}, against {other} ({context}): " + "; ".join(parts) + "."


#: Separator of the parts of an arm's readable name (see :mod:`sim.analysis.labels`).
NAME_SEPARATOR = "; "


def split_names(arm: str, reference: str) -> tuple[str, str, list[str]]:
    """The parts of two arm names that differ, and the parts they share (said once)."""
    a, b = arm.split(NAME_SEPARATOR), reference.split(NAME_SEPARATOR)
    shared = [part for part in a if part in b]
    own = [part for part in a if part not in shared] or a
    other = [part for part in b if part not in shared] or b
    if own == a and other == b:
        shared = []
    return NAME_SEPARATOR.join(own), NAME_SEPARATOR.join(other), shared


def overview_sentence(table: pd.DataFrame, windows: Sequence[Window]) -> str:
    """How many comparisons are clearly better, clearly worse or unclear, per headline outcome."""
    if table.empty:
        return ""
    labels = {w.key: w.label for w in windows}
    last = next((w for w in ("years_8_10", WHOLE_RUN) if w in labels), WHOLE_RUN)
    plan = (("practice_quality", last), ("inadequate_share", last), ("cost_gbp", WHOLE_RUN))
    n = table["arm"].nunique()
    parts = []
    for name, window in plan:
        rows = table.loc[(table["outcome"] == name) & (table["window"] == window)]
        if rows.empty:
            continue
        outcome = OUTCOME_BY_NAME[name]
        up = int((rows["ci_low"] > 0).sum())
        down = int((rows["ci_high"] < 0).sum())
        better, worse = (up, down) if outcome.higher_is_better else (down, up)
        where = "over the whole run" if window == WHOLE_RUN else f"in {labels[window]}"
        parts.append(
            f"{outcome.label} {where} is clearly better in {better}, clearly worse in {worse} "
            f"and not clearly different in {len(rows) - better - worse}"
        )
    return f"Of {n} comparison(s) with the reference: " + "; ".join(parts) + "."


@dataclass
class Answer:
    """Everything the answer section, the tables and the explorer show (plain data)."""

    windows: list[Window]
    references: dict[str, str]
    names: dict[str, str]
    estimates: pd.DataFrame
    differences: pd.DataFrame
    paired: bool
    sentences: list[str] = field(default_factory=list)


def draw_means(per_rep: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Per-replication outcomes averaged within each posterior draw, with the draw in the
    ``replication`` column, so paired differences and their t-intervals are over the K draws
    (replications of one draw share its parameters, so they are not independent samples of the
    posterior; see :mod:`sim.analysis.posterior_split`)."""
    draw_of = events.drop_duplicates(REPLICATION).set_index(REPLICATION)[DRAW]
    frame = per_rep.assign(**{REPLICATION: per_rep[REPLICATION].map(draw_of).to_numpy()})
    means = frame.groupby([ARM, REPLICATION, "window", "outcome"], sort=False, observed=True)
    return means["value"].mean().reset_index()


def answer(
    timeseries: pd.DataFrame,
    events: pd.DataFrame,
    arms: Sequence[str],
    overrides: Mapping[str, Mapping[str, Any]],
    *,
    names: Mapping[str, str] | None = None,
    first_field: str | None = None,
    reference: str | None = None,
    paired: bool = True,
) -> Answer:
    """The answer of a run: estimates per arm, differences from the reference, sentences.

    Parameters
    ----------
    timeseries, events
        The results' tables (``results.timeseries``, ``results.events``).
    arms, overrides
        The arms in the run's order and their dotted overrides.
    names
        Readable arm names (default: the arms' labels).
    first_field, reference
        See :func:`reference_arms`.
    paired
        Whether replications share random numbers across arms (one run: yes).
    """
    arms = [str(a) for a in arms]
    names = dict(names or {a: a for a in arms})
    horizon = int(timeseries["month"].max())
    windows = windows_for(horizon)
    per_rep = replication_outcomes(timeseries, events, windows)
    references = reference_arms(arms, overrides, first_field, reference)
    unit = "replications"
    drawn = DRAW in events.columns
    if drawn:  # over posterior draws: the draws are the independent units
        per_rep = draw_means(per_rep, events)
        unit = "posterior draws (each the mean of its paired replications)"
    diffs = differences(per_rep, references, windows, paired)
    sentences = [
        s for s in (comparison_sentence(diffs, a, names, windows, unit) for a in references) if s
    ]
    if len(sentences) > 1:
        sentences.insert(0, overview_sentence(diffs, windows))
    return Answer(
        windows,
        references,
        names,
        arm_estimates(per_rep, windows, arms, draws=drawn),
        diffs,
        paired,
        sentences,
    )
