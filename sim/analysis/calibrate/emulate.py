"""Gaussian-process emulators (scikit-learn) of the outputs over the unit cube of the priors.

One ``GaussianProcessRegressor`` per output: a constant times an anisotropic RBF kernel plus a
white-noise term (which absorbs the replicate, i.e. chance, variance of a point's mean), with
``normalize_y``. Fits are seeded, so a resumed study rebuilds the same emulators.

Each emulator also knows how right it is about what it does not know on its own training runs:
the mean square of its leave-one-out standardised errors (Rasmussen and Williams 2006, §5.4.2,
in closed form from the fitted kernel; Bastos and O'Hagan 2009 read such errors to validate an
emulator). About 1 for an emulator whose variance is honest; above 1 for one that is
overconfident. ``predict(..., loo_scaled=True)`` multiplies each output's variance by that mean
square where it is above 1 (``emulator_variance: loo`` in a calibration file).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.linalg import cho_solve
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
        #: Per output, the mean square of the leave-one-out standardised errors (NaN: none).
        self.loo_scales = np.full(y.shape[1], np.nan)
        for i, column in enumerate(y.T):
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
            self.loo_scales[i] = loo_mean_square(model)

    def predict(self, x: np.ndarray, *, loo_scaled: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Mean and variance ``(n_points, n_outputs)``; NaN for outputs not emulated. With
        ``loo_scaled``, each output's variance times its leave-one-out mean square where that
        is above 1 (never below the GP's own)."""
        mean = np.full((len(x), len(self.models)), np.nan)
        var = np.full((len(x), len(self.models)), np.nan)
        for i, model in enumerate(self.models):
            if model is None:
                continue
            m, s = model.predict(x, return_std=True)
            mean[:, i], var[:, i] = m, s**2
        if loo_scaled:
            var *= np.fmax(self.loo_scales, 1.0)
        return mean, var


def loo_mean_square(model: GaussianProcessRegressor) -> float:
    """Mean square of a fitted GP's leave-one-out standardised errors over its training runs:
    with ``K`` the training covariance (noise included) and ``α = K⁻¹y``, the error at run i
    left out is ``α_i / [K⁻¹]_ii`` and its predictive variance ``1 / [K⁻¹]_ii`` (Rasmussen and
    Williams 2006, eqs. 5.10-5.12; the hyperparameters are those fitted on every run)."""
    alpha = np.ravel(model.alpha_)
    inverse_diag = np.diag(cho_solve((model.L_, True), np.eye(len(alpha))))
    return float(np.mean(alpha**2 / inverse_diag))
