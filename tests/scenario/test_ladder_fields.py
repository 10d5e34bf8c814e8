"""The ladder's scenario fields: left out of the sha256 at their defaults (so earlier
scenarios and their blessed references keep theirs), in it once set."""

from __future__ import annotations

import pytest

from sim.scenario.loader import apply_overrides, scenario_sha256
from sim.scenario.scenario import Scenario

BASE = scenario_sha256(Scenario())


def test_defaults_written_out_keep_the_sha256() -> None:
    same = apply_overrides(
        Scenario(), {"inspection.reinspection": "fixed", "ladder.notice": "with_team"}
    )
    assert scenario_sha256(same) == BASE


@pytest.mark.parametrize(
    "override",
    [
        {"inspection.reinspection": "when_ready"},
        {"inspection.reinspection_min_months": 12.0},
        {"ladder.notice": "until_not_inadequate"},
        {"ladder.escalation": True},
        {"ladder.trust_probability": 0.5},
    ],
)
def test_a_set_field_changes_the_sha256(override: dict[str, object]) -> None:
    assert scenario_sha256(apply_overrides(Scenario(), override)) != BASE
