"""What the answer depends on: the sensitivity result beside the folder, else a pointer."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sim.analysis.answer_sections import depends_on


def test_depends_on_names_the_top_sensitivity_parameters(tmp_path: Path) -> None:
    run = tmp_path / "exp"
    run.mkdir()
    pointer = depends_on(run, "exp", "scenarios/x.yaml")
    assert "csc-sim sensitivity scenarios/x.yaml" in pointer
    found = tmp_path / "exp-sensitivity"
    found.mkdir()
    (found / "manifest.json").write_text(
        json.dumps({"method": "morris", "outcomes": ["practice_quality"]})
    )
    pd.DataFrame(
        {
            "parameter": ["a.low", "b.high", "c.mid", "d.none"],
            "outcome": "practice_quality",
            "arm": "all",
            "mu_star": [0.1, 0.9, 0.5, 0.0],
        }
    ).to_csv(found / "sensitivity.csv", index=False)
    text = depends_on(run, "exp", "scenarios/x.yaml")
    assert "ranks b.high, c.mid, a.low as the parameters that move practice_quality" in text
    # during a run the report is written in <out>.partial/staging/: the sibling is still found
    staging = tmp_path / "exp.partial" / "staging"
    staging.mkdir(parents=True)
    assert depends_on(staging, "exp", "x.yaml") == text
