"""`csc-sim run` options as a user meets them: --set equals a file that sets the value, a bad
--set path exits 2 with the nearest name, and a run whose output is not a terminal prints plain
progress lines (CI logs are not silent)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

from tests.experiment.helpers import write_scenario


def csc_sim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command in a subprocess: stdout and stderr are pipes, not a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "sim.cli", *args],
        capture_output=True, text=True, cwd=cwd, timeout=300,
    )  # fmt: skip


def test_set_equals_a_file_that_sets_it(tmp_path: Path) -> None:
    base = write_scenario(tmp_path, replications=2, durations=None)
    written = tmp_path / "set18.yaml"
    written.write_text(base.read_text() + "  duration_months: 18\n", encoding="utf-8")
    by_flag = csc_sim(
        "run", str(base), "--set", "intervention.duration_months=18", "--out", "flag",
        "--no-report", "--workers", "1", cwd=tmp_path,
    )  # fmt: skip
    assert by_flag.returncode == 0, by_flag.stderr
    by_file = csc_sim(
        "run", str(written), "--out", "file", "--no-report", "--workers", "1", cwd=tmp_path
    )
    assert by_file.returncode == 0, by_file.stderr
    flag = pd.read_parquet(tmp_path / "flag" / "timeseries.parquet")
    file = pd.read_parquet(tmp_path / "file" / "timeseries.parquet")
    pd.testing.assert_frame_equal(flag, file, check_exact=True)
    # and the value really is different from the file's own (12 months by default)
    unset = csc_sim(
        "run", str(base), "--out", "unset", "--no-report", "--workers", "1", cwd=tmp_path
    )
    assert unset.returncode == 0
    other = pd.read_parquet(tmp_path / "unset" / "timeseries.parquet")
    assert not other["change_team_fte"].equals(flag["change_team_fte"])


def test_bad_set_path_exits_2_with_the_nearest_name(tmp_path: Path) -> None:
    base = write_scenario(tmp_path, replications=1, durations=None)
    done = csc_sim("run", str(base), "--set", "intervention.duration_monts=18", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "Did you mean 'intervention.duration_months'?" in done.stderr
    assert not (tmp_path / "results").exists()


def test_non_terminal_run_prints_progress_lines(tmp_path: Path) -> None:
    base = write_scenario(tmp_path, replications=5, durations=(6, 24))
    done = csc_sim("run", str(base), "--out", "out", "--no-report", "--workers", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("small: ")]
    assert lines[0] == "small: started: 10 replications"
    shares = [int(s) for s in re.findall(r"\((\d+)%\)", "\n".join(lines))]
    # replications arrive in chunks (several per update), so some 10% steps share a line
    assert shares == sorted(shares) and shares[-1] == 100 and len(shares) >= 3
    assert any("s left" in line for line in lines)


def test_workers_default_to_the_cores_capped_by_the_runs(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import sim.cli as cli

    monkeypatch.setattr(cli, "available_cores", lambda: 4)
    assert cli.choose_workers(None, 100) == 4
    assert cli.choose_workers(None, 3) == 3  # no idle workers for a small run
    assert capsys.readouterr().err == ""
    assert cli.choose_workers(8, 100) == 8
    assert "Warning: --workers 8 is more than the 4 core(s) available" in capsys.readouterr().err
