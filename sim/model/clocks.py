"""Exponential clocks shared by a group whose members all face the same hazard.

Used for turnover that is common to everyone in a state: vacant posts waiting for a permanent
hire, agency assignments, team managers leaving or being appointed. The clock reads the hazard
integrated since the start of the run (dimensionless). A member who joins when it reads ``r``
draws an Exp(1) budget ``e`` and leaves the group at the first step at which the clock has
reached ``r + e``. With a hazard constant over each step, the chance of leaving in a step whose
integrated hazard is ``h`` is ``1 - exp(-h)``, exactly as for a fresh draw every step, but a
step in which nobody leaves costs one addition and one comparison, whatever the group's size.
"""

from __future__ import annotations

import math

import numpy as np


class SharedClock:
    """Integrated hazard of one group, and the reading at which each member's budget runs out.

    Parameters
    ----------
    n
        Number of possible members (e.g. posts), indexed ``0 .. n-1``; none has joined yet.
    """

    def __init__(self, n: int) -> None:
        self.reading = 0.0
        self.due = np.full(n, math.inf)  # reading at which each member leaves (inf: not a member)
        self._next_due = math.inf

    def join(self, i: int, budget: float) -> None:
        """Member ``i`` joins now with an Exp(1) ``budget`` (or rejoins with a fresh one)."""
        self.drop(i)  # a member rejoining gives up its old budget
        due = self.reading + budget
        self.due[i] = due
        if due < self._next_due:
            self._next_due = due

    def drop(self, i: int) -> None:
        """Member ``i`` leaves the group by other means (or has been dealt with)."""
        was_next = self.due[i] == self._next_due < math.inf
        self.due[i] = math.inf
        if was_next:  # only then can the next due reading change: recompute it
            self._next_due = float(self.due.min())

    def advance(self, hazard: float) -> bool:
        """Add one step's integrated ``hazard``; return whether any member's budget ran out."""
        self.reading += hazard
        return self.reading >= self._next_due

    def ran_out(self) -> list[int]:
        """Members whose budget has run out, in index order. Each must then be dropped or
        rejoin with a fresh budget."""
        return (self.due <= self.reading).nonzero()[0].tolist()

    def is_member(self, i: int) -> bool:
        """Whether ``i`` is in the group."""
        return bool(self.due[i] < math.inf)
