"""Parameter fields that carry their unit, bounds and source.

Every number a modeller can change is declared with :func:`param`, so the JSON Schema,
``docs/parameters.md`` and the report's list of assumptions are all generated from one place.

A source is one of:

* a citation from ``docs/evidence.md`` (free text naming the publication and year);
* ``"assumption"`` (optionally ``"assumption: <why>"``);
* ``"calibrated: <target>"`` (fitted so the baseline meets a national target).

A field added after the regression references were blessed is declared with
``hash_omit_default=True``: while it holds its default it is left out of the scenario's
sha256 (:func:`omit_hash_defaults`), so every earlier scenario keeps its digest and
``csc-sim regress`` still finds its references. A whole section can carry the marker too
(``Field(default_factory=..., json_schema_extra={HASH_OMIT_DEFAULT: True})``): it is left
out while every field of it holds its default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.fields import FieldInfo

HASH_OMIT_DEFAULT = "hash_omit_default"
"""The ``json_schema_extra`` key of the marker: the field is left out of the scenario's sha256
while it holds its default (it was added after the references were blessed)."""


def param(
    default: Any,
    *,
    unit: str,
    source: str,
    description: str,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
    hash_omit_default: bool = False,
) -> Any:
    """Declare a scenario parameter with its provenance.

    Parameters
    ----------
    default
        Default value, describing a median English LA in 2023-2025.
    unit
        Unit of the value (for example ``"days"``, ``"FTE"``, ``"GBP/week"``, ``"1"`` for a ratio).
    source
        Citation, ``"assumption..."`` or ``"calibrated: <target>"``.
    description
        One sentence a policy analyst can read.
    ge, le, gt, lt
        Bounds, enforced on load.
    hash_omit_default
        Left out of the scenario's sha256 while it holds its default: for a field added after
        the references were blessed, so that earlier scenarios keep their sha256.
    """
    if not source:
        raise ValueError("every parameter needs a source")
    extra: dict[str, Any] = {"unit": unit, "source": source}
    if hash_omit_default:
        extra[HASH_OMIT_DEFAULT] = True
    return Field(
        default,
        description=description,
        ge=ge,
        le=le,
        gt=gt,
        lt=lt,
        json_schema_extra=extra,
    )


class Section(BaseModel):
    """Base class of a scenario section: unknown fields are errors, values are re-validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


def is_assumption(source: str) -> bool:
    """Whether a parameter's source marks it as a modelling assumption."""
    return source.strip().lower().startswith("assumption")


def is_hash_omitted_default(info: FieldInfo, value: Any) -> bool:
    """Whether a field carries the ``hash_omit_default`` marker and ``value`` is its default."""
    extra = info.json_schema_extra
    if not isinstance(extra, dict) or extra.get(HASH_OMIT_DEFAULT) is not True:
        return False
    return bool(value == info.get_default(call_default_factory=True))


def omit_hash_defaults(model: BaseModel, data: dict[str, Any]) -> None:
    """Remove from ``data`` (``model`` dumped) every marked field that holds its default, in
    ``model`` and, recursively, in each section (or mapping of sections) nested in it.

    Parameters
    ----------
    model
        A validated model (a scenario, or one of its sections).
    data
        ``model.model_dump(mode="json")``, possibly with some fields already excluded; changed
        in place.
    """
    for name, info in type(model).model_fields.items():
        if name not in data:
            continue
        value = getattr(model, name)
        if is_hash_omitted_default(info, value):
            del data[name]
        elif isinstance(value, BaseModel) and isinstance(data[name], dict):
            omit_hash_defaults(value, data[name])
        elif isinstance(value, Mapping) and isinstance(data[name], dict):
            for key, item in value.items():
                if isinstance(item, BaseModel) and isinstance(data[name].get(key), dict):
                    omit_hash_defaults(item, data[name][key])
