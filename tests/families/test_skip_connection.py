"""Skip connections: gradients by torch autograd through real plain and residual blocks (and
stacks of them), checked again by finite differences; the vanishing depth by logarithms."""

import math

import numpy as np
import pytest
import torch

from sweep import sweep

FAMILY = "skip-connection"


def branch(params):
    if params["branch"] == "square":
        return lambda x: params["a"] * x**2
    return lambda x: params["w2"] * torch.relu(params["w1"] * x + params["b1"])


def input_gradient(block, x0, upstream):
    x = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)
    y = block(x)
    y.backward(torch.tensor(float(upstream), dtype=torch.float64))
    return x.grad.item(), y.item()


def stack_gradient(derivatives, upstream, residual):
    """A stack of blocks with linear branches F_i(x) = f_i x, so F_i' = f_i at any input."""
    x0 = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    x = x0
    for f in derivatives:
        x = x + f * x if residual else f * x
    x.backward(torch.tensor(float(upstream), dtype=torch.float64))
    return x0.grad.item()


def independent(params):
    F, g = branch(params), params["upstream"]
    plain, _ = input_gradient(F, params["x"], g)
    residual, y = input_gradient(lambda x: x + F(x), params["x"], g)
    if params["branch"] == "square":
        d, _ = input_gradient(F, params["x"], 1.0)
        out = {"a": d}
    else:
        out = {"a": y}
    out.update(b=plain, c=residual)
    fs = ([params["block_derivative"]] * params["blocks"] if "blocks" in params
          else params.get("block_derivatives"))
    if fs:
        out["d"] = stack_gradient(fs, g, residual=False)
        out["e"] = stack_gradient(fs, g, residual=True)
    if "threshold" in params:
        out["f"] = math.floor(math.log(params["threshold"]) / math.log(params["vanish_derivative"])) + 1
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        for part in problem.parts:
            np.testing.assert_allclose(part.answer, expected[part.key], rtol=1e-9, atol=1e-12,
                                       err_msg=f"seed {problem.seed} part {part.key}")


def test_block_gradients_match_finite_differences():
    h = 1e-6
    for _, problem in sweep(FAMILY, difficulties=["easy", "medium"]):
        p = problem.params
        if p["branch"] == "square":
            F = lambda x: p["a"] * x**2  # noqa: E731
        else:
            F = lambda x: p["w2"] * max(0.0, p["w1"] * x + p["b1"])  # noqa: E731
        x, g = p["x"], p["upstream"]
        fd_plain = g * (F(x + h) - F(x - h)) / (2 * h)
        fd_res = g * ((x + h + F(x + h)) - (x - h + F(x - h))) / (2 * h)
        assert problem.part("b").answer == pytest.approx(fd_plain, abs=1e-6)
        assert problem.part("c").answer == pytest.approx(fd_res, abs=1e-6)


def test_instances_are_not_degenerate():
    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        assert all(part.answer != 0 for part in problem.parts), problem.seed
        branch_derivative = 2 * p["a"] * p["x"] if p["branch"] == "square" else p["w1"] * p["w2"]
        assert branch_derivative not in (-1, 0, 1), problem.seed  # no cancelled or pass-through gradient
        if p["branch"] == "relu":
            assert p["w1"] * p["x"] + p["b1"] > 0  # the ReLU is active: F' = w2 w1
        if "d" in {q.key for q in problem.parts}:
            assert abs(problem.part("e").answer) > abs(problem.part("d").answer)
        if "threshold" in p:
            f, thr, n = p["vanish_derivative"], p["threshold"], problem.part("f").answer
            assert f ** (n - 1) > thr * (1 + 1e-6) and f**n < thr * (1 - 1e-6)  # far from the boundary


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for _, problem in sweep(FAMILY):
        p = problem.params
        g, x = p["upstream"], p["x"]
        if p["branch"] == "square":
            a = p["a"]
            d = 2 * a * x
            exp = {"a": {"forgot the factor 2 (wrote a·x)": a * x, "gave F(x) instead of F'(x)": a * x * x}}
        else:
            d = p["w1"] * p["w2"]
            F = p["w2"] * (p["w1"] * x + p["b1"])
            exp = {"a": {"left out the skip (y = F(x))": F, "forgot the bias b₁": x + d * x}}
        exp["b"] = {"added the skip's 1, but the plain block has no skip (that is the residual block's gradient)": g * (1 + d), "forgot to multiply by ∂L/∂y": d}
        exp["c"] = {"forgot the skip path's 1": g * d, "added the 1 after multiplying (∂L/∂y·F'(x) + 1)": g * d + 1,
                    "forgot to multiply by ∂L/∂y": 1 + d}
        fs = ([p["block_derivative"]] * p["blocks"] if "blocks" in p else p.get("block_derivatives"))
        if fs:
            fs = np.array(fs)
            exp["d"] = {"summed the block derivatives instead of multiplying": g * fs.sum(),
                        "used the residual factors (1 + F')": g * np.prod(1 + fs), "forgot to multiply by ∂L/∂y": np.prod(fs)}
            exp["e"] = {"added the skip only once, 1 + ΠF'": g * (1 + np.prod(fs)),
                        "kept only first-order terms, 1 + ΣF'": g * (1 + fs.sum()), "used the plain product ΠF'": g * np.prod(fs)}
        if "threshold" in p:
            exp["f"] = {"off by one: gave the last depth whose gradient is still at or above the threshold": problem.part("f").answer - 1}
        for part in problem.parts:
            for m in part.misconceptions:
                np.testing.assert_allclose(m.value, exp[part.key][m.name], rtol=1e-9, atol=1e-12,
                                           err_msg=f"seed {problem.seed} {part.key}: {m.name}")
                seen.add((part.key, m.name))
    assert len(seen) >= 16
