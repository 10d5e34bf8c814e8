"""csc-sim: a discrete-event simulation of a council's children's social care under intervention.

Public API::

    import sim
    scenario = sim.load_scenario("scenarios/reference/baseline.yaml")
    results = sim.run(scenario, replications=20, seed=1, workers=2)
    results.summary()
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("csc-sim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "load_results", "load_scenario", "run"]


def __getattr__(name: str) -> Any:
    # Imported lazily so `import sim` stays cheap for worker processes and the CLI.
    if name == "load_scenario":
        from sim.scenario.loader import load_scenario

        return load_scenario
    if name == "run":
        from sim.api import run

        return run
    if name == "load_results":
        from sim.api import load_results

        return load_results
    raise AttributeError(f"module 'sim' has no attribute '{name}'")
