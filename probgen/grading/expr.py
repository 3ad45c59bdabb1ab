"""Whether a student's expression equals the reference, after substituting the problem's
definitions ("in terms of u, x and y": x and y are replaced by what they stand for).

Cheap exact test first (SymPy's canonical forms agree), else evaluation at deterministic
pseudo-random points, in plain floats. Neither calls `simplify`, whose cost has no bound.
"""

from __future__ import annotations

import ast
import math
import operator
from functools import lru_cache

from ..core.lazy import sympy as sp
from ..core.rng import Draw

POINTS_WANTED = 6  # agreeing points that decide "equal"
POINTS_MIN = 3  # fewer (the reference undefined almost everywhere tried): not decided equal
REL_TOL = 1e-8
NEAR_REL = 1e-4  # how far from the problem's point a piecewise comparison strays
_PIECEWISE = ("Max", "Min", "Heaviside", "Abs", "sign", "Piecewise")


@lru_cache(maxsize=512)
def trusted_expr(text: str, names: tuple[str, ...]):
    """A SymPy expression from text that probgen itself wrote: the answer and definitions of a
    problem regenerated from its seed (never the key file's copy, never student text).

    That text is SymPy's own printing, so it is read with Python's parser and built with SymPy's
    constructors and operators, as `sympify` builds it after its much slower tokenizing and
    transformations (~5x); anything outside that printing is left to `sympify`."""
    try:
        return _build(ast.parse(text, mode="eval").body, text, names)
    except _NotPlain:
        return sp.sympify(text, locals={n: sp.Symbol(n) for n in names})


class _NotPlain(Exception):
    """A construct `_build` leaves to sympify."""


_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Pow: operator.pow}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_SYMPY_NAMES = frozenset({"exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sinh", "cosh", "atan",
                          "Abs", "sign", "Heaviside", "Max", "Min", "E", "pi"})


def _build(node, text: str, names: tuple[str, ...]):
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_build(node.left, text, names), _build(node.right, text, names))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_build(node.operand, text, names))
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return sp.Integer(node.value)
    if isinstance(node, ast.Constant) and type(node.value) is float:
        return sp.Float(ast.get_source_segment(text, node))  # as sympify's auto_number reads it
    if isinstance(node, ast.Name):
        if node.id in names:
            return sp.Symbol(node.id)
        if node.id in _SYMPY_NAMES:
            return getattr(sp, node.id)
        if hasattr(sp, node.id):  # sympify would take SymPy's object of that name (N, S, beta, ...)
            raise _NotPlain
        return sp.Symbol(node.id)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _SYMPY_NAMES
            and node.func.id not in names and not node.keywords):
        return getattr(sp, node.func.id)(*(_build(a, text, names) for a in node.args))
    raise _NotPlain


@lru_cache(maxsize=256)
def _definitions(items: tuple[tuple[str, str | None], ...]) -> dict:
    """symbol -> its definition in free symbols only (definitions may refer to each other)."""
    names = tuple(n for n, _ in items)
    defs = {sp.Symbol(n): trusted_expr(d, names) for n, d in items if d is not None}
    for _ in range(len(defs)):
        resolved = {s: e.xreplace(defs) for s, e in defs.items()}
        if resolved == defs:
            break
        defs = resolved
    return defs


def definitions(variables: dict[str, str | None] | None) -> dict:
    return _definitions(tuple(sorted((variables or {}).items())))


def substitute(expr, defs):
    for _ in range(len(defs) + 1):
        if not (expr.free_symbols & defs.keys()):
            return expr
        expr = expr.xreplace(defs)
    return expr


@lru_cache(maxsize=64)
def _points(names: tuple[str, ...], near: tuple[tuple[str, float], ...] = ()) -> list[dict[str, float]]:
    """Deterministic evaluation points: mostly in (0.3, 2.1), where log and sqrt are defined
    and nothing overflows, then some of either sign.

    With `near` (symbol -> the problem's own value of it), the named symbols stay within a
    relative 1e-4 of that value, the problem's point first: used where a definition is
    piecewise (ReLU), so the comparison holds on the piece the problem is on, as the reference
    derivative does (a ReLU that is off at u = -0.5 makes y = 0 right there, not at u = 1)."""
    draw = Draw("probgen-grading", "points", *names)
    centre = dict(near)
    pts = [] if not centre else [{n: centre.get(n, 1.0) for n in names}]
    for i in range(16):
        lo, hi = (0.3, 2.1) if i < 10 else (-2.0, 2.0)
        point = {}
        for n in names:
            u = draw.uniform()
            if n in centre:
                c = centre[n]
                point[n] = c + NEAR_REL * max(1.0, abs(c)) * (2 * u - 1)
            else:
                point[n] = lo + (hi - lo) * u
        pts.append(point)
    return pts


def _heaviside(x, h0=0.5):
    return 1.0 if x > 0 else (0.0 if x < 0 else float(h0))


_FUNCS = {
    "exp": math.exp, "sin": math.sin, "cos": math.cos, "tan": math.tan, "tanh": math.tanh,
    "sinh": math.sinh, "cosh": math.cosh, "atan": math.atan, "Abs": abs,
    "sign": lambda x: float((x > 0) - (x < 0)), "Heaviside": _heaviside, "Max": max, "Min": min,
}


def evaluate(expr, point: dict[str, float]) -> float:
    """The float value of a SymPy expression at a point (symbol name -> value). Raises
    ValueError/ArithmeticError where it is undefined or not finite."""
    if expr.is_Symbol:
        return point[expr.name]
    if expr.is_Number or expr.is_NumberSymbol:
        return _finite(float(expr))
    name = type(expr).__name__
    if name == "Add":
        value = math.fsum(evaluate(a, point) for a in expr.args)
    elif name == "Mul":
        value = 1.0
        for a in expr.args:
            value *= evaluate(a, point)
    elif name == "Pow":
        base, exponent = evaluate(expr.base, point), evaluate(expr.exp, point)
        value = math.pow(base, exponent)
    elif name == "log":
        args = [evaluate(a, point) for a in expr.args]
        value = math.log(*args)
    elif name in _FUNCS:
        value = _FUNCS[name](*(evaluate(a, point) for a in expr.args))
    elif name == "Piecewise":
        value = _piecewise(expr, point)
    else:  # anything else SymPy can evaluate numerically
        subs = {s: sp.Float(point[s.name]) for s in expr.free_symbols}
        z = complex(expr.xreplace(subs).evalf())
        if abs(z.imag) > 1e-12 * max(1.0, abs(z.real)):
            raise ValueError("not real")
        value = z.real
    return _finite(float(value))


def _finite(value: float) -> float:
    if not math.isfinite(value):  # 10^400 converts to inf, and inf - inf is no test of anything
        raise ArithmeticError("not finite")
    return value


def _piecewise(expr, point):
    for piece, cond in expr.args:
        if cond == sp.true or _holds(cond, point):
            return evaluate(piece, point)
    raise ValueError("no piece applies")


def _holds(cond, point) -> bool:
    ops = {"StrictGreaterThan": float.__gt__, "GreaterThan": float.__ge__,
           "StrictLessThan": float.__lt__, "LessThan": float.__le__}
    name = type(cond).__name__
    if name in ops:
        return ops[name](evaluate(cond.lhs, point), evaluate(cond.rhs, point))
    if name == "And":
        return all(_holds(c, point) for c in cond.args)
    if name == "Or":
        return any(_holds(c, point) for c in cond.args)
    return bool(cond.xreplace({s: sp.Float(point[s.name]) for s in cond.free_symbols}))


def _close(a: float, b: float) -> bool:
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= REL_TOL * max(1.0, abs(a), abs(b))


def _piecewise_in(expr) -> bool:
    return any(type(a).__name__ in _PIECEWISE for a in sp.preorder_traversal(expr))


def own_point(names: tuple[str, ...], near: dict[str, float] | None) -> dict[str, float] | None:
    """The problem's own point (its params' values of every free symbol), or None. An answer
    must hold there too: sqrt(u^2) for u agrees at the sample points, mostly positive, but not
    at the problem's u = -1.5."""
    if not near or not names or any(n not in near for n in names):
        return None
    return {n: float(near[n]) for n in names}


def equivalent(student, reference, near: dict[str, float] | None = None) -> bool:
    """Both already in free symbols (definitions substituted). `near`: the problem's own values
    of its free symbols; used only when either side is piecewise (see `_points`)."""
    if student == reference:
        return True
    extra = student.free_symbols - reference.free_symbols
    names = tuple(sorted(s.name for s in student.free_symbols | reference.free_symbols))
    centre = ()
    if near and (_piecewise_in(reference) or _piecewise_in(student)):
        centre = tuple(sorted((n, float(v)) for n, v in near.items() if n in names))
    own = own_point(names, near) if not centre else None  # (with a centre, it is the first point)
    if own is not None:
        try:
            r = evaluate(reference, own)
        except (ValueError, ArithmeticError, TypeError):
            r = None
        if r is not None:
            try:
                if not _close(evaluate(student, own), r):
                    return False
            except (ValueError, ArithmeticError, TypeError):
                return False
    agree = 0
    for point in _points(names, centre):
        try:
            r = evaluate(reference, point)
        except (ValueError, ArithmeticError, TypeError):
            continue  # outside the reference's domain: try another point
        try:
            s = evaluate(student, point)
        except (ValueError, ArithmeticError, TypeError):
            return False
        if not _close(s, r):
            return False
        agree += 1
        if agree >= POINTS_WANTED:
            return True
    return agree >= POINTS_MIN and not extra
