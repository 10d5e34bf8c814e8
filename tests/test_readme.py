"""README.md's code is real: its Python blocks run, its shell commands name real commands.

The fenced ``python`` blocks are executed as written, in a temporary folder holding a copy of
``scenarios/`` whose reference scenarios are cut to a one-year horizon (each copy ``extends:``
the repository's file, so every field but the horizon is the real one): the code is the README's,
only the run is short. The fenced ``bash`` blocks are not run (some take minutes); every
``csc-sim`` command in them must be a real subcommand, every flag it uses one that subcommand
takes, every scenario file it names must exist, and ``pip install`` extras must be declared.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import click
import pytest

from sim.cli import main

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
#: The README's runs are cut to this horizon (years), and warm-up, to keep the test to seconds.
SHORT_HORIZON_YEARS = 1
SHORT_WARMUP_YEARS = 0.25

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[tuple[int, str]]:
    """The fenced blocks of README.md in ``language``, with the line each starts on."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        if match.group(1) == language:
            found.append((text[: match.start()].count("\n") + 2, match.group(2)))
    return found


def shell_commands(block: str) -> list[list[str]]:
    """Commands of a shell block: continuation lines joined, comments dropped, ``&&`` split."""
    joined = re.sub(r"\\\n", " ", block)
    commands = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        current: list[str] = []
        for word in [*words, "&&"]:
            if word in ("&&", "||", ";"):
                if current:
                    commands.append(current)
                current = []
            else:
                current.append(word)
    return commands


def _short_scenarios(folder: Path) -> None:
    """Copy ``scenarios/`` into ``folder``, with the reference scenarios on a short horizon."""
    shutil.copytree(REPO / "scenarios", folder / "scenarios")
    for original in sorted((REPO / "scenarios" / "reference").glob("*.yaml")):
        copy = folder / "scenarios" / "reference" / original.name
        copy.write_text(
            f"extends: {original}\nhorizon_years: {SHORT_HORIZON_YEARS}\n"
            f"warmup_years: {SHORT_WARMUP_YEARS}\n",
            encoding="utf-8",
        )


def test_readme_has_python_and_shell_examples() -> None:
    assert blocks("python"), "README.md has no python block"
    assert any("csc-sim" in block for _, block in blocks("bash"))


@pytest.mark.parametrize(("line", "code"), blocks("python"), ids=lambda v: str(v)[:12])
def test_python_block_runs(
    line: int, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each python block runs without error, in a fresh namespace, from a temporary folder."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    _short_scenarios(tmp_path)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__readme__"}
    exec(compile(code, f"{README}:{line}", "exec"), namespace)  # noqa: S102
    if "results" in namespace:  # the API example saves a results folder: it must be loadable
        assert (tmp_path / "results" / "my-run").is_dir()


def _csc_sim_commands() -> list[tuple[int, list[str]]]:
    found = []
    for line, block in blocks("bash"):
        for words in shell_commands(block):
            if words[0] == "csc-sim":
                found.append((line, words[1:]))
    return found


@pytest.mark.parametrize(("line", "args"), _csc_sim_commands(), ids=lambda v: str(v)[:40])
def test_csc_sim_command_exists(line: int, args: list[str]) -> None:
    """Every csc-sim subcommand and flag the README uses exists; scenario files exist too."""
    assert isinstance(main, click.Group)
    command = main.commands.get(args[0]) if args else None
    assert command is not None, f"README.md:{line}: no csc-sim subcommand {args[:1]}"
    flags = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    with click.Context(command, info_name=args[0]) as ctx:
        command.parse_args(ctx, list(args[1:]))  # raises click.UsageError on a wrong flag
    for word in args[1:]:
        if word.startswith("-"):
            assert word.split("=")[0] in flags, f"README.md:{line}: {args[0]} has no {word}"
        elif word.endswith((".yaml", ".yml")):
            assert (REPO / word).is_file(), f"README.md:{line}: {word} does not exist"


def test_pip_extras_exist() -> None:
    """``pip install -e ".[dev]"`` in the README names extras pyproject.toml declares."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    named = {
        extra
        for _, block in blocks("bash")
        for words in shell_commands(block)
        for word in words
        for extra in re.findall(r"\[([\w,-]+)\]", word)
    }
    assert named, "no extras named"
    for group in named:
        for extra in group.split(","):
            assert extra in extras, f"README.md names extra '{extra}', not in pyproject.toml"
