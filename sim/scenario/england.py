"""The population section of a scenario: England's LAs on one clock, and a national pool
(DESIGN §4.9, issue 14 parts 2-3).

A scenario with ``population.table`` set is a *population scenario*: every LA of the table is
one LA of DESIGN §4.1-4.8, built from the scenario's own sections (the national settings every
LA shares) with the table's per-LA figures laid over them. Without a table the section is
inert and the scenario is a single-LA one (its resolved form and sha256 leave the section out,
so single-LA scenarios are unchanged).

National events are dated inputs: graded inspections paused from March 2020 to spring 2021, the
DfE agency rules from 2024-25. The pool is the seed article's proposal: a fixed number of
salaried change teams that every LA's intervention requests.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from sim.scenario.fields import Section, param
from sim.scenario.units import MONTHS_PER_YEAR

Eligibility = Literal["inadequate", "requires_improvement", "on_request"]
NoTeamPolicy = Literal["ad_hoc", "wait"]

#: Who may call on the pool, from narrowest to widest: each level includes the ones before it.
ELIGIBILITY_LEVELS: tuple[str, ...] = ("inadequate", "requires_improvement", "on_request")

#: Date of the population table's figures (CSWW census of 30 September 2017, DESIGN §4.9).
DATA_START = dt.date(2017, 10, 1)

POOL_SOURCE = (
    "seed article: a permanent, salaried group of change and improvement managers (DESIGN §4.9)"
)


class Pool(Section):
    """A national pool of salaried change teams shared by every LA (DESIGN §4.9)."""

    starts: dt.date | None = param(
        None,
        unit="date",
        source="issue 14 part 6: the national experiment runs the pool from March 2025",
        description="Date from which the pool exists (its salaries paid, its teams deployable); none: from the start of the run.",
    )
    teams: int | None = param(
        None,
        unit="teams",
        ge=0,
        le=500,
        source=POOL_SOURCE,
        description=(
            "Salaried change teams in the national pool; none (the default) means no national "
            "pool: LAs are independent and each forms its team as its intervention section says. "
            "0 is a pool with no teams: every intervention gets an ad-hoc team (or waits)."
        ),
    )
    team_fte: float = param(
        4.0,
        unit="FTE per team",
        gt=0,
        le=50,
        source="assumption: the sector-led partner preset's 4-FTE team (sim/scenario/intervention.py)",
        description="Change managers in one pool team.",
    )
    eligibility: Eligibility = param(
        "inadequate",
        unit="choice",
        source=POOL_SOURCE
        + "; 'a resource for councils to call on if they felt they were getting into difficulties'",
        description=(
            "Who may call on the pool: LAs judged inadequate only; also LAs judged requires "
            "improvement (one request per judgement); also any LA that asks (practice quality "
            "below request_quality_below)."
        ),
    )
    request_quality_below: float = param(
        0.45,
        unit="practice quality (0-1)",
        ge=0,
        le=1,
        source="assumption: a council asks for help when its practice quality falls this low",
        description="Under eligibility on_request, an LA not under intervention asks for a pool team when its practice quality falls below this.",
    )
    min_deployment_months: float = param(
        18.0,
        unit="months",
        gt=0,
        le=120,
        source="seed article: change teams need 18 months to 2 years before transitioning out",
        description="A pool team stays at least this long (or the intervention's duration_months, if longer).",
    )
    salary_per_fte_gbp_year: float = param(
        110_000.0,
        unit="GBP/FTE/year",
        ge=0,
        le=1_000_000,
        source="assumption: a senior permanent manager's salary with on-costs, below the interim day rates of evidence §5c (£400-1,000/day)",
        description="Cost of one pool change manager for a year, paid whether the team is deployed or idle.",
    )
    formation_months: float = param(
        0.5,
        unit="months",
        ge=0,
        le=24,
        source="assumption: a standing pool deploys fast (DESIGN §4.6)",
        description="Time for a pool team to reach full strength in an LA (linear ramp).",
    )
    effectiveness: float = param(
        1.0,
        unit="relative effort per FTE",
        ge=0,
        le=5,
        source="assumption: an experienced pool works at full effort (ad-hoc teams: intervention.adhoc_effectiveness)",
        description="Effort of a pool team per FTE relative to the intervention's effort_per_fte.",
    )
    no_team_policy: NoTeamPolicy = param(
        "ad_hoc",
        unit="choice",
        source="issue 14: when none is free the LA gets an ad-hoc team of interims or waits, by policy",
        description="When an inadequate LA finds no free pool team: form an ad-hoc team of interims, or wait for a pool team.",
    )


class Population(Section):
    """England's LAs on one clock: the table, the dates and the national events (DESIGN §4.9)."""

    table: str | None = Field(
        default=None,
        max_length=1000,
        description=(
            "Path of the population table (one row per LA), relative to the scenario file that "
            "sets it. Set (and no 'la'): every LA of the table runs; with 'la': that one LA runs "
            "alone from its own figures. Unset: a single-LA scenario ('la' then reads the "
            "shipped table)."
        ),
        json_schema_extra={
            "unit": "path",
            "source": "the analyst (the project ships data/england/population.csv)",
        },
    )
    las: list[str] | None = Field(
        default=None,
        max_length=500,
        description="Run only these LAs of the table (codes or names); default every LA.",
        json_schema_extra={"unit": "LA codes or names", "source": "the analyst"},
    )
    start: dt.date = param(
        DATA_START,
        unit="date",
        source="DfE CSWW: the workforce series begins at 30 September 2017 (evidence §1a)",
        description="Date at which recording starts (the end of the warm-up).",
    )
    end: dt.date = param(
        dt.date(2025, 3, 31),
        unit="date",
        source="Ofsted judgements as at 31 March 2025 (data/ofsted/): the end of the back-cast",
        description="Date at which the run ends; later than March 2025 is a projection.",
    )
    inspections_paused_from: dt.date | None = param(
        dt.date(2020, 3, 17),
        unit="date",
        source="DESIGN §4.9: graded inspections paused from March 2020 (Ofsted suspended routine inspection, 17 March 2020)",
        description="First day of the pause in graded inspections (none: no pause).",
    )
    inspections_paused_until: dt.date | None = param(
        dt.date(2021, 4, 12),
        unit="date",
        source="DESIGN §4.9: graded inspections resumed in spring 2021 (ILACS from 12 April 2021)",
        description="Day graded inspections resume; inspections that fell due in the pause are put back by its length.",
    )
    agency_rules_from: dt.date | None = param(
        dt.date(2024, 10, 31),
        unit="date",
        source="DfE statutory guidance on agency social workers, in force 31 Oct 2024 (evidence §5b)",
        description="Date from which every LA applies the DfE agency rules (workforce.agency_rules_2024); none: the workforce section decides.",
    )
    quality_from_grade: bool = param(
        True,
        unit="on/off",
        source="assumption: an LA's practice at the start is what its last judgement graded "
        "(the middle of the grade's score band; docs/england.md)",
        description="Whether each LA of the table starts with the practice quality its grade "
        "stands for (initial.embedded_quality is then set per LA); off: every LA starts from the "
        "scenario's initial.embedded_quality.",
        hash_omit_default=True,
    )
    pool: Pool = Field(
        default_factory=Pool,
        description="The national pool of change teams (its own fields below).",
        json_schema_extra={"unit": "section", "source": POOL_SOURCE},
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> Population:
        if self.table is not None and self.start != DATA_START:
            raise ValueError(
                f"start ({self.start}) is not the date of the population table's figures; the "
                f"table's LAs start from their 2017 census figures: use {DATA_START}"
            )
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        paused = (self.inspections_paused_from, self.inspections_paused_until)
        if (paused[0] is None) != (paused[1] is None):
            raise ValueError(
                "inspections_paused_from and inspections_paused_until must both be set or both be none"
            )
        if paused[0] is not None and paused[1] is not None and paused[1] <= paused[0]:
            raise ValueError(
                f"inspections_paused_until ({paused[1]}) must be after inspections_paused_from ({paused[0]})"
            )
        return self

    @property
    def enabled(self) -> bool:
        """Whether this is a population scenario (a table is named)."""
        return self.table is not None

    @property
    def coupled(self) -> bool:
        """Whether a finite pool couples the LAs (then they must share one environment)."""
        return self.pool.teams is not None and self.pool.teams > 0

    def months(self) -> int:
        """Recorded months from ``start`` to ``end`` (whole months, at least 1)."""
        n = (self.end.year - self.start.year) * MONTHS_PER_YEAR + (
            self.end.month - self.start.month
        )
        if self.end.day >= self.start.day or self.end.day >= 28:
            n += 1
        return max(1, n)


def eligible(level: str, reason: str) -> bool:
    """Whether an LA called in for ``reason`` may have a pool team under eligibility ``level``."""
    return ELIGIBILITY_LEVELS.index(reason) <= ELIGIBILITY_LEVELS.index(level)
