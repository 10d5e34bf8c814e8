"""The scenario sha256 is stable: every committed scenario keeps the digest it had before the
fields added after the references were blessed (``hash_omit_default`` in
:func:`sim.scenario.fields.param`) were left out of the hash by a general rule.

The digests below were computed with the code of main at 3acb0b3 (session 8), before the rule
replaced the special cases in :func:`sim.scenario.loader.canonical_json`: a regression fixture,
not a hand-written output. ``csc-sim regress`` compares the references' digests too; this test
covers every scenario file, each sweep's arms and a few single-field changes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from sim.scenario.loader import load_scenario, scenario_sha256
from sim.scenario.sweep import expand_arms

REPO = Path(__file__).resolve().parents[2]

#: File -> (sha256 of the scenario, sha256 of its arms' "label=sha256" lines; "" when no sweep).
#: calibration/england.yaml is a calibration study (it names baseline.yaml and
#: inadequate_start.yaml, both listed), not a scenario.
DIGESTS: dict[str, tuple[str, str]] = {
    "calibration/baseline.yaml": (
        "eb33698e4fc6c128925dd8938fdd2024f9bad030b49ff358e05b84fde4dcf93c",
        "",
    ),
    "calibration/inadequate_start.yaml": (
        "ba561771b2d2203132495bd61f2bcc7be1e36e44a6c8dc73e55a8116174c71b1",
        "",
    ),
    "scenarios/england/council.yaml": (
        "a7b344cc9b0ebeed54cf595a305c30a9a09d34beda837f01414f15f6054983eb",
        "",
    ),
    "scenarios/england/england.yaml": (
        "af6d68d54df8a0a84cd40a0dcaf181c255df1bf6d84905ac4ce86fd11062c38b",
        "",
    ),
    "scenarios/england/projection.yaml": (
        "74db785fdce857be4944a0e6528db5c8a8082de2e822742463646f2e8744f801",
        "",
    ),
    "scenarios/experiments/change_team_pool.yaml": (
        "bd7399efda2f7a58cf11f0ec0ec730f69b5b1a1a2bb8c6451a7c12884044b948",
        "801ba6c5d082445da237c77bcfd695b19a17aecee818039eaa1436591f75c747",
    ),
    "scenarios/experiments/intervention_length_x_leadership.yaml": (
        "ba4a8968563cc9e4b33592ecea077f6bd39dad3771a050e63c17d06a289db600",
        "53d17b350c0d409e6e2c217b2edbd4cc260e34d2965204ad54554bc23d46efd3",
    ),
    "scenarios/experiments/national_pool.yaml": (
        "34770012a2dc8f7f9fcd865f0b859d09d17771e0d1f0da87acc1d14b0e33b3e7",
        "3315287cdbd18fac8e95ef6b33441cfd26ae8e15b53aad37823533c42fb2c58c",
    ),
    "scenarios/experiments/oversight_noise.yaml": (
        "eec3119d2e2487d65569ad4749b9105a036ef38d39dbc45e20459a11d9ea3210",
        "93acc00c416054f482d69b8460ec14a7e2126458588c3a2ee8e1e47e1dae09b7",
    ),
    "scenarios/experiments/ownership.yaml": (
        "49885fe623f4a4dcf41aba2b95763013c6eee0c92ba231574803a6ffd8ed2cb8",
        "94bc2b8d2ad134e7ee25d573baffd694232fea8d407fad4e26bed5f9780812ae",
    ),
    "scenarios/experiments/practitioner_development.yaml": (
        "b9d194731c792a3006deadc4f560a7083c7ac979c62ab1cb7e9161c32f99feaf",
        "d2f37143b3e2f6624d519c7366d875e03901f7c1a560fcd8e47e0156980f95e7",
    ),
    "scenarios/experiments/private_partner_30_months.yaml": (
        "56112e3fa1686eee2ba0bfeda5e88b17f2803213bcc8f4660bff2b1a2e00e1ac",
        "912b583cdfbee7a87ca1961b87bf372b3190e5451eae8db317fcce4df99e90fe",
    ),
    "scenarios/reference/baseline.yaml": (
        "9b0f4387fd339c2ad73ef0d78a95c6a929ae208c63025d20efbe77a3aac65817",
        "",
    ),
    "scenarios/reference/troubled.yaml": (
        "970fa6d02e048a64ec560ef233b5c41994b1c1849fa9367ace4f045af6ab6edc",
        "",
    ),
}

#: One field of the baseline changed: (dotted path, value) -> sha256. A marked field set to
#: another value than its default, or ``la``, is in the hash.
CHANGED: dict[tuple[str, Any], str] = {
    ("ladder.escalation", True): "4dd997e49cacfa226c5fb368506c672bc64e251e9954486d8232fa564978f588",
    (
        "inspection.reinspection",
        "when_ready",
    ): "611be617128997cd3cbbcb23306022ee92f9814a91132dedf1f152e4d3010e14",
    (
        "inspection.readiness_months",
        9.0,
    ): "083f12ccdd2ac19ac7de1d1c9a5317434475d5de6c693f51c2d18bb29d303c6c",
    ("la", "Leeds"): "807b43775febc80c747f08afe9585dfae89408f8d960f11162d983d5109bc5bc",
}


def _arms_digest(file: str) -> str:
    scenario = load_scenario(file)
    if not scenario.is_sweep:
        return ""
    text = "".join(
        f"{arm.label}={scenario_sha256(arm.scenario)}\n" for arm in expand_arms(scenario, file)
    )
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("file", sorted(DIGESTS))
def test_scenario_file_keeps_its_sha256(file: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # From the checkout, as the digests were made: a population table's path is in the hash as
    # resolved from the working directory.
    monkeypatch.chdir(REPO)
    expected, arms = DIGESTS[file]
    assert scenario_sha256(load_scenario(file)) == expected
    assert _arms_digest(file) == arms


@pytest.mark.parametrize(("path", "value"), sorted(CHANGED, key=str))
def test_changed_field_keeps_its_sha256(path: str, value: Any) -> None:
    scenario = load_scenario(REPO / "scenarios" / "reference" / "baseline.yaml", {path: value})
    assert scenario_sha256(scenario) == CHANGED[(path, value)]
