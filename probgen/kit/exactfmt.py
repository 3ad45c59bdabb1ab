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
    return sp.latex(e, order="none", ln_notation=True)  # the course writes natural logs as ln


MAX_DIGITS = 5  # of each integer in an exact fraction worth printing
MAX_FUNCTIONS = 2  # function values (e^{1/2}, ln 3, sin 1, tanh(3/4)) in a closed form worth printing


def _short_rational(r) -> bool:
    return len(str(abs(int(r.p if hasattr(r, "p") else r.numerator)))) <= MAX_DIGITS and \
        len(str(int(r.q if hasattr(r, "q") else r.denominator))) <= MAX_DIGITS


def short(e) -> bool:
    """Whether an exact value says something its decimal does not, to a person reading it: a
    fraction whose integers have at most 5 digits, or a closed form one recognises: at most two
    function values, each of a short fraction (no function of a function or of a sum, so no
    nested fraction inside ln), at most one division by something that is not a number, and
    short fractions throughout. Otherwise the key shows the decimal alone."""
    if isinstance(e, (int, Fraction)):
        return _short_rational(Fraction(e))
    functions = divisions = 0
    for node in sp.preorder_traversal(e):
        if node.is_Rational:
            if not _short_rational(node):
                return False
        elif node.is_Function:
            functions += 1
            if len(node.args) != 1 or not node.args[0].is_Rational:
                return False
        elif node.is_Pow and node.exp.is_negative and not node.base.is_Number:
            divisions += 1
    return functions <= MAX_FUNCTIONS and divisions <= 1 and len(text(e)) <= DISPLAY_LIMIT


def display(e) -> str | None:
    """The exact form as a display when it is `short`, else None: the answer key then shows
    the decimal alone (the exact string stays in the part's `exact`)."""
    return latex(e) if short(e) else None


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
