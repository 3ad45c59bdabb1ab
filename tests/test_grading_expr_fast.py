"""Issue 14: an expression answer is judged in floats from our own parse tree, SymPy only where
the floats cannot decide. Answers as students type them; wrong answers that agree at natural
points; domains; near-zero values and cancellations; the fast verdict against SymPy's."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expr_texts import JUNK, corpus
from probgen.core.build import build_problem
from probgen.core.model import Misconception, Part, Problem
from probgen.core.registry import get_family
from probgen.grading import fastexpr as fx
from probgen.grading.judge import (CORRECT, UNREADABLE, WRONG, ProblemGrader, grade_problem, judge_value,
                                   problem_point, read_answer)
from probgen.grading.parse import ReadError


def problem(*parts, params=None):
    return Problem(family="hand-made", version=1, seed=0, difficulty="medium", convention=None, title="T",
                   section="fundamentals", topic="backprop", params=params or {}, statement="s", parts=list(parts))


def grade_one(part, text, **kw):
    return grade_problem(problem(part, **kw), 1, {part.key: text}).parts[0]


def part(answer, variables=None, **kw):
    return Part(key="a", kind="expression", answer=answer, tolerance=0, variables=variables or {"u": None}, **kw)


@pytest.fixture
def no_sympy(monkeypatch):
    """Fails a test that builds the student's expression with SymPy."""
    def refuse(*a, **k):
        raise AssertionError("the answer was read with SymPy")
    monkeypatch.setattr(fx, "sympy_read", refuse)


CHAIN = dict(answer="2*u**2*cos(x) + y", variables={"u": None, "x": "u**2", "y": "sin(x)"})
SIGMOID = dict(answer="y*(1 - y)", variables={"u": None, "y": "1/(1 + exp(-u))"})
LOG = dict(answer="2*log(u)/u", variables={"u": None})


@pytest.mark.parametrize("spec, typed", [
    (CHAIN, "2u²cos(x) + y"),
    (CHAIN, "y + 2·u^2·cos(x)"),
    (CHAIN, "2 u^2 cos(u^2) + sin(u^2)"),
    (CHAIN, "2*u**2*cos(x)+sin(x)"),
    (CHAIN, "\u2212(\u2212y) + 2u\u00b2cos(x)"),       # unicode minus
    (CHAIN, "e^(ln(2))*u^2*cos(x) + y"),               # e^ and ln of a constant
    (CHAIN, "dz/du = 2uucos(x) + y"),                  # a named answer, a run of the problem's names
    (SIGMOID, "σ(u)(1 − σ(u))"),
    (SIGMOID, "sigmoid(u)*(1-sigmoid(u))"),
    (SIGMOID, "e^(-u)/(1+e^(-u))^2"),
    (SIGMOID, "exp(-u)/(1 + exp(-u))²"),
    (SIGMOID, "y - y^2"),
    (SIGMOID, "y(1-y)"),
    (LOG, "2ln(u)/u"),
    (LOG, "ln(u^2)/u"),
    (LOG, "2 ln u / u"),
    (LOG, "2*log(u)*u^-1"),
])
def test_other_spellings_are_right_without_sympy(spec, typed, no_sympy):
    assert grade_one(part(**spec), typed, params={"u": 0.5}).verdict == CORRECT


@pytest.mark.parametrize("typed, verdict", [
    ("u/3", CORRECT),
    ("0.333*u", WRONG),               # a constant rounded to 3 figures: not the expression
    ("0.3333*u", WRONG),
    ("0.33333333333*u", CORRECT),     # 11 figures: within the relative 1e-8 of the rule
])
def test_rounded_constants(typed, verdict, no_sympy):
    assert grade_one(part("u/3"), typed, params={"u": 1.5}).verdict == verdict


@pytest.mark.parametrize("typed", ["u", "u^3", "2^u - 1", "u^2 + sin(pi*u)", "u^2 + u*(u - 1)*(u - 2)*(u + 1)"])
def test_wrong_answers_that_agree_at_natural_points(typed, no_sympy):
    # each equals u^2 at u = 0 and u = 1 (the last two at every integer), and u = 1 is the
    # problem's own point: the sample points are drawn from the symbol names, not chosen nice
    assert grade_one(part("u**2"), typed, params={"u": 1}).verdict == WRONG


def test_a_wrong_answer_zero_at_the_problems_point_is_judged_in_floats(no_sympy):
    # backprop-chain easy 5: dz/du = 3 - 6x with x = 1 - u, at u = 1.5; the mistake 3 + 6x is
    # exactly 0 there (3 - 3): an exact cancellation is no loss of precision, the verdict stands
    p = build_problem("backprop-chain", 5, "easy")
    d = p.part("d")
    assert (d.answer, d.variables["x"], p.params["u"]) == ("3 - 6*x", "1 - u", 1.5)
    family = get_family("backprop-chain")
    assert grade_problem(p, 1, {"d": "3 + 6x"}, family).parts[3].verdict == WRONG
    assert grade_problem(p, 1, {"d": "6u - 3"}, family).parts[3].verdict == CORRECT
    assert grade_problem(p, 1, {"d": "3 − 6(1 − u)"}, family).parts[3].verdict == CORRECT


@pytest.mark.parametrize("typed, verdict", [
    ("u - sin(u)", CORRECT),
    ("u*(1 - sin(u)/u)", CORRECT),
    ("u - sin(u) + 1e-7", WRONG),
    ("u^3/6", WRONG),                 # the first term of its series: close near 0, not at the points
    ("u - sin(u) + 10^10 - 10^10", CORRECT),  # the floats lose 10 digits: SymPy decides
])
def test_near_zero_values(typed, verdict):
    assert grade_one(part("u - sin(u)"), typed, params={"u": 0.5}).verdict == verdict


@pytest.mark.parametrize("typed, u0, verdict", [
    ("2*sqrt(u^2)", 0.5, CORRECT),    # |u| = u on the problem's side of 0
    ("2*sqrt(u^2)", -1.5, WRONG),     # but not at the problem's own u = -1.5
    ("2*abs(u)", -1.5, WRONG),
    ("2*e^(ln(u))", -1.5, CORRECT),   # undefined for u < 0 in floats; SymPy cancels exp(log(u)) to u
    ("2*(u^3)^(1/3)", 0.5, CORRECT),  # real cube root only for u > 0: agrees wherever both are defined
])
def test_answers_equal_only_on_a_domain(typed, u0, verdict):
    assert grade_one(part("2*u"), typed, params={"u": u0}).verdict == verdict


def test_the_mistake_is_named_without_sympy(no_sympy):
    p = part(**CHAIN, misconceptions=[Misconception("missed the path through y", "2*u**2*cos(x)"),
                                      Misconception("missed the inner u", "2*u*cos(x) + y")])
    r = grade_one(p, "2u^2 cos(u^2)", params={"u": 0.5})
    assert r.verdict == WRONG and r.mistake == "missed the path through y" and not r.also_mistakes
    r = grade_one(p, "2u cos(x) + sin(x)", params={"u": 0.5})
    assert r.verdict == WRONG and r.mistake == "missed the inner u"


@pytest.mark.parametrize("typed, message", [
    ("1/(u - u)", "divides by zero"),
    ("ln(0*u)", "log of 0"),
    ("1/cos(pi/2)", "divides by zero"),
    ("(sqrt(2)^2 - 2)^-1", "divides by zero"),
    ("10^200*10^200*u", "too large"),
    ("u*10^-200*10^-200", "too large or too small"),
    ("u^1001", "exponent in it is too large"),
    ("u^(x - x + 1001)", "exponent in it is too large"),
    ("exp(-800*u)u*10^-200*10^-200", "too large or too small"),  # SymPy collects the coefficient 10^-400
    ("(10^200*u)^2", "too large or too small"),
    ("2*w", "unknown name 'w'"),
])
def test_what_sympys_reader_refuses_is_refused_with_its_message(typed, message):
    r = grade_one(part(**CHAIN), typed, params={"u": 0.5})
    assert r.verdict == UNREADABLE and message in r.message


def test_a_reference_floats_cannot_hold_is_judged_by_sympy(no_sympy):
    q = part(f"u + {10**400} - {10**400}")  # probgen never writes this; if it did, SymPy would judge
    assert fx._form(q.answer, (("u", None),)) is None
    with pytest.raises(AssertionError, match="read with SymPy"):
        grade_one(q, "u", params={"u": 0.5})


def test_an_infinite_value_sympy_reads_is_wrong():
    assert grade_one(part(**CHAIN), "tan(pi/2)*u", params={"u": 0.5}).verdict == WRONG  # zoo*u, as before


class FromExpression:
    """A trace whose part b is computed from the student's expression in part a."""

    seen = []

    def follow_on(self, params, given):
        FromExpression.seen.append(given.get("a"))
        return {"b": 2.0}


def test_error_carried_forward_gets_sympys_printing_of_the_expression():
    a = part("2*u")
    b = Part(key="b", kind="number", answer=3.0, depends_on=["a"])
    r = grade_problem(problem(a, b), 1, {"a": "u + u", "b": "2"}, FromExpression())
    assert r.parts[1].verdict == CORRECT and r.parts[1].follows_from == ["1a"]
    assert FromExpression.seen[-1] == "2*u"  # SymPy's printing, as before issue 14


def test_student_text_never_reaches_eval_sympify_or_pythons_parser(monkeypatch):
    import ast
    import builtins

    import sympy
    import sympy.parsing.sympy_parser

    trusted = {CHAIN["answer"], *CHAIN["variables"].values(), "2*u**2*cos(x)"}
    seen = []

    def spy(name, real):
        def refuse(*args, **kwargs):
            if args and isinstance(args[0], str) and not (name == "ast.parse" and args[0] in trusted):
                seen.append((name, args[0]))
                raise AssertionError(f"{name} called on text {args[0]!r}")
            return real(*args, **kwargs)
        return refuse

    monkeypatch.setattr(builtins, "eval", spy("eval", builtins.eval))
    monkeypatch.setattr(builtins, "exec", spy("exec", builtins.exec))
    monkeypatch.setattr(sympy, "sympify", spy("sympify", sympy.sympify))
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", spy("parse_expr", sympy.parsing.sympy_parser.parse_expr))
    monkeypatch.setattr(ast, "parse", spy("ast.parse", ast.parse))
    p = part(**CHAIN, misconceptions=[Misconception("missed the path through y", "2*u**2*cos(x)")])
    for text in ["2*u*cos(x) + y", "__import__('os')", "u.real", "Max(0, u)", "1/(u - u)", "e^(ln(u))", "2u²cos(x)+y",
                 "exec('1')", "lambda: 1", "u if u else x", "[u]", "u; x"]:
        grade_one(p, text, params={"u": -1.5})
    assert seen == []


# ----------------------------------------------------------- the fast verdict against SymPy's

def sympy_verdict(problem_, part_, text):
    """The verdict and named mistakes of the SymPy path (read_answer gives SymPy objects)."""
    try:
        value = read_answer(part_, text)
    except ReadError as exc:
        return UNREADABLE, (), str(exc)
    near = problem_point(part_, problem_.params)
    verdict = CORRECT if judge_value(part_, value, part_.answer, near).fraction == 1 else WRONG
    named = () if verdict == CORRECT else tuple(sorted(
        m.name for m in part_.misconceptions if judge_value(part_, value, m.value, near).fraction == 1))
    return verdict, named, ""


@pytest.mark.parametrize("fid, difficulty", [("backprop-chain", "easy"), ("backprop-chain", "medium"),
                                             ("backprop-chain", "hard"), ("depthwise-separable", "hard")])
def test_fast_and_sympy_verdicts_agree_on_the_corpus(fid, difficulty):
    family = get_family(fid)
    checked = 0
    for seed in range(6):
        p = build_problem(fid, seed, difficulty)
        for q in p.parts:
            if q.kind != "expression":
                continue
            for text in corpus(q):
                r = ProblemGrader(p, 1, family).grade(q, text)
                named = tuple(sorted(([r.mistake] if r.mistake else []) + r.also_mistakes))
                want = sympy_verdict(p, q, text)
                assert (r.verdict, named, r.message if r.verdict == UNREADABLE else "") == want, (seed, text)
                checked += 1
    assert checked > 300


FUZZ = settings(max_examples=int(os.environ.get("PROBGEN_FUZZ_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
PIECES = ["u", "x", "y", "2", "0", "1", "10^200", "1e-300", "pi", "e", "+", "-", "*", "/", "^", "(", ")",
          "ln(", "exp(", "sqrt(", "sin(", "cos(", "tan(", "σ(", "abs(", "max(", "relu(", "u - u", "x - u^2",
          "sqrt(2)^2 - 2", "1000", "1001", "x - x", "10^-200", "exp(800*u)", " "] + JUNK


def formulas():
    """Well-formed answers over the chain's symbols: mostly readable, so verdicts get compared."""
    leaf = st.sampled_from(["u", "x", "y", "2", "0.5", "1", "3", "pi", "e", "10^200", "10^-200", "1001"])

    def extend(inner):
        operators = st.sampled_from(["+", "-", "*", "/", "^", " "])
        functions = st.sampled_from(["ln", "exp", "sqrt", "sin", "cos", "tan", "σ", "abs", "relu", "-"])
        return st.one_of(st.tuples(inner, operators, inner).map(lambda t: f"({t[0]}){t[1]}({t[2]})"),
                         st.tuples(functions, inner).map(lambda t: f"{t[0]}({t[1]})"))
    return st.recursive(leaf, extend, max_leaves=10)


@FUZZ
@given(text=st.one_of(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join), formulas()))
def test_the_fast_reader_refuses_what_sympys_refuses_and_judges_as_sympy_does(text):
    q = part(**CHAIN)
    try:
        want = read_answer(q, text)
    except ReadError as exc:
        with pytest.raises(ReadError) as got:
            fx.read(q, text)
        assert str(got.value) == str(exc)
        return
    value = fx.read(q, text)
    if isinstance(value, fx.FastExpr):
        assert value.sympy == want and str(value) == str(want)
    for ref in (q.answer, "2*u*cos(x)", "y*(1 - y)"):
        for near in ({"u": 0.5}, {"u": -1.5}, None):
            fast = judge_value(q, value, ref, near).fraction
            assert fast == judge_value(q, want, ref, near).fraction, (text, ref, near)
