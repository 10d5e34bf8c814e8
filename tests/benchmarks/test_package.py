"""The benchmark package holds together: sections, probes run with ``python -m``, the report.

The full benchmark takes ~15 minutes and is not run here; these checks are cheap (a probe on a
one-month scenario, argument parsing, rendering).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import run
from benchmarks.child import run_probe
from benchmarks.common import Config, Report
from benchmarks.machine import machine

REPO = Path(__file__).resolve().parents[2]


def test_every_section_is_a_module_with_a_run_function_in_report_order() -> None:
    assert list(run.SECTIONS) == ["floor", "scaling", "parallel", "memory", "headline", "blocks"]
    for name, fn in run.SECTIONS.items():
        assert fn.__module__ == f"benchmarks.sections.{name}"


def test_render_keeps_the_sections_of_results_md() -> None:
    """A report rendered from sections carries the headings results.md has, in its order."""
    report = Report(machine={"CPU": "test"})
    committed = [
        line
        for line in (REPO / "benchmarks" / "results.md").read_text().splitlines()
        if line.startswith("## ")
    ]
    for heading in committed:
        if heading not in ("## Machine", "## Summary", "## Conditions"):
            report.add(heading.removeprefix("## "), "body")
    report.verdict("model / bare SimPy time", "1.50x", "<= 3x", True)
    text = run.render(report, Config.make(quick=True, full_sweep=False), seconds=60.0)
    assert [line for line in text.splitlines() if line.startswith("## ")] == committed
    assert "| model / bare SimPy time | 1.50x | <= 3x | yes |" in text


def test_machine_uses_the_manifest_git_capture() -> None:
    from sim.experiment.manifest import git_commit

    described = machine()
    commit = git_commit()
    assert described["Git commit"].startswith(commit[:12] if commit else "unknown")
    assert described["Cores (logical)"].isdigit()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_one_replication_probe_runs_as_a_module(tmp_path: Path) -> None:
    scenario = tmp_path / "tiny.yaml"
    baseline = REPO / "scenarios" / "reference" / "baseline.yaml"
    scenario.write_text(f"extends: {baseline}\nhorizon_years: 0.1\nwarmup_years: 0\n")
    found = run_probe("benchmarks.probes.one_replication", str(scenario), "1", timeout=120)
    assert found["n_referrals"] > 0
    assert found["after_kb"] >= found["before_kb"] > 0


def test_unknown_section_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--only", "flor"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "unknown section(s): flor" in done.stderr
