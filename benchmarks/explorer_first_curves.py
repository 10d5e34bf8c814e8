"""Explorer speed: seconds from pressing Run to the first curves, and to the complete run, in a
real browser.

Usage::

    python benchmarks/explorer_first_curves.py                # troubled, 8 replications, 3 times
    python benchmarks/explorer_first_curves.py --repeats 1

Starts ``csc-sim explore`` on a free port, opens it in Debian's headless Chromium (Playwright),
keeps the troubled reference scenario as it opens with 8 replications per arm, and times from the
click on Run to the first results so far on the page ("Results so far: k of N replications", the
page draws a run as its replications arrive), to the first chart of those results Chromium has
drawn (a canvas or svg inside the results so far, the empty chart shown before a run excluded),
and to the
complete run's view ("Done in"); then, in the same process, the
same run through ``sim.run`` alone, so the page's own overhead is the difference. Each repeat opens a new page (a new session), so no run is reused. It also saves the docs screenshot (``--screenshot docs/img/explorer.png``).
Other work on the machine slows both; say so when quoting the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sim  # noqa: E402
from sim.explorer.caps import DEFAULT_REPLICATIONS, workers  # noqa: E402
from sim.explorer.catalogue import by_label  # noqa: E402
from sim.explorer.results_page import PARTIAL_KEY  # noqa: E402
from tests.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.explorer.browser import explorer_server  # noqa: E402

WAIT_MS = 300_000
#: A chart Chromium has drawn (its canvas or svg) among the results so far of the run under way
#: (not the empty chart shown before the run, nor the finished view).
PARTIAL_CHART = (
    f".st-key-{PARTIAL_KEY} [data-testid='stVegaLiteChart'] canvas, "
    f".st-key-{PARTIAL_KEY} [data-testid='stVegaLiteChart'] svg"
)
SCENARIO = "reference/troubled"


def _time_page(url: str, repeats: int, screenshot: Path | None) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    times, complete = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        for n in range(repeats):
            # a new page is a new session: nothing from the previous repeat is reused
            page = browser.new_page(viewport={"width": 1600, "height": 1100})
            page.set_default_timeout(WAIT_MS)
            page.goto(url)
            page.get_by_role("button", name="Run", exact=True).wait_for()
            page.wait_for_timeout(1500)
            clock = time.perf_counter()
            page.get_by_role("button", name="Run", exact=True).click()
            page.get_by_text("Results so far:").first.wait_for()
            first_partial = time.perf_counter() - clock
            page.locator(PARTIAL_CHART).first.wait_for()
            times.append(time.perf_counter() - clock)
            if page.get_by_text("Done in").count():
                print("  (the run had completed before its results so far were drawn)")
            page.get_by_text("Done in").first.wait_for()
            complete.append(time.perf_counter() - clock)
            print(
                f"page: repeat {n + 1}: results so far shown {first_partial:.1f} s, first chart "
                f"drawn {times[-1]:.1f} s, complete "
                f"{complete[-1]:.1f} s after Run"
            )
        if screenshot is not None:
            page.wait_for_timeout(1500)
            page.get_by_role(
                "heading", name="csc-sim scenario explorer"
            ).scroll_into_view_if_needed()
            page.screenshot(path=str(screenshot))
            print(f"screenshot: {screenshot}")
        browser.close()
    return times, complete


def _time_api(repeats: int) -> list[float]:
    shipped = by_label(SCENARIO)
    assert shipped is not None
    scenario = sim.load_scenario(shipped.path)
    times = []
    for _ in range(repeats):
        clock = time.perf_counter()
        sim.run(scenario, replications=DEFAULT_REPLICATIONS, seed=None, workers=workers())
        times.append(time.perf_counter() - clock)
        print(f"sim.run alone: {times[-1]:.1f} s")
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp, explorer_server(Path(tmp) / "server.log") as url:
        page, complete = _time_page(url, args.repeats, args.screenshot)
    api = _time_api(args.repeats)
    print(
        f"troubled, {DEFAULT_REPLICATIONS} replications, {workers()} workers: page first curves "
        f"median {statistics.median(page):.1f} s, complete {statistics.median(complete):.1f} s, "
        f"against {statistics.median(api):.1f} s for sim.run alone; load average after: "
        f"{os.getloadavg()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
