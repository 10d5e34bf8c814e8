"""Debian's Chromium for the browser tests: where it is and the flags it runs with here (headless,
as root, with no network beyond this machine: background networking off, or its connections are
refused many at a time)."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
