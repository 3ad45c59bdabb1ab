"""GD / SGD / mini-batch SGD: every part against NumPy (the deck's formulas) and torch.optim.SGD."""


import numpy as np
import pytest
import torch

from probgen.core.registry import get_family
from sweep import sweep
from trace_checks import answers, assert_trace_matches, check_mistake

torch.set_num_threads(1)  # tiny tensors: thread start-up would dominate on a shared machine

FAMILY = "sgd-trace"


def numpy_trace(params):
    """The deck: w ← w − α · (1/|B|) Σ_{i∈B} ∇ℓ(w; x_i, y_i), ℓ = ½(w·x − y)². Returns [(g_t, w_t)]."""
    X, y = np.array(params["X"], dtype=float), np.array(params["y"], dtype=float)
    w = np.array(params["w0"], dtype=float)
    out = []
    for batch in params["batches"]:
        rows = np.array(batch) - 1
        g = ((X[rows] @ w - y[rows])[:, None] * X[rows]).mean(axis=0)
        w = w - params["lr"] * g
        out.append((g, w))
    return out


def torch_trace(params):
    """torch autograd for the gradient of the mean batch loss, torch.optim.SGD for the step."""
    X, y = torch.tensor(params["X"], dtype=torch.float64), torch.tensor(params["y"], dtype=torch.float64)
    w = torch.tensor(params["w0"], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=params["lr"])
    out = []
    for batch in params["batches"]:
        rows = torch.tensor(batch) - 1
        opt.zero_grad()
        (0.5 * (X[rows] @ w - y[rows]) ** 2).mean().backward()
        g = w.grad.numpy().copy()
        opt.step()
        out.append((g, w.detach().numpy().copy()))
    return out



def test_every_part_matches_independent_numpy_and_torch():
    for difficulty, problem in sweep(FAMILY):
        where = f"{difficulty} seed {problem.seed}"
        for expected in (numpy_trace(problem.params), torch_trace(problem.params)):
            assert_trace_matches(problem, expected, where)


def test_methods_use_the_right_samples():
    seen = set()
    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        n = len(p["y"])
        seen.add(p["method"])
        if p["method"] == "gd":
            assert all(sorted(b) == list(range(1, n + 1)) for b in p["batches"])
        elif p["method"] == "sgd":
            assert all(len(b) == 1 for b in p["batches"])
            assert len({b[0] for b in p["batches"]}) == len(p["batches"])  # distinct samples
        else:
            assert all(len(b) == 2 for b in p["batches"]) and n == 4
            assert sorted(p["batches"][0] + p["batches"][1]) == [1, 2, 3, 4] if len(p["batches"]) > 1 else True
    assert seen == {"gd", "sgd", "minibatch"}


def test_instances_are_hand_workable_and_not_degenerate():
    sizes = {"easy": (1, 1), "medium": (2, 2), "hard": (3, 2)}
    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        assert (len(p["batches"]), len(p["w0"])) == sizes[difficulty]
        for g, w in numpy_trace(p):
            assert np.any(g != 0), f"seed {problem.seed}: a zero gradient"
            assert np.all(np.abs(w) < 20)
        # Short decimals: every answer has at most 6 decimal places.
        for a in answers(problem):
            assert np.allclose(a, np.round(a, 6), rtol=0, atol=1e-12), (problem.seed, a)


def _mistake(part, prefix):
    return next(np.atleast_1d(m.value) for m in part.misconceptions if m.name.startswith(prefix))


def test_misconceptions_are_the_named_mistakes():
    for _, problem in sweep(FAMILY, difficulties=["medium"]):
        p = problem.params
        X, y = np.array(p["X"]), np.array(p["y"])
        w0 = np.array(p["w0"])
        g1 = ((X @ w0 - y)[:, None] * X)[np.array(p["batches"][0]) - 1].mean(axis=0)
        np.testing.assert_allclose(_mistake(problem.part("a"), "flipped the residual"), -g1, atol=1e-12)
        if p["method"] != "sgd":
            np.testing.assert_allclose(_mistake(problem.part("a"), "summed over the batch"), 2 * g1, atol=1e-12)
        if p["method"] in ("sgd", "minibatch"):
            full = ((X @ w0 - y)[:, None] * X).mean(axis=0)
            name = "used the full-batch" if p["method"] == "sgd" else "used the whole dataset"
            if not np.allclose(full, g1, rtol=0.01):
                np.testing.assert_allclose(_mistake(problem.part("a"), name), full, atol=1e-12)
        np.testing.assert_allclose(_mistake(problem.part("b"), "moved along the gradient"), w0 + p["lr"] * g1, atol=1e-12)
        check_mistake(problem.part("b"), "forgot the learning rate", w0 - g1)


def test_follow_on_carries_the_students_weights_forward():
    fam = get_family(FAMILY)
    for _, problem in sweep(FAMILY, difficulties=["hard"]):
        p = problem.params
        X, y = np.array(p["X"]), np.array(p["y"])
        w1 = np.array(problem.part("b").answer) + 0.25  # the student's (wrong) w_1
        follow = fam.follow_on(p, {"b": list(w1)})
        rows = np.array(p["batches"][1]) - 1
        g2 = ((X[rows] @ w1 - y[rows])[:, None] * X[rows]).mean(axis=0)
        np.testing.assert_allclose(follow["c"], g2, atol=1e-12)
        np.testing.assert_allclose(follow["d"], w1 - p["lr"] * g2, atol=1e-12)
        assert problem.part("c").depends_on == ["b"] and problem.part("d").depends_on == ["b", "c"]


def test_worked_solution_shows_each_sample_gradient_and_the_sum_independent():
    """A TA: seed 507383214 medium wrote '−0.5 · [−2, 1]' and jumped to the average; the solution
    now works out each residual, each r_i x_i and the sum the average divides (so the gradient
    parts' points follow that work), checked here against NumPy."""
    import re

    from probgen.core.build import build_problem
    from probgen.render.text import render_problem

    def vec(v):
        v = [round(float(x), 10) + 0.0 for x in v]  # no −0
        return "[" + ", ".join(f"{x:.6g}".replace("-", "−") for x in v) + "]" if len(v) > 1 else f"{v[0]:.6g}".replace("-", "−")

    checked = 0
    for difficulty, problem in sweep(FAMILY):
        if difficulty == "easy" and problem.seed % 4:
            continue
        text = render_problem(problem, show_solution=True)
        text = re.sub(r"\s+", " ", text.split("Worked solution:", 1)[1])
        X, y = np.array(problem.params["X"]), np.array(problem.params["y"])
        w = np.array(problem.params["w0"], dtype=float)
        for batch in problem.params["batches"]:
            rows = np.array(batch) - 1
            residuals = X[rows] @ w - y[rows]
            per = residuals[:, None] * X[rows]
            for r in residuals:  # each residual w·x_i − y_i worked out, then its gradient
                assert f"= {vec([r])}, gradient" in text, (problem.seed, difficulty, r)
            for i, g in zip(batch, per):
                assert f"= {vec(g)}" in text, (problem.seed, difficulty, vec(g))
            if len(batch) > 1:
                assert f"= {vec(per.sum(axis=0))};" in text, (
                    problem.seed, difficulty)
            w = w - problem.params["lr"] * per.mean(axis=0)
            checked += 1
    assert checked > 100


def test_ta_seed_shows_the_vector():
    from probgen.core.build import build_problem
    from probgen.render.text import render_problem

    import re

    text = re.sub(r"\s+", " ", render_problem(build_problem(FAMILY, 507383214, "medium", None), show_solution=True))
    assert "−0.5 · [−2, 1] = [1, −0.5]" in text and "= [−4, −3]; averaging over the 2 samples, g₁ = [−4, −3] / 2 = [−2, −1.5]" in text


def test_gradient_parts_state_the_operations_their_solution_writes():
    """The gradient parts' stated work is the operations their worked solution writes out (read
    off the text by the work model), the residuals' small-integer products counted as mental
    work; a gradient over a batch is worth more than the weight update that follows it."""
    import re

    from probgen.core.work import count_ops

    for difficulty, problem in sweep(FAMILY):
        parts = list(problem.parts)
        for g, w, batch in zip(parts[::2], parts[1::2], problem.params["batches"]):
            text = " ".join(s.text for s in problem.steps if s.part == g.key)
            spans = [m for m in re.findall(r"\$[^$]+\$", text) if "_i" not in m]  # not the rule r_i = w·x_i − y_i
            assert g.ops["int"] + g.ops["arith"] == count_ops(spans)["arith"], (problem.seed, difficulty, g.key)
            if len(batch) > 1 and len(problem.params["w0"]) > 1:
                assert g.points > w.points, (problem.seed, difficulty, g.key)
