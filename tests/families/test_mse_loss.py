"""MSE loss: answers against torch.nn.functional.mse_loss + autograd and finite differences."""

import numpy as np
import pytest
import torch

from probgen.core.registry import get_family
from sweep import assert_parts_match, sweep

FAMILY = "mse-loss"


def predictions(params, w=None, b=None):
    if "w" not in params:
        return np.array(params["y_hat"], dtype=float)
    w = params["w"] if w is None else w
    b = params["b"] if b is None else b
    return w * np.array(params["x"], dtype=float) + b


def independent(params):
    y = torch.tensor(params["y"], dtype=torch.float64)
    out = {}
    if "w" in params:
        w = torch.tensor(params["w"], dtype=torch.float64, requires_grad=True)
        b = torch.tensor(params["b"], dtype=torch.float64, requires_grad=True)
        y_hat = w * torch.tensor(params["x"], dtype=torch.float64) + b
        y_hat.retain_grad()
    else:
        y_hat = torch.tensor(params["y_hat"], dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.mse_loss(y_hat, y)
    loss.backward()
    out["a"] = loss.item()
    out["b"] = y_hat.grad.numpy()
    if "w" in params:
        out["c"] = w.grad.item()
        out["d"] = b.grad.item()
        if "lr" in params:
            out["e"] = params["w"] - params["lr"] * w.grad.item()
    return out


def mse(params, w=None, b=None):
    return float(np.mean((predictions(params, w, b) - np.array(params["y"])) ** 2))


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        assert_parts_match(problem, expected)


def test_weight_gradients_match_finite_differences():
    h = 1e-6
    for _, problem in sweep(FAMILY, difficulties=["medium", "hard"]):
        p = problem.params
        fd_w = (mse(p, w=p["w"] + h) - mse(p, w=p["w"] - h)) / (2 * h)
        assert abs(fd_w - problem.part("c").answer) < 1e-6, problem.seed
        if "lr" in p:
            fd_b = (mse(p, b=p["b"] + h) - mse(p, b=p["b"] - h)) / (2 * h)
            assert abs(fd_b - problem.part("d").answer) < 1e-6, problem.seed


def test_instances_are_hand_workable_and_not_degenerate():
    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        residuals = predictions(p) - np.array(p["y"])
        assert np.all(residuals != 0)
        assert np.all(np.abs(residuals) <= 2 + 1e-9)
        assert all(len(repr(abs(v))) <= 4 for v in p["y"]), p["y"]  # short decimals like -2.4
        if difficulty != "easy":
            assert problem.part("c").answer != 0
        if difficulty == "hard":
            assert problem.part("d").answer != 0
            # the update visibly moves w: "forgot to update" is not within tolerance
            assert abs(problem.part("e").answer - p["w"]) >= 0.05 * abs(p["w"]) - 1e-12
        assert problem.part("a").answer > 0


def test_misconceptions_are_the_named_mistakes():
    """Each listed mistake's value, recomputed here; every mistake shows up somewhere in the sweep."""
    seen = set()
    for _, problem in sweep(FAMILY, difficulties=["hard"]):
        p = problem.params
        x = np.array(p["x"], dtype=float)
        r = predictions(p) - np.array(p["y"])
        n = len(r)
        gw = np.sum(2 * r / n * x)
        gb = np.sum(2 * r / n)
        expected = {
            "a": {"summed the squared errors without dividing by n": np.sum(r**2),
                  "used the mean absolute error": np.mean(np.abs(r)),
                  "divided by 2n (the ½·MSE variant)": np.mean(r**2) / 2},
            "b": {"forgot the factor 2 from the square": r / n,
                  "forgot the 1/n of the mean": 2 * r,
                  "differentiated with respect to y instead of ŷ (sign flipped)": -2 * r / n},
            "c": {"forgot the chain-rule factor x_i": gb, "forgot the 1/n of the mean": gw * n,
                  "forgot the factor 2 from the square": gw / 2, "sign flipped (used y − ŷ)": -gw},
            "d": {"forgot the 1/n of the mean": gb * n, "forgot the factor 2 from the square": gb / 2,
                  "sign flipped (used y − ŷ)": -gb},
            "e": {"stepped along the gradient (w + α ∂L/∂w)": p["w"] + p["lr"] * gw,
                  "forgot the learning rate": p["w"] - gw},
        }
        for part in problem.parts:
            for m in part.misconceptions:
                np.testing.assert_allclose(m.value, expected[part.key][m.name], rtol=1e-9, atol=1e-12,
                                           err_msg=f"seed {problem.seed} {part.key}: {m.name}")
                seen.add((part.key, m.name))
    assert seen == {(k, name) for k, names in expected.items() for name in names}


def test_follow_on_uses_students_gradient():
    problem = next(p for _, p in sweep(FAMILY, difficulties=["hard"]))
    p = problem.params
    given_b = [0.5, -1.0, 0.25, 1.0, 2.0]
    follow = get_family(FAMILY).follow_on(p, {"b": given_b, "c": 3.0})
    assert follow["c"] == pytest.approx(float(np.dot(given_b, p["x"])))
    assert follow["d"] == pytest.approx(sum(given_b))
    assert follow["e"] == pytest.approx(p["w"] - p["lr"] * 3.0)
