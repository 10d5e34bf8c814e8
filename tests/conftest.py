"""Suite-wide test configuration: keep tests that share an expensive fixture on one xdist worker.

CI runs the suite on both cores (``pytest -n 2 --dist loadgroup``, see ``.ci/run``). Each xdist
worker builds session- and module-scoped fixtures for itself, so a fixture such as the blessed
regression references or the demo's results folder would be built once per worker. Every test
that uses a session- or module-scoped fixture defined in this test tree is therefore put in the
xdist group named after that fixture (the first such fixture it requests): the group runs on one
worker and the fixture is built once. A test that sets its own ``xdist_group`` keeps it.

Rules for new tests (so they run under xdist): write only under ``tmp_path`` /
``tmp_path_factory`` (never into the checkout or a fixed path), listen only on a free port
(``tests/explorer/browser.py:free_port``), and do not assume another test ran before, or in the
same process.
"""

from __future__ import annotations

import pytest

#: Fixture scopes whose value outlives one test, so sharing a worker saves rebuilding it.
SHARED_SCOPES = ("session", "package", "module")
#: Where the project's own fixtures live (plugins' and pytest's fixtures are not grouped).
TEST_TREE = "tests"


def _shared_fixture(item: pytest.Item) -> str | None:
    """``<where>::<name>`` of the first shared-scope project fixture the test uses, if any."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    for name in item.fixturenames:  # type: ignore[attr-defined]
        for definition in info.name2fixturedefs.get(name, ()):
            if definition.scope in SHARED_SCOPES and definition.baseid.startswith(TEST_TREE):
                return f"{definition.baseid}::{name}"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Group each test by the expensive fixture it shares (see the module docstring)."""
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        shared = _shared_fixture(item)
        if shared is not None:
            item.add_marker(pytest.mark.xdist_group(shared))
