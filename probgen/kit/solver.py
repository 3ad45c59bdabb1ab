"""Helpers families use in `solve` to turn SymPy results into plain answer parts.

Exact values are kept as SymPy-syntax strings and LaTeX; numeric values as floats evaluated
from the exact expression (15 significant digits)."""

from __future__ import annotations

from typing import Any, Iterable

from ..core.lazy import sympy as sp
from ..core.model import DEFAULT_TOLERANCE, Misconception, Part


def exact(x) -> Any:
    """An exact SymPy number from a param: 0.1 -> 1/10 (through its shortest repr), 3 -> 3."""
    if isinstance(x, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(x, int):
        return sp.Integer(x)
    if isinstance(x, float):
        return sp.Rational(repr(x))
    if isinstance(x, str):
        return sp.Rational(x) if _is_decimal(x) else sp.sympify(x)  # trusted params only
    return x


def _is_decimal(s: str) -> bool:
    try:
        float(s)
        return "/" not in s
    except ValueError:
        return "/" in s and all(t.strip().lstrip("-").isdigit() for t in s.split("/"))


def to_float(e) -> float:
    if getattr(e, "is_Rational", False):  # exact and fast: int / int is correctly rounded
        return int(e.p) / int(e.q)
    value = float(sp.N(e, 17)) if not isinstance(e, (int, float)) else float(e)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"non-finite value {e}")
    return value


def _floats(values):
    if isinstance(values, (list, tuple)):
        return [_floats(v) for v in values]
    return to_float(values)


def _strs(values):
    if isinstance(values, (list, tuple)):
        return [_strs(v) for v in values]
    return str(values)


def _latex(e) -> str:
    return sp.latex(e, ln_notation=True)  # the course writes natural logs as ln


def _ops(ops) -> dict[str, int] | None:
    """A part's elementary operations (the work model, probgen.core.work): an int is a count of
    calculator operations; a dict may count `arith`, `int` (mental small-integer operations),
    `lookup`s (function keys) and `step`s (formulas set up). None: counted from the part's worked solution."""
    if ops is None:
        return None
    if isinstance(ops, int):
        return {"arith": ops}
    return {k: int(v) for k, v in ops.items()}


def _mistakes(mistakes: dict[str, Any] | None, convert) -> list[Misconception]:
    return [Misconception(name=name, value=convert(value)) for name, value in (mistakes or {}).items()]


def number_part(key: str, value, points: int = 1, *, mistakes: dict[str, Any] | None = None,
                tolerance: float = DEFAULT_TOLERANCE, depends_on: Iterable[str] = (), ops=None) -> Part:
    """A numeric part from an exact SymPy value. `tolerance=0` asks for an exact count."""
    e = exact(value)
    return Part(key=key, kind="number", answer=to_float(e), exact=str(e), latex=_latex(e),
                tolerance=tolerance, points=points, misconceptions=_mistakes(mistakes, to_float),
                depends_on=list(depends_on), ops=_ops(ops))


def vector_part(key: str, values, points: int = 1, *, mistakes=None, tolerance: float = DEFAULT_TOLERANCE,
                depends_on: Iterable[str] = (), ops=None) -> Part:
    es = [exact(v) for v in values]
    return Part(key=key, kind="vector", answer=_floats(es), exact=_strs(es), tolerance=tolerance,
                points=points, misconceptions=_mistakes(mistakes, lambda v: _floats([exact(x) for x in v])),
                depends_on=list(depends_on), ops=_ops(ops))


def matrix_part(key: str, rows, points: int = 1, *, mistakes=None, tolerance: float = DEFAULT_TOLERANCE,
                depends_on: Iterable[str] = (), ops=None) -> Part:
    es = [[exact(v) for v in row] for row in rows]
    conv = lambda m: _floats([[exact(x) for x in row] for row in m])  # noqa: E731
    return Part(key=key, kind="matrix", answer=_floats(es), exact=_strs(es), tolerance=tolerance,
                points=points, misconceptions=_mistakes(mistakes, conv), depends_on=list(depends_on), ops=_ops(ops))


def shape_part(key: str, dims: Iterable, points: int = 1, *, mistakes=None, ops=None) -> Part:
    dims = [str(d) for d in dims]
    return Part(key=key, kind="shape", answer=dims, exact=dims, tolerance=0, points=points,
                misconceptions=_mistakes(mistakes, lambda v: [str(d) for d in v]), ops=_ops(ops))


def expression_part(key: str, expr, variables: dict[str, Any], points: int = 1, *, mistakes=None,
                    ops=None) -> Part:
    """`variables`: symbol name -> its definition (a SymPy expression in the others) or None if free."""
    defs = {name: (None if d is None else str(d)) for name, d in variables.items()}
    return Part(key=key, kind="expression", answer=str(expr), exact=str(expr), latex=_latex(expr),
                tolerance=0, points=points, variables=defs, misconceptions=_mistakes(mistakes, str), ops=_ops(ops))


def laid_out(options: dict[str, str], order) -> tuple[dict[str, str], dict[str, str]]:
    """Options (id -> text) under the letters a, b, ... in `order` (a permutation of the ids the
    family draws, so no letter is always the key): (letter -> text, id -> letter)."""
    letters = [chr(ord("a") + i) for i in range(len(order))]
    return ({L: options[o] for L, o in zip(letters, order)}, {o: L for L, o in zip(letters, order)})


def choice_part(key: str, correct: str, choices: dict[str, str], points: int = 1, *, mistakes=None,
                ops=None) -> Part:
    if correct not in choices:
        raise ValueError(f"answer {correct!r} is not among the choices")
    return Part(key=key, kind="choice", answer=correct, exact=correct, tolerance=0, points=points,
                choices=dict(choices), misconceptions=_mistakes(mistakes, str), ops=_ops(ops))
