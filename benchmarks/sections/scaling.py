"""Section 2: cost against work: µs per referral across referral volumes and horizons, sizes
timed in rounds and compared within a round (``benchmarks/flatness.py``), and the fixed cost."""

from __future__ import annotations

from functools import partial
from typing import Any

from benchmarks.bare_simpy import mmc, rates_for
from benchmarks.common import (
    BARE_SERVERS,
    BARE_UTILISATION,
    DAYS_PER_YEAR,
    DEFAULT_TOTAL_REFERRALS,
    SEED,
    Config,
    Report,
    Timing,
    fmt,
    interleaved,
    load,
    table,
    volume_overrides,
)
from benchmarks.flatness import flatness, relative_costs
from sim.model import simulate

#: Arrivals of the bare queue timed alongside the scaling runs as a yardstick of machine speed.
YARDSTICK_ARRIVALS = 20_000
YARDSTICK = "bare SimPy yardstick"
#: Issue 6: "cost per referral flat within +-20%": every size's cost within 20% of the median
#: size's (``benchmarks/flatness.py``). Until session 5 the benchmark also held max/min to 1.20,
#: a band of +-9% about the middle of the range that the issue does not ask for; max/min is still
#: reported.
TARGET_DEVIATION = 0.20


def _scaling_row(
    label: str, scenario: Any, timing: Timing, us: float, relative: float
) -> list[str]:
    years = scenario.horizon_years + scenario.warmup_years
    out, t = timing.value, min(timing.cpu)
    return [
        label,
        fmt(out.n_referrals / years, 0),
        f"{scenario.workforce.establishment_fte:g}",
        f"{years:g}",
        fmt(out.n_referrals, 0),
        fmt(t, 3),
        fmt(timing.t, 3),
        fmt(us, 1),
        fmt(relative, 3),
        fmt(out.n_events / out.n_referrals, 2),
    ]


def _us_per_referral(timing: Timing) -> list[float]:
    """µs per referral of each round."""
    return [t / timing.value.n_referrals * 1e6 for t in timing.cpu]


def run(cfg: Config, report: Report) -> None:
    header = [
        "run",
        "referrals/yr",
        "posts",
        "years",
        "referrals",
        "min CPU s",
        "median CPU s",
        "us per referral",
        "relative cost",
        "events per referral",
    ]
    base = load()
    first0, posts0 = base.demand.first_referrals_per_year, base.workforce.establishment_fte
    volumes = {f"{r:,} referrals/yr": load(volume_overrides(r)) for r in cfg.scale_referrals}
    horizons = {f"horizon {y:g} years": load({"horizon_years": y}) for y in cfg.scale_horizons}
    smallest = min(cfg.scale_referrals)
    idle_label = f"{smallest:,}-referral LA, 1 referral/yr"  # its fixed cost: posts, no work
    idle = load({**volume_overrides(smallest), "demand.first_referrals_per_year": 1.0})
    runs = {**volumes, **horizons, idle_label: idle}
    # the bare-SimPy queue, timed in the same rounds: a yardstick of the machine's speed
    lam, mu = rates_for(YARDSTICK_ARRIVALS / DAYS_PER_YEAR, BARE_SERVERS, BARE_UTILISATION)
    timings = interleaved(
        {
            **{label: partial(simulate, s, SEED, 0) for label, s in runs.items()},
            YARDSTICK: lambda: mmc(YARDSTICK_ARRIVALS, BARE_SERVERS, lam, mu, seed=SEED),
        },
        cfg.scale_repeats,
    )
    yardstick = timings.pop(YARDSTICK).cpu
    drift = max(yardstick) / min(yardstick) - 1.0
    by_round = {label: _us_per_referral(timings[label]) for label in [*volumes, *horizons]}
    relative = {
        **relative_costs({label: by_round[label] for label in volumes}),
        **relative_costs({label: by_round[label] for label in horizons}),
    }
    us = {label: min(costs) for label, costs in by_round.items()}
    rows = [
        _scaling_row(label, runs[label], timings[label], us[label], relative[label])
        for label in by_round
    ]
    us_r, us_h = [us[label] for label in volumes], [us[label] for label in horizons]
    _, dev_r = flatness([relative[label] for label in volumes])
    _, dev_h = flatness([relative[label] for label in horizons])
    ratio_r, dev_min_r = flatness(us_r)
    ratio_h, dev_min_h = flatness(us_h)
    ratio_rest, _ = flatness(us_r[1:]) if len(us_r) > 2 else (float("nan"), 0.0)
    fixed_s = min(timings[idle_label].cpu)
    weeks = (idle.horizon_years + idle.warmup_years) * 365.0 / 7.0
    smallest_label = next(iter(volumes))
    fixed_share_us = fixed_s / timings[smallest_label].value.n_referrals * 1e6
    report.raw["scaling"] = {
        "referrals_us": us_r,
        "horizon_us": us_h,
        "relative_cost": relative,
        "us_per_referral_by_round": by_round,
        "fixed_s": fixed_s,
        "fixed_us_per_week": fixed_s / weeks * 1e6,
        "yardstick_cpu_s": yardstick,
    }
    body = table(header, rows)
    body += (
        f"\n\nCost per referral: each size's **relative cost** is its µs per referral over the "
        "median size's in the same round, median over the rounds (`benchmarks/flatness.py`): the "
        "machine's speed drifts more between rounds than the sizes differ, and a round (every "
        "size once) is timed within seconds, so drift cancels. Largest deviation from the median "
        f"size: **{dev_r:.0%}** across referral volumes, **{dev_h:.0%}** across horizons (target: "
        f"within +-{TARGET_DEVIATION:.0%}). From the minimum CPU times (the usual estimate of a "
        "deterministic computation's cost, which drift between rounds can bias) the deviations "
        f"are {dev_min_r:.0%} and {dev_min_h:.0%}, and max/min is {ratio_r:.2f} and "
        f"{ratio_h:.2f}. Volume runs: 10-year horizon, first-time referrals "
        f"{first0:g} x R/{DEFAULT_TOTAL_REFERRALS:g} and establishment "
        f"{posts0:g} x R/{DEFAULT_TOTAL_REFERRALS:g} posts so caseloads stay realistic; "
        f"horizon runs: baseline ({load().warmup_years:g} warm-up years). "
        f"{cfg.scale_repeats} rounds. "
        "Times include setting up the replication (streams, initial case stock, posts). "
        f"**Machine drift**: the bare-SimPy queue ({YARDSTICK_ARRIVALS:,} arrivals), timed in the "
        f"same rounds, took {min(yardstick):.3f}-{max(yardstick):.3f} s of CPU, a spread of "
        f"{drift:.0%} between rounds."
        f"\n\n**Fixed cost.** A service of the smallest size ({idle.workforce.establishment_fte:g} "
        f"posts) with almost no referrals (1 a year) costs {fixed_s:.3f} s of CPU for the same "
        f"{idle.horizon_years + idle.warmup_years:g} years: {fixed_s / weeks * 1e6:.0f} µs per "
        "simulated week for the weekly organisational update, the month ends and the set-up. "
        f"Spread over the {smallest_label} run's referrals that is {fixed_share_us:.1f} µs per "
        "referral, which is why the smallest service costs more per referral"
        + (f"; from the second size up, max/min is {ratio_rest:.2f}." if len(us_r) > 2 else ".")
    )
    report.add("2. Cost against work", body)
    volume = "volume 1k-20k/yr" if not cfg.quick else "volume"
    report.verdict(
        f"us/referral within +-20% of the median size, {volume}",
        f"largest deviation {dev_r:.0%} (from minimum times {dev_min_r:.0%})",
        f"<= {TARGET_DEVIATION:.0%}",
        dev_r <= TARGET_DEVIATION,
    )
    report.verdict(
        f"  us/referral max/min, {volume} (informative)",
        f"{ratio_r:.2f}" + (f"; {ratio_rest:.2f} from the second size up" if len(us_r) > 2 else ""),
        "-",
        None,
    )
    report.verdict(
        "us/referral within +-20% of the median, horizon",
        f"largest deviation {dev_h:.0%} (max/min {ratio_h:.2f})",
        f"<= {TARGET_DEVIATION:.0%}",
        dev_h <= TARGET_DEVIATION,
    )
