"""Math namespaces for the scalar-graph engine (probgen.kit.graph): one rule, written once
against `m`, evaluated in the number system a family needs.

- `FLOAT`: plain floats, for the error-carried-forward values computed from a student's numbers
  and for quick checks in `generate`;
- `FRACTION`: exact rational arithmetic for graphs without transcendental functions (exact like
  SymPy, far faster);
- `sym()`: exact SymPy values and symbolic forms; `sym(evaluate=False)` leaves exp and log
  unevaluated (SymPy's automatic simplification of exp/log of nested sums costs milliseconds and
  shortens nothing in tiny-network);
- `precise()`: mpmath at 80 bits, for every decimal that goes into a problem: deterministic on
  every machine (pure arbitrary-precision arithmetic, no platform libm) and far cheaper than
  SymPy's evalf. `degrees` and `log10` give the calculator slips (trig in degree mode, log base
  10 for ln).

SymPy and mpmath are imported on first use (CLI start-up time).
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..core.lazy import sympy as sp
from .solver import exact


def _linear(m, weights, inputs, bias):
    """bias + Σ w·a (in this order: the printed exact forms depend on it)."""
    return sum((w * a for w, a in zip(weights, inputs)), bias)


class FloatMath:
    exp = staticmethod(math.exp)
    log = staticmethod(math.log)
    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    tanh = staticmethod(math.tanh)

    @staticmethod
    def sigmoid(a):
        return 1.0 / (1.0 + math.exp(-a))

    @staticmethod
    def relu(a):
        return a if a > 0 else 0.0

    @staticmethod
    def step(a):
        return 1.0 if a > 0 else 0.0

    @staticmethod
    def number(k):
        return float(k)

    def linear(self, weights, inputs, bias):
        return _linear(self, weights, inputs, bias)


class FractionMath:
    """Exact rational arithmetic (pow, affine maps, products, sums, ReLU, linear units)."""

    @staticmethod
    def number(k):
        return Fraction(str(k))

    @staticmethod
    def relu(a):
        return a if a > 0 else Fraction(0)

    @staticmethod
    def step(a):
        return Fraction(1 if a > 0 else 0)

    def linear(self, weights, inputs, bias):
        return _linear(self, weights, inputs, bias)


class SymMath:
    """SymPy functions; `step` (ReLU's slope) only ever sees exact numbers."""

    def __init__(self, evaluate: bool = True):
        self.evaluate = evaluate
        self.sin, self.cos, self.tanh = sp.sin, sp.cos, sp.tanh

    def exp(self, a):
        return sp.exp(a) if self.evaluate else sp.exp(a, evaluate=False)

    def log(self, a):
        return sp.log(a) if self.evaluate else sp.log(a, evaluate=False)

    def sigmoid(self, a):
        return 1 / (1 + self.exp(-a))

    @staticmethod
    def relu(a):
        return sp.Max(0, a)

    @staticmethod
    def step(a):
        return sp.Integer(1 if a > 0 else 0)

    @staticmethod
    def number(k):
        return exact(k)

    def linear(self, weights, inputs, bias):
        terms = [*weights, *inputs, bias]
        if all(getattr(t, "is_Rational", False) for t in terms):
            # the same Rational, a good deal faster through Python fractions
            f = _linear(self, *([Fraction(int(t.p), int(t.q)) for t in part]
                                for part in (weights, inputs)), Fraction(int(bias.p), int(bias.q)))
            return sp.Rational(f.numerator, f.denominator)
        return _linear(self, weights, inputs, bias)


class PreciseMath:
    """mpmath at 80 bits (see the module docstring)."""

    def __init__(self, degrees: bool = False, log10: bool = False):
        import mpmath

        ctx = self.ctx = mpmath.MPContext()
        ctx.prec = 80
        self._numbers: dict = {}
        self.exp, self.tanh = ctx.exp, ctx.tanh
        self.log = ctx.log10 if log10 else ctx.log
        if degrees:
            self.sin = lambda a: ctx.sin(ctx.radians(a))
            self.cos = lambda a: ctx.cos(ctx.radians(a))
        else:
            self.sin, self.cos = ctx.sin, ctx.cos

    def sigmoid(self, a):
        return 1 / (1 + self.ctx.exp(-a))

    def relu(self, a):
        return a if a > 0 else self.ctx.mpf(0)

    def step(self, a):
        return self.ctx.mpf(1 if a > 0 else 0)

    def number(self, k):
        got = self._numbers.get(k)
        if got is None:  # params are a few short decimals: convert each once
            got = self._numbers[k] = self.ctx.mpf(str(k))
        return got

    def linear(self, weights, inputs, bias):
        return _linear(self, weights, inputs, bias)


FLOAT = FloatMath()
FRACTION = FractionMath()
_cache: dict = {}


def sym(evaluate: bool = True) -> SymMath:
    key = ("sym", evaluate)
    if key not in _cache:
        _cache[key] = SymMath(evaluate)
    return _cache[key]


def precise(degrees: bool = False, log10: bool = False) -> PreciseMath:
    key = ("precise", degrees, log10)
    if key not in _cache:
        _cache[key] = PreciseMath(degrees, log10)
    return _cache[key]
