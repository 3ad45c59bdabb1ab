"""Pooling: answers against torch.nn.functional.max_pool2d / avg_pool2d and autograd."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from family_checks import assert_mistakes_cover
from sweep import mistakes, sweep

torch.set_num_threads(1)  # tiny ops: threads only contend on the shared CPUs

FAMILY = "pooling"


def as_tensor(x, grad=False):
    return torch.tensor([[x]], dtype=torch.float64, requires_grad=grad)


def independent(q):
    k, s = q["k"], q["s"]
    x = as_tensor(q["x"], grad=True)
    y = F.max_pool2d(x, k, stride=s)
    out = {"a": [str(d) for d in y.shape[2:]], "b": y[0, 0].detach().numpy()}
    if "average" in q["pools"]:
        out["c"] = F.avg_pool2d(as_tensor(q["x"]), k, stride=s)[0, 0].numpy()
    if "grad" in q:
        (y * as_tensor(q["grad"])).sum().backward()
        out["d"] = x.grad[0, 0].numpy()
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        assert [p.key for p in problem.parts] == sorted(expected)
        assert problem.part("a").answer == expected["a"]
        for key in expected.keys() - {"a"}:
            np.testing.assert_allclose(problem.part(key).answer, expected[key], rtol=1e-12, atol=1e-12,
                                       err_msg=f"seed {problem.seed} {key}")


def numpy_pool(x, k, s, reduce):
    x = np.array(x, dtype=float)
    size = (len(x) - k) // s + 1
    return np.array([[reduce(x[r * s:r * s + k, c * s:c * s + k]) for c in range(size)] for r in range(size)])


def test_misconceptions_are_the_named_mistakes():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        k, s, x = q["k"], q["s"], q["x"]
        assert_mistakes_cover(problem.part("b"), {
            "took the average instead of the maximum": numpy_pool(x, k, s, np.mean),
            "took the minimum": numpy_pool(x, k, s, np.min),
            "took the largest absolute value": numpy_pool(x, k, s, lambda w: w.flat[np.argmax(np.abs(w))]),
        })
        if "average" in q["pools"]:
            assert_mistakes_cover(problem.part("c"), {
                "took the maximum instead of the average": numpy_pool(x, k, s, np.max),
                "divided by the window width instead of its area": numpy_pool(x, k, s, lambda w: w.sum() / k),
            })
        if "grad" in q:
            # average pooling's backward (torch) with the same upstream gradient
            xt = as_tensor(x, grad=True)
            (F.avg_pool2d(xt, k, stride=s) * as_tensor(q["grad"])).sum().backward()
            listed = mistakes(problem.part("d"))
            np.testing.assert_allclose(listed["spread the gradient evenly over the window (average pooling's rule)"],
                                       xt.grad[0, 0].numpy())
            np.testing.assert_allclose(listed["sent the full gradient to every element of the window"],
                                       xt.grad[0, 0].numpy() * k * k)
        n = len(x)
        side = lambda v: [str(int(v))] * 2  # noqa: E731
        check_shape_mistakes(problem.part("a"), {
            "kept the partial window at the edge (rounded up)": side(np.ceil((n - k) / s) + 1),
            "ignored the stride": side(n - k + 1),
            "forgot the + 1": side(np.floor((n - k) / s)),
            "divided the input size by the window size (n/k)": side(np.floor(n / k)),
        })


def check_shape_mistakes(part, expected):
    """Every listed shape mistake has its named value; every one that differs from the answer is listed."""
    listed = mistakes(part)
    for name, value in listed.items():
        assert value == expected[name], name
    assert {tuple(v) for v in expected.values() if v != part.answer} == {tuple(v) for v in listed.values()}


def test_every_window_has_one_maximum():
    """Tied maxima (two 8s in one window) leave max pooling's arg-max, and so where the gradient
    goes, ambiguous (TA re-rating, C key p.7, E key p.11): never, at any difficulty."""
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        x = np.array(q["x"])
        k, s = q["k"], q["s"]
        size = (len(x) - k) // s + 1
        for i in range(size):
            for j in range(size):
                window = x[i * s:i * s + k, j * s:j * s + k]
                assert np.count_nonzero(window == window.max()) == 1, (difficulty, problem.seed, i, j, window)


def test_hand_workable():
    for difficulty, problem in sweep(FAMILY):
        x = np.array(problem.params["x"])
        assert x.shape in ((4, 4), (5, 5), (6, 6)) and np.abs(x).max() <= 12
        assert x.size <= 25 or difficulty == "easy"  # easy's 6 × 6 inputs need max pooling only
        if difficulty == "hard":
            assert len(set(x.flat)) == x.size  # a unique maximum in every window
            assert np.all(np.array(problem.params["grad"]) != 0)
            g = np.array(problem.part("d").answer)
            assert np.count_nonzero(g) >= 1
        if "average" in problem.params["pools"]:
            assert np.all(np.array(problem.part("c").answer) * 4 % 1 == 0)  # quarters at worst
