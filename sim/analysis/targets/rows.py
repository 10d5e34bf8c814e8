"""One row of the targets table, and the table's columns.

Families (how a target enters the likelihood, docs/calibration.md):

* ``normal``: a rate or mean; ``observed`` with its observation standard error ``se``.
* ``multinomial``: one category of a count vector (rows sharing a ``group``); ``k`` of ``n``.
* ``survival``: a Kaplan-Meier share still in a state at a time; ``observed`` with Greenwood
  ``se``, ``n`` at risk at the start and ``k`` events by then.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

#: Columns of ``calibration/targets.csv``, in order.
TARGET_COLUMNS: tuple[str, ...] = (
    "id",
    "group",
    "family",
    "statistic",
    "description",
    "observed",
    "n",
    "k",
    "se",
    "unit",
    "years",
    "source",
)
FAMILIES: tuple[str, ...] = ("normal", "multinomial", "survival")

OFSTED = (
    "Ofsted, Local authority inspection outcomes as at 31 March 2025 (data/ofsted/, evidence §3)"
)
CSWW = "DfE, Children's social work workforce 2017-2025 (data/dfe/csww_indicators_2017_to_2025.csv, evidence §1a)"
CIN = "DfE, Children in need 2013-2025 (data/dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv, evidence §2a)"


@dataclass(frozen=True)
class TargetRow:
    """One target statistic (see the module docstring for the families).

    ``statistic`` names the model statistic a simulator must provide to fit it (blank when no
    simulator yet provides one).
    """

    id: str
    group: str
    family: str
    description: str
    observed: float
    unit: str
    years: str
    source: str
    statistic: str = ""
    n: float = math.nan
    k: float = math.nan
    se: float = math.nan

    def as_dict(self) -> dict[str, object]:
        """The row in ``TARGET_COLUMNS`` order."""
        data = asdict(self)
        return {c: data[c] for c in TARGET_COLUMNS}
