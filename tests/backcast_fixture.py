"""A tiny back-cast for tests: six small LAs of the population table (one or more of each
starting grade), October 2017 to March 2020, a 6-month warm-up, 2 replications. Used by the
back-cast's table test and the back-cast notebook's test."""

from __future__ import annotations

from pathlib import Path

import sim
from tests.experiment.helpers import REPO

ENGLAND = REPO / "scenarios" / "england" / "england.yaml"
#: Small LAs: Rutland, Wokingham, Bracknell Forest, City of London, Hartlepool, Middlesbrough.
LAS = ("Rutland", "Wokingham", "Bracknell Forest", "City of London", "Hartlepool", "Middlesbrough")
END = "2020-03-31"
REPLICATIONS = 2
SEED = 11


def write_tiny_backcast(root: Path) -> Path:
    """Run the tiny back-cast into ``root/results`` and return the folder."""
    root.mkdir(parents=True, exist_ok=True)
    lines = [
        "name: backcast_tiny",
        f"extends: {ENGLAND}",
        f"replications: {REPLICATIONS}",
        "warmup_years: 0.5",
        "population:",
        f"  table: {REPO / 'data' / 'england' / 'population.csv'}",
        f"  las: [{', '.join(LAS)}]",
        f"  end: {END}",
    ]
    path = root / "backcast_tiny.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = sim.run(path, out=root / "results", seed=SEED, workers=1, report=False)
    return Path(results.path)  # type: ignore[arg-type]
