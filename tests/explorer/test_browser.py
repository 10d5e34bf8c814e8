"""End to end in a real browser: ``csc-sim explore`` on a free port, driven by Playwright in
Debian's headless Chromium. Edit the intervention duration, run, see the curves, download the
YAML (equal to the edited scenario), upload a file with a duplicate key and see the message;
the screenshot is kept in tests/explorer/artifacts/ (skipped without Chromium or Playwright)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import sim
from sim.explorer.catalogue import by_label
from sim.scenario import scenario_sha256
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.explorer.browser import ARTIFACTS, explorer_server

#: End to end in a browser: run without coverage in CI (the ``e2e`` marker, ``.ci/run``).
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs {CHROMIUM}"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")

#: Milliseconds to wait for the page, a rerun, or a run's curves (the machine may be shared).
WAIT_MS = 120_000
DURATION_MONTHS = 6
REPLICATIONS = 2
#: A chart Chromium has drawn: its canvas or svg inside the chart's element.
DRAWN_CHART = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"


def test_edit_run_download_and_a_hostile_upload(tmp_path: Path) -> None:
    with (
        explorer_server(tmp_path / "server.log") as url,
        sync_api.sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
            page.set_default_timeout(WAIT_MS)
            page.goto(url)
            # the empty chart shown before a run is drawn, so the chart code is loaded before
            # Run and the results so far can draw at once (docs/explorer.md)
            page.locator(DRAWN_CHART).first.wait_for()
            duration = page.get_by_role("spinbutton", name="duration_months (months)", exact=True)
            duration.fill(str(DURATION_MONTHS))
            duration.press("Enter")
            page.get_by_text("1 field(s) edited here").wait_for()
            reps = page.get_by_role("spinbutton", name="Replications per arm", exact=True)
            reps.fill(str(REPLICATIONS))
            reps.press("Enter")
            page.wait_for_timeout(500)  # let the rerun that takes the new count finish
            clock = time.perf_counter()
            page.get_by_role("button", name="Run", exact=True).click()
            page.locator('[data-testid="stVegaLiteChart"]:visible').first.wait_for()
            print(f"first curves {time.perf_counter() - clock:.1f} s after Run")
            page.get_by_text(f"× {REPLICATIONS} replications").wait_for()

            with page.expect_download() as download:
                page.get_by_role("button", name="Download scenario YAML").click()
            saved = tmp_path / download.value.suggested_filename
            download.value.save_as(saved)
            troubled = by_label("reference/troubled")
            assert troubled is not None
            edited = sim.load_scenario(
                troubled.path, overrides={"intervention.duration_months": DURATION_MONTHS}
            )
            assert scenario_sha256(sim.load_scenario(saved)) == scenario_sha256(edited)

            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "explorer-e2e.png"
            page.get_by_role(
                "heading", name="csc-sim scenario explorer"
            ).scroll_into_view_if_needed()
            page.screenshot(path=str(shot))
            print(f"screenshot kept at {shot}")

            page.locator('input[type="file"]').set_input_files(
                files=[
                    {
                        "name": "duplicate.yaml",
                        "mimeType": "application/x-yaml",
                        "buffer": b"name: one\nworkforce:\n  caseload_target: 16\n  caseload_target: 18\n",
                    }
                ]
            )
            page.get_by_text("the key 'caseload_target' appears twice").first.wait_for()
            text = page.content()
            assert "Traceback" not in text and 'File "' not in text
        finally:
            browser.close()
