"""``csc-sim sensitivity --posterior``: sample points drawn from a posterior, not the box."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.sensitivity import sensitivity
from sim.analysis.sensitivity_indices import POSTERIOR_METHOD
from tests.experiment.helpers import write_scenario
from tests.experiment.test_posterior import AGENCY, GAIN, write_posterior


def test_sensitivity_over_posterior_draws(tmp_path: Path) -> None:
    """The points are drawn posterior rows (never the weight-0 one); indices are rank
    correlations over the draws; the robustness table compares the arms over the draws; the
    folder is written with the method recorded."""
    file = write_scenario(tmp_path, replications=1)
    posterior = write_posterior(tmp_path)
    found = sensitivity(file, samples=6, replications=1, posterior=posterior,
                        outcomes=["agency_rate_pct"], out=tmp_path / "out")  # fmt: skip
    table = pd.read_parquet(posterior)
    allowed = {tuple(row) for row in table.loc[table["weight"] > 0, [AGENCY, GAIN]].to_numpy()}
    assert found.method == POSTERIOR_METHOD and found.problem.paths == [AGENCY, GAIN]
    assert {tuple(p) for p in found.points} <= allowed
    rho = found.indices.query("arm == 'all'")["rho"].to_numpy()
    assert np.isfinite(rho).all() and (np.abs(rho) <= 1).all()
    assert set(found.robustness["comparator"]) and (found.robustness["n"] == 6).all()
    assert (tmp_path / "out" / "report.html").is_file()
