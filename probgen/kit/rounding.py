"""Rounding propagated through a computation: interval arithmetic where every intermediate
result may also be rounded to 3 significant figures, as a student working by hand does.

`Rounded(lo, hi)` holds every value a student can reach: each arithmetic result is the exact
hull over its operands' ranges, widened to hold each end rounded to 3 significant figures (the
student may or may not round it; rounding is monotone, so the ends' roundings bound every
rounded value, and a result that is already short, 1 − 0.99 = 0.01, is not widened at all). Given numbers (the problem's data) are exact. The
final range is what `probgen.core.tolerance` accepts on top of its relative rule: it scales with
the terms a result combines, so a cancellation near 0 accepts 0.

Used through `optim_trace.ROUNDING_OPS`: the optimizer-trace rules run unchanged on it.
"""

from __future__ import annotations

import math

from ..core.tolerance import round_figures


class Rounded:
    __slots__ = ("lo", "hi")

    def __init__(self, lo: float, hi: float | None = None):
        self.lo = float(lo)
        self.hi = float(lo if hi is None else hi)

    @staticmethod
    def exact(x) -> "Rounded":
        return x if isinstance(x, Rounded) else Rounded(float(x))

    def _rounded(self) -> "Rounded":
        """Widened to hold the ends rounded to 3 significant figures."""
        return Rounded(min(self.lo, round_figures(self.lo)), max(self.hi, round_figures(self.hi)))

    @staticmethod
    def _hull(values) -> "Rounded":
        values = list(values)
        if not all(math.isfinite(v) for v in values):
            raise ArithmeticError("the rounding range is not finite")
        return Rounded(min(values), max(values))._rounded()

    def __add__(self, other):
        o = Rounded.exact(other)
        return Rounded._hull([self.lo + o.lo, self.hi + o.hi])

    __radd__ = __add__

    def __sub__(self, other):
        o = Rounded.exact(other)
        return Rounded._hull([self.lo - o.hi, self.hi - o.lo])

    def __rsub__(self, other):
        return Rounded.exact(other) - self

    def __mul__(self, other):
        o = Rounded.exact(other)
        return Rounded._hull([a * b for a in (self.lo, self.hi) for b in (o.lo, o.hi)])

    __rmul__ = __mul__

    def __truediv__(self, other):
        o = Rounded.exact(other)
        if o.lo <= 0 <= o.hi:
            raise ArithmeticError("division by a range that holds 0")
        return Rounded._hull([a / b for a in (self.lo, self.hi) for b in (o.lo, o.hi)])

    def __rtruediv__(self, other):
        return Rounded.exact(other) / self

    def __neg__(self):
        return Rounded(-self.hi, -self.lo)

    def __pos__(self):
        return self

    def __pow__(self, n):
        if not isinstance(n, int) or n < 0:
            raise ArithmeticError("only whole powers")
        ends = [self.lo ** n, self.hi ** n]
        if n % 2 == 0 and self.lo < 0 < self.hi:
            ends.append(0.0)
        return Rounded._hull(ends)

    def sqrt(self) -> "Rounded":
        if self.lo < 0:
            if self.hi < 0:
                raise ArithmeticError("square root of a negative range")
            return Rounded._hull([0.0, math.sqrt(self.hi)])
        return Rounded._hull([math.sqrt(self.lo), math.sqrt(self.hi)])

    def __float__(self):
        return (self.lo + self.hi) / 2

    def __repr__(self):
        return f"Rounded({self.lo!r}, {self.hi!r})"


def rounded_sqrt(x):
    return Rounded.exact(x).sqrt()
