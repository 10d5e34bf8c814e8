"""The scenario sha256 is stable: every committed scenario keeps the digest it had before the
fields added after the references were blessed (``hash_omit_default`` in
:func:`sim.scenario.fields.param`) were left out of the hash by a general rule.

The digests below were first computed with the code of main at 3acb0b3 (session 8), before the
rule replaced the special cases in :func:`sim.scenario.loader.canonical_json` (the rule left
every one unchanged): a regression fixture, not a hand-written output. They were recomputed once
since, on purpose, when the calibrated defaults (issue 15 part 6) changed every resolved
scenario, and the population scenarios' once more (session 9) when a population table came to be
hashed by its content instead of its path, and the headline's when its `uncertain:` box was
centred on the calibrated defaults, and the council's (session 11) when an LA of the table came to start
with the practice quality its grade stands for, and England's and its children's (session 12)
when its monitoring visits came to look at the score inspectors would give
(``inspection.readiness_basis: score``), and again (session 13) when England took the 16
values calibrated over its population (``scenarios/england/england.yaml``), and again (session 17)
when it took study 10's 19 values (the cliff edge fitted; the national pool files extend it); a digest that changes without such a reason is a bug. ``csc-sim regress`` compares the references' digests too; this test
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
        "bafada54909229135a9f854470ec4e12b17156dd8c744af54edfb31246bd2cc6",
        "",
    ),
    "calibration/inadequate_start.yaml": (
        "26b25202157508c68111f57f82ffe44b49ec7706ebbcd00aee8d94ed640d8a13",
        "",
    ),
    "scenarios/england/council.yaml": (
        "474ba622ba691351a4ac5ec68917203d1677a5195abeaf24910a9345a28a2977",
        "",
    ),
    "scenarios/england/england.yaml": (
        "5f8727e7a0cc525c35a2b489f3920f6d6f26eb7a4b039b47b13a2734c712e52d",
        "",
    ),
    "scenarios/england/projection.yaml": (
        "39a9466d6f781c60575b016a23f7c92affd5c16f4059f3d518b87f7a7b7dc9e9",
        "",
    ),
    "scenarios/experiments/change_team_pool.yaml": (
        "22bf8ea86ad1e95a126d7b0431e6946c2f55ca652d5954e5e97ed95741336f0f",
        "4f1e17217b7d98349f5ad49308c0b43ad3e395170e28cbf230399875147a3878",
    ),
    "scenarios/experiments/intervention_length_x_leadership.yaml": (
        "ddfb0606348e54c818f75b9f46dc12a3415118c72ecbc4345aea956c4b3fc16e",
        "01afb8d6dbc4169d8f616fd03413f56d6f477346a7f17f30669d46c6efa208df",
    ),
    "scenarios/experiments/national_pool.yaml": (
        "4e576b62a57a603883353af7bf3c009af5c115c75b68b242948024e64b14d360",
        "ad7213005441ec6a288a6d9f2ae95d1dc0ff5ffb9833ebd31a81ac9d5c63b0c5",
    ),
    "scenarios/experiments/national_pool_size.yaml": (
        "ede673994e92c6f1b484efaee994ec63b2724f6f0d174fc20de1968d107abd97",
        "127a6193c10b84aa48065630d795981ed170cdebf1d247519254f44ebdf4d372",
    ),
    "scenarios/experiments/oversight_noise.yaml": (
        "8ce42b386090c8f02ac8bf1fda93769cad45b30492931290cd85a5fc64ff8c76",
        "cd0f1183110ab5367b5be53312c1c054d2dd8282e37c5ee568c42d5bd8e262e7",
    ),
    "scenarios/experiments/ownership.yaml": (
        "cdd3ed7001b2cd2c236df98c32cd9ecc74260fae6a7c3c0a12d47bdf7059a90d",
        "26f2971b4d160943c5cc560e8ea64e850d413ddc79d9d54ce34a670270ec9c25",
    ),
    "scenarios/experiments/practitioner_development.yaml": (
        "c3e341f672374757d23152c1fec135c8bcbb2e2ee7c1a1cd0445a0779072a682",
        "b1f51675f5270e20c0dbfa26e85a5ff5dd4496afd36aee70409582dd30aa5133",
    ),
    "scenarios/experiments/private_partner_30_months.yaml": (
        "3534456dfdf3990b5ca499a074d11af7ff3d98ead914bfaff6145fafa2e3bb78",
        "61f596bb064bbe837609bbff4d94a631f4881f3451f594aa67edb5f28d18de54",
    ),
    "scenarios/reference/baseline.yaml": (
        "644536fc66975ae3f9db84b25bdaa1ea258bc4fe28c702b5421296e2f56b0882",
        "",
    ),
    "scenarios/reference/troubled.yaml": (
        "622efc2836f0c680c1e98af94af8129669202c9250f4ac90d0a844fa6dc5becd",
        "",
    ),
}

#: One field of the baseline changed: (dotted path, value) -> sha256. A marked field set to
#: another value than its default, or ``la``, is in the hash.
CHANGED: dict[tuple[str, Any], str] = {
    ("ladder.escalation", True): "b134b3fcb9dbf067ba770a92b920f405d3899bbdb65ea4baa61822c8fb1bf266",
    (
        "inspection.reinspection",
        "when_ready",
    ): "9fe2eab21a12d5d847e7579a7637b3125d9e8c0fc8578c4001116e071e06fe62",
    (
        "inspection.readiness_months",
        9.0,
    ): "98975b84afc54d1a6a65dbf2b8408ea8c8e05d605a54d912d6b0d988272c3040",
    ("la", "Leeds"): "30841747eb2ce0676ba0d5b056597c7debdc32ba952da8a6b46374db2b015143",
    (
        "inspection.readiness_basis",
        "score",
    ): "4f325397aa51a24708c059aa5b9a90d1972ccaf0e80ff1e2eb9c1085cb086046",
    (
        "ladder.notice_support_share",
        0.5,
    ): "6af8231c0f80503b9496b843e4df8c36721c2244e6fd92f3789c7977f45ddc7e",
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
    # From the checkout (the files' own relative paths).
    monkeypatch.chdir(REPO)
    expected, arms = DIGESTS[file]
    assert scenario_sha256(load_scenario(file)) == expected
    assert _arms_digest(file) == arms


def test_population_table_is_hashed_by_content_not_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same population scenario has one sha256 from any working directory and with its table
    copied elsewhere; an edited table changes it."""
    england = REPO / "scenarios" / "england" / "england.yaml"
    expected = DIGESTS["scenarios/england/england.yaml"][0]
    monkeypatch.chdir(tmp_path)
    assert scenario_sha256(load_scenario(england)) == expected
    table = Path(load_scenario(england).population.table or "")
    copy = tmp_path / "copy.csv"
    copy.write_bytes(table.read_bytes())
    assert scenario_sha256(load_scenario(england, {"population.table": str(copy)})) == expected
    edited = tmp_path / "edited.csv"
    edited.write_bytes(table.read_bytes().replace(b"\n", b"\r\n"))
    assert scenario_sha256(load_scenario(england, {"population.table": str(edited)})) != expected


@pytest.mark.parametrize(("path", "value"), sorted(CHANGED, key=str))
def test_changed_field_keeps_its_sha256(path: str, value: Any) -> None:
    scenario = load_scenario(REPO / "scenarios" / "reference" / "baseline.yaml", {path: value})
    assert scenario_sha256(scenario) == CHANGED[(path, value)]
