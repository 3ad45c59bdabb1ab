"""Formatting numbers the way they are printed on a problem sheet (no math is done here)."""

from __future__ import annotations

import re
from decimal import Decimal

_LONG_INTEGER = re.compile(r"\d{7,}")


def num(x, sig: int = 6) -> str:
    """Short decimal text: 0.25, -1.5, 3, 0.000123, 1.5e-08 for tiny values."""
    x = float(x)
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError(f"cannot print {x} on a problem sheet")
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    s = f"{x:.{sig}g}"
    if "e" in s:
        mantissa, exponent = s.split("e")
        if -6 <= int(exponent) < sig:
            s = format(Decimal(s), "f")
    if "." in s and "e" not in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def tnum(x, sig: int = 6) -> str:
    """Like `num`, but as LaTeX: 1.5e-08 becomes 1.5 \\times 10^{-8}."""
    s = num(x, sig)
    if "e" in s:
        mantissa, exponent = s.split("e")
        return f"{mantissa} \\times 10^{{{int(exponent)}}}"
    return s


def signed(x, sig: int = 6) -> str:
    """A term to follow another: '+ 3' or '- 3' (LaTeX)."""
    x = float(x)
    return f"- {tnum(-x, sig)}" if x < 0 else f"+ {tnum(x, sig)}"


def short_exact(exact) -> bool:
    """Whether an exact form (SymPy syntax) is worth showing beside the decimal: at most 60
    characters and no integer of 7 or more digits (-4180000009/7600000020 says less than -0.55;
    cos(e^(-1/2))·e^(-1/2) − e^(-1)·sin(e^(-1/2)) shows the chain rule at work)."""
    if exact is None:  # no exact string to judge by: the display form stands
        return True
    text = str(exact)
    if text.lstrip("-").isdigit():  # a whole number is its own decimal
        return True
    return len(text) <= 60 and not _LONG_INTEGER.search(text)
