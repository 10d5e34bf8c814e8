"""Build step: ship the repository's ``scenarios/``, ``data/`` and ``calibration/`` inside the wheel.

``scenarios/``, ``data/`` and ``calibration/`` (the calibration study and the record's targets,
``calibration/targets.csv``, which the report's back-cast section reads) stay at the top of the
repository (DESIGN §3 names those paths);
a wheel carries copies in ``sim/_shipped/`` so an installed package finds them without a source
checkout (``sim.scenario.resources``). Editable installs need no copy: the checkout is there.
Files above ``MAX_SHIPPED_FILE_BYTES`` are left out (none is today; data/ is ~3.5 MB in all).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: Top-level folders copied into the package, as ``sim/_shipped/<folder>``.
SHIPPED_FOLDERS = ("scenarios", "data", "calibration")
#: Larger files stay out of the wheel (a national microdata file would not belong in it).
MAX_SHIPPED_FILE_BYTES = 20_000_000
SKIPPED_NAMES = {"__pycache__", ".DS_Store"}


class BuildPyWithShippedFiles(build_py):
    """``build_py`` that also copies the shipped folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "sim" / "_shipped"
        for folder in SHIPPED_FOLDERS:
            source = HERE / folder
            for file in sorted(source.rglob("*")):
                if not file.is_file() or SKIPPED_NAMES & set(file.parts):
                    continue
                if file.stat().st_size > MAX_SHIPPED_FILE_BYTES:
                    continue
                destination = target / folder / file.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, destination)


setup(cmdclass={"build_py": BuildPyWithShippedFiles})
