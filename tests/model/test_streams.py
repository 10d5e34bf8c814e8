"""Random streams that keep arms aligned: per-member sequences and the parts of a purpose.

Common random numbers after two arms' histories differ rest on two properties checked here: a
member's k-th variate does not depend on what the other members did or when it was asked for,
and every sequence has a stream of its own.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.leadership import LeadershipDraws
from sim.model.streams import STREAM_NAMES, MemberDraws, Streams, stream_key
from sim.model.workforce import WorkforceDraws

N_MEMBERS = 5


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, N_MEMBERS - 1), max_size=60),
    st.lists(st.integers(0, N_MEMBERS - 1), max_size=60),
    st.sampled_from(["uniform", "exponential"]),
)
def test_member_sequences_do_not_depend_on_the_order_of_requests(first, second, kind) -> None:  # type: ignore[no-untyped-def]
    """Two arms ask for members' variates in different orders (different histories): each
    member's k-th variate is the same in both, and follows the stream block by block."""
    block = 4
    arms = [MemberDraws(Streams(3, 1).part("leaving", "x"), N_MEMBERS, kind, block) for _ in "ab"]
    seen: list[dict[tuple[int, int], float]] = []
    for draws, order in zip(arms, (first, second)):
        counts = [0] * N_MEMBERS
        values = {}
        for i in order:
            values[(i, counts[i])] = draws.next(i)
            counts[i] += 1
        seen.append(values)
    for key in seen[0].keys() & seen[1].keys():
        assert seen[0][key] == seen[1][key]
    rng = Streams(3, 1).part("leaving", "x")
    blocks = [
        rng.random((N_MEMBERS, block))
        if kind == "uniform"
        else rng.standard_exponential((N_MEMBERS, block))
        for _ in range(1 + max([k for _, k in seen[0]], default=0) // block)
    ]
    for (i, k), value in seen[0].items():
        assert value == blocks[k // block][i, k % block]


def test_every_sequence_has_a_stream_of_its_own() -> None:
    """No two of the workforce's and leadership's draws share a generator, and a part's stream
    differs from its purpose's stream and from the other parts (distinct CRC-32 keys)."""
    streams = Streams(8, 2)
    objects = [*vars(WorkforceDraws.from_streams(streams, 6)).values()]
    objects += [*vars(LeadershipDraws.from_streams(streams, 3)).values()]
    generators = [o._draw.__self__ for o in objects]
    assert len({id(g) for g in generators}) == len(generators)
    parts = ["employed", "agency", "hiring", "newly_qualified", "manager_leaving"]
    keys = [stream_key(f"leaving/{p}") for p in parts] + [stream_key(n) for n in STREAM_NAMES]
    assert len(set(keys)) == len(keys)
    first = [streams.part("leaving", p).random() for p in parts]
    assert len(set(first)) == len(first)
    assert (
        streams.part("leaving", "agency").random()
        == Streams(8, 2).part("leaving", "agency").random()
    )
    with pytest.raises(KeyError, match="no random stream"):
        streams.part("nonsense", "x")
    assert not np.isnan(first).any()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.0, 3.0), min_size=1, max_size=120),
    st.sampled_from([(1,), (7,), (40,), (2, 3)]),
    st.sampled_from(["uniform", "exponential"]),
)
def test_step_below_finds_exactly_the_variates_under_the_bound(bounds, shape, kind) -> None:  # type: ignore[no-untyped-def]
    """``below`` (which skips a step whose minimum is not under the bound) returns the same
    indices as a scan of the step's row, across block boundaries."""
    from sim.model.streams import StepDraws

    draws = StepDraws(Streams(8, 2)["leaving"], shape, kind, steps=5)
    for bound in bounds:
        row = draws.next()
        assert draws.below(bound) == [i for i, u in enumerate(row) if u < bound]
