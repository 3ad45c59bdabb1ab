"""Dropout: reference answers against a NumPy re-implementation of the deck's code."""

import numpy as np
import pytest

from sweep import assert_parts_match, mistakes, sweep, where

FAMILY = "dropout"


def independent(params):
    x = np.array(params["x"], dtype=float)
    p = params["p"]
    mask = (np.array(params["rand"]) > p).astype(float)  # the deck: mask = torch.rand(x.size()) > p
    out = {"a": mask, "b": x * mask / (1 - p), "c": x, "d": x * (1 - p)}
    if "unit" in params:
        # E over masks, by enumeration of m in {0,1} with P(m=1) = 1-p
        xi = x[params["unit"] - 1]
        out["e"] = (1 - p) * (xi / (1 - p)) + p * 0.0
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_numpy(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        assert [p.key for p in problem.parts] == list("abcde"[: len(problem.parts)])
        assert_parts_match(problem, expected, rtol=1e-12)


def test_instances_are_hand_workable():
    for difficulty, problem in sweep(FAMILY):
        params = problem.params
        assert 1 in problem.part("a").answer and 0 in problem.part("a").answer  # something kept, something dropped
        assert all(r != params["p"] for r in params["rand"])
        assert all(x != 0 for x in params["x"])
        assert round(1 / (1 - params["p"]), 9) in (1.25, 2, 2.5, 4, 5)


def test_follow_on_uses_students_mask():
    from probgen.core.registry import get_family

    problem = next(p for _, p in sweep(FAMILY, difficulties=["easy"]))
    wrong_mask = [1 - m for m in problem.part("a").answer]
    follow = get_family(FAMILY).follow_on(problem.params, {"a": wrong_mask})
    x, p = np.array(problem.params["x"]), problem.params["p"]
    np.testing.assert_allclose(follow["b"], x * np.array(wrong_mask) / (1 - p))


def mistake_values(params):
    """Each named mistake's value, re-derived in NumPy from its name."""
    x, p = np.array(params["x"], dtype=float), params["p"]
    mask = (np.array(params["rand"]) > p).astype(float)
    flipped = 1 - mask
    values = {
        "a": {"kept the units with rand < p (the mask is rand > p)": flipped},
        "b": {"forgot to divide by 1 − p at training time": x * mask,
              "multiplied by 1 − p instead of dividing": x * mask * (1 - p),
              "divided by p instead of 1 − p": x * mask / p,
              "kept the units with rand < p (the mask is rand > p)": x * flipped / (1 - p)},
        "c": {"scaled by 1 − p at test time as well": x * (1 - p),
              "applied the dropout mask at test time": x * mask / (1 - p)},
        "d": {"divided by 1 − p at test time (that is inverted dropout's training rule)": x / (1 - p),
              "left the test-time activations unscaled": x},
    }
    if "unit" in params:
        xi = x[params["unit"] - 1]
        values["e"] = {"forgot the 1/(1 − p) factor (gave E[m]·xᵢ = (1 − p)·xᵢ)": (1 - p) * xi,
                       "took E[m] = p instead of 1 − p": p * xi / (1 - p)}
    return values


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for _, problem in sweep(FAMILY):
        values = mistake_values(problem.params)
        for part in problem.parts:
            for name, value in mistakes(part).items():
                np.testing.assert_allclose(value, values[part.key][name], rtol=1e-12, atol=1e-12,
                                           err_msg=f"{where(problem, part)}: {name}")
                seen.add((part.key, name))
    named = {(key, name) for key, by_name in mistake_values(problem.params).items() for name in by_name}
    assert named <= seen, f"mistakes never offered: {named - seen}"


def test_kept_units_match_the_drop_probability():
    """The drawn uniforms keep about (1 − p)·n units (less than one unit off), never all or none:
    p = 0.8 on 5 units keeps 1, not 3 or 4 (TA defect 11: a student then doubts the reading of p)."""
    seen = set()
    for _, problem in sweep(FAMILY):
        params = problem.params
        n, p = len(params["x"]), params["p"]
        kept = int((np.array(params["rand"]) > p).sum())
        assert 1 <= kept <= n - 1, where(problem)
        assert abs(kept - (1 - p) * n) < 1, (where(problem), kept, p, n)
        seen.add((p, n, kept))
    assert (0.8, 5, 1) in seen and (0.2, 5, 4) in seen
