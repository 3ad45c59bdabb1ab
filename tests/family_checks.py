"""Checks shared by the computational family tests (counts, shapes and matrices of named mistakes;
answers and mistakes by part role)."""

from __future__ import annotations

import numpy as np

from sweep import assert_parts_match, mistakes, sweep, where


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


def assert_answers_by_role(family: str, difficulty: str, independent, roles, keys: str = "abcdef") -> None:
    """For every problem of one difficulty's sweep: the parts are `keys` in order, one per role of
    `roles(params)`, and each answer equals `independent(params)[role]`."""
    for _, problem in sweep(family, difficulties=[difficulty]):
        expected = independent(problem.params)
        layout = roles(problem.params)
        assert [p.key for p in problem.parts] == list(keys[: len(layout)])
        assert_parts_match(problem, {part.key: expected[role] for part, role in zip(problem.parts, layout)})


def checked_mistakes_by_role(family: str, mistake_values, roles) -> set:
    """Every named mistake of every part in the sweep has the value `mistake_values(params)[role][name]`;
    the (role, name) pairs seen, for the caller to check coverage."""
    seen = set()
    for difficulty, problem in sweep(family):
        values = mistake_values(problem.params)
        for part, role in zip(problem.parts, roles(problem.params)):
            for m in part.misconceptions:
                np.testing.assert_allclose(m.value, values[role][m.name], rtol=1e-9, atol=1e-12,
                                           err_msg=f"{difficulty} seed {problem.seed} {role}: {m.name}")
                seen.add((role, m.name))
    return seen
