"""Parameter fields that carry their unit, bounds and source.

Every number a modeller can change is declared with :func:`param`, so the JSON Schema,
``docs/parameters.md`` and the report's list of assumptions are all generated from one place.

A source is one of:

* a citation from ``docs/evidence.md`` (free text naming the publication and year);
* ``"assumption"`` (optionally ``"assumption: <why>"``);
* ``"calibrated: <target>"`` (fitted so the baseline meets a national target).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
    """
    if not source:
        raise ValueError("every parameter needs a source")
    return Field(
        default,
        description=description,
        ge=ge,
        le=le,
        gt=gt,
        lt=lt,
        json_schema_extra={"unit": unit, "source": source},
    )


class Section(BaseModel):
    """Base class of a scenario section: unknown fields are errors, values are re-validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


def is_assumption(source: str) -> bool:
    """Whether a parameter's source marks it as a modelling assumption."""
    return source.strip().lower().startswith("assumption")
