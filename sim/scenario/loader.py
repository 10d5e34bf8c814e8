"""Load a scenario: read the file safely, resolve ``extends``, apply overrides, validate.

Example
-------
>>> import sim
>>> scenario = sim.load_scenario(
...     "scenarios/reference/baseline.yaml", overrides={"workforce.establishment_fte": 140}
... )  # doctest: +SKIP

``extends: other.yaml`` names a parent scenario, relative to the file that names it. The child is
deep-merged over its parent (mappings merge key by key; a list or value in the child replaces the
parent's), parents may extend further, and a cycle is an error. Overrides are dotted paths applied
after the merge and validated like the file's own values. Every problem is one
:class:`~sim.scenario.errors.ScenarioError` naming the file and the field.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeAlias

import yaml
from pydantic import ValidationError

from sim.scenario.errors import ScenarioError
from sim.scenario.extends import Layer, merge_layers, read_layers
from sim.scenario.fields import omit_hash_defaults
from sim.scenario.intervention import PRESETS
from sim.scenario.messages import to_scenario_error
from sim.scenario.paths import has_keys, resolve_path, set_dotted
from sim.scenario.scenario import PRESENTATION_FIELDS, Scenario
from sim.scenario.yaml_safe import load_yaml_file

ScenarioSource: TypeAlias = "str | os.PathLike[str] | Scenario | Mapping[str, Any]"

OVERRIDES = "<overrides>"
"""The file named in errors about values given as overrides."""


SET_FLAG = "--set"
"""The command-line flag whose values are overrides."""


def parse_set_options(texts: Sequence[str]) -> dict[str, Any]:
    """``--set PATH=VALUE`` options as overrides; a value is read as YAML (``18``, ``true``,
    ``[6, 12]``, ``trust``), so it is validated like the same value written in a file.

    Raises
    ------
    ScenarioError
        When an option has no ``=``, an empty path, or a value that is not valid YAML.
    """
    from sim.scenario.yaml_safe import parse_yaml

    overrides: dict[str, Any] = {}
    for text in texts:
        path, equals, value = str(text).partition("=")
        path = path.strip()
        if not equals or not path:
            raise ScenarioError(
                SET_FLAG,
                None,
                f"{text!r} is not PATH=VALUE.",
                "Write it like --set intervention.duration_months=18.",
            )
        parsed = parse_yaml(f"value: {value}\n" if value.strip() else "value: null\n", SET_FLAG)
        overrides[path] = parsed.get("value") if isinstance(parsed, dict) else value
    return overrides


def _check_overrides(overrides: Mapping[str, Any]) -> None:
    for path in overrides:
        ref = resolve_path(path, file=OVERRIDES)
        if ref.path == "extends":
            raise ScenarioError(
                OVERRIDES,
                "extends",
                "'extends' cannot be overridden: it is resolved when the file is read.",
            )


def _overridden(loc: tuple[Any, ...], overrides: Mapping[str, Any]) -> bool:
    for path in overrides:
        parts = tuple(path.split("."))
        if loc[: len(parts)] == parts or parts[: len(loc)] == loc:
            return True
    return False


def _blame(layers: list[Layer], overrides: Mapping[str, Any]) -> Callable[[tuple[Any, ...]], str]:
    """A function from an error location to the file (or overrides) that set that value."""

    def file_for(loc: tuple[Any, ...]) -> str:
        if _overridden(loc, overrides):
            return OVERRIDES
        for size in range(len(loc), 0, -1):
            for layer in layers:
                if has_keys(layer.data, loc[:size]):
                    return layer.file
        return layers[0].file

    return file_for


def _validate(data: Any, file_for: str | Callable[[tuple[Any, ...]], str]) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise to_scenario_error(err, file_for) from None


def scenario_from_dict(
    data: Mapping[str, Any],
    source: str = "<dict>",
    overrides: Mapping[str, Any] | None = None,
    base_dir: str | os.PathLike[str] | None = None,
) -> Scenario:
    """Build a scenario from a mapping, as if it had been read from a file.

    Parameters
    ----------
    data
        Field names and values (sections as nested mappings).
    source
        Name to use for it in error messages.
    overrides
        Dotted paths and values applied after ``extends`` is merged.
    base_dir
        Folder that ``extends`` is relative to (default: the working directory).

    Raises
    ------
    ScenarioError
        When anything is invalid.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(source, None, "a scenario must be a mapping of field names to values.")
    layers = read_layers(dict(data), source, str(base_dir or os.getcwd()))
    return _build(layers, overrides or {})


def _build(layers: list[Layer], overrides: Mapping[str, Any]) -> Scenario:
    from sim.scenario.population_link import (  # the table: docs/england.md
        check_renamed_table_field,
        resolve_table,
        with_own_figures,
    )

    blame = _blame(layers, overrides)
    merged = merge_layers(layers)
    check_renamed_table_field(merged, overrides, blame)
    _check_overrides(overrides)
    for path, value in overrides.items():
        set_dotted(merged, path, value)
    resolve_table(merged, blame(("population", "table")))
    scenario = _validate(merged, blame)
    if scenario.la is None:
        return scenario
    return with_own_figures(scenario, overrides, la_file=blame(("la",)), apply=apply_overrides)


def scenario_data(scenario: Scenario, changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The data of a validated scenario, ready for ``changes`` (dotted paths) to be applied.

    When ``changes`` switch ``intervention.type``, the intervention fields still at the old
    type's preset values are left out so that the new type's presets fill them; fields the
    scenario set to other values are kept.
    """
    changes = changes or {}
    data = scenario.model_dump(mode="python")
    new_type = changes.get("intervention.type")
    old_type = scenario.intervention.type
    if new_type is not None and new_type != old_type:
        section = data["intervention"]
        for name, preset in PRESETS.get(old_type, {}).items():
            if section.get(name) == preset and f"intervention.{name}" not in changes:
                del section[name]
    return data


def apply_overrides(
    scenario: Scenario,
    overrides: Mapping[str, Any],
    *,
    source: str = OVERRIDES,
    field_name: Callable[[str], str] | None = None,
    link: bool = True,
) -> Scenario:
    """A validated copy of ``scenario`` with dotted ``overrides`` applied.

    Parameters
    ----------
    scenario
        The scenario to change (not modified).
    overrides
        Dotted path -> value; paths must already be valid (see :func:`resolve_path`).
    source
        The file to name in an error.
    field_name
        Rewrites the dotted field path in an error (e.g. to ``arms.<label>.<path>``).
    link
        When the overrides set ``la`` or ``population.table``, apply that authority's figures
        from the population table (then the other overrides again, so that they win).
    """
    from sim.scenario.population_link import LINK_FIELDS, resolve_table, with_own_figures

    data = scenario_data(scenario, overrides)
    for path, value in overrides.items():
        set_dotted(data, path, value)
    if "population.table" in overrides:
        resolve_table(data, source)
    try:
        changed = Scenario.model_validate(data)
    except ValidationError as err:
        raise to_scenario_error(err, source, field_name) from None
    if not link or changed.la is None or not set(LINK_FIELDS) & set(overrides):
        return changed
    return with_own_figures(
        changed,
        overrides,
        la_file=source,
        apply=lambda s, o: apply_overrides(s, o, source=source, field_name=field_name),
    )


def load_scenario(source: ScenarioSource, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario.

    Parameters
    ----------
    source
        Path of a YAML scenario file, a mapping of its contents, or a :class:`Scenario`
        (a validated copy is returned, with the overrides applied).
    overrides
        Dotted field path -> value, e.g. ``{"workforce.establishment_fte": 140}``; applied after
        ``extends`` and validated like the file's own values.

    Returns
    -------
    Scenario
        The complete scenario; ``extends`` keeps the value given, everything is merged.

    Raises
    ------
    ScenarioError
        With the file, the dotted field, the problem and the nearest valid value or name.
    """
    overrides = dict(overrides or {})
    if isinstance(source, Scenario):
        _check_overrides(overrides)
        return apply_overrides(source, overrides)
    if isinstance(source, Mapping):
        return scenario_from_dict(source, overrides=overrides)
    if not isinstance(source, str | os.PathLike):
        raise ScenarioError(
            str(source), None, f"cannot load a scenario from {type(source).__name__}."
        )
    file = os.fspath(source)
    layers = read_layers(load_yaml_file(file), file, None)
    return _build(layers, overrides)


def _inert(scenario: Scenario) -> set[str]:
    """Sections left out of the sha256: ``population`` of a single-LA scenario (no table), so
    that single-LA scenarios keep their sha256 (``csc-sim regress`` checks it)."""
    return set() if scenario.is_population else {"population"}


def resolved_yaml(scenario: Scenario) -> str:
    """The complete scenario as YAML: every field after ``extends``, overrides and defaults.

    The text loads back into an equal scenario, except that ``extends`` is written as ``null``
    (its parents are already merged in) and noted in a comment, and that a relative
    ``population.table`` (relative to the working directory once loaded) is written as an
    absolute path, so that the file (``scenario.resolved.yaml`` of a results folder) runs again
    from any folder.
    """
    data = scenario.model_dump(mode="json")
    header = f"# Scenario '{scenario.name}', resolved: every field after extends, overrides and defaults.\n"
    if scenario.extends:
        header += f"# It extended '{scenario.extends}', which is merged in below.\n"
        data["extends"] = None
    table = scenario.population.table
    if table is not None and not os.path.isabs(table):
        data["population"]["table"] = os.path.abspath(table)
        header += (
            "# population.table is written as an absolute path, so this file runs from anywhere.\n"
        )
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
    return header + body


def canonical_json(scenario: Scenario) -> str:
    """Canonical JSON of the resolved scenario (sorted keys, no spaces), without ``extends``, the
    presentation fields (``labels``, ``reference``) and an unused population section, which never
    change a run, nor the fields marked ``hash_omit_default`` (:mod:`sim.scenario.fields`) while
    they hold their defaults, at any depth (as before those fields existed). A population table
    is in it by its content (:func:`_table_digest`), not its path."""
    data = scenario.model_dump(
        mode="json", exclude={"extends", *PRESENTATION_FIELDS} | _inert(scenario)
    )
    omit_hash_defaults(scenario, data)
    population = data.get("population")
    if isinstance(population, dict) and population.get("table") is not None:
        population["table"] = _table_digest(population["table"])
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _table_digest(table: str) -> str:
    """``sha256:<hex>`` of a population table's bytes, which stand for it in the hash: the same
    table gives the same digest wherever the checkout is and whatever the working directory (its
    path, relative to the working directory once loaded, would not), and an edited table another.
    A table that cannot be read (the schema has already checked that it exists) keeps its path."""
    try:
        with open(table, "rb") as handle:
            return "sha256:" + hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return table


def scenario_sha256(scenario: Scenario) -> str:
    """SHA-256 (hex) of :func:`canonical_json`: equal for scenarios that would run identically."""
    return hashlib.sha256(canonical_json(scenario).encode("ascii")).hexdigest()
