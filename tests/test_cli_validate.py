"""`csc-sim validate` and `csc-sim schema`, run as a user would (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def csc_sim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    texts = {
        "good.yaml": "name: good\nworkforce:\n  establishment_fte: 125\n",
        "sweep.yaml": "name: sweep\ngrid:\n  intervention.duration_months: [6, 12, 18, 24]\n",
        "typo.yaml": "name: typo\nworkforce:\n  establishmnet_fte: 140\n",
        "tag.yaml": "name: !!python/object/apply:os.system ['echo pwned']\n",
        "badgrid.yaml": "grid:\n  intervention.duration_months: [6, -3]\n",
        "badrange.yaml": "uncertain:\n  workforce.establishment_fte: {low: 0, high: 10}\n",
    }
    found = {}
    for name, text in texts.items():
        found[name] = tmp_path / name
        found[name].write_text(text, encoding="utf-8")
    return found


def test_valid_files_exit_zero(files: dict[str, Path]) -> None:
    result = csc_sim("validate", str(files["good.yaml"]), str(files["sweep.yaml"]))
    assert result.returncode == 0, result.stderr
    assert f"OK {files['good.yaml']} (1 arm)" in result.stdout
    assert f"OK {files['sweep.yaml']} (4 arms)" in result.stdout
    assert result.stderr == ""


def test_invalid_files_exit_two_with_file_and_field(files: dict[str, Path]) -> None:
    names = ["good.yaml", "typo.yaml", "tag.yaml", "badgrid.yaml", "badrange.yaml"]
    result = csc_sim("validate", *(str(files[n]) for n in names))
    assert result.returncode == 2
    assert f"OK {files['good.yaml']}" in result.stdout
    err = result.stderr
    assert "Traceback" not in err + result.stdout
    assert "typo.yaml" in err and "workforce.establishmnet_fte" in err
    assert "did you mean 'establishment_fte'?" in err.lower()
    assert "tag.yaml" in err and "tags are not allowed" in err
    assert "badgrid.yaml" in err and "grid.intervention.duration_months" in err
    assert "badrange.yaml" in err and "uncertain.workforce.establishment_fte.low" in err
    assert "pwned" not in result.stdout
    assert err.count("Error: ") == 4


def test_missing_file_and_directory(tmp_path: Path) -> None:
    result = csc_sim("validate", str(tmp_path / "missing.yaml"), str(tmp_path))
    assert result.returncode == 2
    assert "missing.yaml" in result.stderr and "does not exist" in result.stderr
    assert "directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_prints_and_writes(tmp_path: Path) -> None:
    printed = csc_sim("schema")
    assert printed.returncode == 0
    assert "workforce" in json.loads(printed.stdout)["properties"]
    out = tmp_path / "scenario.schema.json"
    written = csc_sim("schema", "--out", str(out))
    assert written.returncode == 0
    assert json.loads(out.read_text()) == json.loads(printed.stdout)
    bad = csc_sim("schema", "--out", str(tmp_path / "no" / "such" / "dir.json"))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "cannot write" in bad.stderr
