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


_BARE_INTEGER = re.compile(r"(?<![\d.,])(\d{5,})(?!\d|\.\d)")
_MATH_OR_CODE = re.compile(r"(\$\$.+?\$\$|\$[^$]+\$|`[^`]*`)", re.S)


def group_digits(markup: str) -> str:
    """Every whole number of five or more digits in markup with digit groups, as the answers print
    them: a thin space in math (`group`), a narrow no-break space (U+202F) in prose; code spans and
    the digits after a decimal point are left alone (40140800 -> 40 140 800)."""
    def in_math(m):
        return group(m.group(1))

    def in_prose(m):
        return group(m.group(1)).replace("\\,", "\u202f")

    pieces = _MATH_OR_CODE.split(markup)
    out = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            out.append(_BARE_INTEGER.sub(in_prose, piece))
        elif piece.startswith("$"):
            out.append(_BARE_INTEGER.sub(in_math, piece))
        else:
            out.append(piece)
    return "".join(out)


def minus_sign(number: str) -> str:
    """A number as printed (a plot's tick, a table cell) with a true minus sign (U+2212) for each
    hyphen-minus, as the sheets print numbers outside math."""
    return number.replace("-", "\u2212")


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


# The exact-form policy of issue 10 §3, for every key: an exact form is printed beside the decimal
# only when it is short AND says something the decimal does not.
#  - A problem whose givens are decimals (0.8, -0.5, a learning rate 0.1) is worked in decimals:
#    its key shows no plain fraction (x given back as [-1/2, 17/10] or x̂₀ = 7/6 reads as noise);
#    a closed form (ln 11, ln²2 − 2 ln 2 in backprop-chain) still shows, under the rule below.
#  - Otherwise a plain fraction is shown only when its decimal does not end (2/3, 26/35, 7/6) and
#    both its integers have at most NATURAL_DIGITS digits: a terminating one (9/25, 79/20) is its
#    decimal. A closed form (ln 12, cos(11/2), 200π) is shown when every number in it is a whole
#    number or a natural fraction: a half, quarter, fifth or eighth, or a short fraction that does not
#    end; never a decimal in disguise such as tanh(2197/5000) or sin(11/20).
NATURAL_DIGITS = 3
NATURAL_DENOMINATOR = 8  # terminating fractions up to eighths read as fractions inside a closed form
_RATIONAL_ATOM = re.compile(r"(?<![\w.])(\d+)(?:/(\d+))?(?![\w.])")
_SYMPY_WORDS = re.compile(r"[A-Za-z_]+")


def _terminates(q: int) -> bool:
    for f in (2, 5):
        while q % f == 0:
            q //= f
    return q == 1


def _natural_fraction(p: int, q: int, bare: bool, decimals: bool = False) -> bool:
    if q == 1:
        return len(str(p)) <= 4
    if len(str(p)) > NATURAL_DIGITS or len(str(q)) > NATURAL_DIGITS:
        return False
    if _terminates(q):
        return not bare and not decimals and q <= NATURAL_DENOMINATOR
    return True


def natural_exact(exact, decimals: bool = False) -> bool:
    """Whether an exact value (SymPy syntax: "2/3", "-log(25/3)/2", "200*pi") is worth printing
    beside its decimal under the policy above; `decimals`: the problem's givens are decimals, so
    a terminating fraction in a closed form is one of them in disguise (tanh(7/5) is tanh 1.4).
    A whole number is its own decimal (True: the key prints it once)."""
    text = str(exact).replace(" ", "").replace("**", "^")
    if re.fullmatch(r"-?\d+", text):
        return True
    m = re.fullmatch(r"-?(\d+)/(\d+)", text)
    if m:
        return _natural_fraction(int(m.group(1)), int(m.group(2)), bare=True)
    if re.search(r"\d\.\d", text):  # a decimal inside: nothing exact to show
        return False
    return all(_natural_fraction(int(a), int(b or 1), bare=False, decimals=decimals)
               for a, b in _RATIONAL_ATOM.findall(text))


def decimal_givens(params) -> bool:
    """Whether a problem's given numbers include a decimal (a float that is not whole): then its
    key is worked and shown in decimals."""
    if isinstance(params, bool):
        return False
    if isinstance(params, float):
        return not params.is_integer()
    if isinstance(params, dict):
        return any(decimal_givens(v) for v in params.values())
    if isinstance(params, (list, tuple)):
        return any(decimal_givens(v) for v in params)
    return False


def exact_shown(exact, decimals: bool) -> bool:
    """The policy for one value: `decimals` is decimal_givens(params) of its problem."""
    if decimals and re.fullmatch(r"-?\d+/\d+", str(exact).replace(" ", "")):
        return False
    return natural_exact(exact, decimals)


def exact_array_latex(exact, decimals: bool) -> str | None:
    """A vector's or matrix's exact form as LaTeX when every entry is shown under the policy and
    at least one is a fraction (else None: the key prints the decimals alone)."""
    rows = exact if exact and all(isinstance(r, list) for r in exact) else [exact]
    flat = [str(v).replace(" ", "") for row in rows for v in row]
    if decimals or not flat or not all(re.fullmatch(r"-?\d+(/\d+)?", v) and natural_exact(v) for v in flat):
        return None
    if all("/" not in v for v in flat):
        return None

    def tex(v: str) -> str:
        if "/" not in v:
            return v
        p, q = v.split("/")
        return ("-" if p.startswith("-") else "") + rf"\frac{{{p.lstrip('-')}}}{{{q}}}"

    if exact and all(isinstance(r, list) for r in exact):
        return r"\begin{bmatrix} " + r" \\ ".join(" & ".join(tex(str(v).replace(" ", "")) for v in row)
                                                  for row in exact) + r" \end{bmatrix}"
    return r"\left[" + r",\ ".join(tex(v) for v in flat) + r"\right]"


_SUPERSCRIPTS = dict(zip("0123456789+-−=()nitT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵗᵀ"))


def superscript(x) -> str:
    """An exponent in prose as Unicode superscripts (3 -> ³, "n" -> ⁿ), as the sheets print g₁² or
    xᵀ: never a raw `^`. Only digits, signs, brackets and n, i, t, T have superscripts."""
    return "".join(_SUPERSCRIPTS[c] for c in str(x))
