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

from .builders import FloatBuilder, SympyBuilder
from .grammar import parse_text
from .lexer import (  # noqa: F401  (re-exported: the parser's public names live here)
    CONSTANTS, FUNCTIONS, MAX_CHARS, MAX_DEPTH, MAX_LITERAL_DIGITS, MAX_LITERAL_EXPONENT,
    MAX_MAGNITUDE_DIGITS, MAX_NAME, MAX_TOKENS, ReadError, check_length, normalize, tokenize,
)

_PLAIN_NUMBER = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d{1,3})?\s*")


def parse_number(text: str) -> float:
    """A single number: 0.25, -1.5e-3, 3/4, ln(2), sqrt(2)/2, e^-1, σ(1)."""
    if len(text) < 40 and _PLAIN_NUMBER.fullmatch(text):  # the common case, without the parser
        value = float(text)
        if math.isfinite(value) and (value == 0 or 1e-300 < abs(value) < 1e300):
            return value
    return parse_text(text, FloatBuilder(), allow_list=False)


def parse_list(text: str) -> list:
    """A vector [0.1, -0.2] or matrix [[1, 2], [3, 4]] of numbers (entries may be 3/4, ln(2)...)."""
    value = parse_text(text, FloatBuilder(), allow_list=True)
    if not isinstance(value, list):
        raise ReadError("expected a list in square brackets, e.g. [0.1, -0.2]")
    return value


def parse_expression(text: str, symbols) -> Any:
    """A SymPy expression in the given symbols: 2*u*cos(x) + y, ln(2), σ(u), e^-u."""
    return parse_text(text, SympyBuilder(symbols), allow_list=False)


_SHAPE_BRACKETS = {"(": ")", "[": "]"}


def parse_shape(text: str, dims=()) -> list:
    """A shape as a list of SymPy dimensions: `N x 1`, `(N, 1)`, `1×C×1×1`, `[C]`, `(C,)`.
    `dims`: the reference's dimension names, so a dimension called x is not read as a separator."""
    text = normalize(text.replace("\u00d7", " x ")).strip()
    if not text:
        raise ReadError("the answer is empty")
    if text[0] in _SHAPE_BRACKETS and text.endswith(_SHAPE_BRACKETS[text[0]]):
        text = text[1:-1]
    text = text.rstrip().rstrip(",")  # (C,) is a one-dimensional shape
    if "x" not in dims:
        # an 'x' between dimensions separates them: N x 1, Nx1, 1xCx1x1
        text = re.sub(r"(?<=[\w)])\s*x\s*(?=[\w(])", ",", text)
        text = re.sub(r"(?<=[\w)])\s*x\s*(?=[\w(])", ",", text)  # again: overlapping 1x1x1
    pieces = [p.strip() for p in text.split(",")]
    if any(not p or ("x" not in dims and re.search(r"\bx\b", p)) for p in pieces):
        raise ReadError("a dimension is missing (write e.g. N x 1 or (N, 1))")
    return [parse_dimension(piece) for piece in pieces]


def parse_dimension(text: str):
    """One dimension: a whole number, a name (N, C, H, W, D, d_k) or a product such as 2*C."""
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
