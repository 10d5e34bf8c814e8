"""Calibration targets computed from the shipped record (issue 15, part 2; DESIGN §6).

``build_targets()`` reads ``data/dfe`` and ``data/ofsted`` and returns one row per target
statistic; ``python -m sim.analysis.targets`` writes ``calibration/targets.csv``.
"""

from sim.analysis.targets.build import TARGETS_CSV, build_targets, write_targets
from sim.analysis.targets.rows import FAMILIES, TARGET_COLUMNS

__all__ = ["FAMILIES", "TARGETS_CSV", "TARGET_COLUMNS", "build_targets", "write_targets"]
