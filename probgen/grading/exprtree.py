"""Expressions as small trees evaluated in plain floats, without SymPy (issue 14: a check costs
a few hundred microseconds instead of SymPy's milliseconds with cold caches).

A tree is nested tuples: ("n", value), ("s", name), (op, a, b) for + - * / ^, ("neg", a),
("f", function, args). Two readers build them: `TreeBuilder` from a student's text through the
same grammar as `SympyBuilder` (never eval, never sympify), and `trusted_tree` from text probgen
itself wrote (SymPy's printing of a reference, a definition or a mistake), read with Python's
`ast` as `expr.trusted_expr` reads it. `compile_tree` turns a tree into a function of a point.

The evaluation is guarded so that a float is only trusted where it means what SymPy's exact value
means: every intermediate value must lie in 10^±290 (SymPy's reader refuses numbers past 10^±300),
a sum that cancels to within 2^-40 of its terms is exactly 0 (as SymPy's collected terms are:
`sqrt(2)^2 - 2`, `exp(ln(2)) - 2`), and so is a sine or cosine that vanishes at its argument's scale
(`cos(pi/2)`); a sum that leaves a residue under 1e-6 of its terms (more than 6 of its 16 digits
lost, or snapped to 0) marks the evaluation "lossy", so a disagreement found through it is not
trusted. A sum that is exactly 0 in floats is exact, and the trouble an exact 0 can cause
(dividing by it, its log) raises. Whatever fails raises ValueError or ArithmeticError.
"""

from __future__ import annotations

import ast
import math

from .lexer import ReadError, check_literal

HIGH = 1e290
LOW = 1e-290
SNAP = 2.0 ** -40  # a sum this close to 0 relative to its terms is an exact cancellation
LOSSY = 1e-6  # a sum this small relative to its terms has lost more than 6 digits
PIECEWISE = frozenset({"max", "min", "abs", "heaviside", "relu", "sign"})


def _ok(r: float) -> float:
    if r == 0.0 or LOW < abs(r) < HIGH:
        return r
    raise ArithmeticError("out of range")


def _add(a: float, b: float, st: list) -> float:
    r = a + b
    if r == 0.0:  # exact: a is -b (an amplified 0 raises: 1/0, ln 0, 0^-1)
        return r
    big = max(abs(a), abs(b))
    if abs(r) <= LOSSY * big:
        st[0] = True
        if abs(r) <= SNAP * big:
            return 0.0
    return _ok(r)


def _mul(a: float, b: float) -> float:
    r = a * b
    if r == 0.0 and a != 0.0 and b != 0.0:
        raise ArithmeticError("underflow")
    return _ok(r)


def _div(a: float, b: float) -> float:
    r = a / b  # ZeroDivisionError for b == 0
    if r == 0.0 and a != 0.0:
        raise ArithmeticError("underflow")
    return _ok(r)


def _pow(a: float, b: float) -> float:
    if abs(b) > 999.999:  # SymPy's reader refuses u^(x - x + 1001): so does every point
        raise ArithmeticError("exponent past 1000")
    r = math.pow(a, b)  # ValueError for 0^-1 and a negative base with a fractional exponent
    if r == 0.0 and a != 0.0:
        raise ArithmeticError("underflow")
    return _ok(r)


def _periodic(f):
    def g(x: float) -> float:
        r = f(x)
        return 0.0 if abs(r) <= SNAP * max(1.0, abs(x)) else r
    return g


def _tan(x: float) -> float:
    if abs(math.cos(x)) <= SNAP * max(1.0, abs(x)):
        raise ArithmeticError("tan at a pole")
    return _periodic(math.tan)(x)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))  # as SymPy's 1/(1 + exp(-x)) evaluates


def _heaviside(x: float, h0: float = 0.5) -> float:
    return 1.0 if x > 0 else (0.0 if x < 0 else h0)


def _log(x: float, base: float | None = None) -> float:
    return math.log(x) if base is None else math.log(x) / math.log(base)


FUNCTIONS = {
    "exp": math.exp, "log": _log, "ln": math.log, "sqrt": math.sqrt, "sin": _periodic(math.sin),
    "cos": _periodic(math.cos), "tan": _tan, "tanh": math.tanh, "sinh": math.sinh, "cosh": math.cosh,
    "atan": math.atan, "abs": abs, "sign": lambda x: float((x > 0) - (x < 0)), "heaviside": _heaviside,
    "max": lambda *a: max(a), "min": lambda *a: min(a), "relu": lambda x: max(0.0, x),
    "sigmoid": _sigmoid,
}
_ARITY = {"log": (1, 2), "heaviside": (1, 2), "max": None, "min": None}  # others take one argument


# ------------------------------------------------------------------------------- evaluation

def compile_tree(node):
    """A function f(env, st) -> float. `env` maps a symbol to its value (a dict that may
    compute definitions on a miss); `st` is a one-item list set True when a sum lost digits."""
    kind = node[0]
    if kind == "n":
        value = node[1]
        return lambda env, st: value
    if kind == "s":
        name = node[1]
        return lambda env, st: env[name]
    if kind == "neg":
        a = compile_tree(node[1])
        return lambda env, st: -a(env, st)
    if kind == "f":
        fn = FUNCTIONS[node[1]]
        args = [compile_tree(x) for x in node[2]]
        if len(args) == 1:
            (a,) = args
            return lambda env, st: _ok(fn(a(env, st)))
        return lambda env, st: _ok(fn(*(f(env, st) for f in args)))
    a, b = compile_tree(node[1]), compile_tree(node[2])
    if kind == "+":
        return lambda env, st: _add(a(env, st), b(env, st), st)
    if kind == "-":
        return lambda env, st: _add(a(env, st), -b(env, st), st)
    if kind == "*":
        return lambda env, st: _mul(a(env, st), b(env, st))
    if kind == "/":
        return lambda env, st: _div(a(env, st), b(env, st))
    if kind == "^":
        return lambda env, st: _pow(a(env, st), b(env, st))
    raise ValueError(f"unknown node {kind!r}")


def symbols_of(node, out: set | None = None) -> set:
    out = set() if out is None else out
    if node[0] == "s":
        out.add(node[1])
    elif node[0] == "f":
        for a in node[2]:
            symbols_of(a, out)
    elif node[0] != "n":
        for a in node[1:]:
            symbols_of(a, out)
    return out


def has_piecewise(node) -> bool:
    """A max, min, abs, Heaviside, ReLU or sign of something that is not a constant."""
    if node[0] == "f":
        return (node[1] in PIECEWISE and bool(symbols_of(node))) or any(has_piecewise(a) for a in node[2])
    if node[0] in ("n", "s"):
        return False
    return any(has_piecewise(a) for a in node[1:])


# ------------------------------------------------------------------------- a student's text

class TreeBuilder:
    """Builds a tree from a student's answer through the grammar, as `SympyBuilder` builds a
    SymPy expression (same names, same messages). Where SymPy's exact arithmetic decides what
    its reader does, `needs_sympy` is set and the caller reads the answer with SymPy instead:
    a constant that divides by 0, leaves 10^±290 or cancels; an exponent past 1000; a rational
    number SymPy may form (it collects the numbers of a sum and of a product: u·10^-200·10^-200 is
    10^-400·u, 10^200 + 10^-200 is (10^400 + 1)/10^200) whose numerator or denominator could pass
    10^290. Values are (tree, an upper bound on the digits of those rationals); constant subtrees
    are folded to a float; `tree(value)` is the finished tree."""

    def __init__(self, symbols=()):
        self.symbols = frozenset(symbols)
        self.needs_sympy = False

    @staticmethod
    def tree(value):
        return value[0]

    def _digits(self, node, digits: float):
        if digits > 290:
            self.needs_sympy = True
        return node, digits

    def number(self, text: str):
        check_literal(text)
        mantissa, _, exponent = text.lower().partition("e")
        return self._digits(("n", float(text)), len(mantissa) + abs(int(exponent or 0)))

    def name(self, name: str):
        if name in self.symbols:
            return ("s", name), 0
        if name in ("e", "E"):
            return ("n", math.e), 0
        if name == "pi":
            return ("n", math.pi), 0
        known = ", ".join(sorted(self.symbols)) or "none"
        raise ReadError(f"unknown name '{name}' (symbols you may use: {known})")

    def _fold(self, node, digits: float):
        if all(a[0] == "n" for a in (node[2] if node[0] == "f" else node[1:])):
            st = [False]
            try:
                value = compile_tree(node)({}, st)
            except (ValueError, ArithmeticError, TypeError):
                self.needs_sympy = True
                return node, digits
            if st[0]:
                self.needs_sympy = True  # e.g. 1 - 1/3*3: SymPy's exact arithmetic decides
            node = ("n", value)
        return self._digits(node, digits)

    def add(self, a, b):  # p/q + r/s = (ps + rq)/(qs)
        return self._fold(("+", a[0], b[0]), a[1] + b[1] + 1)

    def sub(self, a, b):
        return self._fold(("-", a[0], b[0]), a[1] + b[1] + 1)

    def mul(self, a, b):
        return self._fold(("*", a[0], b[0]), a[1] + b[1])

    def div(self, a, b):
        return self._fold(("/", a[0], b[0]), a[1] + b[1])

    def neg(self, a):
        return (("n", -a[0][1]) if a[0][0] == "n" else ("neg", a[0])), a[1]

    def pow(self, a, b):
        digits = max(a[1], b[1])
        if b[0][0] == "n":
            if abs(b[0][1]) > 999.999:  # SymPy's reader refuses exponents past 1000
                self.needs_sympy = True
            digits = a[1] * max(1.0, abs(b[0][1])) + b[1]  # (10^200·u)^2 is 10^400·u^2
        return self._fold(("^", a[0], b[0]), digits)

    def call(self, fname: str, args: list):
        if fname not in ("max", "min") and len(args) != 1:
            raise ReadError(f"{fname} takes one argument")
        # sqrt(c·u) is sqrt(c)·sqrt(u), |c·u| is |c|·|u| in SymPy; other functions keep c inside
        digits = args[0][1] if fname in ("sqrt", "abs") else 0
        return self._fold(("f", fname, tuple(a[0] for a in args)), digits)


# --------------------------------------------------------------------- probgen's own text

class NotPlain(Exception):
    """Trusted text outside the constructs `trusted_tree` reads (left to SymPy)."""


_BIN = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}
_TRUSTED_FUNCTIONS = {"exp": "exp", "log": "log", "sqrt": "sqrt", "sin": "sin", "cos": "cos", "tan": "tan",
                      "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "atan": "atan", "Abs": "abs",
                      "sign": "sign", "Heaviside": "heaviside", "Max": "max", "Min": "min"}
# names sympify would read as SymPy objects (N, S, I, beta, ...) are left to SymPy: the caller
# says which they are with `sympy_name`
_CONSTANTS = {"E": math.e, "pi": math.pi}


def trusted_tree(text: str, names, sympy_name=lambda n: False):
    """The tree of SymPy-printed text; `names`: the problem's symbols. Raises NotPlain for
    anything `expr.trusted_expr` would hand to sympify (or that this reader does not know)."""
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        raise NotPlain(text) from None
    return _trusted(node, frozenset(names), sympy_name)


def _trusted(node, names, sympy_name):
    if isinstance(node, ast.BinOp) and type(node.op) in _BIN:
        return (_BIN[type(node.op)], _trusted(node.left, names, sympy_name), _trusted(node.right, names, sympy_name))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _trusted(node.operand, names, sympy_name)
        return ("neg", inner) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        try:
            return ("n", float(node.value))
        except OverflowError:  # an integer past a float's range: SymPy's to judge
            raise NotPlain(str(node.value)[:20]) from None
    if isinstance(node, ast.Name):
        if node.id in names:
            return ("s", node.id)
        if node.id in _CONSTANTS:
            return ("n", _CONSTANTS[node.id])
        if node.id in _TRUSTED_FUNCTIONS or sympy_name(node.id):
            raise NotPlain(node.id)
        return ("s", node.id)  # sympify makes an unknown name a free symbol
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _TRUSTED_FUNCTIONS
            and node.func.id not in names and not node.keywords):
        fname = _TRUSTED_FUNCTIONS[node.func.id]
        arity = _ARITY.get(fname, (1,))
        if not node.args or (arity is not None and len(node.args) not in arity):
            raise NotPlain(node.func.id)
        return ("f", fname, tuple(_trusted(a, names, sympy_name) for a in node.args))
    raise NotPlain(type(node).__name__)
