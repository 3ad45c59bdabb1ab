"""One value written in several forms: `ln(9) ≈ 2.197`, `2.197 (ln 9)`, `ln(9), 2.197`.

Students copy the key's style, which prints an exact form and its decimal. An answer that gives
one value in several forms is read as that value when every form reads and all of them agree
within the part's tolerance (the same rule that accepts an answer: `core.tolerance.accepts`,
with the most precise form in the place of the reference). If they disagree the answer is not
read: a `ReadError` names both values (never a silent "wrong", never a guess).

The most precise form is the one judged: an exact form (`ln(9)`, `3/4`) before a decimal, and a
decimal with more significant figures before one with fewer. A decimal typed as such is a
`Literal`: a float that remembers its significant figures while the answer is read (the readers
hand plain floats on).
"""

from __future__ import annotations

import math

from ..core import tolerance as tm
from ..core.model import DEFAULT_TOLERANCE
from .lexer import ReadError


class Literal(float):
    """A decimal as typed (2.197, -0.5, 3.05e-5): its value, and `figures`, its significant
    figures. Arithmetic on it gives a plain float (an exact form)."""

    figures: int

    def __new__(cls, value: float, figures: int):
        self = super().__new__(cls, value)
        self.figures = figures
        return self


def literal(text: str) -> Literal:
    """The decimal `text` (digits, a point, an exponent: as the lexer reads a number)."""
    mantissa = text.lower().partition("e")[0].lstrip("+-")
    digits = mantissa.replace(".", "").lstrip("0")
    return Literal(float(text), max(len(digits), 1))


def negate(value: float) -> float:
    """-value, a decimal staying a decimal (-2.197 has the figures of 2.197)."""
    return Literal(-value, value.figures) if isinstance(value, Literal) else -value


def precision(value: float) -> float:
    """How much a form says: an exact form is infinitely precise, a decimal its figures."""
    return value.figures if isinstance(value, Literal) else math.inf


def shown(value: float) -> str:
    return f"{value:.4g}"


def plain(value):
    """The value as plain floats (lists as lists): what the judge receives."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    return float(value)


def combine(forms: list[tuple[str, float]], tol: float = DEFAULT_TOLERANCE, product: str = "") -> float:
    """The value written as each of `forms` ((text, value) pairs): the most precise form's value
    when every other form agrees with it within `tol`, else a `ReadError` naming the two values.
    `product`: how to write a product instead (`2.197*(ln 9)`), said when the forms disagree."""
    best = max(range(len(forms)), key=lambda i: (precision(forms[i][1]), -i))  # the first of the most precise
    anchor = forms[best][1]
    for i, (_, value) in enumerate(forms):
        if i != best and tm.accepts(value, anchor, tol) is None:
            first, second = sorted((i, best))
            hint = f"; for a product write {product}" if product else ""
            raise ReadError(f"{_quote(*forms[first])} and {_quote(*forms[second])} are different values: write "
                            f"one value (its forms must agree within the part's tolerance){hint}")
    return anchor


def combine_lists(forms: list[tuple[str, object]], tol: float = DEFAULT_TOLERANCE):
    """`combine` entry by entry for vector or matrix forms (`[2/3, 1/3] ≈ [0.667, 0.333]`):
    every form has the same shape."""
    values = [v for _, v in forms]
    if all(not isinstance(v, list) for v in values):
        return combine(forms, tol)
    if not all(isinstance(v, list) and len(v) == len(values[0]) for v in values):
        raise ReadError(f"'{forms[0][0].strip()}' and '{forms[1][0].strip()}' have different sizes: "
                        "write one value")
    return [_combine_entry(f"{i + 1}", [v[i] for v in values], tol) for i in range(len(values[0]))]


def _combine_entry(label: str, entries: list, tol: float):
    if any(isinstance(e, list) for e in entries):  # a matrix row
        if not all(isinstance(e, list) and len(e) == len(entries[0]) for e in entries):
            raise ReadError(f"row {label} has different sizes in the forms: write one value")
        return [_combine_entry(f"({label},{j + 1})", [e[j] for e in entries], tol) for j in range(len(entries[0]))]
    try:
        return combine([(shown(e), e) for e in entries], tol)
    except ReadError as exc:
        raise ReadError(f"entry {label}: {exc}") from None


def brief(text: str, limit: int = 40) -> str:
    """`text` cut to about `limit` characters for a message (which names two forms and a hint)."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _quote(text: str, value: float) -> str:
    text = brief(text)
    if isinstance(value, Literal) and text == shown(value) or _is_decimal(text):
        return f"'{text}'"
    return f"'{text}' ({shown(value)})"


def _is_decimal(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.lower() not in ("inf", "nan", "infinity", "-inf", "+inf")
