"""Named random streams (DESIGN §5).

A replication's stream for a purpose derives from ``SeedSequence([seed, replication, key(name)])``
where the key is a stable CRC-32 of the purpose's name (Python's ``hash`` is salted per process).
Arms of a sweep use the same seed and replication, so they share streams: common random numbers.

Streams of one LA among many (several LAs on one clock) carry its identity as well: the CRC-32 of
its LA code is appended to the entropy, ``[seed, replication, key(name), key(la)]``, so two LAs
draw different numbers while the same LA draws the same numbers in every arm. Without an LA
identity (``la=None``, a single-LA run) the entropy is exactly as it always was.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable

import numpy as np

STREAM_NAMES: tuple[str, ...] = (
    "arrivals",
    "assessment",
    "outcomes",
    "durations",
    "leaving",
    "recruitment",
    "leadership",
    "inspection",
    "intervention",
    "initial",
    "reallocation",
)


def stream_key(name: str) -> int:
    """Stable 32-bit key of a stream's name (the same on every platform and process)."""
    return zlib.crc32(name.encode("utf-8"))


def make_stream(
    seed: int, replication: int, name: str, la: str | None = None
) -> np.random.Generator:
    """The random generator for one purpose of one replication (of one LA, when ``la`` is given)."""
    entropy = [seed, replication, stream_key(name)]
    if la is not None:
        entropy.append(stream_key(la))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))


class Streams:
    """All named streams of one replication, looked up by purpose: ``streams["arrivals"]``.

    Parameters
    ----------
    seed, replication
        Base seed of the experiment and replication number.
    la
        Identity (code) of the LA whose streams these are when several LAs share a run; ``None``
        for a single-LA run (the streams are then those of every earlier version).
    """

    def __init__(self, seed: int, replication: int, la: str | None = None) -> None:
        self.seed = seed
        self.replication = replication
        self.la = la
        self._rngs = {name: make_stream(seed, replication, name, la) for name in STREAM_NAMES}

    def part(self, name: str, part: str) -> np.random.Generator:
        """A stream of its own for one part of a purpose (``part("leaving", "agency")``), derived
        like the purpose's stream from the key of ``"name/part"``; used by :class:`MemberDraws`,
        which needs a stream that nothing else draws from."""
        if name not in self._rngs:
            self[name]  # raises the error that names the valid streams
        return make_stream(self.seed, self.replication, f"{name}/{part}", self.la)

    def __getitem__(self, name: str) -> np.random.Generator:
        try:
            return self._rngs[name]
        except KeyError:
            raise KeyError(
                f"no random stream named '{name}'; streams: {', '.join(STREAM_NAMES)}"
            ) from None


class BlockDraws:
    """Variates drawn from one stream in blocks and handed out one at a time.

    One numpy call per few thousand events is far cheaper than one per event (DESIGN §7).
    """

    def __init__(self, rng: np.random.Generator, block: int = 2048) -> None:
        self._rng = rng
        self._block = block
        self._u: list[float] = []
        self._e: list[float] = []
        self._z: list[float] = []

    def uniform(self) -> float:
        """One U(0, 1) variate."""
        if not self._u:
            self._u = self._rng.random(self._block).tolist()
        return self._u.pop()

    def exponential(self) -> float:
        """One standard exponential variate (mean 1)."""
        if not self._e:
            self._e = self._rng.standard_exponential(self._block).tolist()
        return self._e.pop()

    def normal(self) -> float:
        """One standard normal variate."""
        if not self._z:
            self._z = self._rng.standard_normal(self._block).tolist()
        return self._z.pop()


def array_sampler(rng: np.random.Generator, kind: str) -> Callable[[tuple[int, ...]], np.ndarray]:
    """``rng``'s method drawing an array of a given shape of U(0, 1) (``kind="uniform"``) or
    standard exponential (``"exponential"``) variates."""
    if kind not in ("uniform", "exponential"):
        raise ValueError(f"kind must be 'uniform' or 'exponential', not {kind!r}")
    return rng.random if kind == "uniform" else rng.standard_exponential


class StepDraws:
    """Variates for a fixed-size step (one row per week), drawn many steps at a time.

    ``next()`` returns the next step's variates (of ``shape``, flattened) as a list of floats.
    Rows are drawn ``steps`` at a time in the order they are used, so the values are exactly
    those of one draw per step. A block is converted to Python floats, and its rows' minima
    found, once: a step then costs no numpy call, and :meth:`below` can tell without a scan that
    no variate of the step is below a bound.
    """

    def __init__(
        self,
        rng: np.random.Generator,
        shape: tuple[int, ...],
        kind: str = "uniform",
        steps: int = 52,
    ) -> None:
        self._draw = array_sampler(rng, kind)
        self._shape = shape
        self._steps = steps
        self._block: np.ndarray = np.empty((0, math.prod(shape)))
        self._rows: list[list[float]] = []
        self._minima: list[float] = []
        self._i = 0

    def next(self) -> list[float]:
        """The next step's variates (flattened)."""
        if self._i == len(self._rows):
            self._block = self._draw((self._steps, *self._shape)).reshape(self._steps, -1)
            self._rows = self._block.tolist()
            self._minima = self._block.min(axis=1).tolist()
            self._i = 0
        self._i += 1
        return self._rows[self._i - 1]

    def below(self, bound: float) -> list[int]:
        """Indices (in the flattened row) of the current step's variates that are below
        ``bound``; one comparison when none is. Call after :meth:`next`."""
        if bound <= self._minima[self._i - 1]:
            return []
        return (self._block[self._i - 1] < bound).nonzero()[0].tolist()


class MemberDraws:
    """Variates for the members of a group (posts, team-manager posts), each member with its own
    sequence: the k-th variate handed to member ``i`` is the same whatever happened to the other
    members and whenever it is asked for.

    Arms of a sweep share the stream, so after their histories differ the same post still gets
    the same budgets for its first, second, ... spells (common random numbers member by member).
    This needs a stream used for nothing else (:meth:`Streams.part`): blocks of ``block``
    variates per member are drawn from it in order, so a block's values do not depend on when it
    is first needed.
    """

    def __init__(
        self, rng: np.random.Generator, n: int, kind: str = "exponential", block: int = 8
    ) -> None:
        self._draw = array_sampler(rng, kind)
        self._n = n
        self._block = block
        self._blocks: list[np.ndarray] = []  # block b: variates b*block ... of every member
        self._used = [0] * n

    def next(self, i: int) -> float:
        """The next variate of member ``i``."""
        k = self._used[i]
        self._used[i] = k + 1
        b, j = divmod(k, self._block)
        while b >= len(self._blocks):
            self._blocks.append(self._draw((self._n, self._block)))
        return float(self._blocks[b][i, j])
