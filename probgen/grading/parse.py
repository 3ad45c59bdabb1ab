"""Reading a student's typed answer, safely.

Student text is hostile: it is never handed to eval, exec, `sympify` or `parse_expr` (all of
which run Python). Instead a tokenizer accepts only whitelisted tokens (numbers, the problem's
symbols, the listed functions, operators, brackets) and a recursive-descent parser hands them
to a *builder* that computes floats (`FloatBuilder`, for number/vector/matrix answers) or
builds SymPy objects through its constructors (`SympyBuilder`, for expressions and shapes).

Limits keep every answer cheap to read: its length, the number of tokens, the nesting depth,
the size of number literals and of powers (`9**9**9**9` is refused at once, not computed).
Anything outside them raises `ReadError`, whose message the report prints after
"could not read:".
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable

from ..core.lazy import sympy as sp

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
_BARE_ARGUMENT = ("ln", "log", "exp", "sin", "cos", "tan", "tanh", "sigmoid")
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
_PLAIN_NUMBER = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d{1,3})?\s*")


_HINTS = {
    ";": " (separate entries with ',')", "=": " (write only the value, not an equation)",
    "{": " (use ( ) or [ ])", "}": " (use ( ) or [ ])", "_": " (names are letters and digits)",
    ".": " (a decimal needs digits: 0.5)", "!": " (no factorials; write the number)",
    "\u2248": " (write one value: the exact form or the decimal, not both)",
    "%": " (write a percentage as a decimal: 50% is 0.5)",
}
_TRAILING_DOTS = re.compile(r"(?<=\d)(?:\.\.\.|\u2026)(?![\d.])")  # 0.333... is 0.333


class ReadError(ValueError):
    """The answer could not be read; the message says why, in a student's terms."""


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


def tokenize(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: kind is 'num', 'name' or the operator itself; ends with ('end', '')."""
    text = normalize(text)
    tokens: list[tuple[str, str]] = []
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos >= n:
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            ch = text[pos]
            raise ReadError(f"unexpected character {_describe(ch)}{_HINTS.get(ch, '')}")
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "op":
            kind = value = "^" if value == "**" else value
        elif kind == "name" and len(value) > MAX_NAME:
            raise ReadError(f"the name '{value[:MAX_NAME]}…' is too long")
        tokens.append((kind, value))
        if len(tokens) > MAX_TOKENS:
            raise ReadError(f"the answer has too many parts (more than {MAX_TOKENS} symbols)")
    tokens.append(("end", ""))
    return tokens


def _check_literal(text: str) -> None:
    mantissa, _, exponent = text.lower().partition("e")
    if len(mantissa.replace(".", "").lstrip("0")) > MAX_LITERAL_DIGITS:
        raise ReadError(f"the number {text[:20]}… has too many digits")
    if exponent and abs(int(exponent)) > MAX_LITERAL_EXPONENT:
        raise ReadError(f"the number {text} is too large or too small")


# ----------------------------------------------------------------------------------- builders

def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


class FloatBuilder:
    """Computes the value as a float: for number, vector and matrix answers (no symbols)."""

    _UNARY: dict[str, Callable[[float], float]] = {
        "ln": math.log, "log": math.log, "exp": math.exp, "sqrt": math.sqrt, "sin": math.sin,
        "cos": math.cos, "tan": math.tan, "tanh": math.tanh, "sigmoid": _sigmoid, "abs": abs,
        "relu": lambda x: max(0.0, x), "heaviside": lambda x: 1.0 if x > 0 else (0.0 if x < 0 else 0.5),
    }

    def number(self, text: str) -> float:
        _check_literal(text)
        return float(text)

    def name(self, name: str) -> float:
        if name in ("e", "E"):
            return math.e
        if name == "pi":
            return math.pi
        raise ReadError(f"'{name}' is not a number or a known function; a number is expected here")

    def _finite(self, x: float) -> float:
        if not math.isfinite(x):
            raise ReadError("the value is too large")
        return x

    def add(self, a, b):
        return self._finite(a + b)

    def sub(self, a, b):
        return self._finite(a - b)

    def mul(self, a, b):
        return self._finite(a * b)

    def div(self, a, b):
        if b == 0:
            raise ReadError("it divides by zero")
        return self._finite(a / b)

    def neg(self, a):
        return -a

    def pow(self, a, b):
        try:
            value = math.pow(a, b)
        except OverflowError:
            raise ReadError("a power in it is too large") from None
        except (ValueError, ZeroDivisionError):
            raise ReadError("a power in it has no real value") from None
        return self._finite(value)

    def call(self, fname: str, args: list):
        if fname in ("max", "min"):
            return (max if fname == "max" else min)(args)
        if len(args) != 1:
            raise ReadError(f"{fname} takes one argument")
        try:
            return self._finite(self._UNARY[fname](args[0]))
        except OverflowError:
            raise ReadError(f"{fname}({args[0]:g}) is too large") from None
        except ValueError:
            raise ReadError(f"{fname}({args[0]:g}) has no real value") from None


class SympyBuilder:
    """Builds a SymPy expression with SymPy's constructors, from whitelisted names only.

    `symbols`: the names the answer may use (the problem's variables); with `free_names`, any
    short name becomes a symbol (shape dimensions such as N, C, H, W)."""

    def __init__(self, symbols=(), free_names: bool = False):
        self.symbols = {name: sp.Symbol(name) for name in symbols}
        self.free_names = free_names

    def number(self, text: str):
        _check_literal(text)
        return sp.Rational(text) if ("." in text or "e" in text.lower()) else sp.Integer(text)

    def name(self, name: str):
        if name in self.symbols:
            return self.symbols[name]
        if name in ("e", "E"):
            return sp.E
        if name == "pi":
            return sp.pi
        if self.free_names:
            return self.symbols.setdefault(name, sp.Symbol(name))
        known = ", ".join(sorted(self.symbols)) or "none"
        raise ReadError(f"unknown name '{name}' (symbols you may use: {known})")

    def add(self, a, b):
        return a + b

    def sub(self, a, b):
        return a - b

    def mul(self, a, b):
        return a * b

    def div(self, a, b):
        if b == 0:
            raise ReadError("it divides by zero")
        return a / b

    def neg(self, a):
        return -a

    def pow(self, a, b):
        if b.is_Number:
            if abs(b) > 1000:
                raise ReadError("an exponent in it is too large")
            if a.is_Number and a != 0:
                # |a^b| = 10^(b·log10|a|): refuse before SymPy computes a huge exact number
                if abs(float(b)) * abs(math.log10(abs(float(a)))) > MAX_MAGNITUDE_DIGITS:
                    raise ReadError("a power in it is too large")
            if a == 0 and b.is_negative:
                raise ReadError("it divides by zero")
        return a ** b

    def call(self, fname: str, args: list):
        if fname in ("max", "min"):
            return (sp.Max if fname == "max" else sp.Min)(*args)
        if len(args) != 1:
            raise ReadError(f"{fname} takes one argument")
        x = args[0]
        if fname in ("ln", "log"):
            if x == 0:
                raise ReadError("it takes the log of 0")
            return sp.log(x)
        if fname == "sigmoid":
            return 1 / (1 + sp.exp(-x))
        if fname == "relu":
            return sp.Max(0, x)
        if fname == "abs":
            return sp.Abs(x)
        if fname == "heaviside":
            return sp.Heaviside(x)
        return getattr(sp, fname)(x)


# ----------------------------------------------------------------------------------- parser

class _Parser:
    """answer := list | expr;  list := '[' item (',' item)* ']'  (item: list | expr)
    expr := term (('+'|'-') term)*;  term := unary (('*'|'/') unary | implicit factor)*
    unary := ('+'|'-') unary | power;  power := primary ('^' unary)?   (right-associative)
    primary := number | name | function '(' args ')' | '(' expr ')'"""

    def __init__(self, tokens, builder):
        self.tokens = tokens
        self.i = 0
        self.b = builder
        self.depth = 0

    @property
    def kind(self) -> str:
        return self.tokens[self.i][0]

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, kind: str) -> None:
        if self.kind != kind:
            raise ReadError(f"expected '{kind}' {self._where()}")
        self.i += 1

    def _where(self) -> str:
        kind, text = self.tokens[self.i]
        return "at the end" if kind == "end" else f"before '{text}'"

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ReadError(f"it is nested too deeply (more than {MAX_DEPTH} levels)")

    def answer(self, allow_list: bool):
        value = self.list_() if allow_list and self.kind == "[" else self.expr()
        if self.kind != "end":
            if self.kind in ("num",) or (self.kind == "[" and allow_list):
                raise ReadError(f"a ',' or an operator is missing {self._where()}")
            if self.kind == ",":
                raise ReadError("unexpected ',' (write decimals with a point, 0.5; lists in brackets, [1, 2])")
            raise ReadError(f"unexpected '{self.tokens[self.i][1]}'")
        return value

    def list_(self):
        self.enter()
        self.expect("[")
        items = []
        while True:
            items.append(self.list_() if self.kind == "[" else self.expr())
            if self.kind == ",":
                self.i += 1
                continue
            if self.kind == "]":
                self.i += 1
                break
            raise ReadError(f"expected ',' or ']' {self._where()}")
        self.depth -= 1
        return items

    def expr(self):
        value = self.term()
        while self.kind in ("+", "-"):
            op = self.take()[0]
            right = self.term()
            value = self.b.add(value, right) if op == "+" else self.b.sub(value, right)
        return value

    def term(self):
        value = self.unary()
        while True:
            if self.kind in ("*", "/"):
                op = self.take()[0]
                right = self.unary()
                value = self.b.mul(value, right) if op == "*" else self.b.div(value, right)
            elif self.kind in ("name", "("):  # implicit product: 2u, 2 cos(x), (a+b)(c)
                value = self.b.mul(value, self.power())
            else:
                return value

    def unary(self):
        if self.kind in ("+", "-"):
            op = self.take()[0]
            self.enter()
            value = self.unary()
            self.depth -= 1
            return self.b.neg(value) if op == "-" else value
        return self.power()

    def power(self):
        base = self.primary()
        if self.kind == "^":
            self.i += 1
            self.enter()
            exponent = self.unary()
            self.depth -= 1
            return self.b.pow(base, exponent)
        return base

    def primary(self):
        kind, text = self.tokens[self.i]
        if kind == "num":
            self.i += 1
            return self.b.number(text)
        if kind == "name":
            self.i += 1
            symbols = getattr(self.b, "symbols", {})
            if text.lower() in FUNCTIONS and text not in symbols:  # Max, Abs: as SymPy writes them
                return self.call(text.lower())
            if text not in symbols and text not in CONSTANTS:
                pieces = _split_name(text, symbols, self.kind == "(") if symbols else None
                if pieces:  # "xcos(u)" is x·cos(u), "uy" is u·y when u and y are the problem's symbols
                    return self._product_of(pieces)
                if self.kind == "(":
                    raise ReadError(f"unknown function '{text}' (known: {', '.join(FUNCTIONS)})")
                fname = next((f for f in FUNCTIONS if text.lower().startswith(f)), None)
                if fname and len(text) > len(fname):
                    raise ReadError(f"write {fname}(...) with brackets, not '{text}'")
            return self.b.name(text)
        if kind == "(":
            self.i += 1
            self.enter()
            value = self.expr()
            self.expect(")")
            self.depth -= 1
            return value
        if kind == "end":
            raise ReadError("it ends too early")
        if kind == "[":
            raise ReadError("a list is not expected here")
        raise ReadError(f"unexpected '{text}'")

    def _product_of(self, pieces: list[str]):
        factors = [self.call(p) if p in FUNCTIONS else self.b.name(p) for p in pieces]
        if self.kind == "^":  # xe^u is x·e^u: the power binds to the last piece only
            self.i += 1
            self.enter()
            factors[-1] = self.b.pow(factors[-1], self.unary())
            self.depth -= 1
        value = factors[0]
        for factor in factors[1:]:
            value = self.b.mul(value, factor)
        return value

    def call(self, fname: str):
        self.enter()
        if self.kind != "(":
            if fname == "sqrt":  # √2 reads as sqrt 2
                value = self.b.call(fname, [self.power()])
                self.depth -= 1
                return value
            if fname in _BARE_ARGUMENT and self.kind in ("num", "name"):
                # ln 3, sin u, ln x^2 as the key's worked solutions print them; ln 2x is ambiguous
                value = self.b.call(fname, [self.power()])
                if self.kind in ("num", "name", "("):
                    raise ReadError(f"write {fname}(...) with brackets around its argument")
                self.depth -= 1
                return value
            raise ReadError(f"write {fname}(...) with brackets")
        self.i += 1
        args = [self.expr()]
        while self.kind == ",":
            self.i += 1
            args.append(self.expr())
        self.expect(")")
        self.depth -= 1
        return self.b.call(fname, args)


def _split_name(name: str, symbols, call_follows: bool) -> list[str] | None:
    """`name` as a run of known names written without '*' (xcos -> x, cos), or None. Only the
    last piece may be a function, and only when '(' follows."""
    if not name:
        return []
    for end in range(len(name), 0, -1):
        head = name[:end]
        rest = name[end:]
        if head in symbols or head in CONSTANTS:
            tail = _split_name(rest, symbols, call_follows)
            if tail is not None:
                return [head, *tail]
        elif head in FUNCTIONS and not rest and call_follows:
            return [head]
    return None


def _parse(text: str, builder, allow_list: bool):
    tokens = tokenize(text)
    if tokens[0][0] == "end":
        raise ReadError("the answer is empty")
    try:
        return _Parser(tokens, builder).answer(allow_list)
    except RecursionError:  # belt and braces: MAX_DEPTH keeps recursion far below the limit
        raise ReadError("it is nested too deeply") from None


# ----------------------------------------------------------------------------------- per kind

def parse_number(text: str) -> float:
    """A single number: 0.25, -1.5e-3, 3/4, ln(2), sqrt(2)/2, e^-1, σ(1)."""
    if len(text) < 40 and _PLAIN_NUMBER.fullmatch(text):  # the common case, without the parser
        value = float(text)
        if math.isfinite(value) and (value == 0 or 1e-300 < abs(value) < 1e300):
            return value
    return _parse(text, FloatBuilder(), allow_list=False)


def parse_list(text: str) -> list:
    """A vector [0.1, -0.2] or matrix [[1, 2], [3, 4]] of numbers (entries may be 3/4, ln(2)...)."""
    value = _parse(text, FloatBuilder(), allow_list=True)
    if not isinstance(value, list):
        raise ReadError("expected a list in square brackets, e.g. [0.1, -0.2]")
    return value


def parse_expression(text: str, symbols) -> Any:
    """A SymPy expression in the given symbols: 2*u*cos(x) + y, ln(2), σ(u), e^-u."""
    return _parse(text, SympyBuilder(symbols), allow_list=False)


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
    value = _parse(text, SympyBuilder(free_names=True), allow_list=False)
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
