"""Uploads go through the safe loader's limits and keep only a cleaned base name."""

from __future__ import annotations

import pytest

from sim.explorer.upload import read_upload, safe_name
from sim.scenario import ScenarioError
from sim.scenario.yaml_safe import MAX_BYTES


def test_an_upload_larger_than_the_limit_is_refused_before_parsing() -> None:
    raw = b"name: big\ndescription: '" + b"x" * MAX_BYTES + b"'\n"
    with pytest.raises(ScenarioError) as raised:
        read_upload("big.yaml", raw)
    assert f"limited to {MAX_BYTES:,} bytes" in raised.value.message


def test_an_upload_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(ScenarioError) as raised:
        read_upload("latin.yaml", "name: café\n".encode("latin-1"))
    assert "not UTF-8" in raised.value.message


def test_the_browser_name_is_reduced_to_a_safe_base_name() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\me\\my file.yaml") == "my_file.yaml"
    assert safe_name("...") == "upload.yaml"
    source = read_upload("../x/<i>ok.yaml", b"name: ok\n")
    assert source.name == "i_ok.yaml" and source.path is None


def test_a_valid_upload_keeps_its_data() -> None:
    source = read_upload("ok.yaml", b"\xef\xbb\xbfname: ok\nworkforce:\n  establishment_fte: 90\n")
    assert source.data == {"name": "ok", "workforce": {"establishment_fte": 90}}
