"""Seed sweeps shared by the family tests: each (family, difficulty, seed) is built once per session."""

from __future__ import annotations

import os
from functools import lru_cache

from probgen.core.build import build_problem
from probgen.core.model import DIFFICULTIES


def sweep_seeds() -> range:
    return range(int(os.environ["PROBGEN_SWEEP_SEEDS"]))


@lru_cache(maxsize=None)
def built(family: str, difficulty: str, seed: int, convention: str | None = None):
    return build_problem(family, seed, difficulty, convention)


def sweep(family: str, convention: str | None = None, difficulties=DIFFICULTIES):
    """Every (difficulty, problem) of the sweep for one family."""
    for difficulty in difficulties:
        for seed in sweep_seeds():
            yield difficulty, built(family, difficulty, seed, convention)


def where(problem, part=None) -> str:
    """Where a failing check happened, for assertion messages."""
    at = f"{problem.family} {problem.difficulty} seed {problem.seed} ({problem.convention})"
    return f"{at} part {part.key}" if part is not None else at


def assert_parts_match(problem, expected: dict, rtol: float = 1e-9, atol: float = 1e-12) -> None:
    """Every part's reference answer equals the independently computed value for its key
    (numeric kinds compared with a tight tolerance, the others exactly)."""
    import numpy as np

    missing = {p.key for p in problem.parts} - set(expected)
    assert not missing, f"{where(problem)}: no independent value for parts {sorted(missing)}"
    for part in problem.parts:
        if part.kind in ("number", "vector", "matrix"):
            np.testing.assert_allclose(part.answer, expected[part.key], rtol=rtol, atol=atol,
                                       err_msg=where(problem, part))
        else:
            assert part.answer == expected[part.key], where(problem, part)


def mistakes(part) -> dict:
    """A part's misconceptions as {name: value}."""
    return {m.name: m.value for m in part.misconceptions}
