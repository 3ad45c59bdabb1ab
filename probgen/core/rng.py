"""Deterministic randomness: every draw comes from SHA-256, so a seed means the same thing
in any process, Python version or machine (no hash(), no global random, no np.random)."""

from __future__ import annotations

import hashlib
from fractions import Fraction
from typing import Sequence, TypeVar

T = TypeVar("T")


def derive_seed(*parts: object) -> int:
    """A 63-bit seed from any tuple of str/int parts (exam seed, slot, family, ...)."""
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 1


class Draw:
    """The only source of randomness handed to a family's `generate`.

    A counter-mode SHA-256 stream: 64-bit words from sha256(key || counter).
    """

    def __init__(self, *key: object):
        self._key = hashlib.sha256("\x1f".join(str(k) for k in key).encode()).digest()
        self._counter = 0

    def _word(self) -> int:
        self._counter += 1
        block = hashlib.sha256(self._key + self._counter.to_bytes(8, "big")).digest()
        return int.from_bytes(block[:8], "big")

    def integer(self, lo: int, hi: int) -> int:
        """Uniform integer in [lo, hi], both ends included."""
        if hi < lo:
            raise ValueError(f"empty range [{lo}, {hi}]")
        span = hi - lo + 1
        limit = (1 << 64) - ((1 << 64) % span)  # rejection keeps it exactly uniform
        while True:
            w = self._word()
            if w < limit:
                return lo + w % span

    def uniform(self) -> float:
        """Float in [0, 1) with 53 random bits."""
        return (self._word() >> 11) / float(1 << 53)

    def choice(self, options: Sequence[T]) -> T:
        if not options:
            raise ValueError("choice from an empty sequence")
        return options[self.integer(0, len(options) - 1)]

    def sample(self, options: Sequence[T], k: int) -> list[T]:
        """k distinct elements, in random order."""
        pool = list(options)
        if k > len(pool):
            raise ValueError(f"cannot sample {k} from {len(pool)}")
        self.shuffle(pool)
        return pool[:k]

    def shuffle(self, items: list) -> None:
        for i in range(len(items) - 1, 0, -1):
            j = self.integer(0, i)
            items[i], items[j] = items[j], items[i]

    def sign(self) -> int:
        return 1 if self.integer(0, 1) else -1

    def coin(self, probability: Fraction | float = 0.5) -> bool:
        return self.uniform() < probability

    def decimal(self, lo: float, hi: float, step: float, *, nonzero: bool = False) -> float:
        """A multiple of `step` in [lo, hi], as the short float a student would read (0.25, -1.5)."""
        step_f = Fraction(str(step))
        first = -((-Fraction(str(lo))) // step_f)  # ceil
        last = Fraction(str(hi)) // step_f
        values = [k for k in range(int(first), int(last) + 1) if not (nonzero and k == 0)]
        k = self.choice(values)
        return float(Fraction(k) * step_f)

    def fraction(self, choices: Sequence[str]) -> str:
        """Pick one of a list of friendly exact values given as strings ("1/2", "0.25")."""
        return self.choice(list(choices))
