"""The design document, the evidence and the DfE data ship with the repository (``docs/``,
``data/dfe/``), so that "DESIGN §n" and "evidence §n" references resolve for every user. They
are copies of the team's shared workspace; where that workspace sits beside the repository (the
developers' machines), the copies must match it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
COPIES = {
    ROOT / "docs" / "design.md": SHARED / "DESIGN.md",
    ROOT / "docs" / "evidence.md": SHARED / "context" / "evidence.md",
    **{
        ROOT / "data" / "dfe" / path.name: path
        for path in sorted((SHARED / "data" / "dfe").glob("*"))
        if path.is_file()
    },
}
DFE_FILES = (
    "README.md",
    "b1_children_in_need_2013_to_2025.csv",
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "csww_indicators_2017_to_2025.csv",
    "d3_cpps_subsequent_plan_2013_to_2025.csv",
    "d5_cpps_at31march_by_duration_2013_to_2025.csv",
    "la_cla_swcount.csv",
)


def test_sources_ship_with_the_repository() -> None:
    for path in (ROOT / "docs" / "design.md", ROOT / "docs" / "evidence.md"):
        assert path.is_file() and path.stat().st_size > 0, path
    for name in DFE_FILES:
        assert (ROOT / "data" / "dfe" / name).is_file(), name


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared workspace beside the repository")
@pytest.mark.parametrize("copy", list(COPIES), ids=lambda p: str(p.relative_to(ROOT)))
def test_copies_match_the_shared_workspace(copy: Path) -> None:
    original = COPIES[copy]
    assert copy.is_file(), f"{copy.relative_to(ROOT)} is missing: copy it from {original}"
    assert copy.read_bytes() == original.read_bytes(), (
        f"{copy.relative_to(ROOT)} differs from {original}: copy the shared file again"
    )
