"""The answer a population run's report leads with (section "The answer" of ``report.html``).

Built from ``national_outcomes.csv`` (:func:`sim.analysis.national_outcomes.outcomes_table`)
and, over posterior draws, ``uncertainty.csv``
(:func:`sim.analysis.national_outcomes.uncertainty_table`):

* per pool arm, one sentence: LA-years inadequate avoided and the extra national cost against
  the arm without a pool (paired differences with their 95% intervals; "no clear difference"
  when the interval spans 0) and the cost per LA-year avoided;
* a table of the key outcomes per arm (mean and 95% interval);
* over a posterior, the share of the spread of the differences that is parameter uncertainty;
* for a run without pool arms (the back-cast), a sentence with the national totals per arm.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.formats import MINUS, money
from sim.analysis.html import estimate, interval, paragraph, section, table
from sim.analysis.national_outcomes import DIFFERENCES, difference_name, outcomes_table
from sim.analysis.posterior_split import spread_sentence
from sim.experiment.layout import NATIONAL_OUTCOMES_CSV, UNCERTAINTY_CSV
from sim.model.national_aggregates import GBP_PER_M
from sim.model.output import ARM

ANCHOR = "answer"
TITLE = "The answer"

#: Key outcomes of the table, with their column headings.
KEY_OUTCOMES: dict[str, str] = {
    "la_years_inadequate": "LA-years inadequate",
    "relapses": "relapses",
    "open_case_years_in_inadequate_las": "open-case-years in inadequate LAs",
    "adhoc_teams_formed": "ad-hoc teams formed",
    "cost_gbp_m": "national cost (£m)",
    "pool_salary_gbp_m": "pool salary (£m)",
    "pool_idle_salary_gbp_m": "idle pool salary (£m)",
}
#: Labels of the paired differences split in uncertainty.csv.
SPREAD_LABELS: dict[str, str] = {
    "la_years_inadequate": "LA-years inadequate",
    "cost_gbp_m": "national cost",
}


def _spans_zero(low: float, high: float) -> bool:
    return not (low > 0 or high < 0)


def _defined(*values: float) -> bool:
    return all(isinstance(v, int | float) and not math.isnan(float(v)) for v in values)


def _estimates(outcomes: pd.DataFrame, arm: str) -> dict[str, tuple[float, float, float]]:
    """Outcome -> (mean, ci_low, ci_high) of one arm's rows of ``national_outcomes.csv``."""
    rows = outcomes[outcomes[ARM] == arm]
    values = rows[["mean", "ci_low", "ci_high"]].to_numpy(dtype=float)
    return {
        str(o): (float(v[0]), float(v[1]), float(v[2]))
        for o, v in zip(rows["outcome"], values, strict=True)
    }


def _span(low: float, high: float) -> str:
    """``low to high``, a negative bound with a minus sign (as :func:`money` writes it)."""
    return interval(low, high).replace("-", MINUS)


def _gbp(value_m: float) -> str:
    return money(value_m * GBP_PER_M)


def _avoided_phrase(mean: float, low: float, high: float) -> str:
    """LA-years inadequate avoided (a negative mean is LA-years added)."""
    if not _defined(low, high):
        return f"{estimate(mean)} LA-years inadequate avoided (no interval from one replication)"
    if _spans_zero(low, high):
        which = f"{estimate(mean)} avoided" if mean >= 0 else f"{estimate(-mean)} more"
        return (
            f"no clear difference in LA-years inadequate ({which}; 95% interval of the LA-years "
            f"avoided {_span(low, high)})"
        )
    if mean > 0:
        return f"{estimate(mean)} LA-years inadequate avoided (95% interval {interval(low, high)})"
    return f"{estimate(-mean)} more LA-years inadequate (95% interval {interval(-high, -low)} more)"


def _cost_phrase(mean: float, low: float, high: float) -> str:
    """The extra national cost (a negative mean is a saving)."""
    if not _defined(low, high):
        return f"for {_gbp(mean)} more (no interval from one replication)"
    if _spans_zero(low, high):
        which = f"{_gbp(mean)} more" if mean >= 0 else f"{_gbp(-mean)} less"
        return (
            f"and no clear difference in national cost ({which}; 95% interval of the extra "
            f"cost {_gbp(low)} to {_gbp(high)})"
        )
    if mean > 0:
        return f"for {_gbp(mean)} more (95% interval {_gbp(low)} to {_gbp(high)})"
    return f"for {_gbp(-mean)} less (95% interval {_gbp(-high)} to {_gbp(-low)} less)"


def arm_sentence(
    outcomes: pd.DataFrame, arm: str, reference: str, names: Mapping[str, str] | None = None
) -> str:
    """One pool arm's answer against its reference, from ``national_outcomes.csv``'s rows;
    ``names`` gives the arms' readable names (default: their labels)."""
    names = names or {}
    rows = _estimates(outcomes, arm)
    avoided_name, extra_name = (difference_name(n, reference) for n in DIFFERENCES)
    a, c = rows[avoided_name], rows[extra_name]
    text = (
        f"With {names.get(arm, arm)} (against {names.get(reference, reference)}): "
        f"{_avoided_phrase(*a)} {_cost_phrase(*c)}"
    )
    ratio = rows.get(f"cost_per_la_year_avoided_gbp_m (against {reference})")
    clear = _defined(a[1], a[2]) and not _spans_zero(a[1], a[2])
    if ratio is not None and _defined(ratio[0]) and a[0] > 0 and clear:
        text += f", {_gbp(ratio[0])} per LA-year avoided"
    return text + "."


def references_in(outcomes: pd.DataFrame) -> dict[str, str]:
    """Pool arm -> reference, as ``national_outcomes.csv`` names them."""
    prefix = difference_name(next(iter(DIFFERENCES)), "")[: -len(")")]
    refs: dict[str, str] = {}
    for arm, outcome in zip(outcomes[ARM], outcomes["outcome"], strict=True):
        text = str(outcome)
        if text.startswith(prefix) and text.endswith(")"):
            refs[str(arm)] = text[len(prefix) : -1]
    return refs


def totals_sentence(outcomes: pd.DataFrame, arms: Sequence[str]) -> str:
    """National totals per arm, for a run without pool arms (e.g. the back-cast)."""
    parts = []
    for arm in arms:
        rows = _estimates(outcomes, arm)
        if "la_years_inadequate" not in rows:
            continue
        years, cost = rows["la_years_inadequate"], rows["cost_gbp_m"]
        parts.append(
            f"{arm}: {estimate(years[0])} LA-years inadequate (95% interval "
            f"{interval(years[1], years[2])}) and a national cost of {_gbp(cost[0])} (95% "
            f"interval {_gbp(cost[1])} to {_gbp(cost[2])})"
        )
    if not parts:
        return ""
    return (
        "No arm with a pool is compared with one without, so these are the national totals "
        "over the whole run: " + "; ".join(parts) + "."
    )


def key_table(
    outcomes: pd.DataFrame, arms: Sequence[str], names: Mapping[str, str] | None = None
) -> str:
    """HTML table of :data:`KEY_OUTCOMES` per arm: mean and 95% interval."""
    names = names or {}
    rows = []
    for arm in arms:
        values = _estimates(outcomes, arm)
        cells: list[str] = [names.get(arm, arm)]
        for outcome in KEY_OUTCOMES:
            mean, low, high = values.get(outcome, (math.nan, math.nan, math.nan))
            cells.append(f"{estimate(mean)} ({interval(low, high)})")
        rows.append(cells)
    columns = ["arm", *KEY_OUTCOMES.values()]
    return table(columns, rows, [False] + [True] * len(KEY_OUTCOMES))


def answer_section(
    outcomes: pd.DataFrame,
    arms: Sequence[str],
    uncertainty: pd.DataFrame | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """The section "The answer": a sentence per pool arm (or the national totals), the table
    of key outcomes and, over a posterior, what share of the spread is parameter uncertainty.
    ``names``: the arms' readable names (:func:`sim.analysis.labels.arm_labels`)."""
    refs = references_in(outcomes)
    sentences = [arm_sentence(outcomes, arm, refs[arm], names) for arm in arms if arm in refs]
    if not sentences:
        sentences = [totals_sentence(outcomes, arms)]
    body = "".join(paragraph(s) for s in sentences if s)
    body += paragraph(
        "Key outcomes over the whole run, per arm: mean (95% interval); all in "
        f"{NATIONAL_OUTCOMES_CSV}."
    )
    body += key_table(outcomes, arms, names)
    if uncertainty is not None and len(uncertainty):
        spread = spread_sentence(uncertainty, tuple(SPREAD_LABELS), SPREAD_LABELS)
        if spread:
            body += paragraph(spread)
    return section(ANCHOR, TITLE, body)


def folder_answer(folder: Path, manifest: Mapping[str, Any]) -> str:
    """:func:`answer_section` of a results folder: its ``national_outcomes.csv`` (computed from
    its tables when absent) and ``uncertainty.csv`` when the run is over posterior draws."""
    folder = Path(folder)
    arms = [str(a["label"]) for a in manifest.get("arms", [])]
    target = folder / NATIONAL_OUTCOMES_CSV
    if target.is_file():
        outcomes = pd.read_csv(target)
    else:
        overrides = {str(a["label"]): dict(a.get("overrides") or {}) for a in manifest["arms"]}
        national = pd.read_parquet(folder / "national.parquet")
        outcomes = outcomes_table(national, pd.read_csv(folder / "events.csv"), arms, overrides)
    outcomes = outcomes.assign(**{ARM: outcomes[ARM].astype(str)})
    split = folder / UNCERTAINTY_CSV
    uncertainty = pd.read_csv(split) if split.is_file() else None
    return answer_section(outcomes, arms, uncertainty, folder_arm_names(folder, manifest, arms))


def folder_arm_names(
    folder: Path, manifest: Mapping[str, Any], arms: Sequence[str]
) -> dict[str, str]:
    """Readable arm names from the arms' overrides and the scenario's ``labels:``."""
    from sim.analysis.labels import arm_labels
    from sim.scenario.yaml_safe import load_yaml_file

    overrides = {str(a["label"]): dict(a.get("overrides") or {}) for a in manifest.get("arms", [])}
    resolved = folder / "scenario.resolved.yaml"
    data = load_yaml_file(str(resolved)) if resolved.is_file() else {}
    labels = data.get("labels") if isinstance(data, dict) else None
    return arm_labels(arms, overrides, labels if isinstance(labels, dict) else None)
