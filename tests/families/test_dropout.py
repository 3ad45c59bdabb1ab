"""Dropout: reference answers against a NumPy re-implementation of the deck's code."""

import numpy as np
import pytest

from sweep import sweep

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
        for part in problem.parts:
            np.testing.assert_allclose(part.answer, expected[part.key], rtol=1e-12, atol=1e-12,
                                       err_msg=f"seed {problem.seed} part {part.key}")


def test_instances_are_hand_workable():
    for difficulty, problem in sweep(FAMILY):
        params = problem.params
        assert 1 in problem.part("a").answer and 0 in problem.part("a").answer  # something kept, something dropped
        assert all(r != params["p"] for r in params["rand"])
        assert all(x != 0 for x in params["x"])
        assert round(1 / (1 - params["p"]), 9) in (1.25, 2, 2.5, 4, 5)


def test_follow_on_uses_students_mask():
    from probgen.registry import get_family

    problem = next(p for _, p in sweep(FAMILY, difficulties=["easy"]))
    wrong_mask = [1 - m for m in problem.part("a").answer]
    follow = get_family(FAMILY).follow_on(problem.params, {"a": wrong_mask})
    x, p = np.array(problem.params["x"]), problem.params["p"]
    np.testing.assert_allclose(follow["b"], x * np.array(wrong_mask) / (1 - p))


def test_misconceptions_name_the_mistakes():
    for _, problem in sweep(FAMILY, difficulties=["medium"]):
        names = {m.name for m in problem.part("c").misconceptions}
        assert "scaled by 1 − p at test time as well" in names
        x, p = np.array(problem.params["x"]), problem.params["p"]
        value = next(m.value for m in problem.part("c").misconceptions if m.name.startswith("scaled by"))
        np.testing.assert_allclose(value, x * (1 - p))
