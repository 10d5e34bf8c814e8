"""Posterior draws: parameter sets resampled from a calibration's ``posterior.parquet``.

``csc-sim run FILE --posterior posterior.parquet --draws K`` runs every arm over K parameter sets
drawn from the posterior (weighted resampling with replacement, seeded from the scenario seed),
each with the run's R replications. Draws are a dimension of the run plan, not a second runner:
replication numbers run 0 .. K·R-1 in every arm, draw ``k`` owns replications ``k·R .. k·R+R-1``,
so replication ``r`` of draw ``k`` uses the same random streams in every arm (common random
numbers) and different draws use different streams (so the between-draw spread is not masked by
shared noise).

The file is checked before anything runs: it must be a Parquet table with a ``weight`` column of
finite, non-negative weights with a positive sum, and every other column (except the
calibration's bookkeeping columns) must be a scenario field path whose values the schema accepts.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.experiment.errors import RunInputError
from sim.scenario.errors import ScenarioError
from sim.scenario.scenario import Scenario

#: Column of ``posterior.parquet`` holding each parameter set's importance weight.
WEIGHT = "weight"
#: Columns written by ``csc-sim calibrate`` that are not scenario fields.
BOOKKEEPING_COLUMNS: tuple[str, ...] = (WEIGHT, "log_likelihood", "resampled")
#: Draws when ``--posterior`` is given without ``--draws`` (assumption: enough for a first split
#: of parameter from stochastic variance; raise it for a final answer).
DEFAULT_DRAWS = 20
#: Largest number of draws accepted (a guard against typing an extra zero).
MAX_DRAWS = 10_000
#: Second element of the draws' seed sequence ``[seed, POSTERIOR_STREAM]``, so resampling never
#: shares a stream with a replication.
POSTERIOR_STREAM = 15


@dataclass(frozen=True)
class PosteriorDraws:
    """K parameter sets drawn from a posterior file.

    Attributes
    ----------
    path
        The posterior file as given.
    sha256
        Fingerprint of the file's bytes.
    ids
        Row of the file (0-based) behind each draw, in draw order.
    parameters
        Field path -> value of each draw, in draw order.
    per_draw
        Replications per draw (R).
    """

    path: str
    sha256: str
    ids: tuple[int, ...]
    parameters: tuple[dict[str, Any], ...]
    per_draw: int

    @property
    def n_draws(self) -> int:
        """K."""
        return len(self.ids)

    def record(self) -> dict[str, Any]:
        """What the manifest and ``plan.json`` record about the draws (resume checks it)."""
        return {
            "file": self.path,
            "sha256": self.sha256,
            "draws": self.n_draws,
            "draw_ids": list(self.ids),
            "replications_per_draw": self.per_draw,
            "parameters": sorted(self.parameters[0]) if self.parameters else [],
        }


def _bad(path: str, problem: str, suggestion: str | None = None) -> RunInputError:
    return RunInputError(f"--posterior {path}", problem, suggestion)


def check_draws(draws: int | None) -> int:
    """The number of draws to use (``DEFAULT_DRAWS`` when ``None``).

    Raises
    ------
    RunInputError
        When it is not a whole number between 1 and ``MAX_DRAWS``.
    """
    if draws is None:
        return DEFAULT_DRAWS
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        raise RunInputError(
            "--draws",
            f"must be a whole number from 1 to {MAX_DRAWS}, got {draws!r}.",
            f"For example --draws {DEFAULT_DRAWS}.",
        )
    return draws


def _read_table(path: str) -> Any:
    import pyarrow.parquet as pq

    file = Path(path)
    if not file.is_file():
        raise _bad(
            path, "no such file.", "Give the posterior.parquet written by csc-sim calibrate."
        )
    try:
        return pq.read_table(file).to_pandas()
    except Exception as err:  # noqa: BLE001 - any reader error is bad input, worded here
        raise _bad(
            path,
            f"is not a readable Parquet table ({type(err).__name__}: {err}).",
            "Give the posterior.parquet written by csc-sim calibrate.",
        ) from None


def _weights(table: Any, path: str) -> np.ndarray:
    if WEIGHT not in table.columns:
        raise _bad(
            path,
            f"has no '{WEIGHT}' column (columns: {', '.join(map(str, table.columns))}).",
            "A posterior from csc-sim calibrate has one weight per parameter set.",
        )
    try:
        weights = np.asarray(table[WEIGHT], dtype=np.float64)
    except (TypeError, ValueError):
        raise _bad(path, f"column '{WEIGHT}' is not numeric.") from None
    bad = [i for i, w in enumerate(weights) if not math.isfinite(w) or w < 0]
    if bad:
        raise _bad(
            path,
            f"column '{WEIGHT}' must hold finite weights of at least 0; row {bad[0]} has "
            f"{weights[bad[0]]!r}.",
            "Use 0 for a set that should never be drawn.",
        )
    if len(weights) == 0 or weights.sum() <= 0:
        raise _bad(path, "has no parameter set with a positive weight.")
    return weights


def _parameter_columns(table: Any, path: str) -> list[str]:
    from sim.scenario.paths import resolve_path

    columns = [str(c) for c in table.columns if str(c) not in BOOKKEEPING_COLUMNS]
    if not columns:
        raise _bad(path, "has no parameter columns (scenario field paths) besides the weights.")
    for column in columns:
        try:
            resolve_path(column, file=path, field=column)
        except ScenarioError as err:
            raise _bad(path, f"column '{column}': {err.problem}", err.suggestion) from None
    return columns


def _value(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def load_draws(
    path: str | os.PathLike[str], draws: int | None, seed: int, per_draw: int
) -> PosteriorDraws:
    """Validate a posterior file and draw K parameter sets from it.

    Parameters
    ----------
    path
        ``posterior.parquet``.
    draws
        K (default :data:`DEFAULT_DRAWS`).
    seed
        The run's base seed; the draws come from ``numpy.random.default_rng([seed, 15])``.
    per_draw
        Replications per draw (R).

    Raises
    ------
    RunInputError
        Bad file, weights, columns or ``--draws``; nothing has been created.
    """
    text = str(path)
    k = check_draws(draws)
    table = _read_table(text)
    weights = _weights(table, text)
    columns = _parameter_columns(table, text)
    rng = np.random.default_rng([seed, POSTERIOR_STREAM])
    ids = rng.choice(len(weights), size=k, replace=True, p=weights / weights.sum())
    parameters = tuple({c: _value(table[c].iloc[int(i)]) for c in columns} for i in ids)
    digest = hashlib.sha256(Path(text).read_bytes()).hexdigest()
    return PosteriorDraws(
        path=text,
        sha256=digest,
        ids=tuple(int(i) for i in ids),
        parameters=parameters,
        per_draw=per_draw,
    )


def draw_scenarios(
    draws: PosteriorDraws, arms: Sequence[tuple[Scenario, dict[str, Any]]]
) -> tuple[tuple[Scenario, ...], ...]:
    """Each arm's scenario under each draw: the draw's parameters, then the arm's own overrides
    (an arm that sets a calibrated field keeps its value: the arm is the policy).

    Parameters
    ----------
    draws
        The drawn parameter sets.
    arms
        ``(arm scenario, arm overrides)`` of every arm.

    Returns
    -------
    tuple
        ``[arm][draw]`` -> scenario.

    Raises
    ------
    RunInputError
        When a drawn value is outside its field's bounds (names the file, row and column).
    """
    from sim.scenario.loader import apply_overrides

    out = []
    cache: dict[tuple[int, int], Scenario] = {}
    for a, (scenario, overrides) in enumerate(arms):
        row = []
        for k, params in enumerate(draws.parameters):
            key = (a, draws.ids[k])
            if key not in cache:
                try:
                    cache[key] = apply_overrides(
                        scenario, {**params, **overrides}, source=draws.path
                    )
                except ScenarioError as err:
                    raise _bad(
                        draws.path,
                        f"row {draws.ids[k]}, column '{err.field}': {err.problem}",
                        err.suggestion,
                    ) from None
            row.append(cache[key])
        out.append(tuple(row))
    return tuple(out)
