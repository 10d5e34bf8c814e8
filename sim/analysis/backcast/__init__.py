"""The back-cast against the record (issue 14 part 7): a population run's statistics in the
definitions of ``calibration/targets.csv``, beside the record's values.

``python -m sim.analysis.backcast FOLDER`` prints the table and writes ``FOLDER/backcast.csv``;
``sim.api.backcast(FOLDER)`` returns it as a DataFrame. See docs/england.md, "The back-cast
against the record".
"""

from sim.analysis.backcast.table import BACKCAST_CSV, COLUMNS, backcast_table

__all__ = ["BACKCAST_CSV", "COLUMNS", "backcast_table"]
