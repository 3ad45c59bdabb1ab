"""Judging a typed expression in floats, SymPy only where floats cannot decide (issue 14).

The student's text is read by the grammar into a small tree (exprtree.TreeBuilder), the part's
reference, definitions and named mistakes from probgen's own text into trees (exprtree.
trusted_tree), and both are evaluated at the points `expr.equivalent` uses, by the same rule:
6 agreeing points (relative 1e-8) decide "equal", one disagreeing point "wrong", points where the
reference is undefined are skipped, near the problem's point where a piecewise function is
involved, and the answer must also hold at the problem's own point.

SymPy stays the judge wherever the floats are inconclusive: the answer is undefined where the
reference is defined (SymPy may cancel the trouble: `e^(ln u)` is u), a disagreement went through
a sum that lost digits, fewer than 6 points agree, or text that is not plain. Its objects are
built only then, or when the answer's SymPy form is asked for (`FastExpr.sympy`, `str`).
`read` refuses exactly what SymPy's reader refuses (with its message): any doubt goes to it.
"""

from __future__ import annotations

from functools import lru_cache

from ..core.lazy import sympy as sp
from . import expr as ex
from . import exprtree as et
from .grammar import parse_text
from .lexer import ReadError, check_length


def _items(part) -> tuple:
    return tuple(sorted((part.variables or {}).items()))


def _is_sympy_name(name: str) -> bool:
    return hasattr(sp, name)  # sympify would read it as SymPy's object (N, S, I, beta, ...)


@lru_cache(maxsize=256)
def _definitions(items: tuple) -> dict | None:
    """name -> (function of a point, its tree) for each defined symbol; None if a definition is
    not plain text (then the part is judged by SymPy)."""
    names = tuple(n for n, _ in items)
    try:
        trees = {n: et.trusted_tree(d, names, _is_sympy_name) for n, d in items if d is not None}
    except et.NotPlain:
        return None
    return {n: (et.compile_tree(t), t) for n, t in trees.items()}


def _closure(used: set, defs: dict) -> tuple[frozenset, bool]:
    """(free symbols, piecewise?) of an expression using the symbols `used`, through the
    definitions (which may refer to each other)."""
    free, piecewise, seen, todo = set(), False, set(), list(used)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in defs:
            tree = defs[name][1]
            piecewise = piecewise or et.has_piecewise(tree)
            todo += et.symbols_of(tree)
        else:
            free.add(name)
    return frozenset(free), piecewise


class _Env(dict):
    """A point's values; a defined symbol is computed from its definition when first used."""

    __slots__ = ("defs", "st")

    def __init__(self, point, defs, st):
        super().__init__(point)
        self.defs, self.st = defs, st

    def __missing__(self, name):
        fn = self.defs[name][0]  # KeyError: a symbol without a value (caught as undefined)
        self[name] = None  # a definition that refers to itself fails (TypeError)
        value = fn(self, self.st)
        self[name] = value
        return value


class _Compiled:
    """A tree with the part's definitions: its values at points, cached."""

    def __init__(self, tree, defs):
        self.fn = et.compile_tree(tree)
        self.defs = defs
        self.free, piecewise = _closure(et.symbols_of(tree), defs)
        self.piecewise = piecewise or et.has_piecewise(tree)
        self._values: dict = {}

    def value(self, point: dict) -> tuple[float | None, bool]:
        """(value or None where undefined, lossy) at a point (symbol name -> float)."""
        key = tuple(point.items())
        hit = self._values.get(key)
        if hit is None:
            st = [False]
            try:
                hit = (float(self.fn(_Env(point, self.defs, st), st)), st[0])
            except (ValueError, ArithmeticError, TypeError, KeyError):
                hit = (None, st[0])
            self._values[key] = hit
        return hit


@lru_cache(maxsize=512)
def _form(text: str, items: tuple) -> _Compiled | None:
    """A reference or mistake of a part, compiled; None where SymPy must read it."""
    defs = _definitions(items)
    if defs is None:
        return None
    try:
        return _Compiled(et.trusted_tree(text, [n for n, _ in items], _is_sympy_name), defs)
    except et.NotPlain:
        return None


class FastExpr(_Compiled):
    """A student's expression read without SymPy. `sympy` (and `str`) give what `read_answer`
    gives, built on first use."""

    def __init__(self, tree, defs, part, text: str):
        super().__init__(tree, defs)
        self.part, self.text = part, text
        self._sympy = None

    @property
    def sympy(self):
        if self._sympy is None:
            self._sympy = sympy_read(self.part, self.text)
        return self._sympy

    def __str__(self) -> str:
        return str(self.sympy)


def sympy_read(part, text: str):
    """The student's expression as SymPy objects, as `judge.read_answer` reads it."""
    from .parse import parse_expression, strip_assignment

    check_length(text)
    value = parse_expression(strip_assignment(text), sorted(part.variables or {}))
    return ex.substitute(value, ex.definitions(part.variables))


def read(part, text: str):
    """A FastExpr, or where SymPy must decide, the SymPy value; raises ReadError as
    `read_answer` does (its messages are SymPy's reader's: every refusal is passed to it)."""
    from .parse import strip_assignment

    check_length(text)
    defs = _definitions(_items(part))
    if defs is None:
        return sympy_read(part, text)
    builder = et.TreeBuilder(sorted(part.variables or {}))
    try:
        tree = builder.tree(parse_text(strip_assignment(text), builder, allow_list=False))
    except ReadError:
        return sympy_read(part, text)  # raises with SymPy's reader's message
    if builder.needs_sympy:
        return sympy_read(part, text)
    value = FastExpr(tree, defs, part, text)
    # SymPy's reader refuses what is undefined or out of range wherever it is evaluated
    # (1/(u - u), ln(0·u), 10^200·10^200·u): a point with a value shows the text reads
    if all(value.value(p)[0] is None for p in ex._points(tuple(sorted(value.free)))):
        return sympy_read(part, text)
    return value


def equivalent(student: FastExpr, ref: _Compiled, near: dict | None) -> bool | None:
    """`expr.equivalent`'s rule in floats; None where the floats do not decide."""
    names = tuple(sorted(student.free | ref.free))
    centre = ()
    if near and (ref.piecewise or student.piecewise):
        centre = tuple(sorted((n, float(v)) for n, v in near.items() if n in names))
    points = ex._points(names, centre)
    own = ex.own_point(names, near) if not centre else None
    agree = 0
    for i, point in enumerate(([own] if own else []) + points):
        r, r_lossy = ref.value(point)
        if r is None:
            continue
        s, s_lossy = student.value(point)
        if s is None:
            return None
        if not ex._close(s, r):
            return None if (s_lossy or r_lossy) else False
        if own and i == 0:
            continue  # the problem's own point is checked, not counted
        agree += 1
        if agree >= ex.POINTS_WANTED:
            return True
    if agree >= ex.POINTS_MIN and not (student.free - ref.free):
        return True
    return None


def same(part, student: FastExpr, ref, near: dict | None = None) -> bool:
    """Whether the student's expression equals `ref` (probgen's own text: the reference, a
    mistake, a value recomputed by the family), in floats or else by `expr.equivalent`."""
    form = _form(ref, _items(part)) if isinstance(ref, str) else None
    if form is not None:
        verdict = equivalent(student, form, near)
        if verdict is not None:
            return verdict
    try:
        value = student.sympy
    except ReadError:  # `read` passed it to SymPy's reader if any doubt; tests hold that it never gets here
        return False
    names = tuple(n for n, _ in _items(part))
    reference = ex.substitute(ex.trusted_expr(str(ref), names), ex.definitions(part.variables))
    return ex.equivalent(value, reference, near)
