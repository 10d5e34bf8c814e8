"""Section 6: the gain of drawing variates in blocks: the model against itself with block draws
replaced by one numpy call per variate (monkeypatched)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks.common import SEED, Config, Report, fmt, interleaved, load, table
from sim.model import simulate


@contextmanager
def per_variate_draws() -> Iterator[None]:
    """Replace block draws with one numpy call per variate (what a straightforward model does)."""
    import sim.model.caseflow as caseflow
    import sim.model.streams as streams

    draws = streams.BlockDraws
    saved = {name: getattr(draws, name) for name in ("uniform", "exponential", "normal")}
    saved_next = caseflow.CaseFlow._next_assessment_days
    draws.uniform = lambda self: self._rng.random()  # type: ignore[method-assign]
    draws.exponential = lambda self: self._rng.standard_exponential()  # type: ignore[method-assign]
    draws.normal = lambda self: self._rng.standard_normal()  # type: ignore[method-assign]
    caseflow.CaseFlow._next_assessment_days = (  # type: ignore[method-assign]
        lambda self: float(self.durations.calendar_days(self._assessment_rng.random()))
    )
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(draws, name, fn)
        caseflow.CaseFlow._next_assessment_days = saved_next  # type: ignore[method-assign]


def run(cfg: Config, report: Report) -> None:
    scenario = load()
    try:
        with per_variate_draws():
            simulate(scenario, SEED, 0)
    except (AttributeError, TypeError) as err:
        report.add(
            "6. Block-drawn variates", f"Skipped: the model's draw interface changed ({err})."
        )
        return

    def without_blocks() -> Any:
        with per_variate_draws():
            return simulate(scenario, SEED, 0)

    results = interleaved(
        {"blocks": lambda: simulate(scenario, SEED, 0), "per_variate": without_blocks},
        cfg.ablation_repeats,
    )
    t_block, t_single = results["blocks"].t, results["per_variate"].t
    n_var = results["blocks"].value.n_referrals
    report.raw["blocks"] = {"block_s": t_block, "per_variate_s": t_single}
    body = table(
        ["variates", "median CPU s", "relative"],
        [
            ["drawn in blocks of 2,048 (`BlockDraws`, as in the model)", fmt(t_block, 3), "1.00"],
            [
                "one numpy call per variate (monkeypatched)",
                fmt(t_single, 3),
                fmt(t_single / t_block, 2),
            ],
        ],
    )
    body += (
        f"\n\nBaseline replication ({n_var:,} referrals), median of {cfg.ablation_repeats} interleaved repeats. "
        "The per-variate version calls `Generator.random()` / `standard_exponential()` / "
        "`standard_normal()` for each variate and `np.interp` on a scalar for each assessment length. "
        f"Block draws save {t_single - t_block:.3f} s ({1 - t_block / t_single:.0%}) per replication. "
        "(The random numbers come in a different order, so the trajectories differ: this compares cost, "
        "not results.)"
    )
    report.add("6. Block-drawn variates", body)
