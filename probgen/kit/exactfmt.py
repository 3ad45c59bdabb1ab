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
