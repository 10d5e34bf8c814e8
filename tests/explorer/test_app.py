"""The page's logic under Streamlit's AppTest: scenarios load, edits change the resolved
scenario, bad values and hostile uploads show the messages ``csc-sim validate`` prints."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.explorer.catalogue import by_label, shipped_scenarios
from sim.scenario import scenario_sha256
from tests.explorer.conftest import TROUBLED, errors, field, open_page, paste, validate_message

HOSTILE = {
    "duplicate.yaml": "name: twice\nworkforce:\n  establishment_fte: 120\n  establishment_fte: 90\n",
    "tag.yaml": "name: !!python/object/apply:os.system ['echo pwned']\n",
    "bomb.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6)
    ),
    "outofrange.yaml": "name: bad\nworkforce:\n  establishment_fte: -5\n",
    "extends.yaml": "name: sneaky\nextends: /etc/passwd\n",
}


def test_every_shipped_scenario_loads_valid() -> None:
    at = open_page()
    labels = [s.label for s in shipped_scenarios()]
    assert TROUBLED in labels and len(labels) >= 2
    for label in labels:
        at.selectbox(key="source").set_value(label).run()
        assert not at.exception, (label, [e.value for e in at.exception])
        assert errors(at) == [], (label, errors(at))
        assert [s.value for s in at.success][0].startswith("Valid:"), label
        shipped = by_label(label)
        assert shipped is not None
        expected = sim.load_scenario(shipped.path)
        assert scenario_sha256(at.session_state["scenario"]) == scenario_sha256(expected)


def test_changing_a_field_changes_the_resolved_scenario() -> None:
    at = open_page()
    before = at.session_state["scenario"]
    at.number_input(key=field("intervention.duration_months")).set_value(6.0).run()
    after = at.session_state["scenario"]
    assert after.intervention.duration_months == 6.0
    assert before.intervention.duration_months != 6.0
    path = by_label(TROUBLED).path  # type: ignore[union-attr]
    edited = sim.load_scenario(path, overrides={"intervention.duration_months": 6.0})
    assert scenario_sha256(after) == scenario_sha256(edited) != scenario_sha256(before)
    assert any("edited here" in str(c.value) for c in at.caption)


def test_choosing_a_type_shows_its_presets() -> None:
    at = open_page()
    at.selectbox(key=field("intervention.type")).set_value("trust").run()
    scenario = at.session_state["scenario"]
    assert scenario.intervention.type == "trust"
    assert scenario.intervention.change_team_fte == 6.0  # the trust preset (not the notice's 2)
    shown = at.number_input(key=field("intervention.change_team_fte", intervention_type="trust"))
    assert shown.value == 6.0
    assert any("Preset of `trust`" in str(m.value) for m in at.markdown)


def test_a_bad_value_shows_the_loader_message() -> None:
    at = open_page()
    at.number_input(key=field("workforce.establishment_fte")).set_value(-5.0).run()
    path = by_label(TROUBLED).path  # type: ignore[union-attr]
    with pytest.raises(sim.scenario.ScenarioError) as raised:
        sim.load_scenario(path, overrides={"workforce.establishment_fte": -5.0})
    assert errors(at) == [raised.value.message]
    assert at.button(key="run").disabled


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_bad_upload_shows_the_validate_message(name: str, tmp_path: Path) -> None:
    file = tmp_path / "pasted.yaml"
    file.write_text(HOSTILE[name], encoding="utf-8")
    at = paste(open_page(), HOSTILE[name])
    assert not at.exception
    shown = errors(at)
    assert len(shown) == 1, shown
    assert "Traceback" not in shown[0]
    if name == "extends.yaml":  # the CLI may read a parent; an upload never reads a file
        assert "cannot extend another file" in shown[0]
        assert "passwd" not in "".join(str(c.value) for c in at.caption)
    else:
        assert shown[0] == validate_message(file)


def test_a_good_upload_opens_in_the_form() -> None:
    at = paste(open_page(), "name: pasted\nworkforce:\n  establishment_fte: 95\n")
    assert errors(at) == []
    assert at.selectbox(key="source").value == "upload: pasted.yaml"
    assert at.session_state["scenario"].workforce.establishment_fte == 95.0
    assert at.number_input(key=field("workforce.establishment_fte", "upload1")).value == 95.0


def test_the_sweep_builder_makes_arms() -> None:
    at = open_page()
    at.toggle(key=f"s|{TROUBLED}|on").set_value(True).run()
    at.selectbox(key=f"s|{TROUBLED}|lever1").set_value("intervention.duration_months").run()
    at.text_input(key=f"s|{TROUBLED}|values1").set_value("6, 18").run()
    at.selectbox(key=f"s|{TROUBLED}|lever2").set_value("leadership.dcs_mean_tenure_months").run()
    at.text_input(key=f"s|{TROUBLED}|values2").set_value("12, 36").run()
    assert errors(at) == []
    assert "4 arms" in str(at.success[0].value)
    scenario = at.session_state["scenario"]
    assert scenario.grid == {
        "intervention.duration_months": [6, 18],
        "leadership.dcs_mean_tenure_months": [12, 36],
    }
    at.text_input(key=f"s|{TROUBLED}|values1").set_value("6, -3").run()
    assert len(errors(at)) == 1 and "grid" in errors(at)[0]


def test_an_unexpected_error_is_one_sentence_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sim.explorer import fields

    def broken() -> list[object]:
        raise RuntimeError("schema unreadable")

    monkeypatch.setattr(fields, "field_specs", broken)
    at = open_page(clean=False)
    assert not at.exception
    shown = errors(at)
    assert len(shown) == 1 and "unexpected problem (RuntimeError: schema unreadable)" in shown[0]
