"""Section 5: the headline sweep (12 arms x 100 replications x 10 years) with 2 workers,
measured on a subset and extrapolated, or run in full with ``--full-sweep``."""

from __future__ import annotations

from benchmarks.common import HEADLINE, ROOT, Config, Report, fmt, run_sim, table, warm_up_runner

HEADLINE_ARMS = 12
HEADLINE_REPLICATIONS = 100


def run(cfg: Config, report: Report) -> None:
    k = cfg.headline_replications
    warm_up_runner()
    t_subset, _ = run_sim(HEADLINE, k, 2)
    estimate = t_subset * HEADLINE_REPLICATIONS / k
    rows = [
        [
            f"{HEADLINE_ARMS} arms x {k} replications x 10 years, 2 workers (measured)",
            fmt(t_subset, 1),
            fmt(t_subset / 60, 2),
        ],
        [
            f"{HEADLINE_ARMS} x {HEADLINE_REPLICATIONS} x 10 years (linear extrapolation x{HEADLINE_REPLICATIONS / k:g})",
            fmt(estimate, 0),
            fmt(estimate / 60, 1),
        ],
    ]
    full = None
    if cfg.full_sweep:
        full, _ = run_sim(HEADLINE, HEADLINE_REPLICATIONS, 2)
        rows.append(
            [
                f"{HEADLINE_ARMS} x {HEADLINE_REPLICATIONS} x 10 years, 2 workers (measured in full)",
                fmt(full, 0),
                fmt(full / 60, 1),
            ]
        )
    report.raw["headline"] = {
        "subset_s": t_subset,
        "replications": k,
        "estimate_s": estimate,
        "full_s": full,
    }
    body = table(["run", "wall s", "minutes"], rows)
    body += (
        f"\n\n`sim.run('{HEADLINE.relative_to(ROOT)}', replications=..., workers=2, executor='process')`, "
        "tables assembled, no plots or report. The extrapolation scales the measured subset linearly, "
        "so it also multiplies the pool start-up and table assembly, which do not grow with the "
        "replications: a slight over-estimate."
    )
    report.add("5. Headline sweep on this machine", body)
    report.verdict(
        "headline sweep 12 x 100 x 10 y, 2 workers",
        f"{(full or estimate) / 60:.1f} min ({'measured' if full else 'extrapolated'})",
        "-",
        None,
    )
