"""SGD with momentum: every part against NumPy (the deck's formulas) and real torch.optim.SGD."""


import numpy as np
import pytest
import torch

from probgen.core.registry import get_family
from sweep import sweep
from trace_checks import answers, assert_not_degenerate, assert_trace_matches, check_mistake

torch.set_num_threads(1)  # tiny tensors: thread start-up would dominate on a shared machine

FAMILY = "momentum-trace"
CONVENTIONS = ["course", "pytorch"]


def course_trace(params):
    """The deck: m ← μm − α∇ℓ, w ← w + m, from m = 0. Returns [(m_t, w_t)]."""
    w = np.array(params["w0"], dtype=float)
    m = np.zeros_like(w)
    out = []
    for g in params["grads"]:
        m = params["momentum"] * m - params["lr"] * np.array(g)
        w = w + m
        out.append((m, w))
    return out


def torch_trace(params):
    """torch.optim.SGD with momentum stepping a tensor with the given gradients."""
    w = torch.tensor(params["w0"], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=params["lr"], momentum=params["momentum"])
    out = []
    for g in params["grads"]:
        w.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        out.append((opt.state[w]["momentum_buffer"].numpy().copy(), w.detach().numpy().copy()))
    return out



@pytest.mark.parametrize("convention", CONVENTIONS)
def test_every_part_matches_independent_numpy_and_torch(convention):
    for difficulty, problem in sweep(FAMILY, convention):
        where = f"{difficulty} seed {problem.seed}"
        got = answers(problem)
        expected = course_trace(problem.params) if convention == "course" else torch_trace(problem.params)
        assert_trace_matches(problem, expected, where)
        # Both conventions move the weights identically (constant lr): w_t from torch as well.
        for (_, w_torch), a in zip(torch_trace(problem.params), got[1::2]):
            np.testing.assert_allclose(a, w_torch, rtol=1e-9, atol=1e-12, err_msg=where)


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_instances_are_hand_workable_and_not_degenerate(convention):
    sizes = {"easy": (1, 1), "medium": (2, 2), "hard": (3, 2)}
    for difficulty, problem in sweep(FAMILY, convention):
        params = problem.params
        assert (len(params["grads"]), len(params["w0"])) == sizes[difficulty]
        grads = np.array(params["grads"])
        assert np.all(grads != 0) and np.all(grads * 2 == np.round(grads * 2))
        for m, _ in course_trace(params):
            assert np.all(m != 0), f"seed {problem.seed}: a step of zero"
        assert_not_degenerate(params, [w for _, w in course_trace(params)], (difficulty, problem.seed))


def _mistake(part, prefix):
    return next(np.atleast_1d(m.value) for m in part.misconceptions if m.name.startswith(prefix))


def test_misconceptions_are_the_named_mistakes():
    for _, problem in sweep(FAMILY, "course", difficulties=["medium"]):
        p = problem.params
        g1, g2 = np.array(p["grads"][0]), np.array(p["grads"][1])
        m1 = -p["lr"] * g1
        np.testing.assert_allclose(_mistake(problem.part("c"), "momentum sign convention"),
                                   p["momentum"] * m1 + p["lr"] * g2, atol=1e-12)
        w1 = np.array(p["w0"]) + m1
        m2 = p["momentum"] * m1 - p["lr"] * g2
        np.testing.assert_allclose(_mistake(problem.part("d"), "momentum sign convention"), w1 - m2, atol=1e-12)
        np.testing.assert_allclose(_mistake(problem.part("d"), "ignored momentum"), w1 - p["lr"] * g2, atol=1e-12)
        check_mistake(problem.part("c"), "forgot the momentum term", -p["lr"] * g2)
        check_mistake(problem.part("c"), "used PyTorch's buffer", p["momentum"] * g1 + g2)  # b₁ = g₁
    for _, problem in sweep(FAMILY, "pytorch", difficulties=["medium"]):
        p = problem.params
        g1, g2 = np.array(p["grads"][0]), np.array(p["grads"][1])
        np.testing.assert_allclose(_mistake(problem.part("c"), "wrote the course's momentum"),
                                   p["momentum"] * (-p["lr"] * g1) - p["lr"] * g2, atol=1e-12)
        np.testing.assert_allclose(_mistake(problem.part("c"), "forgot the momentum factor"), g1 + g2, atol=1e-12)
        w1 = np.array(p["w0"]) - p["lr"] * g1
        b2 = p["momentum"] * g1 + g2
        np.testing.assert_allclose(_mistake(problem.part("d"), "momentum sign convention"), w1 + p["lr"] * b2, atol=1e-12)
        check_mistake(problem.part("c"), "multiplied the gradient by the learning rate", p["momentum"] * g1 + p["lr"] * g2)
        check_mistake(problem.part("d"), "ignored momentum", w1 - p["lr"] * g2)
        check_mistake(problem.part("d"), "forgot the learning rate", w1 - b2)


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_follow_on_carries_the_students_state_forward(convention):
    fam = get_family(FAMILY)
    for _, problem in sweep(FAMILY, convention, difficulties=["hard"]):
        p = problem.params
        wrong_state = [x + 1.0 for x in problem.part("c").answer]  # the student's m_2 / b_2
        wrong_w = [x - 0.5 for x in problem.part("b").answer]      # the student's w_1
        follow = fam.follow_on(p, {"b": wrong_w, "c": wrong_state})
        lr, mu = p["lr"], p["momentum"]
        g2, g3 = np.array(p["grads"][1]), np.array(p["grads"][2])
        state2 = np.array(wrong_state)
        if convention == "course":
            w2 = np.array(wrong_w) + state2
            state3 = mu * state2 - lr * g3
            w3 = w2 + state3
        else:
            w2 = np.array(wrong_w) - lr * state2
            state3 = mu * state2 + g3
            w3 = w2 - lr * state3
        np.testing.assert_allclose(follow["d"], w2)
        np.testing.assert_allclose(follow["e"], state3)
        np.testing.assert_allclose(follow["f"], w3)
        assert problem.part("d").depends_on == ["b", "c"] and problem.part("e").depends_on == ["c"]
        # Nothing given: the follow-on values are the reference answers.
        untouched = fam.follow_on(p, {})
        np.testing.assert_allclose(untouched["f"], problem.part("f").answer)
