"""``python -m sim.analysis.targets``: write calibration/targets.csv from the shipped record."""

from sim.analysis.targets.build import main

main()
