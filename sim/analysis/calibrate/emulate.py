"""Gaussian-process emulators (scikit-learn) of the outputs over the unit cube of the priors.

One ``GaussianProcessRegressor`` per output: a constant times an anisotropic RBF kernel plus a
white-noise term (which absorbs the replicate, i.e. chance, variance of a point's mean), with
``normalize_y``. Fits are seeded, so a resumed study rebuilds the same emulators.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

#: Length-scale start and bounds on the unit cube; noise bounds (relative, normalised outputs).
LENGTH_START, LENGTH_BOUNDS = 0.3, (1e-2, 1e2)
NOISE_START, NOISE_BOUNDS = 1e-2, (1e-8, 1e1)
RESTARTS = 2
RANDOM_STATE = 0
#: Fewest finite points an output needs to be emulated.
MIN_POINTS = 3


class Emulator:
    """Emulators of every output; an output with too few points predicts NaN (not used)."""

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        dims = x.shape[1]
        self.models: list[GaussianProcessRegressor | None] = []
        for column in y.T:
            keep = np.isfinite(column)
            if keep.sum() < MIN_POINTS:
                self.models.append(None)
                continue
            kernel = ConstantKernel(1.0, (1e-3, 1e3)) * RBF(
                np.full(dims, LENGTH_START), LENGTH_BOUNDS
            ) + WhiteKernel(NOISE_START, NOISE_BOUNDS)
            model = GaussianProcessRegressor(
                kernel, normalize_y=True, n_restarts_optimizer=RESTARTS, random_state=RANDOM_STATE
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(x[keep], column[keep])
            self.models.append(model)

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and variance ``(n_points, n_outputs)``; NaN for outputs not emulated."""
        mean = np.full((len(x), len(self.models)), np.nan)
        var = np.full((len(x), len(self.models)), np.nan)
        for i, model in enumerate(self.models):
            if model is None:
                continue
            m, s = model.predict(x, return_std=True)
            mean[:, i], var[:, i] = m, s**2
        return mean, var
