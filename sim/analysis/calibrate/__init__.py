"""``csc-sim calibrate``: history matching with emulators, then a posterior ensemble (issue 15).

See docs/calibration.md ("Calibration as a capability") and DESIGN §6.
"""

from sim.analysis.calibrate.api import CalibrationResult, calibrate
from sim.analysis.calibrate.config import load_study

__all__ = ["CalibrationResult", "calibrate", "load_study"]
