"""Property-based tests of the answer parser and the judge (Hypothesis).

- Whatever a student types, reading and grading never raise (a bad answer is "could not read").
- Nothing non-finite is ever accepted: huge products, powers and exponentials are refused or
  judged wrong, never "close" to the reference.
- The key's own answers earn full credit in every spelling docs/grading.md lists.

`PROBGEN_FUZZ_EXAMPLES` sets how many inputs the parser properties try (CI: a few hundred;
the issue-15 run used 100,000).
"""

from __future__ import annotations

import math
import os
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probgen.core.build import build_problem
from probgen.core.lazy import sympy as sp
from probgen.core.registry import get_family, load_all
from probgen.grading.judge import ProblemGrader, read_answer
from probgen.grading.parse import ReadError

FUZZ = int(os.environ.get("PROBGEN_FUZZ_EXAMPLES", "300"))
FUZZ_SETTINGS = settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                         database=None)


@lru_cache(maxsize=None)
def problem(family: str, seed: int, difficulty: str):
    return build_problem(family, seed, difficulty)


# One part of each kind, from real problems.
TARGETS = [("backprop-chain", 1, "hard", "d"),  # expression
           ("backprop-chain", 1, "hard", "c"),  # number
           ("normalization", 1, "hard", "a"),   # shape
           ("normalization", 1, "hard", "c"),   # choice
           ("normalization", 1, "hard", "d"),   # vector
           ("normalization", 1, "hard", "f"),   # matrix
           ("image-input", 1, "hard", "a")]     # exact count

SYMBOLS = list("0123456789") * 3 + list(".,+-*/^()[] eExXCNuyzpi") + [
    "ln", "log", "exp", "sqrt", "sigmoid", "max(", "10^299", "1e300", "9**9", "σ", "π", "√", "−", "×",
    "·", "⋅", "÷", "⁰", "²", "⁻", "=", ";", "\t", "\u202e", "\u200f", "%", "…", "...", "≈", "_", "!",
    "\u00a0", "\uff0c", "{", "}", "0,5", "[1 -2]", "(1, 2)", "m = ", "e^", "tanh(", "relu(", "abs(",
]
texts = st.one_of(
    st.lists(st.sampled_from(SYMBOLS), max_size=30).map("".join),
    st.text(max_size=40),
)


def huge_term():
    big = st.sampled_from(["10^200", "10^299", "1e300", "1e-300", "9^300", "2^1000", "e^700", "exp(710)",
                           "exp(exp(10))", "u", "x", "C", "1", "0"])
    return st.recursive(big, lambda inner: st.tuples(inner, st.sampled_from(["*", "/", "+", "-", "^"]), inner).map(
        lambda t: f"({t[0]}){t[1]}({t[2]})"), max_leaves=12)


def bounded(value) -> bool:
    """A read value holds nothing infinite and no number past 10^±301."""
    if isinstance(value, list):
        return all(bounded(v) for v in value)
    if isinstance(value, (int, float)):
        return math.isfinite(value)
    if isinstance(value, str):
        return True
    if value.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        return False
    return all(abs(n) < sp.Integer(10) ** 301 for n in value.atoms(sp.Number) if n.is_Rational)


def grade_text(target, text):
    family, seed, difficulty, key = target
    prob = problem(family, seed, difficulty)
    part = prob.part(key)
    result = ProblemGrader(prob, 1, get_family(family)).grade(part, text)
    return prob, part, result


@FUZZ_SETTINGS
@given(target=st.sampled_from(TARGETS), text=texts)
def test_reading_and_grading_never_raise(target, text):
    _, part, result = grade_text(target, text)
    assert result.verdict in ("correct", "correct within rounding", "partly correct", "wrong", "could not read",
                              "missing")
    assert len(result.message) <= 220 and "\u202e" not in result.message and "\t" not in result.message


@FUZZ_SETTINGS
@given(target=st.sampled_from(TARGETS), text=huge_term())
def test_nothing_non_finite_is_ever_accepted(target, text):
    _, part, result = grade_text(target, text)
    if result.points > 0:
        value = read_answer(part, text)
        assert bounded(value), (text, result.verdict)
    try:
        value = read_answer(part, text)
    except ReadError:
        return
    assert bounded(value), text


# ------------------------------------------------------------------ the key's own answers

def spellings(part) -> list[str]:
    """The documented ways to write the reference (docs/grading.md, 'What answers may look like')."""
    kind, ans = part.kind, part.answer
    if kind == "number":
        out = [repr(ans), f"{ans:.3g}", f"{ans:.6g}", f"{ans:.4e}", f"x = {ans!r}"]
        if ans < 0:
            out.append("\u2212" + repr(-ans))
        if part.exact and len(str(part.exact)) < 40 and "/" in str(part.exact) and "sqrt" not in str(part.exact):
            out.append(str(part.exact))
        return out if part.tolerance else [repr(ans), f"{int(ans)}" if float(ans).is_integer() else repr(ans)]
    if kind == "vector":
        full = [repr(x) for x in ans]
        short = [f"{x:.3g}" for x in ans] if part.tolerance else full
        return ["[" + ", ".join(full) + "]", ", ".join(full), "(" + ", ".join(short) + ")",
                "[" + " ".join(short) + "]", "v = [" + ", ".join(short) + "]", "[[" + ", ".join(full) + "]]"]
    if kind == "matrix":
        rows = [[repr(x) for x in row] for row in ans]
        return ["[" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "]",
                "[" + " ".join("[" + " ".join(r) + "]" for r in rows) + "]"]
    if kind == "shape":
        dims = [str(d) for d in ans]
        out = ["(" + ", ".join(dims) + ")", " x ".join(dims), "×".join(dims), "[" + ", ".join(dims) + "]"]
        if len(dims) > 1:
            out += ["·".join(dims)]
            if not any(d.lower() == "x" for d in dims):
                out += ["X".join(dims)]
        else:
            out += [f"({dims[0]},)"]
        return out
    if kind == "expression":
        return [ans, ans.replace("**", "^")]
    if kind == "choice":
        return [ans, ans.upper(), f"({ans})"]
    return []


FAMILIES = sorted(load_all())


@settings(max_examples=int(os.environ.get("PROBGEN_SPELLING_EXAMPLES", "40")), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(family=st.sampled_from(FAMILIES), seed=st.integers(0, 10**6), difficulty=st.sampled_from(["easy", "medium", "hard"]))
def test_the_keys_own_answers_score_in_every_spelling(family, seed, difficulty):
    fam = get_family(family)
    if difficulty not in fam.difficulties:
        return
    prob = build_problem(family, seed, difficulty)
    for part in prob.parts:
        for text in spellings(part):
            result = ProblemGrader(prob, 1, fam).grade(part, text)
            assert result.full, f"{family} seed {seed} {difficulty} {part.key}: {text!r} -> {result.verdict} {result.message}"
