"""Hostile YAML: tags, duplicate keys, alias bombs, size, shape and syntax (DESIGN §8)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sim.scenario.errors import ScenarioError
from sim.scenario.yaml_safe import MAX_BYTES, load_yaml_file, parse_yaml

Writer = Callable[[str, str], Path]


def refused(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_yaml(text, "hostile.yaml")
    assert info.value.file == "hostile.yaml"
    assert "hostile.yaml" in info.value.message
    return info.value


def test_plain_mapping_loads() -> None:
    assert parse_yaml("name: x\nworkforce:\n  establishment_fte: 120\n", "f.yaml") == {
        "name": "x",
        "workforce": {"establishment_fte": 120},
    }


def test_duplicate_key_names_key_and_lines() -> None:
    err = refused("name: a\nworkforce:\n  caseload_cap: 20\n  caseload_cap: 25\n")
    assert "'caseload_cap' appears twice" in err.message
    assert "line 3" in err.message and "line 4" in err.message


def test_duplicate_top_level_key() -> None:
    assert "'name' appears twice" in refused("name: a\nseed: 1\nname: b\n").message


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo pwned']\n",
        "a: !!python/object:builtins.dict {}\n",
        "a: !foo 5\n",
        "a: !!str 5\n",
        "!!map {a: 1}\n",
        "a: !!binary aGVsbG8=\n",
    ],
)
def test_any_explicit_tag_is_refused(text: str) -> None:
    err = refused(text)
    assert "tags are not allowed" in err.message
    assert "line 1" in err.message


def test_python_tag_is_named_as_written() -> None:
    assert (
        "'!!python/object/apply:os.system'"
        in refused("a: !!python/object/apply:os.system [x]\n").message
    )


def test_billion_laughs_is_refused() -> None:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [{','.join(['*' + prev] * 9)}]\n"
    assert "aliases" in refused(text).message


def test_alias_bomb_with_few_aliases_is_refused_by_expanded_size() -> None:
    text = "a: &a [1,2,3,4,5,6,7,8,9,10]\n"
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        text += f"{name}: &{name} [{','.join(['*' + prev] * 6)}]\n"
    assert "expands to more than" in refused(text).message


def test_self_referencing_anchor_is_refused() -> None:
    assert "alias to itself" in refused("a: &a [1, *a]\n").message


def test_a_few_aliases_are_fine() -> None:
    data = parse_yaml("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\nd: *b\n", "f.yaml")
    assert data["c"] == {"x": 1, "y": 2} and data["d"] == {"x": 1}


def test_deep_nesting_is_refused() -> None:
    assert "nested more than" in refused("a: " + "[" * 200 + "]" * 200 + "\n").message


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: 1\n b: 2\n", "line 2, column 3"), ("a: [1, 2\nb: 3\n", "line 2"), ("a: 'x\n", "line 2")],
)
def test_broken_yaml_reports_line_and_column(text: str, line: str) -> None:
    err = refused(text)
    assert "the YAML is broken" in err.message
    assert line in err.message


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file_is_refused(text: str) -> None:
    assert "the file is empty" in refused(text).message


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n- b\n", "a list"), ("hello\n", "a single value")]
)
def test_top_level_must_be_a_mapping(text: str, kind: str) -> None:
    err = refused(text)
    assert kind in err.message and "must be a mapping" in err.message


def test_several_documents_are_refused() -> None:
    assert "another document" in refused("a: 1\n---\nb: 2\n").message


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: [" + "1," * (MAX_BYTES // 2) + "1]\n")
    with pytest.raises(ScenarioError, match="limited to") as info:
        load_yaml_file(path)
    assert str(path) in info.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="does not exist") as info:
        load_yaml_file(tmp_path / "nope.yaml")
    assert "nope.yaml" in info.value.message


def test_missing_file_suggests_a_close_name(write: Writer) -> None:
    path = write("baseline.yaml", "name: x\n")
    with pytest.raises(ScenarioError, match="Did you mean") as info:
        load_yaml_file(path.parent / "baselin.yaml")
    assert "baseline.yaml" in info.value.message


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="directory"):
        load_yaml_file(tmp_path)


def test_non_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(ScenarioError, match="UTF-8"):
        load_yaml_file(path)
