"""Weight penalties: values and gradients with torch autograd, the L2 step with torch.optim.SGD's
weight_decay, the L1 step by hand in NumPy, gradients also by finite differences."""

import numpy as np
import pytest
import torch

from probgen.core.registry import get_family
from sweep import assert_parts_match, sweep

FAMILY = "weight-penalty"


def penalties(w, lam, form):
    l1 = lam * w.abs().sum()
    l2 = (lam / 2 if form == "half" else lam) * (w**2).sum()
    return l1, l2


def independent(params):
    lam, form = params["lam"], params["l2_form"]
    w = torch.tensor(params["w"], dtype=torch.float64, requires_grad=True)
    l1, l2 = penalties(w, lam, form)
    (g1,) = torch.autograd.grad(l1, w)
    (g2,) = torch.autograd.grad(l2, w)
    out = {"a": l1.item(), "b": l2.item()}
    if "grad" not in params:
        out["c"] = g2.numpy()
        return out
    out["c"], out["d"] = g1.numpy(), g2.numpy()
    # L2 step: torch's SGD weight_decay adds wd * w to the gradient, i.e. the penalty (wd/2)||w||^2.
    p = torch.nn.Parameter(torch.tensor(params["w"], dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=params["lr"], weight_decay=lam if form == "half" else 2 * lam)
    p.grad = torch.tensor(params["grad"], dtype=torch.float64)
    opt.step()
    out["e"] = p.detach().numpy()
    if len(params["w"]) == 4:
        w0, g = np.array(params["w"]), np.array(params["grad"])
        out["f"] = w0 - params["lr"] * (g + lam * np.sign(w0))
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        assert_parts_match(problem, expected)


def test_penalty_gradients_match_finite_differences():
    h = 1e-6
    for _, problem in sweep(FAMILY, difficulties=["medium"]):
        p = problem.params
        c2 = p["lam"] / 2 if p["l2_form"] == "half" else p["lam"]
        w = np.array(p["w"])
        for key, f in (("c", lambda v: p["lam"] * np.abs(v).sum()), ("d", lambda v: c2 * (v**2).sum())):
            fd = [(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(len(w))]
            np.testing.assert_allclose(problem.part(key).answer, fd, atol=1e-6)


def test_instances_are_hand_workable_and_the_decay_matters():
    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        assert all(v != 0 and 2 * v == int(2 * v) for v in p["w"])  # nonzero halves: sign(w) defined
        # the L2 gradient is not the given w copied: its coefficient (2λ, or λ for the ½ form) is not 1
        assert (2 * p["lam"] if p["l2_form"] == "plain" else p["lam"]) != 1, (difficulty, problem.seed)
        if difficulty != "easy":
            assert all(v != 0 for v in p["grad"])
            c2 = p["lam"] / 2 if p["l2_form"] == "half" else p["lam"]
            assert 0.05 <= p["lr"] * 2 * c2 <= 0.2 + 1e-12  # the decay factor visibly differs from 1
            # forgetting the decay is never accepted within the default 1% tolerance
            no_decay = np.array(p["w"]) - p["lr"] * np.array(p["grad"])
            e = np.array(problem.part("e").answer)
            assert np.any(np.abs(no_decay - e) > 0.01 * np.abs(e) + 1e-12)


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for _, problem in sweep(FAMILY, difficulties=["easy", "hard"]):
        p = problem.params
        w, lam = np.array(p["w"]), p["lam"]
        half = p["l2_form"] == "half"
        c2 = lam / 2 if half else lam
        g1, g2 = lam * np.sign(w), 2 * c2 * w
        exp = {
            "a": {"forgot the absolute values": lam * w.sum(), "forgot λ": np.abs(w).sum()},
            "b": {"forgot the ½": lam * (w**2).sum(), "added a ½": lam / 2 * (w**2).sum(),
                  "used the norm ‖w‖ instead of its square": c2 * np.linalg.norm(w)},
        }
        g2_wrong = {"differentiated as if there were no ½ (2λw)": 2 * lam * w,
                    "forgot the factor 2 from the square (λw)": lam * w, "used the L1 gradient λ·sign(w)": g1}
        if "grad" in p:
            g, lr = np.array(p["grad"]), p["lr"]
            step2 = w - lr * (g + g2)
            exp["c"] = {"used the L2 gradient": g2, "forgot λ (wrote sign(w))": np.sign(w)}
            exp["d"] = g2_wrong
            exp["e"] = {"left out the penalty's gradient (no weight decay)": w - lr * g,
                        "stepped uphill (w + α·gradient)": w + lr * (g + g2),
                        "subtracted the decay term without the learning rate": w - lr * g - g2}
            exp["f"] = {"used the L2 (weight-decay) step instead": step2, "left out the penalty's gradient": w - lr * g,
                        "stepped uphill (w + α·gradient)": w + lr * (g + g1)}
        else:
            exp["c"] = g2_wrong
        for part in problem.parts:
            for m in part.misconceptions:
                np.testing.assert_allclose(m.value, exp[part.key][m.name], rtol=1e-9, atol=1e-12,
                                           err_msg=f"seed {problem.seed} {part.key}: {m.name}")
                seen.add((part.key, m.name))
    assert len(seen) >= 16


def test_follow_on_uses_students_gradients():
    problem = next(p for _, p in sweep(FAMILY, difficulties=["hard"]))
    p = problem.params
    given = [1.0, -1.0, 0.5, 0.0]
    follow = get_family(FAMILY).follow_on(p, {"c": given, "d": given})
    expected = np.array(p["w"]) - p["lr"] * (np.array(p["grad"]) + np.array(given))
    np.testing.assert_allclose(follow["e"], expected)
    np.testing.assert_allclose(follow["f"], expected)
