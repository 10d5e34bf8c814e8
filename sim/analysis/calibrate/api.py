"""``calibrate(file)``: the whole study, from the calibration file to the results folder.

Writes ``posterior.parquet`` (parameter sets, weights, log-likelihoods), ``targets_fit.csv``,
``waves.csv``, ``marginals.csv``, ``manifest.json`` and ``report.html`` beside the ``journal/``
(see :mod:`sim.analysis.calibrate.journal`), each through a temporary file.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.calibrate import fit_report, fit_tables
from sim.analysis.calibrate.config import Study, load_study
from sim.analysis.calibrate.journal import Journal
from sim.analysis.calibrate.likelihood import build_outputs
from sim.analysis.calibrate.noise import likelihood_noise
from sim.analysis.calibrate.runs import RunOptions
from sim.analysis.calibrate.simulator import SIMULATORS, Simulator
from sim.analysis.calibrate.study import Fit, ess_ok, history_match
from sim.experiment.executors import check_executor_options
from sim.experiment.layout import write_text_atomic
from sim.scenario.errors import ScenarioError
from sim.scenario.paths import nearest

POSTERIOR_PARQUET = "posterior.parquet"
REPORT_HTML = "report.html"
SIMULATOR_NOTE = {
    "single_la": "a stand-in for the England population: national bands from the baseline LA, "
    "transitions from grade 4 from one LA started inadequate",
    "england_sample": "a stratified sample of England's LAs (strata: starting grade x region) "
    "run over the back-cast, October 2017 to March 2025, with the national events",
}


@dataclass
class CalibrationResult:
    """What :func:`calibrate` wrote and found."""

    out: Path
    fit: Fit
    targets_fit: pd.DataFrame
    ess_ok: bool

    def render(self) -> str:
        """A few lines for the terminal."""
        misses = self.targets_fit.loc[~self.targets_fit["inside_posterior"], "target"].tolist()
        lines = [
            f"Wrote {self.out}: {POSTERIOR_PARQUET} ({len(self.fit.weights)} parameter sets), {REPORT_HTML}.",
            f"Waves: {len(self.fit.waves)}; space left {100 * float(self.fit.remaining.mean()):.1f}% of the prior; "
            f"effective sample size {self.fit.ess:.1f}{'' if self.ess_ok else ' (below the minimum: run a bigger study)'}.",
            f"Targets outside the posterior predictive 95% interval: {', '.join(misses) if misses else 'none'}.",
            f"Report: {self.out / REPORT_HTML}",
        ]
        return "\n".join(lines)


def make_simulator(study: Study, quick: bool) -> Simulator:
    """The file's simulator, checked to provide every fitted target's statistic."""
    name = study.spec.simulator
    if name not in SIMULATORS:
        close = nearest(name, list(SIMULATORS))
        raise ScenarioError(
            str(study.path),
            "simulator",
            f"unknown simulator '{name}'.",
            f"Choose from: {', '.join(SIMULATORS)}"
            + (f" (did you mean '{close}'?)." if close else "."),
        )
    simulator = SIMULATORS[name](study, quick)
    provided = simulator.provides()
    for target, statistic in zip(study.targets["id"], study.targets["statistic"], strict=True):
        if statistic not in provided:
            raise ScenarioError(
                str(study.path),
                "targets",
                f"target '{target}' needs the statistic '{statistic or '(none)'}', which the simulator '{name}' does not provide.",
                f"It provides: {', '.join(provided)}. Targets by year and grade mixes and the cliff edge need simulator: england_sample.",
            )
    return simulator


def calibrate(
    file: str | Path,
    *,
    out: Path,
    quick: bool = False,
    resume: bool = False,
    force: bool = False,
    workers: int = 1,
    executor: str | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
) -> CalibrationResult:
    """Run (or resume) a calibration study and write its results folder (module docstring)."""
    check_executor_options(executor, workers, scheduler)
    study = load_study(file)
    settings = study.settings(quick)
    simulator = make_simulator(study, quick)
    outputs = build_outputs(study.targets, study.spec.discrepancy)
    started = time.time()
    journal = Journal(
        out, study.digest(quick), resume=resume, force=force, stages=study.stage_digests(quick)
    )
    if journal.redone:
        reused = [n for n in journal.stages if n not in journal.redone]
        print(
            f"calibrate: the file changed since the study began; reusing {', '.join(reused)}, "
            f"running {', '.join(journal.redone)} again",
            file=sys.stderr,
            flush=True,
        )
    try:
        options = RunOptions(
            study.spec.seed, settings.replications, workers, executor, scheduler, progress
        )
        fit = history_match(study, settings, simulator, outputs, journal, options)
    finally:
        journal.close()
    targets_fit = fit_tables.fit_table(fit, study.targets, study.spec.seed)
    waves = fit_tables.waves_table(fit)
    marginals = fit_tables.marginals_table(fit)
    ok = ess_ok(fit, study.spec.min_ess)
    noise = likelihood_noise(outputs, study.targets, fit.posterior_stats, study.spec.discrepancy)
    runs = (
        sum(len(v) for v in fit.wave_values + fit.refine_values) + len(fit.posterior_values)
    ) * settings.replications
    meta: dict[str, object] = {
        "name": study.spec.name,
        "description": study.spec.description,
        "file": str(study.path),
        "simulator": simulator.name,
        "simulator_note": SIMULATOR_NOTE.get(simulator.name, ""),
        "sample_las": list(getattr(simulator, "codes", [])),
        "quick": quick,
        "replications": settings.replications,
        "runs": runs,
        "seed": study.spec.seed,
        "ess": fit.ess,
        "ess_ok": ok,
        "min_ess": study.spec.min_ess,
        "posterior_proposal": study.spec.posterior_proposal,
        "posterior_weights": fit.weights_basis,
        "posterior_pool": fit.pool_size,
        "emulator_check": fit.emulator_check._asdict() if fit.emulator_check else None,
        "emulator_variance": study.spec.emulator_variance,
        "posterior_sampler": study.spec.posterior_sampler,
        "refine_sampler": study.spec.refine_sampler,
        "refinements": [dataclasses.asdict(r) for r in fit.refinements],
        "likelihood_noise": noise._asdict(),
        "implausibility_rank": study.spec.implausibility_rank,
        "seconds": time.time() - started,
        "wave_seconds": [w.seconds for w in fit.waves],
        "posterior_seconds": fit.seconds["posterior"],
        "space_left": float(fit.remaining.mean()),
        "posterior_topped_up": fit.topped_up,
        "nroy_empty": fit.nroy_empty,
        "workers": workers,
        "executor": executor or ("serial" if workers == 1 else "process"),
        "resumed": resume,
    }
    table = fit_tables.posterior_table(fit, study.spec.seed)
    partial = out / (POSTERIOR_PARQUET + ".tmp")
    table.to_parquet(partial, index=False)
    partial.replace(out / POSTERIOR_PARQUET)
    for name, frame in (
        ("targets_fit.csv", targets_fit),
        ("waves.csv", waves),
        ("marginals.csv", marginals),
    ):
        write_text_atomic(out / name, frame.to_csv(index=False))
    write_text_atomic(out / "manifest.json", json.dumps(meta, indent=2, default=str))
    write_text_atomic(
        out / REPORT_HTML,
        fit_report.render(study.spec.name, fit, targets_fit, waves, marginals, meta),
    )
    return CalibrationResult(out, fit, targets_fit, ok)
