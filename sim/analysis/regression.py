"""Regression against blessed references: ``csc-sim regress`` and ``csc-sim bless``.

:func:`bless` runs every scenario in ``scenarios/reference/`` and rewrites
``results/reference/`` on purpose, recording why (``message``). :func:`regress` runs the same
scenarios with the blessed seed and replication count and compares them with the references
in two ways (rules in :mod:`sim.analysis.regression_checks` and ``docs/regression.md``): an exact
check on the blessing platform and a statistical check everywhere.

Example
-------
>>> from sim.analysis.regression import regress
>>> report = regress()  # doctest: +SKIP
>>> print(report.render()); report.passed  # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pandas as pd

from sim.analysis.reference_store import (
    Reference,
    bless_manifest,
    replace_folder,
    run_statistics,
    same_platform,
    write_reference,
)
from sim.analysis.regression_checks import ExactResult, exact_check, statistical_check
from sim.analysis.regression_report import RegressionReport, ScenarioCheck
from sim.experiment.errors import RunInputError
from sim.experiment.layout import MANIFEST_JSON
from sim.experiment.runner import run
from sim.model.output import event_keys
from sim.scenario.errors import ScenarioError
from sim.scenario.loader import load_scenario, scenario_sha256
from sim.scenario.scenario import Scenario

#: Replications per reference scenario, for bless and regress alike: 2 scenarios x 16 x ~0.7 s
#: is ~12 s on 2 cores (CI budget ~60 s), and 16 + 16 replications give the 4-SE rule ~30
#: degrees of freedom, hence a small family-wise false-alarm rate (regression_checks).
DEFAULT_REPLICATIONS = 16
#: Fewest replications that give a standard error.
MIN_REPLICATIONS = 2
DEFAULT_SCENARIOS_DIR = Path("scenarios/reference")
DEFAULT_REFERENCE_DIR = Path("results/reference")
PathLike = str | os.PathLike[str]


def reference_scenarios(scenarios_dir: PathLike) -> list[tuple[Path, Scenario]]:
    """The reference scenario files (``*.yaml``, sorted) and their loaded scenarios.

    Raises
    ------
    ScenarioError
        When the folder is missing or empty, a file is invalid, or two share a name.
    """
    folder = Path(scenarios_dir)
    if not folder.is_dir():
        raise RunInputError(
            str(folder), "is not a folder of reference scenarios.", "Give --scenarios DIR."
        )
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise RunInputError(str(folder), "holds no reference scenarios (*.yaml).")
    loaded = [(path, load_scenario(path)) for path in paths]
    names = [scenario.name for _, scenario in loaded]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ScenarioError(
            str(folder), "name", f"reference scenarios share a name: {', '.join(repeated)}."
        )
    return loaded


def _check_replications(replications: int | None) -> None:
    if replications is None:
        return
    if (
        isinstance(replications, bool)
        or not isinstance(replications, int)
        or replications < MIN_REPLICATIONS
    ):
        raise RunInputError(
            "--replications",
            f"must be a whole number of at least {MIN_REPLICATIONS}, got {replications!r}.",
            "The statistical check needs a standard error.",
        )


def bless(
    message: str,
    scenarios_dir: PathLike = DEFAULT_SCENARIOS_DIR,
    reference_dir: PathLike = DEFAULT_REFERENCE_DIR,
    replications: int | None = None,
    workers: int = 1,
    executor: str | None = None,
    progress: bool | None = None,
) -> list[Path]:
    """Rewrite the blessed references from the current model, on purpose.

    Parameters
    ----------
    message
        Why the references change (required; recorded in every manifest).
    scenarios_dir, reference_dir
        Where the reference scenarios are and where their references go (replaced whole).
    replications
        Replications per scenario (default :data:`DEFAULT_REPLICATIONS`); each scenario's own
        seed is used.
    workers, executor, progress
        As for :func:`sim.run`.

    Returns
    -------
    list of Path
        The reference folders written.
    """
    if not message or not message.strip():
        raise RunInputError("--message", "is required: say why the references change.")
    _check_replications(replications)
    scenarios = reference_scenarios(scenarios_dir)
    target = Path(reference_dir)
    staging = target.with_name(f".{target.name}.staging")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        for path, scenario in scenarios:
            results = run(
                path,
                replications=replications or DEFAULT_REPLICATIONS,
                workers=workers,
                executor=executor,
                progress=progress,
            )
            manifest = bless_manifest(results, str(path), message.strip())
            write_reference(staging / scenario.name, results, manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_folder(staging, target)
    return [target / scenario.name for _, scenario in scenarios]


def _exact(
    name: str, reference: Reference, results_ts: pd.DataFrame, results_ev: pd.DataFrame, shared: int
) -> ExactResult:
    same, difference = same_platform(reference.manifest)
    if not same:
        return ExactResult("skipped: different platform", difference)
    series = exact_check(name, reference.timeseries(), results_ts, shared)
    events = exact_check(name, reference.events(), results_ev, shared, keys=event_keys())
    if series.failed or events.failed:
        detail = "; ".join(
            f"{what}: {r.detail}"
            for what, r in (("timeseries", series), ("events", events))
            if r.failed
        )
        return ExactResult("fail", detail, series.mismatches + events.mismatches)
    return ExactResult("pass", f"{series.detail}; events identical")


def check_scenario(
    path: Path,
    scenario: Scenario,
    reference_dir: Path,
    replications: int | None,
    workers: int,
    executor: str | None,
    progress: bool | None,
) -> ScenarioCheck:
    """Run one reference scenario and compare it with its blessed reference."""
    folder = reference_dir / scenario.name
    check = ScenarioCheck(scenario.name)
    if not (folder / MANIFEST_JSON).is_file():
        check.error = f"no blessed reference in {folder}; run `csc-sim bless --message ...` first"
        return check
    reference = Reference(folder)
    check.replications = replications or reference.replications
    as_blessed = scenario.model_copy(
        update={"replications": reference.replications, "seed": reference.seed}
    )
    if scenario_sha256(as_blessed) != reference.manifest.get("scenario_sha256"):
        check.notes.append(
            f"{scenario.name}: the scenario file changed since it was blessed (sha256 differs)."
        )
    clock = time.perf_counter()
    results = run(
        path,
        replications=check.replications,
        seed=reference.seed,
        workers=workers,
        executor=executor,
        progress=progress,
    )
    check.seconds = time.perf_counter() - clock
    shared = min(check.replications, reference.replications)
    check.exact = _exact(scenario.name, reference, results.timeseries, results.events, shared)
    check.statistics = statistical_check(
        reference.statistics(), run_statistics(results), scenario.name
    )
    return check


def regress(
    scenarios_dir: PathLike = DEFAULT_SCENARIOS_DIR,
    reference_dir: PathLike = DEFAULT_REFERENCE_DIR,
    replications: int | None = None,
    workers: int = 1,
    executor: str | None = None,
    progress: bool | None = None,
) -> RegressionReport:
    """Run every reference scenario and compare it with its blessed reference.

    Parameters
    ----------
    scenarios_dir, reference_dir
        The reference scenarios and their blessed results.
    replications
        Replications per scenario; default the blessed count (the exact check compares the
        replications both runs share).
    workers, executor, progress
        As for :func:`sim.run`.

    Returns
    -------
    RegressionReport
        ``passed`` is false when any scenario drifted, mismatched or has no reference.
    """
    _check_replications(replications)
    scenarios = reference_scenarios(scenarios_dir)
    folder = Path(reference_dir)
    if not folder.is_dir():
        raise RunInputError(
            str(folder),
            "is not a folder of blessed references.",
            "Run `csc-sim bless --message ...` first.",
        )
    checks = [
        check_scenario(p, s, folder, replications, workers, executor, progress)
        for p, s in scenarios
    ]
    known = {s.name for _, s in scenarios}
    extra = sorted(
        p.name
        for p in folder.iterdir()
        if p.is_dir() and not p.name.startswith(".") and p.name not in known
    )
    notes = [
        f"reference folder '{name}' has no scenario in {scenarios_dir} (ignored)." for name in extra
    ]
    return RegressionReport(folder, checks, notes)
