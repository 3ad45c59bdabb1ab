"""Dropout scaling: the deck's mask = rand > p, inverted dropout vs scaling at test time."""

from __future__ import annotations

import math
from fractions import Fraction

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part, vector_part

# Drop probabilities whose 1/(1-p) is a friendly number: 1.25, 2, 2.5, 4, 5.
DROP_PROBABILITIES = (0.2, 0.5, 0.6, 0.75, 0.8)
SIZES = {"easy": 4, "medium": 5, "hard": 6}


@family
class Dropout(Family):
    id = "dropout"
    section = "fundamentals"
    topic = "regularization"
    title = "Dropout scaling"
    version = 2  # 2: the number of kept units is near (1 - p)·n

    def generate(self, draw, difficulty, convention):
        n = SIZES[difficulty]
        p = draw.choice(DROP_PROBABILITIES)
        # Activations: nonzero multiples of 0.5 (easy) or 0.1 so the scaled values stay short.
        step = 0.5 if difficulty == "easy" else 0.1
        hi = 4.0 if difficulty == "easy" else 2.0
        x = [draw.decimal(-hi, hi, step, nonzero=True) for _ in range(n)]
        # Uniform draws shown to two decimals, never equal to p. As many kept as p makes typical:
        # (1 - p)·n rounded down or up (p = 0.8 of 5 units keeps 1, not 3 or 4, which would make a
        # student doubt the reading of p), and at least one kept and one dropped.
        expected = (1 - Fraction(repr(p))) * n
        counts = sorted({min(max(c, 1), n - 1) for c in (math.floor(expected), math.ceil(expected))})
        kept_count = draw.choice(counts)
        keep = [True] * kept_count + [False] * (n - kept_count)
        draw.shuffle(keep)
        rand = []
        for kept in keep:
            lo, top = (round(p * 100) + 1, 99) if kept else (1, round(p * 100) - 1)
            rand.append(draw.integer(lo, top) / 100)
        params = {"x": x, "p": p, "rand": rand}
        if difficulty == "hard":
            params["unit"] = draw.integer(1, n)
        return params

    def solve(self, params):
        x = [exact(v) for v in params["x"]]
        p = exact(params["p"])
        mask = [sp.Integer(1 if exact(r) > p else 0) for r in params["rand"]]
        flipped = [1 - m for m in mask]
        keep = 1 - p
        train = [xi * mi / keep for xi, mi in zip(x, mask)]
        parts = [
            vector_part("a", mask, 2, tolerance=0, mistakes={
                "kept the units with rand < p (the mask is rand > p)": flipped,
            }),
            vector_part("b", train, 3, depends_on=["a"], mistakes={
                "forgot to divide by 1 − p at training time": [xi * mi for xi, mi in zip(x, mask)],
                "multiplied by 1 − p instead of dividing": [xi * mi * keep for xi, mi in zip(x, mask)],
                "divided by p instead of 1 − p": [xi * mi / p for xi, mi in zip(x, mask)],
                "kept the units with rand < p (the mask is rand > p)": [xi * fi / keep for xi, fi in zip(x, flipped)],
            }),
            vector_part("c", x, 2, mistakes={
                "scaled by 1 − p at test time as well": [xi * keep for xi in x],
                "applied the dropout mask at test time": train,
            }),
        ]
        if len(x) >= 5:
            parts.append(vector_part("d", [xi * keep for xi in x], 2, mistakes={
                "divided by 1 − p at test time (that is inverted dropout's training rule)": [xi / keep for xi in x],
                "left the test-time activations unscaled": x,
            }))
        work = {"keep": keep, "scale": 1 / keep, "mask": mask, "train": train}
        if "unit" in params:
            xi = x[params["unit"] - 1]
            parts.append(number_part("e", xi, 2, mistakes={
                "forgot the 1/(1 − p) factor (gave E[m]·xᵢ = (1 − p)·xᵢ)": xi * keep,
                "took E[m] = p instead of 1 − p": xi * p / keep,
            }))
            work["unit_x"] = xi
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """Part b from the student's own mask (part a)."""
        if "a" not in given or len(given["a"]) != len(params["x"]):
            return {}
        keep = 1 - params["p"]
        return {"b": [xi * mi / keep for xi, mi in zip(params["x"], given["a"])]}
