"""Reading a student's typed answer, safely: one entry point per answer kind.

Student text is hostile: it is never handed to eval, exec, `sympify` or `parse_expr` (all of
which run Python). The answer is read in three steps, each in its own module:
`lexer` (whitelisted tokens and the limits), `grammar` (a recursive-descent parser) and
`builders` (floats for number/vector/matrix answers, SymPy objects for expressions and shapes).
This module holds the answer kinds: numbers, vectors and matrices, expressions, shapes, choices.
Anything unreadable raises `ReadError`, whose message the report prints after "could not read:".
"""

from __future__ import annotations

import math
import re
from typing import Any

from . import sameval
from .builders import FloatBuilder, SympyBuilder
from .grammar import parse_text
from .lexer import (  # noqa: F401  (re-exported: the parser's public names live here)
    CONSTANTS, FUNCTIONS, MAX_CHARS, MAX_DEPTH, MAX_LITERAL_DIGITS, MAX_LITERAL_EXPONENT,
    MAX_MAGNITUDE_DIGITS, MAX_NAME, MAX_TOKENS, ReadError, check_length, normalize, tokenize,
)

_PLAIN_NUMBER = re.compile(r"[ \t]*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d{1,3})?[ \t]*")  # spaces only: float() refuses 0\x1f


# 3.05 x 10^-5, 3.05X10^-5: an x between a number and a power of 10 is a times sign (numbers only:
# in an expression x may be a variable)
_TIMES_TEN = re.compile(r"(?<=[\d.])\s*[xX]\s*(?=10\s*(?:\^|\*\*|[\u207b\u2070-\u2079\u00b9\u00b2\u00b3]))")
# 3.05 e-5, 3.05e -5: scientific notation or 3.05·e − 5? Refused with a hint
_SPACED_E = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?|\.\d+)(\s*)[eE](\s*)([-+])(\s*)(\d+)(?![\w.])")


def numeric_spellings(text: str) -> str:
    """A number's (or a vector's entries') other spellings of a power of ten, as the parser reads
    them: `3.05 x 10^-5` is 3.05*10^-5. `3.05 e-5` is refused: it could be 3.05e-5 or 3.05·e − 5."""
    if "x" in text or "X" in text:
        text = _TIMES_TEN.sub("*", text)
    if "e" in text or "E" in text:
        for m in _SPACED_E.finditer(text):
            if m.group(2) or m.group(3) or m.group(5):
                mantissa, sign, digits = m.group(1), m.group(4), m.group(6)
                raise ReadError(f"'{m.group(0)}' is ambiguous: write {mantissa}e{sign}{digits} (or "
                                f"{mantissa} x 10^{sign}{digits}) for a power of ten, {mantissa}*e {sign} {digits} "
                                "for the constant e")
    return text


def parse_number(text: str, tolerance: float | None = None) -> float:
    """A single number: 0.25, -1.5e-3, 3.05 x 10^-5, 3/4, ln(2), sqrt(2)/2, e^-1, σ(1); a decimal
    as a `sameval.Literal`. `2.197 (ln 9)` is one value in two forms (see `sameval`), which
    must agree within `tolerance` (the default part's when None)."""
    if len(text) < 40 and _PLAIN_NUMBER.fullmatch(text):  # the common case, without the parser
        value = float(text)
        if math.isfinite(value) and (value == 0 or 1e-300 < abs(value) < 1e300):
            return sameval.literal(text.strip())
    return parse_text(numeric_spellings(text), FloatBuilder(tolerance), allow_list=False)


# Digit groups of a single number, as the key prints them: 19 200, 1 234 567.5 (a space, a thin
# or narrow no-break space, or a no-break space between groups of exactly 3 digits)
_SPACE_GROUPS = re.compile(r"(?<![\w.])(\d{1,3})((?:[ \u2009\u202f\u00a0]\d{3})+)(?![\w])")
_COMMA_GROUPS = re.compile(r"\s*[-+\u2212]?\d{1,3}(?:,\d{3})+(?:\.\d+)?\s*")
_ONE_COMMA = re.compile(r"\s*([-+\u2212]?\d+),(\d+)\s*")


def ungroup_digits(text: str) -> str:
    """A number part's answer with its digit groups joined: `19 200` is 19200, `22,579,200` is
    22579200, `1,234.5` is 1234.5. Only for an answer that is one number (a vector's commas and
    spaces separate entries): a comma is a thousands separator only where it cannot be a decimal
    comma. `1,5` and `19,200` (19.2 in much of Europe) are refused with a hint, never guessed."""
    one = _ONE_COMMA.fullmatch(text)
    if one:
        whole, frac = one.group(1), one.group(2)
        if len(frac) == 3 and len(whole.lstrip("+-\u2212")) <= 3:
            raise ReadError(f"'{whole},{frac}' could be {whole}{frac} or the decimal {whole}.{frac}: "
                            f"write {whole}{frac} (or {whole} {frac}) for the whole number, {whole}.{frac} for the decimal")
        raise ReadError(f"'{whole},{frac}' looks like a decimal comma: write {whole}.{frac}")
    if _COMMA_GROUPS.fullmatch(text):
        return text.replace(",", "")
    return _SPACE_GROUPS.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), text)


_PERCENT = re.compile(r"(?P<number>[^%]*?)\s*%\s*")
_ASKS_PERCENT = re.compile(r"percent|%", re.I)


def parse_number_answer(text: str, prompt: str = "", tolerance: float | None = None) -> float:
    """A number part's answer: `parse_number` after `ungroup_digits`. A percent sign at the end
    is read as hundredths (6.08% is 0.0608), unless the part's question (`prompt`) asks for a
    percentage, whose value is in percent: there the sign is only its unit (6.08% is 6.08)."""
    m = _PERCENT.fullmatch(text)
    if m and m.group("number").strip():
        value = parse_number(ungroup_digits(m.group("number")), tolerance)
        if _ASKS_PERCENT.search(prompt or ""):
            return value
        return sameval.Literal(value / 100, value.figures) if isinstance(value, sameval.Literal) else value / 100
    return parse_number(ungroup_digits(text), tolerance)


def parse_list(text: str, tolerance: float | None = None) -> list:
    """A vector [0.1, -0.2] or matrix [[1, 2], [3, 4]] of numbers (entries may be 3/4, ln(2)...)."""
    value = parse_text(numeric_spellings(text), FloatBuilder(tolerance), allow_list=True)
    if not isinstance(value, list):
        raise ReadError("expected a list in square brackets, e.g. [0.1, -0.2]")
    return value


def parse_vector(text: str, tolerance: float | None = None) -> list:
    """A vector: `[0.1, -0.2]`, `0.1, -0.2`, `(0.1, -0.2)`, NumPy's `[0.1 -0.2]`, a row `[[0.1, -0.2]]`
    or a column `[[0.1], [-0.2]]`."""
    stripped = text.strip()
    if stripped.startswith("(") and _closing(stripped, 0) == len(stripped) - 1:
        stripped = f"[{stripped[1:-1]}]"  # (1, 1, 0) as a tuple
    value = parse_list(stripped if stripped.startswith("[") else f"[{stripped}]", tolerance)
    if value and all(isinstance(row, list) for row in value):
        if len(value) == 1:  # [[3.5, 0.5]]: a row vector is the vector
            return value[0]
        if all(len(row) == 1 for row in value):  # [[3.5], [0.5]]: so is a column
            return [row[0] for row in value]
    return value


def _closing(text: str, start: int) -> int:
    """The index of the bracket that closes the one at `start` (-1: none)."""
    level = 0
    for i in range(start, len(text)):
        if text[i] in "([":
            level += 1
        elif text[i] in ")]":
            level -= 1
            if level == 0:
                return i
    return -1


# `m = [1, 0]`, `θ₁ = 0.5`, `dz/du = 2u`: the name of what is asked, then its value
NAME = r"\s*(?:[^\W\d]|\u2202)[\w\u2032'\u0302\u2202/^() ]{0,24}"  # m, θ₁, dz/du, L(θ)
_ASSIGNMENT = re.compile(NAME + r"=(?![=<>])(?P<value>.*)", re.S)


def strip_assignment(text: str) -> str:
    """The value of `name = value` (one '=', a name on the left) or of `= value`; any other
    text unchanged."""
    bare = text.lstrip()
    if bare.startswith("=") and "=" not in bare[1:] and bare[1:].strip():
        return bare[1:]
    m = _ASSIGNMENT.fullmatch(text)
    if m and "=" not in m.group("value") and m.group("value").strip():
        return m.group("value")
    return text


def parse_expression(text: str, symbols) -> Any:
    """A SymPy expression in the given symbols: 2*u*cos(x) + y, ln(2), σ(u), e^-u."""
    return parse_text(text, SympyBuilder(symbols), allow_list=False)


_SHAPE_BRACKETS = {"(": ")", "[": "]"}


def parse_shape(text: str, dims=()) -> list:
    """A shape as a list of dimensions (see `parse_dimension`): `N x 1`, `(N, 1)`, `1×C×1×1`, `[C]`, `(C,)`.
    `dims`: the reference's dimension names, so a dimension called x is not read as a separator."""
    for sign in "\u00d7\u00b7\u22c5":  # ×, · and ⋅ between dimensions separate them
        text = text.replace(sign, " x ")
    text = normalize(text).strip()
    if not text:
        raise ReadError("the answer is empty")
    names = {str(d).lower() for d in dims}
    comment = _COMMENT.search(text)
    if comment and comment.start() > 0 and _has_word(comment.group(1), names):
        text = text[:comment.start()]  # 1 x C x 1 x 1 (per channel): the comment is not the shape
    if text[0] in _SHAPE_BRACKETS and text.endswith(_SHAPE_BRACKETS[text[0]]):
        text = text[1:-1]
    text = text.rstrip().rstrip(",")  # (C,) is a one-dimensional shape
    x_free = not any(str(d).lower() == "x" for d in dims)
    if x_free:
        # an 'x' or 'X' between dimensions separates them: N x 1, Nx1, 1xCx1x1, 1XCX1X1
        text = re.sub(r"(?<=[\w)])\s*[xX]\s*(?=[\w(])", ",", text)
        text = re.sub(r"(?<=[\w)])\s*[xX]\s*(?=[\w(])", ",", text)  # again: overlapping 1x1x1
    pieces = [p.strip() for p in text.split(",")]
    if len(pieces) == 1 and len(dims) > 1 and len(pieces[0].split("*")) == len(dims) and "(" not in pieces[0]:
        pieces = [p.strip() for p in pieces[0].split("*")]  # 2*2 for a 2 × 2 shape, 1*C*1*1
    if any(not p or (x_free and re.search(r"\b[xX]\b", p)) for p in pieces):
        raise ReadError("a dimension is missing (write e.g. N x 1 or (N, 1))")
    for piece in pieces:
        if _has_word(piece, names):
            raise ReadError(f"'{piece}' is not a dimension: write only the shape, without words "
                            "(e.g. N x 1 or (N, 1))")
    return [parse_dimension(piece) for piece in pieces]


_COMMENT = re.compile(r"\s*\(([^()]*)\)\s*$")  # a remark in brackets after the shape


def _has_word(text: str, names) -> bool:
    """A word of 3 or more letters that is not one of the shape's own dimension names."""
    return any(w.lower() not in names for w in re.findall(r"[A-Za-z]{3,}", text))


_WHOLE = re.compile(r"0|[1-9][0-9]{0,17}")


def parse_dimension(text: str):
    """One dimension: a whole number, a name (N, C, H, W, D, d_k) or a product such as 2*C.
    Plain digits give an int without SymPy (a numeric sheet is checked without importing it);
    anything else goes through the parser to a SymPy object."""
    if _WHOLE.fullmatch(text):
        return int(text)
    value = parse_text(text, SympyBuilder(free_names=True), allow_list=False)
    if not value.is_Integer and not value.free_symbols:
        raise ReadError(f"the dimension '{text}' is not a whole number or a name")
    if value.is_Integer and value < 0:
        raise ReadError(f"the dimension '{text}' is negative")
    return value


def parse_choice(text: str, choices) -> str:
    """A choice letter: b, (b), B, b)."""
    letter = normalize(text).strip().strip("()[]. ")
    options = sorted(choices or ())
    for option in options:  # letters match whatever their case
        if letter.lower() == option.lower():
            return option
    shown = letter if len(letter) <= 20 else letter[:20] + "…"
    raise ReadError(f"'{shown}' is not one of the choices {', '.join(options)}")
