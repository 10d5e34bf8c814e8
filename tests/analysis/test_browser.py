"""The report opens in a real browser and its images load (skipped without Chromium)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_ARGS

TIMEOUT_S = 120
# Sets the page title once every image has loaded (or failed), for --dump-dom to read.
PROBE = """<script>
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
  document.title = 'images ' + ok + '/' + imgs.length;
});
</script>"""


@pytest.mark.e2e  # a real browser: run without coverage in CI (.ci/run)
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_images_load_in_headless_chromium(report_folder: Path, tmp_path: Path) -> None:
    page = tmp_path / "probe.html"
    page.write_text(
        (report_folder / "report.html").read_text().replace("</body>", PROBE + "</body>")
    )
    done = subprocess.run(
        [
            str(CHROMIUM),
            *CHROMIUM_ARGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
    match = re.search(r"<title>images (\d+)/(\d+)</title>", done.stdout)
    assert match, done.stderr[-2000:]
    loaded, total = map(int, match.groups())
    assert total > 0 and loaded == total
