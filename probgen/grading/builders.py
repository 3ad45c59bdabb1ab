"""Reading a student's typed answer, step 3: what the grammar's nodes become.

`FloatBuilder` computes floats (number, vector and matrix answers); `SympyBuilder` builds SymPy
objects through SymPy's constructors from whitelisted names only (expressions and shapes).
"""

from __future__ import annotations

import math
from typing import Callable

from ..core.lazy import sympy as sp
from . import sameval
from .lexer import MAX_MAGNITUDE_DIGITS, ReadError, check_literal


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


class FloatBuilder:
    """Computes the value as a float: for number, vector and matrix answers (no symbols).

    A bracket after a complete value (`2.197 (ln 9)`) is a second form of that value, never a
    product (`forms`): `same` reads the two as one value when they agree within `tolerance`."""

    forms = True

    def __init__(self, tolerance: float | None = None):
        self.tolerance = sameval.DEFAULT_TOLERANCE if tolerance is None else tolerance

    def same(self, forms: list[tuple[str, float]], product: str) -> float:
        return sameval.combine(forms, self.tolerance, product)

    _UNARY: dict[str, Callable[[float], float]] = {
        "ln": math.log, "log": math.log, "exp": math.exp, "sqrt": math.sqrt, "sin": math.sin,
        "cos": math.cos, "tan": math.tan, "tanh": math.tanh, "sigmoid": _sigmoid, "abs": abs,
        "relu": lambda x: max(0.0, x), "heaviside": lambda x: 1.0 if x > 0 else (0.0 if x < 0 else 0.5),
    }

    def number(self, text: str) -> float:
        check_literal(text)
        return sameval.literal(text)

    def name(self, name: str) -> float:
        if name in ("e", "E"):
            return math.e
        if name == "pi":
            return math.pi
        raise ReadError(f"'{name}' is not a number or a known function; a number is expected here")

    def _finite(self, x: float) -> float:
        if not math.isfinite(x):
            raise ReadError("the value is too large")
        return x

    def add(self, a, b):
        return self._finite(a + b)

    def sub(self, a, b):
        return self._finite(a - b)

    def mul(self, a, b):
        return self._finite(a * b)

    def div(self, a, b):
        if b == 0:
            raise ReadError("it divides by zero")
        return self._finite(a / b)

    def neg(self, a):
        return sameval.negate(a)

    def pow(self, a, b):
        try:
            value = math.pow(a, b)
        except OverflowError:
            raise ReadError("a power in it is too large") from None
        except (ValueError, ZeroDivisionError):
            raise ReadError("a power in it has no real value") from None
        return self._finite(value)

    def call(self, fname: str, args: list):
        if fname in ("max", "min"):
            return (max if fname == "max" else min)(args)
        if len(args) != 1:
            raise ReadError(f"{fname} takes one argument")
        try:
            return self._finite(self._UNARY[fname](args[0]))
        except OverflowError:
            raise ReadError(f"{fname}({args[0]:g}) is too large") from None
        except ValueError:
            raise ReadError(f"{fname}({args[0]:g}) has no real value") from None


class SympyBuilder:
    """Builds a SymPy expression with SymPy's constructors, from whitelisted names only.

    `symbols`: the names the answer may use (the problem's variables); with `free_names`, any
    short name becomes a symbol (shape dimensions such as N, C, H, W)."""

    def __init__(self, symbols=(), free_names: bool = False):
        self.symbols = {name: sp.Symbol(name) for name in symbols}
        self.free_names = free_names

    def number(self, text: str):
        check_literal(text)
        return sp.Rational(text) if ("." in text or "e" in text.lower()) else sp.Integer(text)

    def name(self, name: str):
        if name in self.symbols:
            return self.symbols[name]
        if name in ("e", "E"):
            return sp.E
        if name == "pi":
            return sp.pi
        if self.free_names:
            return self.symbols.setdefault(name, sp.Symbol(name))
        known = ", ".join(sorted(self.symbols)) or "none"
        raise ReadError(f"unknown name '{name}' (symbols you may use: {known})")

    def add(self, a, b):
        return _bounded(a + b)

    def sub(self, a, b):
        return _bounded(a - b)

    def mul(self, a, b):
        return _bounded(a * b)

    def div(self, a, b):
        if b == 0:
            raise ReadError("it divides by zero")
        return _bounded(a / b)

    def neg(self, a):
        return -a

    def pow(self, a, b):
        if b.is_Number:
            if abs(b) > 1000:
                raise ReadError("an exponent in it is too large")
            if a.is_Number and a != 0:
                # |a^b| = 10^(b·log10|a|): refuse before SymPy computes a huge exact number
                if abs(float(b)) * abs(math.log10(abs(float(a)))) > MAX_MAGNITUDE_DIGITS:
                    raise ReadError("a power in it is too large")
            if a == 0 and b.is_negative:
                raise ReadError("it divides by zero")
        return _bounded(a ** b)

    def call(self, fname: str, args: list):
        return _bounded(self._call(fname, args))

    def _call(self, fname: str, args: list):
        if fname in ("max", "min"):
            return (sp.Max if fname == "max" else sp.Min)(*args)
        if len(args) != 1:
            raise ReadError(f"{fname} takes one argument")
        x = args[0]
        if fname in ("ln", "log"):
            if x == 0:
                raise ReadError("it takes the log of 0")
            return sp.log(x)
        if fname == "sigmoid":
            return 1 / (1 + sp.exp(-x))
        if fname == "relu":
            return sp.Max(0, x)
        if fname == "abs":
            return sp.Abs(x)
        if fname == "heaviside":
            return sp.Heaviside(x)
        return getattr(sp, fname)(x)


_LIMIT = 10 ** MAX_MAGNITUDE_DIGITS


def _numbers(expr, depth: int = 2):
    """The numbers in the top `depth` levels of an expression: where SymPy folds constants
    (10^200·10^200 becomes one Integer; 10^200·u + 10^200·u becomes 2·10^200·u)."""
    if expr.is_Number or expr.is_NumberSymbol:
        yield expr
    elif depth > 0:
        for arg in expr.args:
            yield from _numbers(arg, depth - 1)


def _bounded(expr):
    """Every number SymPy folded into `expr` is finite and within 10^±300, so no exact integer
    grows past a few hundred digits (printing one of 4,300 digits raises) and no value the
    judge evaluates is infinite. Subexpressions were checked when they were built."""
    for n in _numbers(expr):
        if n.is_finite is False or n is sp.nan:
            raise ReadError("its value is not finite")
        if n.is_Rational and (abs(n.p) > _LIMIT or n.q > _LIMIT):
            raise ReadError("a number in it is too large or too small")
        if n.is_Float and not math.isfinite(float(n)):
            raise ReadError("its value is not finite")
    return expr
