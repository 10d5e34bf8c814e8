"""Driving the explorer in Debian's Chromium with Playwright (shared by the browser test and the
speed benchmark). Nothing is downloaded: Playwright's Python package drives /usr/bin/chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

#: Seconds to wait for the server to answer its health check.
START_TIMEOUT_S = 60
ARTIFACTS = Path(__file__).with_name("artifacts")


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def explorer_server(log: Path) -> Iterator[str]:
    """Start ``csc-sim explore --port <free port>`` and yield its URL; stop it afterwards."""
    port = free_port()
    env = {**os.environ, "MPLBACKEND": "Agg"}
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "sim.cli", "explore", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the explorer did not start: {log.read_text()}") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
