"""No orphans: when a run's parent is killed with SIGKILL, its pool workers exit too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.experiment import watchdog
from tests.experiment.helpers import BASELINE

#: Seconds to wait for the pool's workers to appear (imports and the first chunk).
STARTUP_TIMEOUT_S = 60.0
#: Seconds after the parent's death by which every worker must be gone (the issue's "a few").
EXIT_TIMEOUT_S = 5.0

pytestmark = pytest.mark.skipif(
    not Path("/proc").is_dir(), reason="reads the process table from /proc"
)


def _children(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (from /proc, so no psutil is needed)."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Field 4 (after the command in parentheses, which may hold spaces) is the parent id.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie awaiting its reaper counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _long_scenario(folder: Path) -> Path:
    """A baseline with enough replications to keep two workers busy for minutes."""
    path = folder / "long.yaml"
    path.write_text(
        f"extends: {BASELINE}\nname: long\nreplications: 400\nseed: 3\n", encoding="utf-8"
    )
    return path


def test_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    """Start ``csc-sim run --workers 2``, wait for both workers, SIGKILL the parent: within a
    few seconds no worker is left (without the watchdog they block on their queue for ever)."""
    parent = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim.cli",
            "run",
            str(_long_scenario(tmp_path)),
            "--workers",
            "2",
            "--out",
            str(tmp_path / "out"),
            "--no-report",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline and parent.poll() is None:
            # A fork pool also has its resource tracker at times; the workers are python too.
            workers = _children(parent.pid)
            if len(workers) >= 2:
                break
            time.sleep(0.2)
        assert parent.poll() is None, parent.stderr.read().decode() if parent.stderr else ""
        assert len(workers) >= 2, f"the pool's workers never appeared: {workers}"
        time.sleep(1.0)  # let the workers start their first chunk
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=EXIT_TIMEOUT_S)
        deadline = time.monotonic() + EXIT_TIMEOUT_S
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        survivors = sorted(pid for pid in workers if _alive(pid))
        assert not survivors, f"workers {survivors} outlived their killed parent"
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()


def test_parent_poller_ends_an_orphan(tmp_path: Path) -> None:
    """The portable fallback (no prctl): a child polling its parent id exits once orphaned."""
    marker = tmp_path / "grandchild.pid"
    code = (
        "import os, sys, time\n"
        "from sim.experiment import watchdog\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    watchdog.POLL_INTERVAL_S = 0.1\n"
        "    watchdog.watch_parent(os.getppid(), use_prctl=False)\n"
        f"    open({str(marker)!r}, 'w').write(str(os.getpid()))\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "time.sleep(60)\n"
    )
    middle = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    grandchild = 0
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline and not marker.exists():
            time.sleep(0.05)
        time.sleep(0.1)
        grandchild = int(marker.read_text())
        assert _alive(grandchild)
        os.kill(middle.pid, signal.SIGKILL)
        middle.wait(timeout=EXIT_TIMEOUT_S)
        deadline = time.monotonic() + EXIT_TIMEOUT_S
        while time.monotonic() < deadline and _alive(grandchild):
            time.sleep(0.05)
        assert not _alive(grandchild), "the polling watchdog did not end the orphan"
    finally:
        if grandchild and _alive(grandchild):
            os.kill(grandchild, signal.SIGKILL)
        if middle.poll() is None:
            middle.kill()


def test_parent_death_signal_is_accepted_on_linux() -> None:
    """On Linux the kernel takes the parent-death request; elsewhere the poller is used."""
    if sys.platform.startswith("linux"):
        assert watchdog.set_parent_death_signal(0)  # 0 clears it again in this test process
    else:
        assert not watchdog.set_parent_death_signal()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux parent-death signal")
def test_local_dask_workers_carry_the_parent_death_signal() -> None:
    """A local Dask cluster's workers are children of the run and carry SIGKILL as their
    parent-death signal (sim.experiment.dask_watchdog), so the kernel ends them with a killed
    run, as it ends the process pool's workers above (a killed run measured by hand: no worker
    left 0.1 s after the SIGKILL, against 5.6 s from Dask's own pipe before the plugin)."""
    pytest.importorskip("distributed")
    from sim.experiment.executors import DaskExecutor

    with DaskExecutor(1) as executor:
        found = executor._client.run(watchdog.parent_death_signal)
    assert len(found) == 1
    assert set(found.values()) == {(os.getpid(), int(signal.SIGKILL))}
