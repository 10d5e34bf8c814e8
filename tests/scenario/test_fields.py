"""The ``hash_omit_default`` marker of :func:`sim.scenario.fields.param` and
:func:`~sim.scenario.fields.omit_hash_defaults`, on small models of their own."""

from __future__ import annotations

import pytest
from pydantic import Field

from sim.scenario.fields import HASH_OMIT_DEFAULT, Section, omit_hash_defaults, param


class Inner(Section):
    old: float = param(1.0, unit="1", source="assumption", description="Blessed before.")
    new: float = param(
        2.0, unit="1", source="assumption", description="Added after.", hash_omit_default=True
    )


class Outer(Section):
    kept: int = param(3, unit="1", source="assumption", description="Blessed before.")
    later: str | None = Field(None, json_schema_extra={HASH_OMIT_DEFAULT: True})
    inner: Inner = Field(default_factory=Inner)
    added: Inner = Field(default_factory=Inner, json_schema_extra={HASH_OMIT_DEFAULT: True})
    several: dict[str, Inner] | None = None


def _hashed(model: Outer) -> dict[str, object]:
    data = model.model_dump(mode="json")
    omit_hash_defaults(model, data)
    return data


def test_param_carries_the_marker_only_when_asked() -> None:
    assert Inner.model_fields["new"].json_schema_extra == {
        "unit": "1",
        "source": "assumption",
        HASH_OMIT_DEFAULT: True,
    }
    assert Inner.model_fields["old"].json_schema_extra == {"unit": "1", "source": "assumption"}


def test_marked_defaults_are_left_out_at_every_depth() -> None:
    data = _hashed(Outer(several={"a": Inner(), "b": Inner(new=5.0)}))
    assert data == {
        "kept": 3,
        "inner": {"old": 1.0},
        "several": {"a": {"old": 1.0}, "b": {"old": 1.0, "new": 5.0}},
    }


@pytest.mark.parametrize(
    ("model", "kept"),
    [
        (Outer(later="x"), ("later", "x")),
        (Outer(inner=Inner(new=0.5)), ("inner", {"old": 1.0, "new": 0.5})),
        # A marked section that differs anywhere is written whole (its own fields unmarked
        # keep their defaults in the hash; the marked one is still left out at its default).
        (Outer(added=Inner(old=9.0)), ("added", {"old": 9.0})),
    ],
)
def test_a_changed_marked_value_is_kept(model: Outer, kept: tuple[str, object]) -> None:
    name, value = kept
    assert _hashed(model)[name] == value


def test_fields_already_excluded_are_skipped() -> None:
    model = Outer()
    data = model.model_dump(mode="json", exclude={"inner", "kept"})
    omit_hash_defaults(model, data)
    assert data == {"several": None}
