"""Checks shared by the optimizer-trace tests (adam, adaptive, momentum, sgd)."""

import math
from fractions import Fraction
from string import ascii_lowercase

import numpy as np

from sweep import assert_parts_match


def check_mistake(part, prefix, expected):
    """The mistake whose name starts with `prefix` has the value `expected`. The builder drops a
    mistake whose value is within 1% of the answer or of a mistake listed before it, so a
    missing one passes only if `expected` is indeed that close to one of those."""
    expected = np.atleast_1d(np.asarray(expected, dtype=float))
    listed = [np.atleast_1d(m.value) for m in part.misconceptions if m.name.startswith(prefix)]
    if listed:
        np.testing.assert_allclose(listed[0], expected, rtol=1e-9, atol=1e-12, err_msg=f"part {part.key}: {prefix}")
    else:
        others = [np.atleast_1d(part.answer)] + [np.atleast_1d(m.value) for m in part.misconceptions]
        assert any(len(o) == len(expected) and all(math.isclose(x, y, rel_tol=0.01, abs_tol=1e-12) for x, y in zip(expected, o))
                   for o in others), (part.key, prefix, expected)


def answers(problem):
    """Every part's reference answer as a 1-D array (a scalar becomes one entry)."""
    return [np.atleast_1d(np.array(p.answer, dtype=float)) for p in problem.parts]


def assert_trace_matches(problem, steps, where=""):
    """The trace's parts (a, b, c, ... in step order) equal the independently computed
    quantities `steps` = [(quantity, ...) per step], one part per quantity."""
    flat = [x for step in steps for x in step]
    assert len(problem.parts) == len(flat), where
    assert_parts_match(problem, dict(zip(ascii_lowercase, flat)))


def is_short_decimal_root(x) -> bool:
    """√x is a decimal with at most 2 places (checked with exact fractions)."""
    q = Fraction(x).limit_denominator(10**9)
    a, b = math.isqrt(q.numerator), math.isqrt(q.denominator)
    return a * a == q.numerator and b * b == q.denominator and 100 % b == 0


def assert_not_degenerate(p, trace, where):
    """No weight lands exactly on 0 after a step (w₁ = [0.75, 0], or Adagrad's w₀ = α giving
    w₁ = 0), and no two coordinates share their gradient magnitudes at every step (each vector
    would hold one number twice, up to sign): TA re-rating, degenerate draws."""
    for t, w in enumerate(trace, start=1):
        assert np.all(np.abs(w) > 1e-12), (where, t, w)
    mags = np.abs(np.array(p["grads"], dtype=float)).T  # one row per coordinate
    for j in range(len(mags)):
        for k in range(j):
            assert not np.array_equal(mags[j], mags[k]), (where, p["grads"])
