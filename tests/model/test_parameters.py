"""The parameter pipeline: every scenario field is read by the model, and the model-ready values
are the scenario's fields in the model's units."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest

from sim.model.equations import DAYS_PER_MONTH, DAYS_PER_YEAR
from sim.model.metrics import METRIC_NAMES
from sim.model.national import LA_POOL_SERIES, LASpec, simulate_population
from sim.model.national_aggregates import national_rows
from sim.model.parameters import ModelParameters
from sim.model.simulation import LocalAuthority
from sim.scenario.england import Pool, Population
from sim.scenario.fields import Section
from sim.scenario.scenario import SECTIONS, Scenario

#: Top-level fields that are not model parameters: they say how to run or name an experiment,
#: and the experiment layer reads them (seed, replications, sweeps, sensitivity ranges).
NOT_MODEL_FIELDS = {
    "name",
    "description",
    "extends",
    "replications",
    "seed",
    "grid",
    "arms",
    "labels",  # presentation: arm names in reports
    "reference",  # presentation: the arm differences are taken from
}
NOT_MODEL_FIELDS |= {"uncertain"}
#: The intervention type is a preset name: the scenario layer resolves it into the fields it
#: presets, which the model reads.
NOT_MODEL_FIELDS |= {"intervention.type"}
#: Which LAs a scenario runs: the scenario layer reads them (the loader resolves ``la`` with
#: ``population.table``; ``population_scenarios`` reads ``population.table`` and ``.las``).
NOT_MODEL_FIELDS |= {"la", "population.table", "population.las"}
#: The scenario layer turns start and end into the LAs' horizon (``single_la_base``).
NOT_MODEL_FIELDS |= {"population.end"}
#: The scenario layer sets each LA's initial.embedded_quality from its grade (``la_overrides``).
NOT_MODEL_FIELDS |= {"population.quality_from_grade"}
#: A nested section: its own fields are checked (``population.pool.*``).
NOT_MODEL_FIELDS |= {"population.pool"}

#: Population sections whose national runs (sim.model.national) between them read every field
#: of the population section and its pool: dated events, a pool from a date, every
#: eligibility and no-team policy.
COVERING_POPULATIONS = (
    Population(table="t", end="2021-09-30", pool=Pool(teams=1, eligibility="on_request")),
    Population(
        table="t",
        end="2019-09-30",
        pool=Pool(teams=1, starts="2018-01-01", no_team_policy="wait"),
    ),
)

#: Scenarios whose runs between them take every branch that reads a field (formation, ownership,
#: the 2024 agency rules, seasonality, triggers, an interim director at the start).
COVERING = (
    Scenario(horizon_years=1, warmup_years=0.25),
    Scenario(
        horizon_years=2,
        warmup_years=0.25,
        demand={"seasonal_amplitude": 0.2, "trend_pct_per_year": 2.0},
        workforce={"agency_rules_2024": True, "agency_mean_stay_months": 2.0},
        intervention={
            "trigger": "at_start",
            "formation": "pool",
            "ownership": "imposed",
            "replaces_leadership": True,
            "practitioner_development": 0.5,
            "development_persists": True,
            "duration_months": 6,
            "start_delay_months": 0,
        },
    ),
    Scenario(  # every inspection judges it inadequate (the threshold of RI is out of reach)
        horizon_years=3,
        warmup_years=0.25,
        initial={"grade": 4, "dcs_months_in_post": 3.0},
        inspection={"inadequate_reinspection_months": 6, "threshold_requires_improvement": 0.99},
        intervention={"trigger": "inadequate", "formation": "adhoc", "start_delay_months": 0},
        leadership={"dcs_mean_tenure_months": 6, "dcs_interim_probability": 0.9},
    ),
    Scenario(  # inadequate throughout, re-inspected when ready, under DfE's whole ladder
        horizon_years=3,
        warmup_years=0.25,
        initial={"grade": 4, "months_since_inspection": 0},
        inspection={
            "reinspection": "when_ready",
            "reinspection_min_months": 3,
            "reinspection_max_months": 6,
            # every judgement inadequate, whatever the improvement rates
            "threshold_outstanding": 0.999,
            "threshold_good": 0.995,
            "threshold_requires_improvement": 0.99,
        },
        intervention={"trigger": "inadequate", "duration_months": 3},
        ladder={"notice": "until_not_inadequate", "escalation": True, "trust_probability": 1.0},
    ),
)


def _field_paths() -> set[str]:
    paths = {name for name in Scenario.model_fields if name not in SECTIONS}
    for section, model in SECTIONS.items():
        paths |= {f"{section}.{name}" for name in model.model_fields}
    paths |= {f"population.pool.{name}" for name in Pool.model_fields}
    return paths - NOT_MODEL_FIELDS


@contextmanager
def _reads_recorded() -> Iterator[set[str]]:
    """Record every read of a scenario field (``section.field``) while the block runs."""
    section_of = {model: name for name, model in SECTIONS.items()} | {Pool: "population.pool"}
    seen: set[str] = set()
    original = Section.__getattribute__

    def recording(self: Section, name: str):  # type: ignore[no-untyped-def]
        cls = type(self)
        if name in cls.model_fields:
            section = section_of.get(cls)
            seen.add(name if cls is Scenario else f"{section}.{name}")
        return original(self, name)

    Section.__getattribute__ = recording  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        Section.__getattribute__ = original  # type: ignore[method-assign]


def test_every_scenario_field_is_read_by_the_model() -> None:
    """Build and run the model from scenarios that take every branch, recording which fields it
    reads: a field no model code reads is documented with an effect the model does not have."""
    with _reads_recorded() as seen:
        for scenario in COVERING:
            LocalAuthority.alone(scenario, 3, 0).run()
        troubled = COVERING[2].model_copy(update={"warmup_years": 0.25})
        for population in COVERING_POPULATIONS:
            las = [LASpec(c, c, troubled) for c in ("E1", "E2")]
            out = simulate_population(las, population, 3, 0)
            metrics = {m: np.stack([o.timeseries[m] for o in out.outputs]) for m in METRIC_NAMES}
            series = {k: np.stack([o.extra[k] for o in out.outputs]) for k in LA_POOL_SERIES}
            national_rows(metrics, series, out.pool_idle, population, 0.25 * DAYS_PER_YEAR)
    unread = sorted(_field_paths() - seen)
    assert not unread, f"scenario fields read by no model code: {unread}"


def test_the_recorder_sees_a_field_read_and_misses_one_that_is_not() -> None:
    """The check above can fail: a field the model never reads is reported."""
    with _reads_recorded() as seen:
        Scenario().workforce.caseload_target  # noqa: B018
    assert "workforce.caseload_target" in seen
    assert "workforce.caseload_cap" not in seen


def test_model_values_are_the_fields_in_model_units() -> None:
    s = Scenario(
        warmup_years=1.5,
        horizon_years=2.0,
        demand={"first_referrals_per_year": 3650.0, "trend_pct_per_year": 5.0},
        workforce={"nq_months": 12.0, "stress_adjust_weeks": 4.0, "recruitment_mean_months": 6},
        intervention={"formation": "pool", "pool_formation_months": 2.0},
    )
    p = ModelParameters.from_scenario(s)
    assert p.warmup_days == 1.5 * 365
    assert p.n_months == 24
    assert p.end_days == pytest.approx(p.warmup_days + 2 * 365)
    assert p.first_referrals_per_day == pytest.approx(10.0)
    assert p.referral_growth_per_year == pytest.approx(1.05)
    assert p.nq_days == pytest.approx(DAYS_PER_YEAR)
    assert p.stress_adjust_days == 28.0
    assert p.recruitment_base_rate_per_year == 2.0
    assert p.formation_days == pytest.approx(2 * DAYS_PER_MONTH)
    with pytest.raises(AttributeError):
        p.nq_days = 1.0  # type: ignore[misc]  # frozen: the model cannot change its parameters
