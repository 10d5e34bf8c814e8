"""Named random streams (DESIGN §5).

A replication's stream for a purpose derives from ``SeedSequence([seed, replication, hash(name)])``
where the hash is a stable CRC-32 of the purpose's name (Python's ``hash`` is salted per process).
Arms of a sweep use the same seed and replication, so they share streams: common random numbers.
"""

from __future__ import annotations

import zlib

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
)


def stream_key(name: str) -> int:
    """Stable 32-bit key of a stream's name (the same on every platform and process)."""
    return zlib.crc32(name.encode("utf-8"))


def make_stream(seed: int, replication: int, name: str) -> np.random.Generator:
    """The random generator for one purpose of one replication."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, replication, stream_key(name)])))


class Streams:
    """All named streams of one replication, as attributes (``streams.arrivals`` ...)."""

    def __init__(self, seed: int, replication: int) -> None:
        self.seed = seed
        self.replication = replication
        for name in STREAM_NAMES:
            setattr(self, name, make_stream(seed, replication, name))

    def __getattr__(self, name: str) -> np.random.Generator:  # for type checkers
        raise AttributeError(f"no random stream named '{name}'; streams: {', '.join(STREAM_NAMES)}")


class BlockDraws:
    """Uniform or exponential variates drawn from a stream in blocks, handed out one at a time.

    Drawing thousands at once and indexing is several times cheaper than one numpy call per event.
    """

    def __init__(self, rng: np.random.Generator, block: int = 4096) -> None:
        self._rng = rng
        self._block = block
        self._u = rng.random(block)
        self._i = 0

    def uniform(self) -> float:
        """One U(0, 1) variate."""
        if self._i >= self._block:
            self._u = self._rng.random(self._block)
            self._i = 0
        value = float(self._u[self._i])
        self._i += 1
        return value
