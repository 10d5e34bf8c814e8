"""Section 3: the speed-up of 2 worker processes over 1 (``sim.run``, process executor)."""

from __future__ import annotations

from benchmarks.common import Config, Report, fmt, load, run_sim, table, warm_up_runner

TARGET_SPEEDUP = 1.8


def run(cfg: Config, report: Report) -> None:
    scenario = load()
    n = cfg.parallel_replications
    warm_up_runner()
    t1s, t2s = [], []
    for _ in range(cfg.parallel_repeats):  # alternately, so a slow spell hits both
        t1s.append(run_sim(scenario, n, 1)[0])
        t2, results = run_sim(scenario, n, 2)
        t2s.append(t2)
    t1, t2 = min(t1s), min(t2s)
    speedup = t1 / t2
    report.raw["parallel"] = {"t1": t1s, "t2": t2s}
    rows = [
        ["1 worker", fmt(t1, 1), fmt(t1 / n, 3), "1.00"],
        ["2 workers", fmt(t2, 1), fmt(t2 / n, 3), fmt(speedup, 2)],
    ]
    body = table(["sim.run(executor='process')", "wall s", "s per replication", "speed-up"], rows)
    reference = ""
    if "t_replication_wall" in report.raw:
        ideal = n * report.raw["t_replication_wall"]
        reference = (
            f" For reference, {n} x the in-process median wall time of section 1 is {ideal:.1f} s, so the "
            f"1-worker run carries {t1 / ideal - 1:+.0%} overhead and the ideal 2-worker time is "
            f"{ideal / 2:.1f} s."
        )
    body += (
        f"\n\n**Speed-up of 2 workers over 1: {speedup:.2f}x** (target >= {TARGET_SPEEDUP}x) on {n} baseline "
        f"replications ({scenario.horizon_years:g} years + {scenario.warmup_years:g} warm-up), results assembled in memory (`out=None`). Wall time "
        f"includes starting the pool (start method `{results.manifest.get('start_method')}`), pickling, "
        f"and writing and reading back the tables. Each run {cfg.parallel_repeats} times, "
        f"alternately; the shortest wall time of each (1 worker: "
        f"{', '.join(f'{t:.1f}' for t in t1s)} s; 2 workers: {', '.join(f'{t:.1f}' for t in t2s)} s)."
        f"{reference}"
    )
    report.add("3. Parallel speed-up", body)
    report.verdict(
        f"speed-up 2 workers / 1 ({n} replications)",
        f"{speedup:.2f}x",
        f">= {TARGET_SPEEDUP}x",
        speedup >= TARGET_SPEEDUP,
    )
