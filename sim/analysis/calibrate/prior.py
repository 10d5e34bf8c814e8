"""Priors of the free parameters: from the unit cube to values, in the ``uncertain:`` form.

``uniform`` over ``[low, high]``; ``triangular`` with its mode at the middle; ``normal`` with mean
the middle and standard deviation a quarter of the range (as ``csc-sim sensitivity`` reads it),
truncated to ``[low, high]`` so every draw stays inside the field's bounds.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy import stats as sps

from sim.scenario.paths import resolve_path
from sim.scenario.scenario import UncertainParameter

#: Standard deviations from the middle to an end of the range, for a ``normal`` prior.
NORMAL_HALF_RANGE_SDS = 2.0


class Prior:
    """The joint prior (independent parameters) of a calibration file's ``calibrate:`` section."""

    def __init__(self, spec: Mapping[str, UncertainParameter]) -> None:
        self.paths = list(spec)
        self.specs = list(spec.values())
        self.integer = [
            resolve_path(p, file="<calibrate>").info.annotation is int for p in self.paths
        ]

    @property
    def dims(self) -> int:
        """Number of free parameters."""
        return len(self.paths)

    def values(self, unit: np.ndarray) -> np.ndarray:
        """Parameter values of unit-cube points ``(n, dims)``."""
        unit = np.clip(np.atleast_2d(unit), 1e-12, 1 - 1e-12)
        out = np.empty_like(unit)
        for j, spec in enumerate(self.specs):
            width = spec.high - spec.low
            if spec.distribution == "triangular":
                out[:, j] = sps.triang.ppf(unit[:, j], 0.5, loc=spec.low, scale=width)
            elif spec.distribution == "normal":
                a = -NORMAL_HALF_RANGE_SDS
                mid, sd = (spec.low + spec.high) / 2, width / (2 * NORMAL_HALF_RANGE_SDS)
                out[:, j] = sps.truncnorm.ppf(unit[:, j], a, -a, loc=mid, scale=sd)
            else:
                out[:, j] = spec.low + width * unit[:, j]
        return out

    def overrides(self, values: np.ndarray) -> dict[str, float | int]:
        """Dotted overrides of one parameter set (whole-number fields rounded)."""
        return {
            p: int(round(float(v))) if whole else float(v)
            for p, v, whole in zip(self.paths, values, self.integer, strict=True)
        }
