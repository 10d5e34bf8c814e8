"""The committed references in `results/reference/`: their structure, and a short exact check.

The full comparison (both 10-year reference scenarios at the blessed replication count, ~75 s
in the suite) is CI's `csc-sim regress` step (`.ci/run`), which fails the build on any drift; it
is not repeated here. These tests check, without simulating, that every reference scenario has a
complete blessed folder whose manifest matches the scenario file as it stands (``regress`` only
notes a changed sha256), and run the first replication of the baseline (~3 s) through
:func:`sim.analysis.regression.check_scenario`: every monthly value and event outcome
bit-identical to the blessed replication on the blessing platform (the statistical check needs
the blessed count: with 1 or 2 replications it flags chance differences, so it is left to
`regress`). If they fail after an intended model change, re-bless on purpose:
`csc-sim bless --message "why"` (docs/regression.md).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.reference_store import EVENTS_SUMMARY_CSV, Reference, same_platform
from sim.analysis.regression import check_scenario, reference_scenarios
from sim.experiment.layout import (
    EVENTS_CSV,
    MANIFEST_JSON,
    RESOLVED_YAML,
    SUMMARY_CSV,
    TIMESERIES_PARQUET,
)
from sim.scenario.loader import load_scenario, scenario_sha256

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios" / "reference"
REFERENCES = REPO / "results" / "reference"
#: What bless writes into every reference folder (sim.analysis.reference_store.write_reference).
FILES = (
    TIMESERIES_PARQUET,
    EVENTS_CSV,
    SUMMARY_CSV,
    EVENTS_SUMMARY_CSV,
    RESOLVED_YAML,
    MANIFEST_JSON,
)
#: Replications of the short exact check: the first of the blessed ones.
SHORT_REPLICATIONS = 1


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_reference_is_blessed_as_the_scenario_stands(path: Path) -> None:
    scenario = load_scenario(path)
    folder = REFERENCES / scenario.name
    assert (folder / MANIFEST_JSON).is_file(), (
        f"no blessed reference for {path.name}: run `csc-sim bless --message ...` and commit "
        "results/reference/"
    )
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    reference = Reference(folder)
    as_blessed = scenario.model_copy(
        update={"replications": reference.replications, "seed": reference.seed}
    )
    assert reference.manifest["scenario_sha256"] == scenario_sha256(as_blessed)
    assert scenario_sha256(load_scenario(folder / RESOLVED_YAML)) == scenario_sha256(as_blessed)
    timeseries = reference.timeseries()
    assert sorted(timeseries["replication"].unique()) == list(range(reference.replications))
    events = pd.read_csv(folder / EVENTS_CSV)
    assert set(events["replication"]) <= set(range(reference.replications))


def test_every_reference_folder_has_its_scenario() -> None:
    names = {scenario.name for _, scenario in reference_scenarios(SCENARIOS)}
    assert {p.name for p in REFERENCES.iterdir() if p.is_dir()} == names


def test_the_baselines_first_replication_is_bit_identical() -> None:
    path = SCENARIOS / "baseline.yaml"
    check = check_scenario(
        path,
        load_scenario(path),
        REFERENCES,
        replications=SHORT_REPLICATIONS,
        workers=1,
        executor=None,
        progress=False,
    )
    assert check.error is None and check.notes == []
    assert check.replications == SHORT_REPLICATIONS
    same, difference = same_platform(Reference(REFERENCES / "baseline").manifest)
    if not same:
        pytest.skip(f"not the blessing platform ({difference}): the exact check does not apply")
    assert check.exact.status == "pass", check.exact.detail
