"""The results area: summary, outcomes, curves, grade chances, cost, comparison with an earlier
run of the session and, for a population run, national curves and a sortable table of LAs."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from sim.analysis.population import is_population, national_frame
from sim.experiment.results import Results
from sim.explorer import views
from sim.explorer.runs import RunRecord
from sim.model.metrics import METRIC_NAMES

#: Key of the container of the results so far (the page gives it the CSS class st-key-<key>).
PARTIAL_KEY = "results_so_far"
#: LA-table metrics shown first for a population run.
LA_METRICS: tuple[str, ...] = (
    "practice_quality",
    "ofsted_grade",
    "agency_rate_pct",
    "caseload_per_fte",
    "under_intervention",
    "cost_cumulative_gbp",
)


def draw_curves(
    timeseries: pd.DataFrame, metrics: Sequence[str], earlier: Sequence[RunRecord] = ()
) -> None:
    """One chart per metric: mean per arm with its 95% band (earlier runs overlaid)."""
    columns = st.columns(2)
    for n, metric in enumerate(metrics):
        table = views.curves(timeseries, metric)
        parts = [table]
        for record in earlier:
            parts.append(views.curves(record.results.timeseries, metric, f"run {record.number}: "))
        chart = views.curve_chart(
            pd.concat(parts, ignore_index=True), views.metric_title(metric), metric
        )
        columns[n % 2].altair_chart(chart, width="stretch")


def draw_answer(record: RunRecord) -> None:
    """The report's answer: its sentences, the paired differences and the estimates per arm."""
    found = views.run_answer(record.results, record.ran)
    for sentence in found.sentences:
        st.markdown(f"- {sentence}")
    if not found.sentences:
        st.caption("One arm: no comparison to state. The estimates per arm are below.")
    if not found.differences.empty:
        st.markdown("**Differences from the reference arm** (paired by replication, 95% CI)")
        st.dataframe(found.differences, hide_index=True)
    st.markdown("**Estimates per arm** (95% CI)")
    st.dataframe(found.estimates, hide_index=True)


def draw_results(record: RunRecord, others: Sequence[RunRecord]) -> None:
    """Draw the results of ``record``; ``others`` are the session's other runs."""
    results = record.results
    timeseries = results.timeseries
    arms = results.arms
    population = is_population(timeseries)
    st.subheader(f"{record.label}: {len(arms)} arm(s) × {record.replications} replications")
    names = ["Curves", "Answer", "Summary", "Chance of each grade", "Cost (£m)", "Compare"]
    if population:
        names.append("Local authorities")
    tabs = st.tabs(names)
    national = national_frame(timeseries, list(METRIC_NAMES)) if population else timeseries
    with tabs[1]:
        if population:
            st.info(
                "A population run: the answer is computed per LA in its report; here are the "
                "national curves, the national summary and the table of LAs."
            )
        else:
            draw_answer(record)
    with tabs[0]:
        if population:
            st.caption(
                "National curves: sums over LAs of counts, FTE and pounds; means over LAs of "
                "rates, shares and grades."
            )
        chosen = st.multiselect(
            "Metrics", list(METRIC_NAMES), default=list(views.DEFAULT_METRICS), key="metrics"
        )
        st.caption("Lines: mean over replications; shaded: 95% confidence band of the mean.")
        draw_curves(timeseries, chosen)
    with tabs[2]:
        st.dataframe(views.summary_frame(national), hide_index=True)
        st.caption(
            "Per-replication statistic: the mean of the last 12 months (cumulative cost: its "
            "final value); 95% t-interval of the mean; p10-p90: spread of replications."
        )
        st.dataframe(views.outcomes_frame(results.events, arms, timeseries), hide_index=True)
    with tabs[3]:
        st.caption(
            "Share of LAs × replications whose last graded judgement is each grade."
            if population
            else "Share of replications whose last graded judgement is each grade."
        )
        st.altair_chart(views.grade_chart(views.grade_frame(timeseries, arms)))
    with tabs[4]:
        draw_curves(timeseries, [views.COST_METRIC, "cost_month_gbp"])
    with tabs[5]:
        labels = {r.label: r for r in others}
        picked = st.multiselect("Overlay earlier runs of this session", list(labels), key="compare")
        metric = st.selectbox("Metric", list(METRIC_NAMES), key="compare_metric")
        draw_curves(timeseries, [metric], [labels[p] for p in picked])
    if population:
        with tabs[6]:
            table = views.population_table(timeseries, LA_METRICS)
            st.caption(
                "Per arm and LA: mean of the per-replication statistic. Click a column to sort."
            )
            st.dataframe(table, hide_index=True)


def draw_partial(results: Results, title: str) -> None:
    """The results so far of a run in progress: curves, grade chances and the summary.

    ``results`` holds the finished replications only (:class:`~sim.experiment.partial.
    PartialResults`); the numbers come from the same analysis functions as a finished run's.
    Drawn one after another (no tabs), so each part shows as soon as it is drawn, in a
    container keyed :data:`PARTIAL_KEY` (its CSS class ``st-key-<key>`` lets a browser test
    find the charts of the results so far).
    """
    with st.container(key=PARTIAL_KEY):
        _draw_partial(results, title)


def _draw_partial(results: Results, title: str) -> None:
    timeseries = results.timeseries
    population = is_population(timeseries)
    national = national_frame(timeseries, list(METRIC_NAMES)) if population else timeseries
    st.subheader(title)
    st.caption(
        "So far: mean over the replications finished; shaded: 95% confidence band of the "
        "mean. The bands narrow as replications arrive."
    )
    draw_curves(timeseries, views.DEFAULT_METRICS)
    st.markdown("**Chance of each grade** (share of the replications finished)")
    st.altair_chart(views.grade_chart(views.grade_frame(timeseries, results.arms)))
    st.markdown("**Summary so far**")
    st.dataframe(views.summary_frame(national), hide_index=True)
