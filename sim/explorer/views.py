"""Results on the page: the report's answer (summary sentences and paired differences), event
outcomes, outcome curves with bands, the chance of each grade over time, cost in £m, earlier
runs overlaid, and for a population run national curves and a sortable table of LAs.

Every number comes from :mod:`sim.analysis` (``answer``, ``summary_table``, ``outcomes_table``,
``curve_table``, ``grade_shares``, ``national_frame``, ``la_table``); this module only chooses
columns, renames them for readers and draws them with Altair (Streamlit's own charts).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from sim.analysis.answer import Answer, answer
from sim.analysis.grades import GRADE_NAMES, grade_shares
from sim.analysis.labels import arm_labels
from sim.analysis.outcomes import outcomes_table
from sim.analysis.overlays import GRADE_METRIC
from sim.analysis.plots import value_range
from sim.analysis.population import is_population, la_table, national_frame
from sim.analysis.stats import curve_table, frame_reader, summary_table
from sim.experiment.results import Results
from sim.model.metrics import METRIC_BY_NAME, METRIC_NAMES
from sim.model.output import series_keys
from sim.scenario import Scenario
from sim.scenario.units import MONTHS_PER_YEAR

#: Pounds per £m, for the cost views.
GBP_PER_MILLION = 1_000_000
#: Metrics shown first on the page.
DEFAULT_METRICS: tuple[str, ...] = (
    "practice_quality",
    "ofsted_grade",
    "agency_rate_pct",
    "caseload_per_fte",
)
COST_METRIC = "cost_cumulative_gbp"
CHART_HEIGHT_PX = 300
#: Height of the empty chart shown before the first run (pixels; layout choice).
PLACEHOLDER_HEIGHT_PX = 120
GRADE_COLOURS: dict[str, str] = {
    "1 outstanding": "#1a9850",
    "2 good": "#91cf60",
    "3 requires improvement": "#fc8d59",
    "4 inadequate": "#d73027",
}


def label_of(metric: str) -> str:
    """A metric's label and unit, e.g. ``"Agency rate (%)"``."""
    known = METRIC_BY_NAME.get(metric)
    return f"{known.label} ({known.unit})" if known is not None else metric


def arms_of(timeseries: pd.DataFrame) -> list[str]:
    """The arms of a time series, in their order."""
    column = timeseries["arm"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(a) for a in column.cat.categories if (column == a).any()]
    return [str(a) for a in pd.unique(column.astype(str))]


def summary_frame(timeseries: pd.DataFrame, metrics: Sequence[str] = METRIC_NAMES) -> pd.DataFrame:
    """The report's summary (per arm and metric: mean, 95% CI, 10-90% spread, n)."""
    table = summary_table(frame_reader(timeseries), arms_of(timeseries), metrics)
    table.insert(2, "label", [label_of(m) for m in table["metric"]])
    return table


def run_answer(results: Results, scenario: Scenario) -> Answer:
    """The report's answer for a run: estimates, paired differences and sentences.

    The arguments are those ``report.html`` passes (the arms' readable names, the first grid
    field and the file's ``reference:``), so the page and the report say the same numbers.
    """
    arms, overrides = results.arms, results.arm_overrides
    reference = scenario.reference if scenario.reference in arms else None
    return answer(
        results.timeseries,
        results.events,
        arms,
        overrides,
        names=arm_labels(arms, overrides, scenario.labels),
        first_field=next(iter(scenario.grid), None) if scenario.grid else None,
        reference=reference,
    )


def outcomes_frame(
    events: pd.DataFrame, arms: Sequence[str], timeseries: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Event outcomes per arm, with total cost in £m."""
    table = outcomes_table(events, arms, timeseries)
    for column in ("total_cost_mean", "total_cost_ci_low", "total_cost_ci_high"):
        table[column.replace("total_cost", "total_cost_gbp_m")] = table[column] / GBP_PER_MILLION
    return table.drop(columns=["total_cost_mean", "total_cost_ci_low", "total_cost_ci_high"])


def curves(timeseries: pd.DataFrame, metric: str, prefix: str = "") -> pd.DataFrame:
    """Per arm and month of one metric: mean and 95% CI, with ``years`` for the x axis.

    Parameters
    ----------
    timeseries
        Columns ``arm, replication, month, <metric>`` (a population frame: its national values).
    metric
        The metric.
    prefix
        Put before each arm's name (to overlay an earlier run).
    """
    frame = timeseries
    if is_population(frame):
        frame = national_frame(frame, [metric])
    table = curve_table(frame.loc[:, [*series_keys(), metric]], metric)
    table["years"] = table["month"] / MONTHS_PER_YEAR
    table["arm"] = prefix + table["arm"].astype(str)
    low, high = value_range(
        metric
    )  # bands clipped to the values a metric can take, as in the report
    table["ci_low"] = table["ci_low"].clip(lower=low, upper=high)
    table["ci_high"] = table["ci_high"].clip(lower=low, upper=high)
    if metric.endswith("_gbp"):
        for column in ("mean", "ci_low", "ci_high", "p10", "p90"):
            table[column] = table[column] / GBP_PER_MILLION
    return table


def curve_chart(table: pd.DataFrame, title: str, metric: str = "") -> alt.LayerChart:
    """Mean per arm (line) with its 95% confidence band (shaded); grades with 1 at the top."""
    base = alt.Chart(table).encode(
        x=alt.X("years:Q", title="Years after warm-up"),
        color=alt.Color("arm:N", title=None, legend=alt.Legend(orient="top", labelLimit=400)),
    )
    scale = (
        alt.Scale(domain=[1, 4], reverse=True) if metric == GRADE_METRIC else alt.Scale(zero=False)
    )
    band = base.mark_area(opacity=0.2).encode(
        y=alt.Y("ci_low:Q", title=None, scale=scale), y2="ci_high:Q"
    )
    line = base.mark_line().encode(
        y="mean:Q", tooltip=["arm", "years", "mean", "ci_low", "ci_high", "n"]
    )
    return (band + line).properties(height=CHART_HEIGHT_PX, title=title)


def placeholder_chart(title: str) -> alt.Chart:
    """An empty chart with the curves' x axis, drawn where the curves will appear.

    Drawing it when the page opens makes the browser load its chart code before a run starts:
    charts sent while a run is under way then draw at once (in Chromium under load, fetching
    that code during a run took from seconds to the whole run; docs/explorer.md).
    """
    empty = pd.DataFrame({"years": pd.Series([], dtype=float), "mean": pd.Series([], dtype=float)})
    return (
        alt.Chart(empty)
        .mark_line()
        .encode(x=alt.X("years:Q", title="Years after warm-up"), y=alt.Y("mean:Q", title=None))
        .properties(height=PLACEHOLDER_HEIGHT_PX, title=title)
    )


def metric_title(metric: str) -> str:
    """The chart title of a metric; pounds are shown in £m."""
    if metric.endswith("_gbp"):
        return METRIC_BY_NAME[metric].label + " (£m)" if metric in METRIC_BY_NAME else metric
    return label_of(metric)


def grade_frame(timeseries: pd.DataFrame, arms: Sequence[str]) -> pd.DataFrame:
    """The share of replications in each grade per arm and month, with readable grade names."""
    table = grade_shares(timeseries, arms)
    table["grade"] = [f"{g} {GRADE_NAMES[int(g)]}" for g in table["grade"]]
    table["years"] = table["month"] / MONTHS_PER_YEAR
    return table


def grade_chart(table: pd.DataFrame) -> alt.Chart:
    """Stacked chance of each grade over time, one panel per arm."""
    return (
        alt.Chart(table)
        .mark_area()
        .encode(
            x=alt.X("years:Q", title="Years after warm-up"),
            y=alt.Y("share:Q", stack="normalize", title="Chance of grade"),
            color=alt.Color(
                "grade:N",
                scale=alt.Scale(domain=list(GRADE_COLOURS), range=list(GRADE_COLOURS.values())),
            ),
            tooltip=["arm", "years", "grade", "share"],
        )
        .properties(height=CHART_HEIGHT_PX, width=260)
        .facet(facet=alt.Facet("arm:N", title=None), columns=3)
    )


def population_table(timeseries: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    """Per arm and LA, the per-replication statistic of each metric (a sortable table)."""
    return la_table(timeseries, metrics)
