"""The outcome of a sensitivity run: tables, the terminal summary, and the output folder."""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.reference_store import replace_folder
from sim.analysis.robustness import flip_summary
from sim.analysis.sensitivity_indices import RANK_INDEX, Problem, tornado_plot
from sim.experiment.manifest import dependency_versions, git_commit, now_iso, package_version

SENSITIVITY_CSV, ROBUSTNESS_CSV, SAMPLES_CSV = "sensitivity.csv", "robustness.csv", "samples.csv"
TORNADO_PNG, MANIFEST_JSON = "tornado.png", "manifest.json"
PathLike = str | os.PathLike[str]


@dataclass
class SensitivityResult:
    """Everything a sensitivity run found (see the module docstring for the tables)."""

    scenario: str
    method: str
    samples: int
    replications: int
    seed: int
    problem: Problem
    arms: list[str]
    points: np.ndarray
    outcome_names: list[str]
    outcomes: np.ndarray
    indices: pd.DataFrame
    robustness: pd.DataFrame
    seconds: float
    out: Path | None = None

    @property
    def tasks(self) -> int:
        """Replications simulated."""
        return len(self.points) * len(self.arms) * self.replications

    def samples_table(self) -> pd.DataFrame:
        """One row per sample point x arm: parameter values, then outcome means."""
        rows = []
        for p, values in enumerate(self.points):
            for a, arm in enumerate(self.arms):
                rows.append(
                    {
                        "point": p,
                        "arm": arm,
                        **dict(zip(self.problem.paths, map(float, values), strict=True)),
                        **dict(
                            zip(self.outcome_names, map(float, self.outcomes[p, a]), strict=True)
                        ),
                    }
                )
        return pd.DataFrame(rows)

    def headline(self) -> str:
        """A few lines for the terminal: the design, the top parameters and the page's path."""
        lines = self.render().splitlines()
        main = self.outcome_names[0]
        arm = "all" if len(self.arms) > 1 else self.arms[0]
        index = RANK_INDEX[self.method]
        top = self.indices.loc[(self.indices["outcome"] == main) & (self.indices["arm"] == arm)]
        names = top.sort_values(index, ascending=False)["parameter"].astype(str).head(3)
        text = [lines[0], f"Moves {main} most: {', '.join(names)}."]
        if self.out is not None:
            text.append(f"Report (tornado, rankings, robustness): {self.out / 'report.html'}")
        return "\n".join(text)

    def render(self) -> str:
        """Text for the terminal: the design, the top parameters, and the robustness table."""
        main = self.outcome_names[0]
        arm = "all" if len(self.arms) > 1 else self.arms[0]
        index = RANK_INDEX[self.method]
        top = self.indices.loc[(self.indices["outcome"] == main) & (self.indices["arm"] == arm)]
        top = top.sort_values(index, ascending=False)
        lines = [
            f"Sensitivity of '{self.scenario}' ({self.method}): {len(self.points)} sample points x "
            f"{len(self.arms)} arms x {self.replications} replications = {self.tasks} runs in {self.seconds:.0f} s.",
            f"Parameters ranked by {index} for {main} ({'mean over arms' if arm == 'all' else arm}):",
        ]
        lines += [
            f"  {row['rank']:>3.0f}. {row['parameter']}: {row[index]:.4g}"
            for _, row in top.iterrows()
        ]
        lines += [f"Note: {note}" for note in self.problem.notes]
        summary = flip_summary(self.robustness) if not self.robustness.empty else pd.DataFrame()
        if summary.empty:
            lines.append("Decision robustness: one arm only, nothing to compare.")
        else:
            shown = summary.copy()
            for column in ("holds", "tied", "worse"):
                shown[column] = shown[column].map(lambda v: f"{v:.2f}")
            lines += [
                "",
                "Decision robustness: share of sample points where the arm beats its comparator:",
                shown.to_string(index=False),
            ]
        if self.out is not None:
            lines += [
                "",
                f"Wrote {self.out}/ ({SENSITIVITY_CSV}, {ROBUSTNESS_CSV}, {TORNADO_PNG}, {SAMPLES_CSV}, {MANIFEST_JSON})",
                f"Report: {self.out / 'report.html'}",
            ]
        return "\n".join(lines)

    def save(self, out: PathLike, source: str, horizon_years: float | None) -> Path:
        """Write the outputs into ``out`` (replaced whole, via a staging folder)."""
        target = Path(out)
        staging = target.with_name(f".{target.name}.staging")
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        self.indices.to_csv(staging / SENSITIVITY_CSV, index=False)
        self.robustness.to_csv(staging / ROBUSTNESS_CSV, index=False)
        self.samples_table().to_csv(staging / SAMPLES_CSV, index=False)
        arm = "all" if len(self.arms) > 1 else self.arms[0]
        subtitle = f"\n{self.method}, {self.samples} { {'morris': 'trajectories', 'sobol': 'base samples'}.get(self.method, 'posterior draws') }, {self.replications} replication(s)"
        tornado_plot(
            self.indices, self.method, self.outcome_names[0], arm, staging / TORNADO_PNG, subtitle
        )
        manifest = {
            "scenario": self.scenario,
            "source": source,
            "method": self.method,
            "samples": self.samples,
            "sample_points": len(self.points),
            "arms": self.arms,
            "replications": self.replications,
            "seed": self.seed,
            "runs": self.tasks,
            "horizon_years_override": horizon_years,
            "outcomes": self.outcome_names,
            "parameters": [
                {"path": p, "low": lo, "high": hi, "distribution": d}
                for p, lo, hi, d in zip(
                    self.problem.paths,
                    self.problem.lows,
                    self.problem.highs,
                    self.problem.distributions,
                    strict=True,
                )
            ],
            "notes": self.problem.notes,
            "wall_seconds": round(self.seconds, 3),
            "finished": now_iso(),
            "package_version": package_version(),
            "git_commit": git_commit(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "dependencies": {**dependency_versions(), "SALib": _salib_version()},
        }
        (staging / MANIFEST_JSON).write_text(
            json.dumps(manifest, indent=2) + "\n", encoding="utf-8"
        )
        from sim.analysis.sensitivity_page import write_sensitivity_page

        write_sensitivity_page(self, staging)
        replace_folder(staging, target)
        self.out = target
        return target


def _salib_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("SALib")
    except PackageNotFoundError:
        return None
