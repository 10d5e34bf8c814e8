"""The calibration file (``calibration/england.yaml``): free parameters, targets, study settings.

The ``calibrate:`` section has the form of a scenario's ``uncertain:`` section (``low``, ``high``,
``distribution``) and is checked by the same code (:func:`sim.scenario.sweep.validate_uncertain`):
an unknown path names the nearest field, a prior outside the field's bounds names the nearest
valid value. Every target named must be a row of the targets table with a citation.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import Field, ValidationError, model_validator

from sim.analysis.targets.rows import FAMILIES, TARGET_COLUMNS
from sim.scenario.errors import ScenarioError
from sim.scenario.fields import Section
from sim.scenario.loader import load_scenario
from sim.scenario.messages import to_scenario_error
from sim.scenario.paths import nearest
from sim.scenario.scenario import Scenario, UncertainParameter
from sim.scenario.sweep import validate_uncertain

#: The simulator that runs a population scenario, and the population scenario it runs by default.
SAMPLE_SIMULATOR = "england_sample"
ENGLAND_SCENARIO = "scenarios/england/england.yaml"
#: The emulated posterior's screened pool: a journal stage without runs (``design-pool.json``).
POOL_STAGE = "pool"


class StudySettings(Section):
    """How big a study is (the full study, or its ``quick:`` first look)."""

    replications: int = Field(4, ge=1, le=1000, description="Replications per parameter set.")
    waves: int = Field(3, ge=1, le=20, description="History-matching waves.")
    points_per_wave: int = Field(40, ge=4, le=10_000, description="Parameter sets run per wave.")
    posterior_points: int = Field(
        60, ge=4, le=100_000, description="Parameter sets run for the posterior ensemble."
    )
    candidates: int = Field(
        20_000, ge=100, le=1_000_000, description="Prior draws the emulators screen per wave."
    )
    horizon_years: float = Field(
        5.0, gt=0, le=100, description="Recorded years of each calibration run (single_la)."
    )
    sample_size: int = Field(
        24,
        ge=1,
        le=1000,
        description="LAs of the stratified England sample (england_sample; at most the table's).",
    )
    refine_rounds: int = Field(
        0,
        ge=0,
        le=10,
        description=(
            "emulated: rounds that run sets drawn from the emulated posterior and refit the "
            "emulators on them before the ensemble is drawn (docs/calibration.md, Session 17)."
        ),
    )
    refine_points: int = Field(
        40, ge=4, le=10_000, description="emulated: parameter sets run per refinement round."
    )


#: The calibration file's fields that decide only the posterior stage's proposal (in the
#: digests through :meth:`Study.proposal`).
PROPOSAL_FIELDS = (
    "posterior_proposal",
    "proposal_spread",
    "proposal_defensive_share",
    "posterior_weights",
    "posterior_candidates",
    "emulator_variance",
    "posterior_sampler",
    "pmc_iterations",
    "pmc_draws",
    "refine_sampler",
)


class CalibrationFile(Section):
    """A calibration study, as written in its YAML file."""

    name: str = Field(description="Name of the study (its results folder).")
    description: str = ""
    scenario: str = Field(description="Base scenario (path relative to this file).")
    inadequate_start: str | None = Field(
        None, description="Scenario started from an inadequate judgement (for transitions from 4)."
    )
    targets_file: str = Field("targets.csv", description="Targets table (relative to this file).")
    simulator: str = Field("single_la", description="Simulator mapping parameters to statistics.")
    population_scenario: str | None = Field(
        None,
        description=(
            "Population scenario the england_sample simulator runs (relative to this file; "
            "default: the shipped scenarios/england/england.yaml)."
        ),
    )
    seed: int = Field(20261201, ge=0, description="Base seed of the design and the runs.")
    implausibility_cutoff: float = Field(3.0, gt=0, description="Pukelsheim's three-sigma rule.")
    implausibility_rank: int = Field(
        1,
        ge=1,
        le=5,
        description=(
            "Which implausibility screens a candidate: 1 the largest over the outputs, 2 or 3 "
            "the second or third largest (Vernon et al. 2010, for many outputs)."
        ),
    )
    min_ess: float = Field(20.0, gt=0, description="Smallest acceptable effective sample size.")
    posterior_proposal: Literal["uniform", "emulator"] = Field(
        "uniform",
        description=(
            "How the posterior stage picks its parameter sets among the candidates not ruled "
            "out: uniformly (weights = likelihood), or from the last wave's emulators' "
            "likelihood, tempered and mixed with the uniform (weights = likelihood / proposal)."
        ),
    )
    proposal_spread: float = Field(
        4.0,
        ge=1,
        le=1000,
        description=(
            "emulator: the emulators' likelihood is tempered until the proposal's effective size "
            "is this many times the posterior points."
        ),
    )
    proposal_defensive_share: float = Field(
        0.2,
        gt=0,
        le=1,
        description=(
            "emulator: share of the proposal kept uniform over the candidates not ruled out "
            "(defensive importance sampling, Hesterberg 1995), so that no candidate the "
            "emulators misjudge is left out."
        ),
    )
    posterior_weights: Literal["simulated", "emulated"] = Field(
        "simulated",
        description=(
            "Where the posterior's weights come from: each set's simulated likelihood "
            "(importance resampling), or the last wave's emulators' likelihood over fresh prior "
            "draws the waves leave standing, from which the ensemble is drawn and run (for a "
            "simulated likelihood whose chance spread is over a log unit; docs/calibration.md)."
        ),
    )
    posterior_candidates: int = Field(
        200_000,
        ge=1000,
        le=50_000_000,
        description="emulated: fresh prior draws screened by every wave for the posterior's pool "
        "(drawn and screened 100,000 at a time).",
    )
    emulator_variance: Literal["gp", "loo"] = Field(
        "gp",
        description=(
            "emulated: the emulators' variance in the posterior's likelihood and its check: "
            "the GP's own, or scaled per output by the mean square of its leave-one-out "
            "standardised errors where above 1 (an overconfident emulator made honest)."
        ),
    )
    posterior_sampler: Literal["pool", "pmc"] = Field(
        "pool",
        description=(
            "emulated: the emulated posterior over the pool of screened prior draws, or moved "
            "from it by population Monte Carlo to where the emulated likelihood lives "
            "(docs/calibration.md, Session 17)."
        ),
    )
    refine_sampler: Literal["pool", "pmc"] = Field(
        "pool",
        description=(
            "emulated: where each refinement round draws its sets: the emulated posterior over "
            "the pool, or a population Monte Carlo sample of it under the round's emulators "
            "(pmc_iterations, pmc_draws; docs/calibration.md, Session 18)."
        ),
    )
    pmc_iterations: int = Field(
        6, ge=1, le=50, description="pmc: population Monte Carlo iterations."
    )
    pmc_draws: int = Field(
        400_000,
        ge=1000,
        le=5_000_000,
        description="pmc: draws per iteration (before the prior box and the waves' screen).",
    )
    study: StudySettings = StudySettings()  # type: ignore[call-arg]  # defaults
    quick: StudySettings = StudySettings(  # type: ignore[call-arg]
        replications=2, waves=2, points_per_wave=16, posterior_points=24, candidates=4000
    )
    calibrate: dict[str, UncertainParameter] = Field(description="Free parameters and priors.")
    targets: list[str] = Field(min_length=1, description="Ids of the targets fitted.")
    discrepancy: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Model discrepancy per target id or group: a standard deviation in the target's unit "
            "(normal, survival), or a Dirichlet concentration (multinomial)."
        ),
    )

    @model_validator(mode="after")
    def _refinement_needs_the_emulated_posterior(self) -> CalibrationFile:
        for label, settings in (("study", self.study), ("quick", self.quick)):
            if settings.refine_rounds and self.posterior_weights != "emulated":
                raise ValueError(
                    f"{label}.refine_rounds is {settings.refine_rounds} but posterior_weights is "
                    f"{self.posterior_weights!r}: refinement refits the emulated posterior's "
                    "emulators; set posterior_weights: emulated, or refine_rounds: 0"
                )
        for field in ("posterior_sampler", "refine_sampler"):
            if getattr(self, field) == "pmc" and self.posterior_weights != "emulated":
                raise ValueError(
                    f"{field} is 'pmc' but posterior_weights is {self.posterior_weights!r}: "
                    "population Monte Carlo samples the emulated posterior; set "
                    f"posterior_weights: emulated, or {field}: pool"
                )
        return self


class Study:
    """A loaded, validated calibration file with its base scenarios and targets.

    Attributes
    ----------
    path, spec, base, inadequate, targets
        The file, its contents, the base scenario, the inadequate-start scenario (or None), and
        the rows of the targets table it names (in the order named).
    population
        The population scenario of the ``england_sample`` simulator (None for another).
    """

    def __init__(
        self,
        path: Path,
        spec: CalibrationFile,
        base: Scenario,
        inadequate: Scenario | None,
        targets: pd.DataFrame,
        population: Scenario | None = None,
    ) -> None:
        self.path = path
        self.spec = spec
        self.base = base
        self.inadequate = inadequate
        self.targets = targets
        self.population = population

    @property
    def paths(self) -> list[str]:
        """Dotted paths of the free parameters, in the file's order."""
        return list(self.spec.calibrate)

    def settings(self, quick: bool) -> StudySettings:
        """The full study's settings, or the quick look's."""
        return self.spec.quick if quick else self.spec.study

    def stage_digests(self, quick: bool) -> dict[str, str]:
        """sha256 of what decides each stage's design and runs, chained in the stage order
        (``wave1`` ... ``waveN``, with an emulated posterior ``pool`` and ``refine1`` ...
        ``refineR``, then ``posterior``), so that ``--resume`` after an edit of the file
        reuses every stage before the first one the edit reaches.

        A point's statistics depend on the scenarios, targets table, priors, simulator, seed,
        replications, horizon and sample (all in ``wave1``'s digest, with its Latin hypercube's
        size); a later wave's design also on the screen (candidates, cut-off, rank,
        discrepancy, the fitted targets, points per wave); the posterior stage's also on the
        number of waves and its own points. ``min_ess``, ``name`` and ``description`` decide no
        run.
        """
        settings = self.settings(quick)
        spec = self.spec
        runs = {
            "quick": quick,
            "targets": self.targets.to_json(orient="records"),
            "base": self.base.model_dump(mode="json"),
            "inadequate": self.inadequate.model_dump(mode="json") if self.inadequate else None,
            "population": self.population.model_dump(mode="json") if self.population else None,
            "priors": {k: v.model_dump(mode="json") for k, v in spec.calibrate.items()},
            "simulator": spec.simulator,
            "seed": spec.seed,
            "settings": settings.model_dump(
                mode="json", include={"replications", "horizon_years", "sample_size"}
            ),
        }
        screen = {
            "candidates": settings.candidates,
            "cutoff": spec.implausibility_cutoff,
            "rank": spec.implausibility_rank,
            "discrepancy": spec.discrepancy,
            "fitted": spec.targets,
            "points_per_wave": settings.points_per_wave,
        }

        def chained(previous: object, extra: object) -> str:
            text = json.dumps([previous, extra], sort_keys=True)
            return hashlib.sha256(text.encode()).hexdigest()

        stages = {"wave1": chained(runs, settings.points_per_wave)}
        for number in range(2, settings.waves + 1):
            stages[f"wave{number}"] = chained(stages[f"wave{number - 1}"], screen)
        last = stages[f"wave{settings.waves}"]
        if spec.posterior_weights == "emulated":
            # The screened pool, a stage of its own (no runs): decided by the waves, the screen
            # and the draws, so a change of the posterior's points or sampler reuses it. The
            # rounds draw from it but are chained from the last wave, as before the pool was a
            # stage (what decides the pool is in their digests too), so older journals resume.
            stages[POOL_STAGE] = chained(last, [screen, settings.waves, self.proposal()])
            rounds: list[object] = [screen, settings.waves, self.proposal(), settings.refine_points]
            if spec.refine_sampler == "pmc":  # kept out otherwise: older journals resume
                rounds.append({"pmc": [spec.pmc_iterations, spec.pmc_draws]})
            for number in range(1, settings.refine_rounds + 1):
                last = stages[f"refine{number}"] = chained(last, rounds)
        posterior: list[object] = [screen, settings.waves, settings.posterior_points]
        proposal = self.proposal()
        if proposal is not None:
            posterior.append(proposal)
        if spec.posterior_weights == "emulated" and spec.posterior_sampler == "pmc":
            # Only the posterior stage: the refinement rounds draw from the pool.
            posterior.append({"pmc": [spec.pmc_iterations, spec.pmc_draws]})
        stages["posterior"] = chained(last, posterior)
        return stages

    def proposal(self) -> dict[str, object] | None:
        """What decides the posterior stage's proposal (``posterior_weights: emulated`` and its
        pool, or ``posterior_proposal`` and its knobs), or None for the uniform pick: kept out
        of the digests then, so that a journal written before the choice existed still resumes
        unchanged."""
        spec = self.spec
        if spec.posterior_weights == "emulated":
            emulated: dict[str, object] = {
                "weights": "emulated",
                "candidates": spec.posterior_candidates,
            }
            if spec.emulator_variance != "gp":  # kept out otherwise: older journals resume
                emulated["variance"] = spec.emulator_variance
            return emulated
        if spec.posterior_proposal == "uniform":
            return None
        return {
            "kind": spec.posterior_proposal,
            "spread": spec.proposal_spread,
            "defensive_share": spec.proposal_defensive_share,
        }

    def digest(self, quick: bool) -> str:
        """sha256 of everything that decides the study's runs (for ``--resume``)."""
        data = {
            "spec": self.spec.model_dump(mode="json", exclude=set(PROPOSAL_FIELDS)),
            "quick": quick,
            "targets": self.targets.to_json(orient="records"),
            "base": self.base.model_dump(mode="json"),
            "inadequate": self.inadequate.model_dump(mode="json") if self.inadequate else None,
        }
        if self.population is not None:  # kept out otherwise, so older journals still resume
            data["population"] = self.population.model_dump(mode="json")
        proposal = self.proposal()
        if proposal is not None:
            data["proposal"] = proposal
        # Every stage's digest, so that a change only a stage's digest holds (the posterior's
        # sampler, say) is seen: the journal then compares stage by stage and keeps the rest.
        data["stages"] = self.stage_digests(quick)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def read_targets(path: Path) -> pd.DataFrame:
    """The targets table, checked: the columns, a known family and a citation on every row."""
    if not path.is_file():
        raise ScenarioError(
            str(path),
            None,
            "the targets table does not exist.",
            "Build it with: python -m sim.analysis.targets",
        )
    try:
        table = pd.read_csv(path, dtype={"id": str, "source": str, "statistic": str})
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise ScenarioError(str(path), None, f"the table cannot be read ({err}).") from None
    missing = [c for c in TARGET_COLUMNS if c not in table.columns]
    if missing:
        raise ScenarioError(
            str(path),
            missing[0],
            "the column is missing.",
            f"Expected columns: {', '.join(TARGET_COLUMNS)}.",
        )
    for line, row in enumerate(table.itertuples(index=False), start=2):
        if row.family not in FAMILIES:
            raise ScenarioError(
                str(path),
                f"family (line {line}, {row.id})",
                f"unknown family '{row.family}'.",
                f"Choose from: {', '.join(FAMILIES)}.",
            )
    table["statistic"] = table["statistic"].fillna("")
    return table


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ScenarioError(str(path), None, "the calibration file does not exist.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ScenarioError(str(path), None, f"the file is not valid YAML ({err}).") from None
    if not isinstance(data, dict):
        raise ScenarioError(
            str(path),
            None,
            "the file must be a mapping of fields.",
            "Start from calibration/england.yaml.",
        )
    return data


def load_study(file: str | Path) -> Study:
    """Load and check a calibration file.

    Raises
    ------
    ScenarioError
        For an unknown or badly typed field, an unknown parameter path (nearest name), a prior
        outside the field's bounds, an unknown target (nearest id), a target without a citation.
    """
    path = Path(file)
    source = str(path)
    try:
        spec = CalibrationFile.model_validate(_read_yaml(path))
    except ValidationError as err:
        raise to_scenario_error(err, source) from None
    folder = path.parent
    base = load_scenario(folder / spec.scenario)
    inadequate = load_scenario(folder / spec.inadequate_start) if spec.inadequate_start else None
    try:
        validate_uncertain(base.model_copy(update={"uncertain": spec.calibrate}), source=source)
    except ScenarioError as err:
        field = (err.field or "").replace("uncertain.", "calibrate.", 1)
        raise ScenarioError(source, field, err.problem, err.suggestion) from None
    table = read_targets(folder / spec.targets_file)
    known = list(table["id"])
    groups_of = table.groupby("group")["id"].apply(list).to_dict()
    chosen: list[str] = []
    for i, target in enumerate(spec.targets):
        if target in groups_of:
            ids = groups_of[target]
        elif target in known:
            row = table.loc[table["id"] == target].iloc[0]
            # A category of a count vector brings its whole group (the likelihood needs all).
            ids = groups_of[row["group"]] if row["family"] == "multinomial" else [target]
        else:
            close = nearest(target, known + sorted(str(g) for g in groups_of))
            raise ScenarioError(
                source,
                f"targets[{i}]",
                f"unknown target '{target}'.",
                f"Did you mean '{close}'?"
                if close
                else f"Targets are the ids of {spec.targets_file}.",
            )
        for target_id in ids:
            row = table.loc[table["id"] == target_id].iloc[0]
            if not isinstance(row["source"], str) or not row["source"].strip():
                raise ScenarioError(
                    source,
                    f"targets[{i}]",
                    f"target '{target_id}' has no citation in {spec.targets_file} (column source).",
                    "Every fitted target needs its source.",
                )
            if not math.isfinite(float(row["observed"])):
                raise ScenarioError(
                    source, f"targets[{i}]", f"target '{target_id}' has no observed value."
                )
        chosen.extend(t for t in ids if t not in chosen)
    groups = set(table["group"]) | set(known)
    for key, value in spec.discrepancy.items():
        if key not in groups:
            close = nearest(key, sorted(str(g) for g in groups))
            raise ScenarioError(
                source,
                f"discrepancy.{key}",
                "names no target id or group.",
                f"Did you mean '{close}'?" if close else None,
            )
        if not value >= 0:
            raise ScenarioError(source, f"discrepancy.{key}", "must be at least 0.")
    rows = table.set_index("id").loc[chosen].reset_index()
    population = _population(spec, folder, source) if spec.simulator == SAMPLE_SIMULATOR else None
    return Study(path, spec, base, inadequate, rows, population)


def _population(spec: CalibrationFile, folder: Path, source: str) -> Scenario:
    """The population scenario of the england_sample simulator, checked to be one."""
    from sim.scenario.resources import shipped_path

    if spec.population_scenario is None:
        file = shipped_path(ENGLAND_SCENARIO)
    else:
        file = folder / spec.population_scenario
        if not file.is_file():
            raise ScenarioError(
                source,
                "population_scenario",
                f"the population scenario '{file}' does not exist (the path is relative to the "
                "calibration file).",
                "Use ../scenarios/england/england.yaml.",
            )
    population = load_scenario(file)
    if not population.is_population:
        raise ScenarioError(
            source,
            "population_scenario",
            f"'{spec.population_scenario}' is not a population scenario (it sets no "
            "population.table).",
            "Use ../scenarios/england/england.yaml.",
        )
    table_size = _table_size(population)
    for section in ("study", "quick"):
        size = getattr(spec, section).sample_size
        if size > table_size:
            raise ScenarioError(
                source,
                f"{section}.sample_size",
                f"a sample of {size} LAs is not possible from the population's {table_size}.",
                f"Choose 1 to {table_size}.",
            )
    return population


def _table_size(population: Scenario) -> int:
    from sim.scenario.population import load_population_table

    return len(load_population_table(population.population.table or "").rows)
