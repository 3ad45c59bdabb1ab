"""Seed sweeps shared by the family tests: each (family, difficulty, seed) is built once per session."""

from __future__ import annotations

import os
from functools import lru_cache

from probgen.build import build_problem
from probgen.model import DIFFICULTIES


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
