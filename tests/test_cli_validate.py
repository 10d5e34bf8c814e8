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
        "sweep.yaml": "name: sweep\nintervention:\n  trigger: inadequate\n"
        "grid:\n  intervention.duration_months: [6, 12, 18, 24]\n",
        "inert.yaml": "name: inert\ngrid:\n  intervention.duration_months: [6, 12]\n",
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


def test_settings_that_do_nothing_are_warned_about(files: dict[str, Path]) -> None:
    result = csc_sim("validate", str(files["inert.yaml"]))
    assert result.returncode == 0 and f"OK {files['inert.yaml']} (2 arms)" in result.stdout
    assert result.stderr.startswith(f"Warning: {files['inert.yaml']}: The sweep varies ")
    assert "intervention.trigger is 'none'" in result.stderr
    fixed = csc_sim("validate", str(files["inert.yaml"]), "--set", "intervention.trigger=at_start")
    assert fixed.returncode == 0 and fixed.stderr == ""


def test_reference_and_labels_must_name_arms(files: dict[str, Path]) -> None:
    sweep = str(files["sweep.yaml"])
    ok = csc_sim("validate", sweep, "--set", "reference=duration_months=12")
    assert ok.returncode == 0, ok.stderr
    bad = csc_sim("validate", sweep, "--set", "reference=duration-months=12")
    assert bad.returncode == 2 and "field 'reference'" in bad.stderr
    assert "Did you mean 'duration_months=12'?" in bad.stderr
    label = csc_sim("validate", sweep, "--set", "labels={intervention.duration_monts: {6: six}}")
    assert label.returncode == 2 and "labels.intervention.duration_monts" in label.stderr


def test_set_is_validated_like_a_field(files: dict[str, Path]) -> None:
    good = csc_sim("validate", str(files["good.yaml"]), "--set", "workforce.establishment_fte=140")
    assert good.returncode == 0, good.stderr
    typo = csc_sim("validate", str(files["good.yaml"]), "--set", "intervention.duration_monts=18")
    assert typo.returncode == 2 and "Traceback" not in typo.stderr
    assert typo.stderr.startswith("Error: --set intervention.duration_monts: ")
    assert "Did you mean 'intervention.duration_months'?" in typo.stderr
    small = csc_sim("validate", str(files["good.yaml"]), "--set", "intervention.duration_months=0")
    assert small.returncode == 2 and "must be more than 0" in small.stderr
    shape = csc_sim("validate", str(files["good.yaml"]), "--set", "nonsense")
    assert shape.returncode == 2 and shape.stderr.startswith(
        "Error: --set: 'nonsense' is not PATH=VALUE."
    )


def test_flag_errors_share_one_style(files: dict[str, Path]) -> None:
    for args, start in (
        (["run", str(files["good.yaml"]), "--workers", "abc"], "Error: --workers: 'abc'"),
        (
            ["run", str(files["good.yaml"]), "--replicatons", "2"],
            "Error: --replicatons: no such option",
        ),
        (["run", str(files["good.yaml"]), "--executor", "bogus"], "Error: --executor: 'bogus'"),
    ):
        result = csc_sim(*args)
        assert result.returncode == 2, args
        assert result.stderr.startswith(start), result.stderr
        assert result.stderr.count("\n") == 1 and "Usage:" not in result.stderr
    assert "Did you mean --replications?" in csc_sim("run", "x", "--replicatons", "2").stderr


#: Longest word allowed in help text: it fits the option column at 70 columns (70 - 34 = 36).
LONGEST_HELP_WORD = 32


def _help_text(name: str) -> str:
    """``csc-sim [name] --help`` as click renders it in this process (width from ``COLUMNS``)."""
    import click

    from sim.cli import main

    root = click.Context(main, info_name="python -m sim.cli", **main.context_settings)
    if not name:
        return main.get_help(root) + "\n"
    command = main.commands[name]
    return command.get_help(click.Context(command, info_name=name, parent=root)) + "\n"


@pytest.mark.parametrize("width", [70, 100])
def test_help_never_wraps_inside_a_word(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command's help, at ``COLUMNS=width``, shows each word of its help texts whole.

    The help is rendered in this process (one subprocess per command took ~35 s); that it is
    what a user's ``python -m sim.cli NAME --help`` prints is checked for one command, ``run``
    (the longest help), in a real subprocess at the same width.
    """
    import os

    import click

    from sim.cli import main

    monkeypatch.setenv("COLUMNS", str(width))
    for name, command in [("", main), *sorted(main.commands.items())]:
        texts = [command.help or ""] + [
            str(p.help or "") for p in command.params if isinstance(p, click.Option)
        ]
        words = {w.strip(".,;:()'\"") for t in texts for w in t.split()} - {""}
        shown = {w.strip(".,;:()'\"") for w in _help_text(name).split()}
        assert max(map(len, words), default=0) <= LONGEST_HELP_WORD, (name, words)
        broken = sorted(w for w in words if w not in shown)
        assert not broken, (name, width, broken)
    real = subprocess.run(
        [sys.executable, "-m", "sim.cli", "run", "--help"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "COLUMNS": str(width)},
    )  # fmt: skip
    assert real.returncode == 0 and real.stdout == _help_text("run")


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
