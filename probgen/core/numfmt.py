"""Formatting numbers the way they are printed on a problem sheet (no math is done here)."""

from __future__ import annotations

from decimal import Decimal


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


SHORT_EXACT_DIGITS = 4  # an exact form is shown only if each of its integers has at most this many digits
SHORT_EXACT_CHARS = 40


def is_short_exact(latex: str) -> bool:
    """Whether an exact form is worth printing beside its decimal: short, and made of small integers
    (3/4, \\ln 3/2, \\sqrt{2}/2), not 78575838025641/976562500000000 or tanh(6663/12500)."""
    import re

    body = re.sub(r"\\[a-zA-Z]+", "", latex)  # command names are not digits
    numbers = re.findall(r"\d+", body.replace("\\,", ""))
    return len(latex) <= SHORT_EXACT_CHARS and all(len(n) <= SHORT_EXACT_DIGITS for n in numbers)


def group(n) -> str:
    """A whole number as LaTeX with thin-space digit groups from five digits on: 3072, 393\\,344.
    (A comma would read as a decimal point in many locales, and math typesetting spaces it.)"""
    n = int(n)
    digits = str(abs(n))
    if len(digits) > 4:
        digits = "\\,".join(digits[max(0, i - 3):i] for i in range(len(digits), 0, -3)[::-1])
    return ("-" if n < 0 else "") + digits


def signed(x, sig: int = 6) -> str:
    """A term to follow another: '+ 3' or '- 3' (LaTeX)."""
    x = float(x)
    return f"- {tnum(-x, sig)}" if x < 0 else f"+ {tnum(x, sig)}"
