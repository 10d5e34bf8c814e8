"""Where the shipped scenario, data and calibration files are: the checkout, or the installed copy.

``scenarios/``, ``data/`` and ``calibration/`` live at the top of the repository (DESIGN §3). A
wheel carries copies of them inside the package (``sim/_shipped/``, written by the build step in
``setup.py``), so ``csc-sim demo``, code reading ``data/`` and the report's back-cast section
(``calibration/targets.csv``) work after ``pip install`` with no checkout around. :func:`shipped_path` prefers the checkout holding the ``sim`` package (an editable
install or a ``PYTHONPATH`` run), then the installed copy.
"""

from __future__ import annotations

from pathlib import Path

#: The folders shipped with the package (relative to the repository's top level).
SHIPPED_FOLDERS: tuple[str, ...] = ("scenarios", "data", "calibration")
#: The ``sim`` package folder (found from this file, so no import of ``sim`` itself).
PACKAGE_DIR = Path(__file__).resolve().parents[1]
CHECKOUT_DIR = PACKAGE_DIR.parent
INSTALLED_DIR = PACKAGE_DIR / "_shipped"


def shipped_roots() -> list[Path]:
    """Folders that may hold the shipped folders, in the order they are tried."""
    return [CHECKOUT_DIR, INSTALLED_DIR]


def shipped_path(relative: str | Path) -> Path:
    """The shipped file or folder at ``relative`` (e.g. ``"scenarios/reference/baseline.yaml"``).

    Parameters
    ----------
    relative
        Path from the repository's top level; its first part must be one of
        :data:`SHIPPED_FOLDERS`.

    Returns
    -------
    Path
        The first existing match among :func:`shipped_roots`; if none exists, where the
        checkout would hold it (so an error message names a sensible path).
    """
    relative = Path(relative)
    if not relative.parts or relative.parts[0] not in SHIPPED_FOLDERS or relative.is_absolute():
        raise ValueError(f"{relative} is not inside one of {', '.join(SHIPPED_FOLDERS)}")
    for root in shipped_roots():
        candidate = root / relative
        if candidate.exists():
            return candidate
    return CHECKOUT_DIR / relative
