"""Checks shared by the CNN, vision and NLP family tests (counts, shapes and matrices of named mistakes)."""

from __future__ import annotations

import numpy as np

from sweep import mistakes, sweep, where


def assert_exact_answers(problem, expected: dict) -> None:
    """The problem has exactly the parts of `expected`, each answer (a count or a shape) equals its
    independently computed value exactly, and is graded exactly (tolerance 0)."""
    assert [p.key for p in problem.parts] == sorted(expected), where(problem)
    for part in problem.parts:
        assert part.answer == expected[part.key], where(problem, part)
        assert part.tolerance == 0, where(problem, part)


def assert_sweep_exact(family: str, difficulty: str, independent) -> None:
    """assert_exact_answers for every problem of one difficulty's sweep, with
    `independent(params)` giving the expected answers by part key."""
    for _, problem in sweep(family, difficulties=[difficulty]):
        assert_exact_answers(problem, independent(problem.params))


def assert_mistakes_cover(part, expected: dict) -> None:
    """Every listed mistake has its independently computed value, and every mistake that gives an
    answer other than the reference is listed (under its name, or another with the same value)."""
    listed = mistakes(part)
    for name, value in listed.items():
        assert name in expected, f"{part.key}: unexpected mistake {name!r}"
        np.testing.assert_allclose(value, expected[name], err_msg=f"{part.key}: {name}")
    for name, value in expected.items():
        if np.shape(value) != np.shape(part.answer) or not np.allclose(value, part.answer):
            assert any(np.shape(v) == np.shape(value) and np.allclose(v, value) for v in listed.values()), name
