"""The ``csc-sim`` command. It holds no logic the Python API lacks; it parses flags, calls the API
and turns bad input into a one-paragraph message with exit code 2 (DESIGN §3)."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from sim.scenario.errors import ScenarioError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


def friendly_errors(func: F) -> F:
    """Turn a :class:`ScenarioError` into its message on stderr and exit code 2 (no traceback
    unless ``--debug``)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ScenarioError as err:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            click.echo(f"Error: {err.message}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]


def flag_error_text(err: click.UsageError) -> str:
    """A click usage error (bad or unknown flag) in the house style: ``Error: --flag: problem``."""
    if isinstance(err, click.NoSuchOption):
        close = sorted(err.possibilities or [])
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        command = err.ctx.command_path if err.ctx is not None else "csc-sim"
        return f"Error: {err.option_name}: no such option of '{command}'.{hint} See '{command} --help'."
    message = err.format_message().rstrip(".")
    param = getattr(err, "param", None)
    opts = getattr(param, "opts", None) if param is not None else None
    name = opts[0] if opts else (getattr(param, "name", None) or "")
    for prefix in (f"Invalid value for '{name}': ", f"Invalid value for {name}: "):
        message = message.removeprefix(prefix)
    command = err.ctx.command_path if err.ctx is not None else "csc-sim"
    where = f"{name}: " if name and not message.startswith(name) else ""
    return f"Error: {where}{message}. See '{command} --help'."


class Commands(click.Group):
    """The command group; usage errors get the same one-paragraph style as bad input."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102 - click's entry point
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.UsageError as err:
            click.echo(flag_error_text(err), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except click.exceptions.Exit as err:
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(EXIT_FAILURE)
        except click.ClickException as err:
            err.show()
            sys.exit(err.exit_code)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="csc-sim")
def main(debug: bool) -> None:
    """Simulate a council's children's social care service under government intervention."""


# Commands are defined in the modules below and registered here.


# --- validate, schema ------------------------------------------------------------------------

SET_HELP = (
    "Set a field, like the file would: PATH=VALUE, e.g. intervention.duration_months=18 "
    "(repeatable)."
)


def load_with_sets(file: str, sets: tuple[str, ...]) -> Any:
    """The scenario FILE with ``--set`` overrides applied, validated like the file's own values
    (an error about an override names ``--set PATH``)."""
    from sim.experiment.errors import RunInputError
    from sim.scenario.loader import OVERRIDES, SET_FLAG, load_scenario, parse_set_options

    try:
        overrides = parse_set_options(sets)
    except ScenarioError as err:
        raise RunInputError(SET_FLAG, err.problem, err.suggestion) from None
    try:
        return load_scenario(file, overrides=overrides)
    except ScenarioError as err:
        if err.file != OVERRIDES:
            raise
        flag = f"--set {err.field}" if err.field else "--set"
        raise RunInputError(flag, err.problem, err.suggestion) from None


@main.command("validate", short_help="Check scenario FILEs without running them.")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
@click.pass_context
def validate_command(ctx: click.Context, files: tuple[str, ...], sets: tuple[str, ...]) -> None:
    """Check scenario FILEs without running them: fields, extends, sweep arms and the uncertain
    section. Prints "OK <file> (<n> arms)" for each valid file, and a warning for settings that
    do nothing; exit 0 if all are valid, else 2."""
    from sim.scenario.changes import check_presentation, inert_settings
    from sim.scenario.sweep import expand_arms, validate_uncertain

    invalid = 0
    for file in files:
        try:
            scenario = load_with_sets(file, sets)
            arms = expand_arms(scenario, source=file)
            validate_uncertain(scenario, source=file)
            check_presentation(scenario, [a.label for a in arms], file)
        except ScenarioError as err:
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(f"Error: {err.message}", err=True)
            invalid += 1
            continue
        click.echo(f"OK {file} ({len(arms)} arm{'' if len(arms) == 1 else 's'})")
        for warning in inert_settings(scenario, {a.label: a.overrides for a in arms}):
            click.echo(f"Warning: {file}: {warning}", err=True)
    if invalid:
        sys.exit(EXIT_BAD_INPUT)


@main.command("schema", short_help="Print the JSON Schema of a scenario file.")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write to FILE, not stdout.")
@friendly_errors
def schema_command(out: str | None) -> None:
    """Print the JSON Schema of a scenario file (for editors and other tools)."""
    import json

    from sim.scenario.schema import scenario_json_schema

    text = json.dumps(scenario_json_schema(), indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as err:
        raise ScenarioError("--out", None, f"cannot write '{out}' ({err.strerror}).") from None
    click.echo(f"Wrote the scenario JSON Schema to {out}", err=True)


# --- run, report, compare, demo ------------------------------------------------------------------

#: Replications per arm of ``csc-sim demo``.
DEMO_REPLICATIONS = 8
#: Most workers ``csc-sim demo`` uses by default.
DEMO_MAX_WORKERS = 2
DEMO_SCENARIO = ("experiments", "intervention_length_x_leadership.yaml")


def default_out(name: str) -> Path:
    """``results/<name>``, with the name made safe as a folder name."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).lstrip(".") or "scenario"
    return Path("results") / safe


def available_cores() -> int:
    """Cores this process may use (its CPU affinity where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def choose_workers(workers: int | None, tasks: int) -> int:
    """``--workers``: default the cores available, capped by the runs; warn when asked for more
    cores than there are (the value is still used: results do not depend on it)."""
    cores = available_cores()
    if workers is None:
        return max(1, min(cores, tasks))
    if workers > cores:
        click.echo(
            f"Warning: --workers {workers} is more than the {cores} core(s) available; the "
            "workers will share them (results are the same, only slower).",
            err=True,
        )
    return workers


def _run_and_report(file: Any, out: Path, **options: Any) -> None:
    """Run a scenario file into ``out``; a run failure becomes exit code 1."""
    from sim.api import run
    from sim.experiment.errors import RunFailedError
    from sim.experiment.layout import REPORT_HTML

    try:
        results = run(file, out=out, **options)
    except RunFailedError as err:
        click.echo(f"Error: {err.message}", err=True)
        sys.exit(EXIT_FAILURE)
    manifest = results.manifest
    click.echo(
        f"Wrote {out}: {len(results.arms)} arm(s) x {manifest.get('replications')} replication(s) "
        f"in {manifest.get('wall_seconds')} s ({manifest.get('executor')}, "
        f"{manifest.get('workers')} worker(s))."
    )
    if (out / REPORT_HTML).is_file():
        click.echo(f"Report: {out / REPORT_HTML}")
    _national_estimate(manifest)


def _national_estimate(manifest: dict[str, Any]) -> None:
    """After a population run: how long the national experiment would take at this speed."""
    from sim.experiment.population_run import estimate_seconds

    population = manifest.get("population") or {}
    per_la_year = population.get("seconds_per_la_year")
    experiment = Path("scenarios/experiments/national_pool.yaml")
    if not per_la_year or not experiment.is_file():
        return
    posterior = manifest.get("posterior") or {}
    if posterior:  # over the same posterior draws: K x R replications of every arm
        seconds = estimate_seconds(
            per_la_year,
            experiment,
            replications=int(posterior["replications_per_draw"]),
            draws=int(posterior["draws"]),
        )
        over = f" over {posterior['draws']} posterior draws x {posterior['replications_per_draw']}"
        over += " replication(s)"
    else:
        seconds, over = estimate_seconds(per_la_year, experiment), ""
    click.echo(
        f"{population['la_years_computed']:,.0f} LA-years at {per_la_year:.3f} s per LA-year: "
        f"the national experiment ({experiment}){over} would take about "
        f"{seconds / 3600:,.1f} hours on this executor ({manifest.get('workers')} worker(s))."
    )


def _executor_options(func: F) -> F:
    """``--executor`` and ``--scheduler``, the same on every command that runs replications."""
    func = click.option(
        "--scheduler", metavar="ADDRESS", help="Address of an existing Dask scheduler."
    )(func)
    return click.option(
        "--executor",
        type=click.Choice(["serial", "process", "dask"]),
        help="Default: serial for one worker, process for more, dask with --scheduler.",
    )(func)


@main.command("run", short_help="Run a scenario or sweep FILE and write a results folder.")
@click.argument("file", metavar="FILE")
@click.option("--replications", type=int, help="Replications per arm (default: the file's).")
@click.option("--seed", type=int, help="Base random seed (default: the file's).")
@click.option(
    "--workers",
    type=int,
    help="Worker processes (default: the cores available, at most one per run).",
)
@_executor_options
@click.option(
    "--out", type=click.Path(file_okay=False), help="Results folder (default results/<name>)."
)
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
@click.option("--resume", is_flag=True, help="Continue an interrupted run of --out.")
@click.option("--force", is_flag=True, help="Overwrite an existing results folder.")
@click.option("--no-report", is_flag=True, help="Skip the curves and report.html.")
@click.option(
    "--posterior",
    type=click.Path(dir_okay=False),
    help="Run every arm over parameter sets drawn from this posterior.parquet (csc-sim calibrate).",
)
@click.option("--draws", type=int, help="Posterior draws K (default 20); --replications each.")
@friendly_errors
def run_command(
    file: str,
    replications: int | None,
    seed: int | None,
    workers: int | None,
    executor: str | None,
    scheduler: str | None,
    out: str | None,
    sets: tuple[str, ...],
    resume: bool,
    force: bool,
    no_report: bool,
    posterior: str | None,
    draws: int | None,
) -> None:
    """Run a scenario or sweep FILE and write a results folder.

    Everything (the file, every arm, the options, the output folder) is checked before anything
    is created. Exit 0 on success, 1 if replications failed (finished ones are kept for
    --resume), 2 on bad input.
    """
    from sim.experiment.plan import prepare_plan
    from sim.scenario.changes import check_presentation
    from sim.scenario.loader import parse_set_options

    overrides = None
    if sets:
        load_with_sets(file, sets)  # an error about an override names --set PATH
        overrides = parse_set_options(sets)
    plan = prepare_plan(
        file, replications, seed, overrides=overrides, posterior=posterior, draws=draws
    )
    check_presentation(plan.scenario, [a.label for a in plan.arms], file)
    target = Path(out) if out else default_out(plan.scenario.name)
    _run_and_report(
        file,
        target,
        overrides=overrides,
        posterior=posterior,
        draws=draws,
        replications=replications,
        seed=seed,
        workers=choose_workers(workers, plan.n_tasks),
        executor=executor,
        scheduler=scheduler,
        resume=resume,
        force=force,
        report=not no_report,
    )


@main.command("report", short_help="(Re)build the curves and report.html of a results folder.")
@click.argument("folder", metavar="DIR")
@friendly_errors
def report_command(folder: str) -> None:
    """(Re)build summary.csv, the curves and report.html of a results folder DIR."""
    from sim.analysis.derived import write_derived
    from sim.experiment.layout import REPORT_HTML
    from sim.experiment.results import load_results

    load_results(folder)
    write_derived(Path(folder), report=True)
    click.echo(f"Report: {Path(folder) / REPORT_HTML}")


@main.command("compare", short_help="Compare several results folders in one report.")
@click.argument("folders", nargs=-1, required=True, metavar="DIR DIR...")
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default="results/comparison",
    show_default=True,
    help="Folder for comparison.csv, curves and report.html.",
)
@click.option("--force", is_flag=True, help="Overwrite an earlier comparison in --out.")
@friendly_errors
def compare_command(folders: tuple[str, ...], out: str, force: bool) -> None:
    """One report and one table comparing several results folders (arms prefixed by run)."""
    from sim.analysis.compare import compare

    click.echo(f"Report: {compare(folders, out, force=force)}")


def demo_scenario() -> Path:
    """The headline experiment's sweep file: the checkout's ``scenarios/`` or the installed copy."""
    from sim.scenario.resources import shipped_path

    path = shipped_path(Path("scenarios", *DEMO_SCENARIO))
    if not path.is_file():
        raise ScenarioError(
            str(path),
            None,
            "the demo's scenario file is missing (csc-sim demo runs it from the repository's "
            "scenarios/ folder or the copy installed with the package; neither holds it).",
            "Reinstall the package, or run `csc-sim run <your sweep file>` instead.",
        )
    return path


@main.command(
    "demo", short_help=f"Run the headline experiment ({DEMO_REPLICATIONS} replications per arm)."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default="results/demo",
    show_default=True,
    help="Results folder (replaced if it holds an earlier demo).",
)
@click.option(
    "--replications",
    type=int,
    default=DEMO_REPLICATIONS,
    show_default=True,
    help="Replications per arm.",
)
@click.option("--workers", type=int, default=None, help="Worker processes (default: up to 2).")
@friendly_errors
def demo_command(out: str, replications: int, workers: int | None) -> None:
    """Run the headline experiment (intervention length x leadership stability) at a modest
    replication count and print where the report is."""
    file = demo_scenario()
    chosen = workers if workers is not None else min(DEMO_MAX_WORKERS, os.cpu_count() or 1)
    click.echo(
        f"Running {file.name} with {replications} replications per arm on {chosen} worker(s)..."
    )
    _run_and_report(str(file), Path(out), replications=replications, workers=chosen, force=True)


# --- regress, bless, sensitivity (regression and sensitivity analysis) ---------------------------


def _exit_on_run_failure(func: F) -> F:
    """Turn a :class:`~sim.experiment.errors.RunFailedError` into its message and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sim.experiment.errors import RunFailedError

        try:
            return func(*args, **kwargs)
        except RunFailedError as err:
            click.echo(f"Error: {err.message}", err=True)
            sys.exit(EXIT_FAILURE)

    return wrapper  # type: ignore[return-value]


_REFERENCE_OPTIONS = (
    click.option(
        "--reference",
        "reference",
        type=click.Path(file_okay=False),
        default="results/reference",
        show_default=True,
        help="Blessed references folder.",
    ),
    click.option(
        "--scenarios",
        "scenarios",
        type=click.Path(file_okay=False),
        default="scenarios/reference",
        show_default=True,
        help="Reference scenarios folder.",
    ),
    click.option(
        "--replications",
        type=int,
        help="Replications per scenario (default: bless 16; regress the blessed count).",
    ),
    click.option("--workers", type=int, default=1, show_default=True, help="Worker processes."),
    click.option(
        "--executor",
        type=click.Choice(["serial", "process", "dask"]),
        help="Default: serial for one worker, process for more.",
    ),
)


def _reference_options(func: F) -> F:
    for option in reversed(_REFERENCE_OPTIONS):
        func = option(func)
    return func


@main.command("regress", short_help="Check the reference scenarios against their blessed results.")
@_reference_options
@click.option("--all", "show_all", is_flag=True, help="List every comparison, not only drift.")
@friendly_errors
@_exit_on_run_failure
def regress_command(
    reference: str,
    scenarios: str,
    replications: int | None,
    workers: int,
    executor: str | None,
    show_all: bool,
) -> None:
    """Run every reference scenario and compare it with its blessed results (docs/regression.md).

    Two checks: EXACT (bit-identical time series on the blessing platform; skipped elsewhere) and
    STATISTICAL (each summary metric's mean within 4 standard errors of the difference). Exit 0
    when nothing drifted, 1 with a table of what drifted, 2 on bad input.
    """
    from sim.analysis.regression import regress

    report = regress(scenarios, reference, replications, workers, executor)
    click.echo(report.render(all_rows=show_all))
    if not report.passed:
        sys.exit(EXIT_FAILURE)


@main.command("bless", short_help="Rewrite the blessed references from the current model.")
@click.option("--message", "-m", required=True, help="Why the references change (recorded).")
@_reference_options
@friendly_errors
@_exit_on_run_failure
def bless_command(
    message: str,
    reference: str,
    scenarios: str,
    replications: int | None,
    workers: int,
    executor: str | None,
) -> None:
    """Rewrite the blessed references from the current model, on purpose, recording MESSAGE,
    the date, the git commit and the platform and library versions."""
    from sim.analysis.regression import bless

    folders = bless(message, scenarios, reference, replications, workers, executor)
    size = sum(f.stat().st_size for folder in folders for f in folder.iterdir())
    click.echo(
        f"Blessed {len(folders)} reference(s) in {reference} ({size / 1024:.0f} KiB): "
        + ", ".join(f.name for f in folders)
    )


@main.command(
    "sensitivity", short_help="Global sensitivity (SALib) of outcomes to uncertain fields."
)
@click.argument("file", metavar="FILE")
@click.option(
    "--method", type=click.Choice(["morris", "sobol"]), default="morris", show_default=True
)
@click.option(
    "--samples",
    type=int,
    help="Morris trajectories (default 8) or Sobol' base samples (default 64).",
)
@click.option(
    "--replications",
    type=int,
    default=2,
    show_default=True,
    help="Replications per sample point and arm.",
)
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes.")
@_executor_options
@click.option(
    "--seed", type=int, help="Base seed of the runs and the design (default: the file's)."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Output folder (default results/<name>-sensitivity).",
)
@click.option(
    "--outcomes",
    help="Comma-separated metrics or event outcomes; the first is the main one (default: "
    "practice_quality, cost_cumulative_gbp, ofsted_grade, relapsed_within_24m, written "
    "without spaces).",
)
@click.option("--horizon-years", type=float, help="Override the file's horizon (a quicker look).")
@click.option(
    "--posterior",
    type=click.Path(dir_okay=False),
    help="Draw --samples parameter sets (default 20) from this posterior.parquet instead of "
    "the uncertain: box (rank correlations and robustness over the draws).",
)
@friendly_errors
@_exit_on_run_failure
def sensitivity_command(
    file: str,
    method: str,
    samples: int | None,
    replications: int,
    workers: int,
    executor: str | None,
    scheduler: str | None,
    seed: int | None,
    out: str | None,
    outcomes: str | None,
    horizon_years: float | None,
    posterior: str | None,
) -> None:
    """Global sensitivity (SALib) of chosen outcomes to the parameters in FILE's `uncertain:`
    section, and how often the ranking of the arms holds (docs/sensitivity.md). Writes
    report.html (tornado plot, rankings and the robustness table), sensitivity.csv,
    tornado.png, robustness.csv, samples.csv and manifest.json."""
    from sim.analysis.sensitivity import sensitivity
    from sim.scenario.loader import load_scenario

    target = Path(out) if out else default_out(f"{load_scenario(file).name}-sensitivity")
    found = sensitivity(
        file,
        method=method,
        samples=samples,
        replications=replications,
        workers=workers,
        executor=executor,
        scheduler=scheduler,
        out=target,
        outcomes=outcomes.split(",") if outcomes is not None else None,
        horizon_years=horizon_years,
        seed=seed,
        posterior=posterior,
    )
    click.echo(found.headline())


# --- explore (the scenario explorer in the browser, docs/explorer.md) ---------------------------


@main.command("explore", short_help="Open the scenario explorer: a local web page.")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback is reachable by others (a warning).",
)
@friendly_errors
def explore_command(port: int, host: str) -> None:
    """A local web page for policy teams: pick or upload a scenario, edit its fields in forms
    built from the schema, run, see curves, download the YAML and results (docs/explorer.md).

    The explorer is its own program (``python -m sim.explorer``, a face beside this one); this
    command checks the extra is installed and then becomes that program."""
    import importlib.util

    from sim.experiment.errors import RunInputError

    if importlib.util.find_spec("streamlit") is None:
        raise RunInputError(
            "csc-sim explore",
            "the explorer needs Streamlit, which is not installed.",
            'Install the optional extra: python -m pip install -e ".[explorer]".',
        )
    argv = [sys.executable, "-m", "sim.explorer", "--host", host, "--port", str(port)]
    if os.name == "posix":
        os.execv(argv[0], argv)  # does not return
    else:
        import subprocess

        sys.exit(subprocess.call(argv))


# --- calibrate (issue 15; docs/calibration.md) -------------------------------------------------


@main.command("calibrate", short_help="Fit FILE's free parameters to targets from the record.")
@click.argument("file", metavar="FILE")
@click.option("--quick", is_flag=True, help="A first look in minutes (the file's quick: settings).")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes.")
@_executor_options
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Output folder (default results/<name>-calibration; with --quick, its quick twin).",
)
@click.option("--resume", is_flag=True, help="Continue a study that stopped, reusing its runs.")
@click.option("--force", is_flag=True, help="Delete an earlier study in --out and start again.")
@friendly_errors
@_exit_on_run_failure
def calibrate_command(
    file: str,
    quick: bool,
    workers: int,
    executor: str | None,
    scheduler: str | None,
    out: str | None,
    resume: bool,
    force: bool,
) -> None:
    """History matching with Gaussian-process emulators, then a posterior ensemble by importance
    resampling, of the parameters in FILE's `calibrate:` section against the targets it names
    (calibration/targets.csv). Writes posterior.parquet and report.html; --resume continues after
    a kill without repeating finished runs."""
    from sim.analysis.calibrate import calibrate, load_study

    suffix = "-calibration-quick" if quick else "-calibration"
    target = Path(out) if out else default_out(f"{load_study(file).spec.name}{suffix}")
    found = calibrate(
        file,
        out=target,
        quick=quick,
        resume=resume,
        force=force,
        workers=workers,
        executor=executor,
        scheduler=scheduler,
    )
    click.echo(found.render())


if __name__ == "__main__":
    main()
