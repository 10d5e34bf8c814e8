"""The machine and software a benchmark ran on, and how busy the machine was.

The git commit, the dirty flag and the package version come from ``sim.experiment.manifest``
(the run manifests' own capture), so a benchmark and a results folder describe a checkout alike.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sim.experiment.manifest import git_commit, git_dirty, package_version

#: Packages whose versions the machine table shows.
SHOWN_PACKAGES = ("numpy", "simpy", "pandas", "pyarrow")
#: Seconds between two looks at the load average while waiting for an idle machine.
IDLE_POLL_S = 15


def read_text(path: str) -> str:
    """A file's text, or ``""`` when it cannot be read (no /proc off Linux)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def load_average() -> str:
    """The 1, 5 and 15-minute load averages."""
    return " ".join(read_text("/proc/loadavg").split()[:3]) or "n/a"


def wait_until_idle(minutes: float, threshold: float = 0.6) -> None:
    """Wait (at most ``minutes``) until the 1-minute load average is below ``threshold``."""
    deadline = time.monotonic() + 60.0 * minutes
    while time.monotonic() < deadline:
        one = float((read_text("/proc/loadavg").split() or ["0"])[0])
        if one < threshold:
            return
        print(f"waiting for an idle machine: load average {load_average()}", flush=True)
        time.sleep(IDLE_POLL_S)


def _field(text: str, prefix: str, split: str | None = ":") -> str:
    for line in text.splitlines():
        if line.startswith(prefix):
            return line.split(split, 1)[1].strip() if split else line.split()[1]
    return ""


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def machine() -> dict[str, str]:
    """Description of this machine and software."""
    cpuinfo = read_text("/proc/cpuinfo")
    model = _field(cpuinfo, "model name") or platform.processor() or "unknown"
    mhz = _field(cpuinfo, "cpu MHz")
    mem = _field(read_text("/proc/meminfo"), "MemTotal", split=None)
    commit = git_commit()
    commit_text = "unknown"
    if commit:
        commit_text = commit[:12] + (
            " (working tree has uncommitted changes)" if git_dirty() else ""
        )
    return {
        "CPU": model + (f" ({float(mhz):.0f} MHz)" if mhz else ""),
        "Cores (logical)": str(os.cpu_count()),
        "Memory": f"{int(mem) / 1024**2:.1f} GiB" if mem else "unknown",
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        " / ".join(SHOWN_PACKAGES): " / ".join(_version(name) for name in SHOWN_PACKAGES),
        "csc-sim": package_version(),
        "Date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "Git commit": commit_text,
    }
