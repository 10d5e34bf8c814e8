"""Memory and process-tree figures from Linux's ``/proc`` (stdlib only).

Peak resident set is ``VmHWM``: unlike ``ru_maxrss`` it starts afresh at ``exec``, so a child
started by a big parent does not inherit the parent's peak.
"""

from __future__ import annotations

import os
from pathlib import Path


def hwm_kb(pid: int | str = "self") -> int:
    """Peak resident set (``VmHWM``) of a process, in kB (0 when unknown)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1])
    return 0


def pss_kb(pid: int | str) -> int:
    """Proportional set size of a process, in kB (0 when unknown)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def descendants(root: int) -> set[int]:
    """Process ids of every descendant of ``root`` (children, their children, ...)."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                parent[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                pass
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {p for p, pp in parent.items() if pp in frontier} - found
        found |= frontier
    return found
