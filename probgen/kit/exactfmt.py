"""Exact answers as text and LaTeX for the families that carry their own exact arithmetic
(Python Fractions, or SymPy expressions built without SymPy's automatic simplification):
backprop-chain and tiny-network.

Printing uses order="none": five times faster than SymPy's sorted printing and just as exact,
which keeps generate+solve of 1,000 instances inside the 2 s budget.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

from ..core.lazy import sympy as sp
from ..core.model import Misconception, Part
from ..core.numfmt import num

DISPLAY_LIMIT = 60  # characters of the exact SymPy string


@lru_cache(maxsize=8192)  # values recur within a problem (a product's local derivative) and across seeds
def text(e) -> str:
    """The exact value as a SymPy-readable string ("9/4", "-3", "exp(2) + 1")."""
    if isinstance(e, Fraction):
        return str(e)  # "9/4", "-3": the same as SymPy's
    return sp.sstr(e, order="none")


@lru_cache(maxsize=8192)
def latex(e) -> str:
    if isinstance(e, Fraction):
        if e.denominator == 1:
            return str(e.numerator)
        sign = "- " if e < 0 else ""
        return f"{sign}\\frac{{{abs(e.numerator)}}}{{{e.denominator}}}"
    return sp.latex(e, order="none")


def display(e) -> str | None:
    """The exact form as a display, or None when it is too long to help a reader (nested
    sigmoids and exponentials): the answer key then shows the decimal alone."""
    return latex(e) if len(text(e)) <= DISPLAY_LIMIT else None


def finite_numbers(value, n) -> bool:
    """Whether a student's answer is a list of n finite numbers (what follow_on can use)."""
    return (isinstance(value, list) and len(value) == n
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value))


def decimal_is_exact(e, short: bool = True) -> bool:
    """An exact value whose decimal is the whole truth (2.25, -3), not a rounding; `short`:
    and at most 10 characters long."""
    if isinstance(e, int):
        e = Fraction(e)
    if not isinstance(e, Fraction):
        if not e.is_Rational:
            return False
        e = Fraction(int(e.p), int(e.q))
    q = e.denominator
    while q % 2 == 0:
        q //= 2
    while q % 5 == 0:
        q //= 5
    return q == 1 and (not short or len(num(float(e), 12)) <= 10)


def eq_sign(e, short: bool = True) -> str:
    """'=' before a decimal that is the exact value, '\\approx' before a rounding."""
    return "=" if decimal_is_exact(e, short) else r"\approx"


def number_part(key, exact_value, precise_value, points, *, mistakes=None, depends_on=()) -> Part:
    """A number part from an exact value (its text and display) and its 80-bit decimal;
    `mistakes`: {name: the value it gives}."""
    return Part(key, "number", float(precise_value), text(exact_value), display(exact_value), points=points,
                misconceptions=[Misconception(n, float(v)) for n, v in (mistakes or {}).items()],
                depends_on=list(depends_on))


def vector_part(key, exact_values, precise_values, points, *, mistakes=None, depends_on=()) -> Part:
    """A vector part, as number_part."""
    return Part(key, "vector", [float(v) for v in precise_values], [text(e) for e in exact_values],
                points=points,
                misconceptions=[Misconception(n, [float(x) for x in v]) for n, v in (mistakes or {}).items()],
                depends_on=list(depends_on))
