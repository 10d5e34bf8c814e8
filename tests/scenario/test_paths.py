"""Dotted paths, nearest names and the small dict helpers."""

from __future__ import annotations

import pytest

from sim.scenario.errors import ScenarioError
from sim.scenario.paths import (
    deep_merge,
    describe_type,
    format_value,
    is_numeric,
    resolve_path,
    set_dotted,
)
from sim.scenario.workforce import Workforce


def test_resolve_path_finds_fields_and_sections() -> None:
    ref = resolve_path("workforce.establishment_fte", file="f")
    assert ref.model is Workforce and ref.name == "establishment_fte"
    assert resolve_path("workforce", file="f").name == "workforce"
    assert resolve_path("seed", file="f").name == "seed"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("workforse.establishment_fte", "Did you mean 'workforce'?"),
        ("establishment_fte", "'workforce.establishment_fte'"),
        ("workforce.qqq", "Valid names in section 'workforce'"),
        ("seed.x", "has no field 'x'"),
        ("workforce..x", "not a dotted field path"),
    ],
)
def test_resolve_path_errors(path: str, words: str) -> None:
    with pytest.raises(ScenarioError) as info:
        resolve_path(path, file="f.yaml", field=f"grid.{path}")
    assert info.value.field == f"grid.{path}" and words in info.value.message


def test_deep_merge_merges_mappings_and_replaces_the_rest() -> None:
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 1}
    top = {"a": {"y": [3]}, "c": 2}
    assert deep_merge(base, top) == {"a": {"x": 1, "y": [3]}, "b": 1, "c": 2}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 1}


def test_set_dotted_creates_and_replaces() -> None:
    data: dict[str, object] = {"workforce": None}
    set_dotted(data, "workforce.establishment_fte", 140)
    assert data == {"workforce": {"establishment_fte": 140}}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (18.0, "18"),
        (0.25, "0.25"),
        (6, "6"),
        (True, "true"),
        ("pool", "pool"),
        ([6.0, 1], "[6, 1]"),
    ],
)
def test_format_value_is_compact(value: object, text: str) -> None:
    assert format_value(value) == text


def test_types_in_plain_words() -> None:
    assert describe_type(float) == "a number"
    assert describe_type(float | None) == "a number or blank"
    assert describe_type(list[float]) == "a list of numbers"
    assert is_numeric(int) and is_numeric(float | None) and not is_numeric(bool)
