"""The grader reads probgen's own expression text (references and definitions) with a fast
builder; it must give exactly what SymPy's sympify gives, for every family's text and for
constructs it leaves to sympify."""

import sympy as sp

from probgen.core.build import build_problem
from probgen.core.registry import load_all
from probgen.grading.expr import trusted_expr


def _same(text, names):
    try:
        theirs = sp.srepr(sp.sympify(text, locals={n: sp.Symbol(n) for n in names}))
    except Exception:  # noqa: BLE001 - then ours must refuse it too
        theirs = "refused"
    try:
        ours = sp.srepr(trusted_expr.__wrapped__(text, names))
    except Exception:  # noqa: BLE001
        ours = "refused"
    assert ours == theirs, text


def test_every_family_expression_reads_as_sympify_reads_it():
    texts = 0
    for fid in sorted(load_all()):
        for difficulty in ("easy", "medium", "hard"):
            for seed in range(4):
                try:
                    problem = build_problem(fid, seed, difficulty)
                except ValueError:
                    continue  # a difficulty the family does not have
                for part in problem.parts:
                    if part.kind != "expression":
                        continue
                    names = tuple(sorted(part.variables or {}))
                    for text in [part.answer] + [d for d in (part.variables or {}).values() if d]:
                        _same(text, names)
                        texts += 1
    assert texts > 20


def test_other_spellings_and_fallbacks_read_as_sympify_reads_them():
    cases = ["0.5*x - 2.25e-3", "-x**2", "x**(-2)", "1/N + K**(-2)", "exp(-u)/(exp(-u) + 1)**2",
             "sqrt(2)*pi + E", "Max(0, u) + Heaviside(u)", "log(x, 2)", "Abs(u - 1)*sign(u)",
             "beta + gamma", "N + S", "Piecewise((u, u > 0), (0, True))", "x*y - x**2*sin(x)",
             "tanh(u) + atan(x) + cosh(x)/sinh(x)", "u - (x - 1)", "2*I"]
    for text in cases:
        _same(text, ("u", "x", "y", "N", "K"))
        _same(text, ())
