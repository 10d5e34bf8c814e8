"""The report of a regression check: per-scenario verdicts and the table of what drifted."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.analysis.regression_checks import (
    DRIFT_COLUMNS,
    RULE_EXACT,
    RULE_STATISTICAL,
    STATUS_DRIFT,
    STATUS_OK,
    STATUS_SKIPPED,
    ExactResult,
)


@dataclass
class ScenarioCheck:
    """The regression check of one reference scenario."""

    scenario: str
    replications: int = 0
    seconds: float = 0.0
    exact: ExactResult = field(default_factory=lambda: ExactResult("skipped: not run", ""))
    statistics: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(DRIFT_COLUMNS))
    )
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def drifted(self) -> pd.DataFrame:
        """Rows of the statistical check that drifted."""
        return self.statistics.loc[self.statistics["status"].str.startswith(STATUS_DRIFT)]

    @property
    def passed(self) -> bool:
        """No error, no exact mismatch, no statistical drift."""
        return self.error is None and not self.exact.failed and self.drifted.empty

    def line(self) -> str:
        """One line: the verdict of both checks."""
        if self.error:
            return f"{self.scenario}: FAILED - {self.error}"
        counts = self.statistics["status"].str.split(":").str[0].value_counts()
        stat = ", ".join(
            f"{counts.get(s, 0)} {s}" for s in (STATUS_OK, STATUS_DRIFT, STATUS_SKIPPED)
        )
        return (
            f"{self.scenario}: exact {self.exact.status} ({self.exact.detail}); statistical {stat} "
            f"[{self.replications} replications, {self.seconds:.1f} s]"
        )


@dataclass
class RegressionReport:
    """All scenario checks of one ``regress`` run."""

    reference_dir: Path
    checks: list[ScenarioCheck]
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Every scenario passed."""
        return all(check.passed for check in self.checks)

    def drift_table(self) -> pd.DataFrame:
        """What drifted: exact mismatches and statistical drift, columns :data:`DRIFT_COLUMNS`."""
        rows: list[pd.DataFrame] = []
        for check in self.checks:
            if check.exact.mismatches:
                rows.append(pd.DataFrame(check.exact.mismatches, columns=list(DRIFT_COLUMNS)))
            if not check.drifted.empty:
                rows.append(check.drifted)
        if not rows:
            return pd.DataFrame(columns=list(DRIFT_COLUMNS))
        return pd.concat(rows, ignore_index=True)

    def render(self, all_rows: bool = False) -> str:
        """The report as text: rules, one line per scenario, then the table of drift."""
        lines = [
            f"Regression check against {self.reference_dir}",
            f"  {RULE_EXACT}",
            f"  {RULE_STATISTICAL}",
            "",
        ]
        lines += [check.line() for check in self.checks]
        lines += [f"Note: {note}" for check in self.checks for note in check.notes]
        lines += [f"Note: {note}" for note in self.notes]
        table = (
            pd.concat([c.statistics for c in self.checks], ignore_index=True)
            if all_rows
            else self.drift_table()
        )
        if not table.empty:
            lines += ["", "All comparisons:" if all_rows else "Drifted:", format_table(table)]
        lines += [
            "",
            "PASS: no drift."
            if self.passed
            else "FAIL: results drifted from the blessed references.",
        ]
        return "\n".join(lines)


def format_table(table: pd.DataFrame) -> str:
    """A plain-text table with numbers to 6 significant figures."""
    shown = table.copy()
    for column in ("reference", "new", "difference", "allowed"):
        shown[column] = [_fmt(v) for v in shown[column]]
    return shown.to_string(index=False)


def _fmt(value: object) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    return "" if number != number else f"{number:.6g}"
