"""Reading a student's typed answer, step 1: characters to tokens, and the limits.

Student text is hostile: it is never handed to eval, exec, `sympify` or `parse_expr` (all of
which run Python). The tokenizer accepts only whitelisted tokens (numbers, names, operators,
brackets); typographic characters students paste are mapped to ASCII first.

Limits keep every answer cheap to read: its length, the number of tokens, the nesting depth,
the size of number literals and of powers (`9**9**9**9` is refused at once, not computed).
Anything outside them raises `ReadError`, whose message the report prints after
"could not read:".
"""

from __future__ import annotations

import re

MAX_CHARS = 4000  # a 10×10 matrix of 6-digit decimals fits with room to spare
MAX_TOKENS = 1500
MAX_DEPTH = 30  # brackets, calls and signs nested inside each other
MAX_LITERAL_DIGITS = 30
MAX_LITERAL_EXPONENT = 300  # 1e-300 is fine, 1e999 is not a hand-worked answer
MAX_MAGNITUDE_DIGITS = 300  # exact powers whose value would exceed ~10^300 are refused
MAX_NAME = 24

FUNCTIONS = ("ln", "log", "exp", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "abs", "max", "min", "relu",
             "heaviside")
# functions of one argument that may be written without brackets around a single number or name
BARE_ARGUMENT = ("ln", "log", "exp", "sin", "cos", "tan", "tanh", "sigmoid")
CONSTANTS = ("e", "pi", "E")  # E: how SymPy writes e
# Typographic characters students paste, and what they mean.
_REPLACE = {
    "\u2212": "-", "\u2013": "-", "\u2014": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*",
    "\u2217": "*", "\u00f7": "/", "\u03c3": " sigmoid ", "\u03c0": " pi ", "\u221a": " sqrt ",
    "\u2009": " ", "\u00a0": " ", "\u202f": " ", "\uff0c": ",",
    # Greek letters as their names, so a problem's symbol alpha may be typed α (σ is the sigmoid)
    "\u03b1": " alpha ", "\u03b2": " beta ", "\u03b3": " gamma ", "\u03b4": " delta ",
    "\u03b5": " epsilon ", "\u03b7": " eta ", "\u03b8": " theta ", "\u03bb": " lambda ",
    "\u03bc": " mu ", "\u03c1": " rho ", "\u03c4": " tau ", "\u03c6": " phi ", "\u03c9": " omega ",
}
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-"))
_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^()\[\],])"
    r")"
)


_HINTS = {
    ";": " (separate entries with ',')", "=": " (write only the value, not an equation)",
    "{": " (use ( ) or [ ])", "}": " (use ( ) or [ ])", "_": " (names are letters and digits)",
    ".": " (a decimal needs digits: 0.5)", "!": " (no factorials; write the number)",
    "\u2248": " (write one value: the exact form or the decimal, not both)",
    "%": " (write a percentage as a decimal: 50% is 0.5)",
}
_TRAILING_DOTS = re.compile(r"(?<=\d)(?:\.\.\.|\u2026)(?![\d.])")  # 0.333... is 0.333


MAX_MESSAGE = 200  # characters of one "could not read" line


def safe_text(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` fit to print on one report line: every character that is not printable (control,
    format and bidirectional characters such as U+202E, TAB, line breaks) written as <U+XXXX>,
    cut to about `limit` characters."""
    out = []
    size = 0
    for ch in text:
        piece = ch if ch.isprintable() else f"<U+{ord(ch):04X}>"
        if size + len(piece) > limit:
            out.append("…")
            break
        out.append(piece)
        size += len(piece)
    return "".join(out)


class ReadError(ValueError):
    """The answer could not be read; the message says why, in a student's terms. The message
    is made safe to print (see `safe_text`) whatever student text it quotes."""

    def __init__(self, message: str):
        super().__init__(safe_text(str(message)))


def _describe(ch: str) -> str:
    if ch.isprintable() and not ch.isspace():
        return f"'{ch}'"
    return f"U+{ord(ch):04X}"


def check_length(text: str) -> None:
    if len(text) > MAX_CHARS:
        raise ReadError(f"the answer is too long ({len(text):,} characters; at most {MAX_CHARS:,})")


def normalize(text: str) -> str:
    """Typographic characters to ASCII operators; superscript powers to ^."""
    check_length(text)
    for ch in text:
        if ord(ch) < 32 and ch != "\t" or 0x7F <= ord(ch) < 0xA0:
            raise ReadError(f"it contains the control character {_describe(ch)}")
    text = _TRAILING_DOTS.sub("", text)
    if text.isascii():
        return text
    text = _raised_points(text)
    if text.isascii():
        return text
    out = []
    in_super = False
    for ch in text:
        if ch in _SUPERSCRIPTS:
            out.append(("" if in_super else "^(") + _SUPERSCRIPTS[ch])
            in_super = True
            continue
        if in_super:
            out.append(")")
            in_super = False
        out.append(_REPLACE.get(ch, ch))
    if in_super:
        out.append(")")
    return "".join(out)


_RAISED_POINT = re.compile(r"(?<![\w.])(\d*)[\u00b7\u22c5](\d+)(?![\w.])")


def _raised_points(text: str) -> str:
    """A middle dot between digits: `0·25` (a raised decimal point, as in British print) is
    0.25; `2·3` could be 2.3 or 2×3 and is refused with a hint; `2 · 3` is a product."""
    def fix(m: re.Match) -> str:
        whole, frac = m.group(1), m.group(2)
        if whole in ("", "0"):
            return f"{whole or '0'}.{frac}"
        raise ReadError(f"'{m.group(0)}' is ambiguous: write {whole}.{frac} for a decimal "
                        f"or {whole}*{frac} for a product")
    return _RAISED_POINT.sub(fix, text)


FORM_SIGNS = "=\u2248~\u2243\u2245"  # =, ≈, ~, ≃, ≅: between forms of one value (ln 9 ≈ 2.197)


def tokenize(text: str, forms: bool = False) -> list[tuple[str, str, bool]]:
    """(kind, text, spaced) triples: kind is 'num', 'name' or the operator itself; spaced: the
    token follows whitespace (NumPy's `[1 -2]` separates entries by it). Ends with an 'end'.
    `forms` (numbers, vectors, matrices): '=', '≈', '~' are tokens of kind '~'."""
    text = normalize(text)
    tokens: list[tuple[str, str, bool]] = []
    pos, n = 0, len(text)
    while True:
        start = pos
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos >= n:
            break
        if forms and text[pos] in FORM_SIGNS:
            tokens.append(("~", text[pos], pos > start or not tokens))
            pos += 1
            if len(tokens) > MAX_TOKENS:
                raise ReadError(f"the answer has too many parts (more than {MAX_TOKENS} symbols)")
            continue
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            ch = text[pos]
            raise ReadError(f"unexpected character {_describe(ch)}{_HINTS.get(ch, '')}")
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind)
        spaced = m.start(kind) > start or not tokens
        if kind == "op":
            kind = value = "^" if value == "**" else value
        elif kind == "name" and len(value) > MAX_NAME:
            raise ReadError(f"the name '{value[:MAX_NAME]}…' is too long")
        tokens.append((kind, value, spaced))
        if len(tokens) > MAX_TOKENS:
            raise ReadError(f"the answer has too many parts (more than {MAX_TOKENS} symbols)")
    tokens.append(("end", "", True))
    return tokens


def check_literal(text: str) -> None:
    mantissa, _, exponent = text.lower().partition("e")
    if len(mantissa.replace(".", "").lstrip("0")) > MAX_LITERAL_DIGITS:
        raise ReadError(f"the number {text[:20]}… has too many digits")
    if exponent and abs(int(exponent)) > MAX_LITERAL_EXPONENT:
        shown = text if len(text) <= 24 else f"{text[:20]}…"
        raise ReadError(f"the number {shown} is too large or too small")

