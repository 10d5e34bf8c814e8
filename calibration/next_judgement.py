"""The next graded judgement after an inadequate one, from the troubled start, by re-inspection
rule: the grade mix and the months to it (docs/calibration.md, "The mechanism mend").

Run: ``python calibration/next_judgement.py [--replications 40] [--horizon-years 8]``.
Each arm runs the same seeds (common random numbers). The record (calibration/targets.csv, from
data/ofsted/): of 15 LAs re-inspected after an inadequate ILACS judgement, 6 good or better, 7
requires improvement, 2 inadequate; none re-graded sooner than 29.9 months (mean 43.8).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from sim.model.equations import DAYS_PER_MONTH
from sim.model.simulation import LocalAuthority
from sim.scenario.loader import apply_overrides, load_scenario

TROUBLED = Path(__file__).parent.parent / "scenarios" / "reference" / "troubled.yaml"

#: Arm label -> overrides of the troubled reference.
ARMS: dict[str, dict[str, object]] = {
    "fixed (24 months)": {},
    "when_ready": {"inspection.reinspection": "when_ready"},
    "when_ready + notice + escalation": {
        "inspection.reinspection": "when_ready",
        "ladder.notice": "until_not_inadequate",
        "ladder.escalation": True,
    },
}


def next_judgement(overrides: dict[str, object], replications: int, horizon_years: float) -> dict:
    """Grade counts of the first graded judgement after the start, and its months (quantiles)."""
    scenario = apply_overrides(
        load_scenario(TROUBLED), {**overrides, "horizon_years": horizon_years}
    )
    grades, months, trusts, directions = [], [], 0, 0
    for replication in range(replications):
        la = LocalAuthority.alone(scenario, scenario.seed, replication)
        out = la.run()
        after = [(t, g) for t, g in la.inspectorate.history if t > la.warmup]
        if after:
            grade = after[0][1]
            grades.append(2 if grade <= 2 else grade)
            months.append((after[0][0] - la.warmup) / DAYS_PER_MONTH)
        directions += int(out.events["directions"])
        trusts += int(out.events["trusts"])
    m = np.array(months)
    return {
        "judged": len(grades),
        "good+": grades.count(2),
        "RI": grades.count(3),
        "inadequate": grades.count(4),
        "min_months": float(m.min()) if m.size else np.nan,
        "mean_months": float(m.mean()) if m.size else np.nan,
        "max_months": float(m.max()) if m.size else np.nan,
        "directions": directions,
        "trusts": trusts,
    }


def main() -> None:
    """Print one row per arm."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=40)
    parser.add_argument("--horizon-years", type=float, default=8.0)
    args = parser.parse_args()
    print(f"troubled start, {args.replications} replications, {args.horizon_years:g} years")
    print("arm | judged | good+ | RI | inadequate | months min / mean / max | directions | trusts")
    for label, overrides in ARMS.items():
        r = next_judgement(overrides, args.replications, args.horizon_years)
        print(
            f"{label} | {r['judged']} | {r['good+']} | {r['RI']} | {r['inadequate']} | "
            f"{r['min_months']:.1f} / {r['mean_months']:.1f} / {r['max_months']:.1f} | "
            f"{r['directions']} | {r['trusts']}"
        )
    print("record (ILACS 2018-2025) | 15 | 6 | 7 | 2 | 29.9 / 43.8 / - | - | -")


if __name__ == "__main__":
    main()
