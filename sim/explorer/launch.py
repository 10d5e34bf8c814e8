"""Start the explorer: the ``streamlit run`` command line, on loopback unless asked otherwise.

Streamlit options fixed here (DESIGN §8): ``client.showErrorDetails=false`` (no tracebacks in the
page), ``server.maxUploadSize=1`` (MB; the safe loader then checks its own 1 MiB limit),
``server.headless=true`` (no browser opened, no e-mail prompt), no usage statistics, no file
watcher and no run-on-save (the page never reloads code), and ``global.developmentMode=false``.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import sys
from pathlib import Path

LOOPBACK_NAMES: frozenset[str] = frozenset({"localhost"})
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8501
#: Largest upload Streamlit accepts before the safe loader sees it (MB, Streamlit's unit).
MAX_UPLOAD_MB = 1
EXTRA_HINT = 'Install the optional extra: python -m pip install -e ".[explorer]"'


def streamlit_installed() -> bool:
    """Whether the ``explorer`` extra (Streamlit) is installed."""
    return importlib.util.find_spec("streamlit") is not None


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (127.0.0.0/8, ::1 or ``localhost``)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str | None:
    """The warning printed when the page listens beyond this machine, or ``None``."""
    if is_loopback(host):
        return None
    return (
        f"Warning: the explorer will listen on {host}:{port}, so anyone who can reach this "
        "machine on that port can use it and run simulations here; it has no login. Use the "
        f"default --host {DEFAULT_HOST} unless you mean this."
    )


def app_path() -> Path:
    """The Streamlit script."""
    return Path(__file__).with_name("app.py")


def streamlit_argv(host: str, port: int) -> list[str]:
    """The ``python -m streamlit run`` command line of the explorer."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_path()),
        f"--server.address={host}",
        f"--server.port={port}",
        "--server.headless=true",
        f"--server.maxUploadSize={MAX_UPLOAD_MB}",
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        "--browser.gatherUsageStats=false",
        "--client.showErrorDetails=false",
        "--client.toolbarMode=minimal",
        "--global.developmentMode=false",
    ]


def exec_streamlit(host: str, port: int) -> None:
    """Replace this process by the Streamlit server (so signals and the pid reach it)."""
    argv = streamlit_argv(host, port)
    if os.name == "posix":
        os.execv(argv[0], argv)  # does not return
    else:
        import subprocess

        raise SystemExit(subprocess.call(argv))
