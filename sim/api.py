"""The Python API's top layer: ``sim.run`` and ``sim.load_results`` with their conveniences.

The experiment layer runs replications and returns plain data
(:class:`sim.experiment.results.Results`); the analysis layer reads it. This facade, a face
beside the CLI (DESIGN §2), joins the two for users: the :class:`Results` it returns is the same
data with ``summary()``, ``plot()`` and ``save()`` (DESIGN §3), and a run with an output folder
gets its ``summary.csv``, curves and report from the analysis layer before the folder is moved
into place.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sim.experiment import results as data
from sim.experiment.partial import PartialCallback
from sim.experiment.plan import ScenarioLike
from sim.experiment.runner import run as run_experiment

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PathLike = str | os.PathLike[str]


def derived_writer(report: bool) -> Callable[[Path], None]:
    """The analysis layer's writer of ``summary.csv`` (and, with ``report``, curves and report)."""

    def finish(folder: Path) -> None:
        from sim.analysis.derived import write_derived

        write_derived(folder, report=report)

    return finish


class Results(data.Results):
    """Tables and provenance of one run, with methods to summarise, plot and save them.

    The data are those of :class:`sim.experiment.results.Results` (``timeseries``, ``events``,
    ``manifest``, ``arms``, ``scenario_yaml``); analysis functions take either.
    """

    def summary(self) -> pd.DataFrame:
        """One row per arm x metric: ``arm, metric, mean, sd, ci_low, ci_high, p10, p90, n``.

        The per-replication statistic is the mean of the metric over the last 12 recorded
        months (``cost_cumulative_gbp``: its final value); ``ci_low``/``ci_high`` bound a 95%
        t-interval of the mean over replications, and ``p10``/``p90`` the spread between them.
        Over posterior draws the interval is over the K draw means instead, and the table adds
        ``interval_over`` (``draws``) and ``draws`` (K) (:mod:`sim.analysis.stats`).
        """
        from sim.analysis.stats import frame_reader, summary_table

        return summary_table(frame_reader(self.timeseries), self.arms)

    def uncertainty(self) -> pd.DataFrame:
        """Parameter uncertainty apart from chance, for a run over posterior draws.

        One row per arm and per paired difference (arm minus reference), window and outcome:
        ``mean``, the 95% interval over draw means, ``sd_total``, ``parameter_share`` (between
        draws) and ``chance_share`` (within draws), by the law of total variance
        (:mod:`sim.analysis.posterior_split`).

        For a population run's folder (``national.parquet``) the rows are the national outcomes
        of ``national_outcomes.csv`` and each pool arm's paired differences against the arm
        without a pool (:func:`sim.analysis.national_outcomes.uncertainty_table`), as in its
        ``uncertainty.csv``.

        Raises
        ------
        ValueError
            When the run was not over posterior draws (no ``draw`` column).
        """
        from sim.analysis.answer import reference_arms
        from sim.analysis.posterior_split import uncertainty_table
        from sim.model.output import DRAW

        if DRAW not in self.events.columns:
            raise ValueError("this run has no posterior draws; run it with posterior=...")
        if self.path is not None and (self.path / "national.parquet").is_file():
            from sim.analysis import national_outcomes

            national = pd.read_parquet(self.path / "national.parquet")
            return national_outcomes.uncertainty_table(
                national, self.events, self.arms, self.arm_overrides
            )
        references = reference_arms(self.arms, self.arm_overrides)
        return uncertainty_table(self.timeseries, self.events, references)

    def plot(
        self, metrics: str | list[str], arms: list[str] | None = None, spread: bool = False
    ) -> Figure:
        """Mean per arm over time with its 95% confidence band, one panel per metric.

        Parameters
        ----------
        metrics
            Metric name(s), columns of :attr:`timeseries`.
        arms
            Arms to draw (default all).
        spread
            Also shade the 10-90% range of the replications (labelled as such).
        """
        from sim.analysis.plots import plot_metrics
        from sim.analysis.stats import frame_reader

        chosen = [metrics] if isinstance(metrics, str) else list(metrics)
        return plot_metrics(frame_reader(self.timeseries), chosen, arms or self.arms, spread=spread)

    def save(self, path: PathLike, force: bool = False, report: bool = True) -> Path:
        """Write a complete results folder (atomically) and return its path.

        Parameters
        ----------
        path
            Folder to create.
        force
            Replace an existing results folder.
        report
            Also draw the curves and write ``report.html``.
        """
        return data.save_results(self, path, force=force, finish=derived_writer(report))


def run(
    scenario: ScenarioLike,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    executor: str | None = None,
    scheduler: str | None = None,
    out: PathLike | None = None,
    resume: bool = False,
    force: bool = False,
    progress: bool | None = None,
    chunk_size: int | None = None,
    *,
    report: bool = True,
    partial: PartialCallback | None = None,
    overrides: dict[str, object] | None = None,
    posterior: PathLike | None = None,
    draws: int | None = None,
) -> Results:
    """Run a scenario (or every arm of a sweep) for several replications.

    Every arm runs with the same seed and replication numbers (common random numbers), and
    seeds are fixed before dispatch, so results are bit-identical whatever the executor and
    the number of workers.

    Parameters
    ----------
    scenario
        A :class:`~sim.scenario.scenario.Scenario` or the path of a scenario or sweep file.
    replications, seed
        Replications per arm and base seed; default: the scenario's own.
    workers
        Worker processes (at least 1).
    executor
        ``"serial"``, ``"process"`` or ``"dask"``; default serial for one worker, else process.
    scheduler
        Address of an existing Dask scheduler (implies ``executor="dask"``).
    out
        Results folder to write (with ``summary.csv``). ``None`` builds the results in memory.
    resume
        Continue an interrupted run of ``out`` from its chunk files.
    force
        Overwrite an existing results folder (or discard an unfinished run).
    progress
        Show a progress bar; ``None`` shows one only on an interactive terminal.
    chunk_size
        Replications per task sent to a worker; default about tasks / (workers x 4).
    report
        Also draw the curves and write ``report.html`` (only with ``out``).
    partial
        Called after every finished chunk with the results so far (a
        :class:`~sim.experiment.partial.PartialResults`: ``timeseries`` and ``events`` of the
        replications finished, ``done`` and ``total``), for a page that draws a run as it
        arrives; raise :class:`~sim.experiment.errors.RunCancelled` from it to stop the run.
        Not called for a population run.
    overrides
        Dotted field path -> value applied to the scenario (as ``--set``); recorded in the
        manifest beside the file.
    posterior, draws
        Run every arm over ``draws`` parameter sets (default 20) resampled by weight from a
        calibration's ``posterior.parquet``, ``replications`` each; the summary then splits
        each interval's variance into parameter and stochastic shares.

    Returns
    -------
    Results
        The tables, the manifest, and methods to summarise, plot and save them.

    Raises
    ------
    ScenarioError
        Bad input (scenario, arm, option, output folder); nothing is created.
    RunFailedError
        Some replications raised; with ``out``, the others are kept for ``resume``.
    """
    results = run_experiment(
        scenario,
        replications,
        seed,
        workers,
        executor,
        scheduler,
        out,
        resume,
        force,
        progress,
        chunk_size,
        finish=derived_writer(report),
        partial=partial,
        overrides=overrides,
        posterior=posterior,
        draws=draws,
    )
    return results.as_kind(Results)


def load_results(path: PathLike) -> Results:
    """Open a results folder written by ``sim.run`` or ``csc-sim run``.

    Raises
    ------
    RunInputError
        When the folder does not exist or has no ``manifest.json``.
    """
    return data.load_results(path).as_kind(Results)


def backcast(path: PathLike) -> pd.DataFrame:
    """The back-cast table of a population run's results folder: per arm and target of
    ``calibration/targets.csv`` (CSWW series, grade mix, transitions, survival, intervals), the
    record's value and the model's mean and 90% interval over replications (docs/england.md).

    Raises
    ------
    RunInputError
        When the folder is not a population run's (no national.parquet, timeseries or events).
    """
    from sim.analysis.backcast import backcast_table

    return backcast_table(Path(path))
