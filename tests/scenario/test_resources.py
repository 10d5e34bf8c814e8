"""Shipped files are found in the checkout first, else in the copy installed with the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario import resources


def test_checkout_copy_is_found_first() -> None:
    path = resources.shipped_path("scenarios/reference/baseline.yaml")
    assert path == resources.CHECKOUT_DIR / "scenarios" / "reference" / "baseline.yaml"
    assert path.is_file()


def test_installed_copy_is_used_without_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = tmp_path / "sim" / "_shipped"
    (installed / "data" / "england").mkdir(parents=True)
    (installed / "data" / "england" / "population.csv").write_text("la,children\n")
    monkeypatch.setattr(resources, "CHECKOUT_DIR", tmp_path / "no-checkout")
    monkeypatch.setattr(resources, "INSTALLED_DIR", installed)
    found = resources.shipped_path(Path("data", "england", "population.csv"))
    assert found == installed / "data" / "england" / "population.csv"
    missing = resources.shipped_path("scenarios/reference/baseline.yaml")
    assert missing == tmp_path / "no-checkout" / "scenarios" / "reference" / "baseline.yaml"


@pytest.mark.parametrize("bad", ["sim/cli.py", "/etc/passwd", ""])
def test_only_shipped_folders_are_resolved(bad: str) -> None:
    with pytest.raises(ValueError, match="scenarios, data"):
        resources.shipped_path(bad)
