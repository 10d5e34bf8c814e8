"""Section 1: one baseline replication against the engine's floor, a bare SimPy M/M/c queue
with the same number of arrivals (medians of interleaved repeats, CPU time)."""

from __future__ import annotations

from benchmarks.bare_simpy import mmc, mmc_callbacks, rates_for
from benchmarks.common import (
    BARE_SERVERS,
    BARE_UTILISATION,
    DAYS_PER_YEAR,
    SEED,
    Config,
    Report,
    Timing,
    fmt,
    interleaved,
    load,
    table,
)
from sim.model import simulate

TARGET_RATIO = 3.0
AIM_RATIO = 2.0


def run(cfg: Config, report: Report) -> None:
    scenario = load()
    years = scenario.horizon_years + scenario.warmup_years
    probe = simulate(scenario, SEED, 0)  # warms caches and fixes the work to match
    n = probe.n_referrals
    lam, mu = rates_for(n / (years * DAYS_PER_YEAR), BARE_SERVERS, BARE_UTILISATION)
    mmc(n, BARE_SERVERS, lam, mu, seed=SEED)
    results = interleaved(
        {
            "model": lambda: simulate(scenario, SEED, 0),
            "bare": lambda: mmc(n, BARE_SERVERS, lam, mu, seed=SEED),
            "callbacks": lambda: mmc_callbacks(n, BARE_SERVERS, lam, mu, seed=SEED),
        },
        cfg.repeats,
    )
    model, bare_t, cb_t = results["model"], results["bare"], results["callbacks"]
    out, bare, cb = model.value, bare_t.value, cb_t.value
    ratio = model.t / bare_t.t
    ratio_wall = model.t_wall / bare_t.t_wall
    report.raw["floor"] = {
        name: {"cpu": t.cpu, "wall": t.wall, "events": t.value.n_events}
        for name, t in results.items()
    } | {"n_referrals": n}
    report.raw["t_replication"] = model.t
    report.raw["t_replication_wall"] = model.t_wall

    def row(label: str, yrs: str, t: Timing) -> list[str]:
        events = t.value.n_events
        return [
            label,
            yrs,
            fmt(n, 0),
            fmt(events, 0),
            fmt(t.t, 3),
            fmt(min(t.cpu), 3),
            fmt(t.t_wall, 3),
            fmt(events / t.t / 1e3, 0),
            fmt(t.t / n * 1e6, 1),
            fmt(t.t / bare_t.t, 2),
        ]

    rows = [
        row("model: baseline replication", f"{years:g}", model),
        row(f"bare SimPy M/M/{BARE_SERVERS} (idiomatic: the floor)", "-", bare_t),
        row(f"bare SimPy M/M/{BARE_SERVERS}, callback style", "-", cb_t),
    ]
    header = [
        "run",
        "years",
        "referrals / arrivals",
        "events",
        "median CPU s",
        "min CPU s",
        "median wall s",
        "k events/s",
        "us per referral",
        "x floor",
    ]
    body = table(header, rows)
    body += (
        f"\n\n**Ratio model / bare SimPy: {ratio:.2f}x** in CPU time ({ratio_wall:.2f}x in wall time; "
        f"target <= {TARGET_RATIO:g}x, aim {AIM_RATIO:g}x); median of {cfg.repeats} interleaved repeats "
        "each, same seed and replication every time. The floor is the textbook SimPy queue "
        "(`benchmarks/bare_simpy.py:mmc`): a Poisson source process, a process per customer, "
        f"`simpy.Resource(capacity={BARE_SERVERS})` request/hold/release, exponential service, "
        f"`random.expovariate`; arrival rate {lam:.2f}/day (the model's referrals per day), service rate "
        f"{mu:.3f}/day, utilisation {BARE_UTILISATION}, mean wait {bare.mean_wait:.3f} days. It schedules "
        f"{bare.n_events / n:.2f} events per customer; the model {out.n_events / n:.2f} per referral. "
        f"The callback-style queue (`mmc_callbacks`: the same queue and the same variates, with timeouts "
        f"carrying callbacks as the model does, no processes and no Resource) needs "
        f"{cb.n_events / n:.2f} events per customer and {cb_t.t / bare_t.t:.2f}x the floor's time: that "
        "is what scheduling by callbacks saves on identical work, and the model spends the rest on "
        "its own logic (see the profile in `benchmarks/README.md`)."
    )
    report.add(f"1. One replication against bare SimPy ({years:g} simulated years)", body)
    report.verdict(
        "model / bare SimPy time",
        f"{ratio:.2f}x",
        f"<= {TARGET_RATIO:g}x (aim {AIM_RATIO:g}x)",
        ratio <= TARGET_RATIO,
    )
