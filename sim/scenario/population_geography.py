"""Authorities that changed between the start (2017-18) and March 2025, and how the table treats
them (written down in ``docs/england.md``; used by :mod:`sim.scenario.population_build`).

The table keeps the 2017-18 geography: one row per children's services authority as the DfE's
2017-18 children-in-need files define it (152). Codes are the ones those files use.
"""

from __future__ import annotations

JOINT_WORKFORCE: dict[str, tuple[str, ...]] = {
    "E09000021 / E09000027": ("E09000021", "E09000027"),
}
"""Workforce-census units that return for several authorities (Kingston upon Thames with Richmond
upon Thames, run jointly by Achieving for Children): their counts are shared out in proportion to
each authority's 2017-18 referrals; their rates are the joint unit's."""

RECODED: dict[str, str] = {
    "E06000060": "E10000002",  # Buckinghamshire, unitary from 1 April 2020
    "E06000065": "E10000023",  # North Yorkshire, unitary from 1 April 2023
    "E06000066": "E10000027",  # Somerset, unitary from 1 April 2023
}
"""Current code -> 2017-18 code of authorities whose area did not change but whose code did
(``sif_last_judgement.csv`` uses the current codes)."""

SUCCESSORS: dict[str, tuple[str, ...]] = {
    "E10000002": ("E06000060",),
    "E10000023": ("E06000065",),
    "E10000027": ("E06000066",),
    "E10000021": ("E06000061", "E06000062"),
    "E10000006": ("E06000063", "E06000064"),
    "E10000009": ("E06000059",),
    "E06000028": ("E06000058",),
    "E06000029": ("E06000058",),
}
"""2017-18 code -> the authorities that cover its area at 31 March 2025 (others: itself)."""

BORROWED_FROM_SUCCESSOR: dict[str, str] = {
    "E06000028": "E06000058",
    "E06000029": "E06000058",
    "E10000009": "E06000059",
}
"""Authorities whose later figures exist only for their successor (ONS re-based its estimates
to the 2019 geography; looked-after figures start in 2020-21): rates per child are taken from
the successor, and child population is the successors' total shared out (see the builder)."""

SHARED_POPULATION: dict[tuple[str, ...], tuple[str, ...]] = {
    ("E06000028", "E06000029", "E10000009"): ("E06000058", "E06000059"),
}
"""Groups of 2017-18 authorities with the same outer boundary as a group of successors
(Bournemouth + Poole + the old Dorset = BCP + the new Dorset): the successors' child population
in their first year is shared out in proportion to each authority's children in need at
31 March 2018."""

NOTES: dict[str, str] = {
    "E10000021": "Split on 1 April 2021 into North Northamptonshire (E06000061) and West "
    "Northamptonshire (E06000062); children's services for both run by Northamptonshire "
    "Children's Trust.",
    "E10000006": "Split on 1 April 2023 into Cumberland (E06000063) and Westmorland and "
    "Furness (E06000064).",
    "E10000023": "Unitary from 1 April 2023 with the same area, now coded E06000065.",
    "E10000027": "Unitary from 1 April 2023 with the same area, now coded E06000066.",
    "E10000002": "Unitary from 1 April 2020 with the same area, now coded E06000060.",
    "E10000009": "Replaced on 1 April 2019 by Dorset Council (E06000059), without Christchurch, "
    "which joined Bournemouth and Poole in BCP (E06000058).",
    "E06000028": "Merged on 1 April 2019 with Poole and Christchurch into Bournemouth, "
    "Christchurch and Poole (E06000058).",
    "E06000029": "Merged on 1 April 2019 with Bournemouth and Christchurch into Bournemouth, "
    "Christchurch and Poole (E06000058).",
    "E09000021": "Children's services run with Richmond upon Thames by Achieving for Children; "
    "one workforce return for both.",
    "E09000027": "Children's services run with Kingston upon Thames by Achieving for Children; "
    "one workforce return for both.",
    "E06000053": "Isles of Scilly: about 340 children and 2 social workers; several cells "
    "suppressed or not applicable.",
    "E09000001": "City of London: about 650 children and 7.5 social workers; several cells "
    "suppressed.",
}
"""A sentence per authority on what happened to it (the table's ``notes`` column)."""
