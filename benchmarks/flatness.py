"""How flat the cost per referral is across sizes of service (issue 6's scaling target).

Issue 6 asks for the cost per referral to stay "flat within ±20%" from 1,000 to 20,000
referrals a year: every size's cost within 20% of a central value. The central value is the
median size's cost, which one outlying size cannot move.

The machine's speed drifts by 10-25% within minutes (``benchmarks/README.md``), more than the
differences being measured. The sizes are therefore timed in rounds (every size once per round,
a round lasting about ten seconds) and each size's cost is compared with the other sizes' costs
*of the same round*; the median of those per-round ratios over the rounds is the size's relative
cost. A slow spell that lasts a round slows every size of that round alike and cancels.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence


def flatness(costs: Sequence[float]) -> tuple[float, float]:
    """Spread of costs: (max/min, largest deviation from the median as a fraction).

    Examples
    --------
    >>> [round(x, 3) for x in flatness([10.0, 11.0, 12.0])]
    [1.2, 0.091]
    """
    median = statistics.median(costs)
    return max(costs) / min(costs), max(abs(c / median - 1.0) for c in costs)


def relative_costs(rounds: Mapping[str, Sequence[float]]) -> dict[str, float]:
    """Each run's cost relative to the median run of the same round, median over rounds.

    Parameters
    ----------
    rounds
        Cost of each run (for example µs per referral) in each round: ``rounds[label][i]`` is
        the cost of ``label`` in round ``i``; every label has the same number of rounds.

    Returns
    -------
    dict
        ``label -> median over rounds i of rounds[label][i] / median over labels of
        rounds[·][i]``. A round run at a different machine speed (every cost of round ``i``
        times the same factor) leaves the result unchanged.
    """
    labels = list(rounds)
    n_rounds = {len(rounds[label]) for label in labels}
    if len(n_rounds) != 1 or 0 in n_rounds:
        raise ValueError(f"every run needs the same, non-zero number of rounds: {n_rounds}")
    (n,) = n_rounds
    per_round = []
    for i in range(n):
        median = statistics.median(rounds[label][i] for label in labels)
        per_round.append({label: rounds[label][i] / median for label in labels})
    return {label: statistics.median(r[label] for r in per_round) for label in labels}
