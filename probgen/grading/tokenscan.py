"""Looking around a token, for the grammar's reading of one value in several forms
(`2.197 (ln 9)`, `ln(9)(2.197)`): which bracket closes which, what a value typed looks like."""

from __future__ import annotations

from .lexer import CONSTANTS, FUNCTIONS


def matching(tokens, j: int) -> int:
    """The index of the token closing the bracket at j (-1: none)."""
    level = 0
    for k in range(j, len(tokens)):
        if tokens[k][0] in ("(", "["):
            level += 1
        elif tokens[k][0] in (")", "]"):
            level -= 1
            if level == 0:
                return k
    return -1


def value_ends(tokens, j: int) -> bool:
    """Token j ends a function's value (`ln(9)`) or a power (`e^(2)`), or is a constant (`e`):
    a bracket ending the value after it is a second form. Not after a bracket group:
    `(1+2)(3)` is a product."""
    kind, text, _ = tokens[j]
    if kind == "name":
        return text in CONSTANTS
    if kind != ")":
        return False
    level = 0
    for k in range(j, -1, -1):
        level += tokens[k][0] in (")", "]")
        level -= tokens[k][0] in ("(", "[")
        if level == 0:
            before = tokens[k - 1] if k > 0 else ("end", "", True)
            return before[0] == "^" or (before[0] == "name" and before[1].lower() in FUNCTIONS)
    return False


def tokens_text(tokens, start: int, end: int) -> str:
    """The tokens start..end-1 as typed (up to whitespace)."""
    out = []
    for _, text, spaced in tokens[start:end]:
        out.append((" " if spaced and out else "") + text.strip())
    return "".join(out)
