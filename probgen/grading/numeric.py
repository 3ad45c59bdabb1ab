"""Reading a number, vector or matrix part's answer as students type it: one value, maybe in
several forms, maybe named, a matrix maybe in MATLAB's rows.

- `ln(9) ≈ 2.197`, `ln 9 = 2.197`, `2.197 = ln(9)`, `≈ 2.197`, `~2.197`, `2.197 (ln 9)`,
  `2.197 (≈ ln 9)`, and in a number part `ln(9), 2.197`: one value in several forms, read as
  that value when every form reads and they agree within the part's tolerance; otherwise "could
  not read", naming both values (see `sameval`). A bracket after a number is never a product.
- `ℓ = 2.197`, `m ≈ [1, 0]`: the name of what is asked, then its value (the name is left out
  when it does not read as a value itself).
- `[1, 2; 3, 4]`, `1 2; 3 4`: rows separated by ';'. A matrix typed as one flat list is not
  read (which entries make a row?), unless the matrix has one row or one column.
"""

from __future__ import annotations

import re

from ..core.model import Part
from . import sameval
from .lexer import FORM_SIGNS as SIGNS, ReadError
from .parse import NAME, parse_list, parse_number_answer, parse_vector

_NAME = re.compile(NAME)  # the left side of `name = value`


def read_numeric(part: Part, text: str):
    """The value of a number, vector or matrix part's answer, as plain floats; `ReadError`."""
    tol = part.tolerance
    pieces = _split(text, SIGNS)
    if len(pieces) > 1 and not pieces[0][1].strip():
        pieces = pieces[1:]  # ≈ 2.197, ~2.197
    for sign, piece in pieces:
        if not piece.strip():
            raise ReadError(f"nothing after '{sign}'" if sign else f"nothing before '{pieces[1][0]}'")
    forms: list[tuple[str, object]] = []
    for n, (sign, piece) in enumerate(pieces):
        try:
            forms.extend(_read_piece(part, piece, tol))
        except ReadError:
            if n == 0 and len(pieces) > 1 and _NAME.fullmatch(piece):
                continue  # ℓ = 2.197, m = [1, 0]: the name of what is asked
            raise
    value = forms[0][1] if len(forms) == 1 else sameval.combine_lists(forms, tol)
    if part.kind == "matrix":
        value = _as_matrix(part, value)
    return sameval.plain(value)


def _read_piece(part: Part, piece: str, tol: float) -> list[tuple[str, object]]:
    if part.kind == "number":
        return [(p, parse_number_answer(p, part.prompt, tol)) for p in _split_commas(piece)]
    piece = _rows(piece)
    return [(piece, parse_vector(piece, tol) if part.kind == "vector" else parse_list(piece, tol))]


def _split(text: str, signs: str) -> list[tuple[str, str]]:
    """(the sign before it, the piece) for each piece of `text` between `signs` outside brackets."""
    out, level, start, sign = [], 0, 0, ""
    for i, ch in enumerate(text):
        if ch in "([{":
            level += 1
        elif ch in ")]}":
            level -= 1
        elif ch in signs and level == 0:
            out.append((sign, text[start:i]))
            start, sign = i + 1, ch
    out.append((sign, text[start:]))
    return out


def _split_commas(piece: str) -> list[str]:
    """A number part's forms separated by commas (`ln(9), 2.197`). A comma with a digit right
    before and after it (`22,579,200`, `1,5`) is left to `ungroup_digits`."""
    out, level, start = [], 0, 0
    for i, ch in enumerate(piece):
        if ch in "([{":
            level += 1
        elif ch in ")]}":
            level -= 1
        elif ch == "," and level == 0 and not (0 < i < len(piece) - 1 and piece[i - 1].isdigit()
                                               and piece[i + 1].isdigit()):
            out.append(piece[start:i])
            start = i + 1
    out.append(piece[start:])
    if len(out) > 1 and any(not p.strip() for p in out):
        raise ReadError("an empty value between commas")
    return out


def _rows(piece: str) -> str:
    """Rows separated by ';' (`[1, 2; 3, 4]`, `1 2; 3 4`) as a list of rows: [[1, 2], [3, 4]]."""
    if ";" not in piece:
        return piece
    body = piece.strip()
    if body.startswith("[") and body.endswith("]") and _closes_at_end(body):
        body = body[1:-1]
    rows = [r.strip() for _, r in _split(body, ";")]
    if len(rows) > 1 and not rows[-1]:
        rows.pop()  # [1 2; 3 4;]
    if any(not r for r in rows):
        raise ReadError("an empty row between ';' (separate rows with ';', entries with ',' or spaces)")
    return "[" + ", ".join(r if r.startswith("[") else f"[{r}]" for r in rows) + "]"


def _closes_at_end(text: str) -> bool:
    level = 0
    for i, ch in enumerate(text):
        level += ch in "(["
        level -= ch in ")]"
        if level == 0:
            return i == len(text) - 1
    return False


def _as_matrix(part: Part, value):
    """A matrix read as one flat list of numbers: the matrix when it has one row or one column
    (only one way to fill it), else a `ReadError` asking for rows."""
    if not (isinstance(value, list) and value and all(not isinstance(v, list) for v in value)):
        return value
    ref = part.answer
    rows = len(ref) if isinstance(ref, list) else 0
    cols = len(ref[0]) if rows and isinstance(ref[0], list) else 0
    if rows and cols and len(value) == rows * cols:
        if rows == 1:
            return [list(value)]
        if cols == 1:
            return [[v] for v in value]
    want = f" for a {rows}×{cols} matrix" if rows and cols else ""
    raise ReadError(f"one flat list of {len(value)} numbers{want}: type it row by row, "
                    "[[1, 2], [3, 4]] or 1, 2; 3, 4")
