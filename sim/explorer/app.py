"""The explorer page (a Streamlit script): ``csc-sim explore`` runs it; ``streamlit run`` works too.

Layout: the sidebar picks a shipped scenario or takes an upload, sets the run and offers the
downloads; the main area shows whether the edited scenario is valid (the ``csc-sim validate``
message when not), the form, the sweep builder and the results of the session's runs.
Nothing here computes model or analysis results: see :mod:`sim.explorer` for where each step is.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from sim.explorer import caps, views
from sim.explorer.catalogue import by_label, shipped_scenarios
from sim.explorer.editing import TYPE_PATH, Checked, Source, check, edits_from_form, load
from sim.explorer.fields import field_specs, value_at
from sim.explorer.form import draw_form, type_choice
from sim.explorer.live import LiveRun
from sim.explorer.live_page import LIVE, NOTE, SHOWN, absorb, draw_live, mark_page_run
from sim.explorer.results_page import draw_results
from sim.explorer.runs import (
    RunRecord,
    SessionRuns,
    describe,
    report_html,
    results_zip,
    run_key,
    scenario_yaml,
)
from sim.explorer.sweep_builder import draw_sweep
from sim.explorer.upload import read_upload
from sim.scenario import Scenario, ScenarioError

TITLE = "csc-sim scenario explorer"
DEFAULT_SCENARIO = "reference/troubled"
UPLOAD_TYPES = ["yaml", "yml"]


def _state() -> Any:
    state = st.session_state
    if "runs" not in state:
        state["runs"] = SessionRuns()
        state["uploads"] = 0
    return state


def _take_upload(state: Any, name: str, raw: bytes) -> None:
    """Parse an upload into the session's sources, or keep its message for the page."""
    try:
        source = read_upload(name, raw)
    except ScenarioError as err:
        state["upload_error"] = err.message
        return
    state["uploads"] += 1
    state["upload_error"] = None
    state["upload_source"] = source
    state["upload_token"] = f"upload{state['uploads']}"
    state["source"] = source.label


def _choose_source(state: Any) -> tuple[Source, str]:
    """The sidebar's scenario picker and uploads; returns the source and its form token."""
    st.sidebar.header("Scenario")
    uploaded = st.sidebar.file_uploader("Upload a scenario file", type=UPLOAD_TYPES, key="file")
    if uploaded is not None and state.get("file_id") != uploaded.file_id:
        state["file_id"] = uploaded.file_id
        _take_upload(state, uploaded.name, uploaded.getvalue())
    with st.sidebar.expander("…or paste a scenario"):
        pasted = st.text_area("Scenario YAML", key="pasted", height=160)
        if st.button("Load pasted YAML", key="load_pasted"):
            _take_upload(state, "pasted.yaml", pasted.encode("utf-8"))
    labels = [s.label for s in shipped_scenarios()]
    upload: Source | None = state.get("upload_source")
    if upload is not None:
        labels.append(upload.label)
    if state.get("source") not in labels:
        state["source"] = DEFAULT_SCENARIO if DEFAULT_SCENARIO in labels else labels[0]
    label = st.sidebar.selectbox("Open", labels, key="source")
    if upload is not None and label == upload.label:
        return upload, state["upload_token"]
    shipped = by_label(label)
    assert shipped is not None  # the label came from the same list
    return Source(label=label, name=str(shipped.path), path=shipped.path), label


def _edits(state: Any, source: Source, token: str) -> tuple[dict[str, Any], Scenario] | None:
    """Draw the form and the sweep builder; the edits they make and the opened scenario."""
    try:
        opened = load(source)
    except ScenarioError as err:
        st.error(err.message)
        return None
    chosen_type = type_choice(token, opened, state)
    typed = {TYPE_PATH: chosen_type} if chosen_type != opened.intervention.type else {}
    shown = load(source, typed) if typed else opened
    specs = field_specs()
    form_tab, sweep_tab = st.tabs(["Scenario fields", "Sweep builder"])
    with form_tab:
        values = draw_form(specs, shown, opened, token)
    with sweep_tab:
        sweep = _sweep(specs, token)
    shown_values = {path: value_at(shown, path) for path in values}
    edits = {**typed, **edits_from_form(values, shown_values), **sweep}
    return edits, opened


def _sweep(specs: list[Any], token: str) -> dict[str, Any]:
    try:
        return draw_sweep(specs, token)
    except ScenarioError as err:
        st.error(err.message)
        return {"grid": {}}  # an empty grid: the loader's message keeps the run disabled


def _status(checked: Checked, edits: dict[str, Any], place: Any) -> None:
    if not checked.ok:
        place.error(checked.message)
        return
    scenario = checked.scenario
    assert scenario is not None
    arms = f"{checked.arms} arm{'s' if checked.arms != 1 else ''}"
    place.success(f"Valid: '{scenario.name}', {arms}, {len(edits)} field(s) edited here.")


def _run_controls(state: Any, checked: Checked) -> None:
    """The sidebar's run settings, Run and Cancel; Run starts a background run (or reuses the
    session's identical run)."""
    st.sidebar.header("Run")
    scenario = checked.scenario
    reps = st.sidebar.number_input(
        "Replications per arm",
        min_value=1,
        value=caps.DEFAULT_REPLICATIONS,
        step=1,
        key="replications",
        help=f"Runs on the page are capped at {caps.MAX_REPLICATIONS} per arm, "
        f"{caps.MAX_RUNS} in all, and a {caps.MAX_HORIZON_YEARS:g}-year horizon. The seed is "
        "the scenario's (Top level: seed).",
    )
    pressed = st.sidebar.button(
        "Run", type="primary", disabled=not checked.ok, key="run", width="stretch"
    )
    if scenario is None:
        return
    seed = int(scenario.seed)
    capped = caps.cap(scenario, int(reps), checked.arms)
    file_name = f"{scenario.name}.yaml"
    if capped.capped:
        st.sidebar.warning("Capped to stay interactive: " + "; ".join(capped.notes) + ".")
    st.sidebar.caption(
        f"The full run ({scenario.replications} replications per arm, the file's), from the "
        "downloaded scenario file:"
    )
    st.sidebar.code(caps.full_run_command(file_name), language="bash")
    st.sidebar.download_button(
        "Download scenario YAML",
        scenario_yaml(scenario),
        file_name=file_name,
        mime="application/x-yaml",
        key="download_yaml",
    )
    key = run_key(capped.scenario, seed, capped.replications)
    state["current_key"] = key
    job: LiveRun | None = state.get(LIVE)
    if job is not None and job.running and st.sidebar.button("Cancel run", key="cancel"):
        job.cancel()
    if not pressed:
        return
    runs: SessionRuns = state["runs"]
    found = runs.find(key)
    if found is not None:
        if job is not None:
            job.cancel()  # harmless when it has ended; stops a different run under way
        state[LIVE], state[SHOWN] = None, found.key
        state[NOTE] = "Reused this session's identical run."
        return
    if job is not None and job.running:
        if job.key == key:
            return  # the same run is already under way
        job.cancel()  # a changed field: the earlier run stops and nothing of it is kept
    state[NOTE] = None
    state[LIVE] = LiveRun(
        runs,
        scenario,
        capped.scenario,
        replications=capped.replications,
        seed=seed,
        workers=caps.workers(),
        total=capped.replications * checked.arms,
    ).start()


def _downloads(record: RunRecord) -> None:
    st.sidebar.header("Results of the run shown")
    zips = st.session_state.setdefault("zips", {})
    if record.key not in zips:
        zips[record.key] = results_zip(record)
    st.sidebar.download_button(
        "Download results folder (zip)",
        zips[record.key],
        file_name=f"{record.folder.name}-{record.ran.name}.zip",
        mime="application/zip",
        key="download_zip",
    )
    built = st.session_state.setdefault("reports", {})
    if record.key not in built and st.sidebar.button("Build report.html", key="build_report"):
        with st.spinner("Drawing the report…"):
            built[record.key] = report_html(record)
    if record.key in built:
        st.sidebar.download_button(
            "Download report.html",
            built[record.key],
            file_name=f"{record.ran.name}-report.html",
            mime="text/html",
            key="download_report",
        )


def page() -> None:
    """Draw the page: the form on the left, the run's results on the right."""
    st.set_page_config(page_title=TITLE, layout="wide")
    state = _state()
    mark_page_run(state)
    st.title(TITLE)
    source, token = _choose_source(state)
    if state.get("upload_error"):
        st.error(state["upload_error"])
    status = st.empty()
    left, right = st.columns([4, 7], gap="large")
    with left:
        found = _edits(state, source, token)
    if found is None:
        return
    edits, _ = found
    checked = check(source, edits)
    state["scenario"] = checked.scenario  # the resolved scenario the downloads and runs use
    _status(checked, edits, status)
    _run_controls(state, checked)
    absorb(state)
    runs: SessionRuns = state["runs"]
    shown = runs.find(state.get(SHOWN) or "")
    with right:
        st.header("Results")
        if draw_live(state):
            shown = None  # the run under way (or how it ended) replaces the earlier results
        elif shown is not None and state.get(NOTE):
            st.progress(1.0, text=state[NOTE])
        _results(state, runs, shown)


def _results(state: Any, runs: SessionRuns, shown: RunRecord | None) -> None:
    if shown is None:
        if state.get(LIVE) is None:
            st.info("Press Run in the sidebar to see outcome curves.")
            st.altair_chart(views.placeholder_chart("Outcome curves appear here"), width="stretch")
        return
    if state.get("current_key") != shown.key:
        st.warning(
            "The form has changed since this run (or the run was capped differently): these "
            "are the results of the earlier scenario. Press Run for the current one."
        )
    _downloads(shown)
    draw_results(shown, [r for r in runs.records if r.key != shown.key])
    with st.expander("Runs of this session"):
        st.dataframe([describe(r) for r in runs.records], hide_index=True)


def main() -> None:
    """Draw the page; an unexpected error is one message, never a traceback."""
    try:
        page()
    except ScenarioError as err:
        st.error(err.message)
    except Exception as err:  # the page must never show a stack (DESIGN §8)
        st.error(
            f"The explorer hit an unexpected problem ({type(err).__name__}: {err}). Nothing was "
            "saved; reload the page to start again, and report this if it happens again."
        )


main()
