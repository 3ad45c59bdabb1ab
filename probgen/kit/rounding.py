"""Rounding propagated through a computation: interval arithmetic where every intermediate
result may also be rounded to 3 significant figures, as a student working by hand does.

`Rounded(lo, hi)` holds every value a student can reach: each arithmetic result is the exact
hull over its operands' ranges, widened to hold each end rounded to 3 significant figures (the
student may or may not round it; rounding is monotone, so the ends' roundings bound every
rounded value, and a result that is already short, 1 − 0.99 = 0.01, is not widened at all). Given numbers (the problem's data) are exact. The
final range is what `probgen.core.tolerance` accepts on top of its relative rule: it scales with
the terms a result combines, so a cancellation near 0 accepts 0.

Used through `optim_trace.ROUNDING_OPS`: the optimizer-trace rules run unchanged on it, and by
the families whose parts take several steps (a softmax, a log of a sum, a division) to range
the student's route through a part. `Rounded.at(figures)` makes a value whose results are rounded to
more figures (a step the problem asks to keep to 4, where 3 would cancel); `rounded_exp`,
`rounded_log`: a function key's result, rounded like any other.
"""

from __future__ import annotations

import math

from ..core.tolerance import round_figures


class Rounded:
    __slots__ = ("lo", "hi", "figures")

    def __init__(self, lo: float, hi: float | None = None, figures: int = 3):
        self.lo = float(lo)
        self.hi = float(lo if hi is None else hi)
        self.figures = figures  # the significant figures results computed from it are written to

    @staticmethod
    def exact(x) -> "Rounded":
        return x if isinstance(x, Rounded) else Rounded(float(x))

    def at(self, figures: int) -> "Rounded":
        """The same range, its results written to `figures` significant figures."""
        return Rounded(self.lo, self.hi, figures)

    def _rounded(self) -> "Rounded":
        """Widened to hold the ends rounded to `figures` significant figures."""
        f = self.figures
        return Rounded(min(self.lo, round_figures(self.lo, f)), max(self.hi, round_figures(self.hi, f)), f)

    def _hull(self, values, other=None) -> "Rounded":
        """The range of `values`, rounded to the figures of the operand kept to more (3 unless a
        step was asked to keep more: `at`)."""
        values = list(values)
        if not all(math.isfinite(v) for v in values):
            raise ArithmeticError("the rounding range is not finite")
        figures = max(self.figures, other.figures) if other is not None else self.figures
        return Rounded(min(values), max(values), figures)._rounded()

    def monotone(self, f) -> "Rounded":
        """f (increasing or decreasing on the range) of the range, its result rounded."""
        return self._hull([f(self.lo), f(self.hi)])

    def exp(self) -> "Rounded":
        return self.monotone(math.exp)

    def log(self) -> "Rounded":
        if self.lo <= 0:
            raise ArithmeticError("log of a range that reaches 0")
        return self.monotone(math.log)

    def cover(self, other) -> "Rounded":
        """Both ranges (two routes to the same result)."""
        o = Rounded.exact(other)
        return Rounded(min(self.lo, o.lo), max(self.hi, o.hi), max(self.figures, o.figures))

    def bounds(self) -> list[float]:
        """[low, high] for a part's `accepted`, give or take float noise (a student's own
        (1.12 − 1.34)/0.28 may land a unit in the last place outside the exact end)."""
        slack = 1e-9 * max(abs(self.lo), abs(self.hi))
        return [self.lo - slack, self.hi + slack]

    def __add__(self, other):
        o = Rounded.exact(other)
        return self._hull([self.lo + o.lo, self.hi + o.hi], o)

    __radd__ = __add__

    def __sub__(self, other):
        o = Rounded.exact(other)
        return self._hull([self.lo - o.hi, self.hi - o.lo], o)

    def __rsub__(self, other):
        return Rounded.exact(other) - self

    def __mul__(self, other):
        o = Rounded.exact(other)
        return self._hull([a * b for a in (self.lo, self.hi) for b in (o.lo, o.hi)], o)

    __rmul__ = __mul__

    def __truediv__(self, other):
        o = Rounded.exact(other)
        if o.lo <= 0 <= o.hi:
            raise ArithmeticError("division by a range that holds 0")
        return self._hull([a / b for a in (self.lo, self.hi) for b in (o.lo, o.hi)], o)

    def __rtruediv__(self, other):
        return Rounded.exact(other) / self

    def __neg__(self):
        return Rounded(-self.hi, -self.lo, self.figures)

    def __pos__(self):
        return self

    def __pow__(self, n):
        if not isinstance(n, int) or n < 0:
            raise ArithmeticError("only whole powers")
        ends = [self.lo ** n, self.hi ** n]
        if n % 2 == 0 and self.lo < 0 < self.hi:
            ends.append(0.0)
        return self._hull(ends)

    def sqrt(self) -> "Rounded":
        if self.lo < 0:
            if self.hi < 0:
                raise ArithmeticError("square root of a negative range")
            return self._hull([0.0, math.sqrt(self.hi)])
        return self._hull([math.sqrt(self.lo), math.sqrt(self.hi)])

    def __float__(self):
        return (self.lo + self.hi) / 2

    def __repr__(self):
        return f"Rounded({self.lo!r}, {self.hi!r})"


class RoundedMath:
    """A math namespace (probgen.kit.scalar_math) on `Rounded` values: a graph family's own
    forward and backward passes then give every value a student reaches who rounds each step
    to 3 significant figures. A ReLU's slope on a range that holds 0 is not one value: it
    raises ArithmeticError (no range then; the tolerance rule alone applies)."""

    @staticmethod
    def number(k):
        return Rounded(float(k))

    exp = staticmethod(lambda a: Rounded.exact(a).exp())
    log = staticmethod(lambda a: Rounded.exact(a).log())
    tanh = staticmethod(lambda a: Rounded.exact(a).monotone(math.tanh))
    sigmoid = staticmethod(lambda a: Rounded.exact(a).monotone(lambda v: 1 / (1 + math.exp(-v))))

    @staticmethod
    def sin(a):
        return _periodic(Rounded.exact(a), math.sin, math.pi / 2)

    @staticmethod
    def cos(a):
        return _periodic(Rounded.exact(a), math.cos, 0.0)

    @staticmethod
    def relu(a):
        a = Rounded.exact(a)
        return a if a.lo > 0 else Rounded(0.0) if a.hi <= 0 else Rounded(0.0, a.hi)

    @staticmethod
    def step(a):
        a = Rounded.exact(a)
        if a.lo > 0 or a.hi <= 0:
            return Rounded(1.0 if a.lo > 0 else 0.0)
        raise ArithmeticError("a ReLU slope on a range that holds 0")

    def linear(self, weights, inputs, bias):
        return sum((w * a for w, a in zip(weights, inputs)), Rounded.exact(bias))


def _periodic(a: Rounded, f, peak: float) -> Rounded:
    """sin or cos of a range: the ends, and ±1 where the range holds a peak (peak + kπ)."""
    ends = [f(a.lo), f(a.hi)]
    if math.floor((a.lo - peak) / math.pi) != math.floor((a.hi - peak) / math.pi):
        ends += [-1.0, 1.0]
    return a._hull(ends)


def rounded_sqrt(x):
    return Rounded.exact(x).sqrt()


def rounded_exp(x):
    return Rounded.exact(x).exp()


def rounded_log(x):
    return Rounded.exact(x).log()
