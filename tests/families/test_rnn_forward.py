"""Elman RNN: hidden states from torch.nn.RNNCell with the problem's weights (stepped by hand so
the carried state is rounded to 4 decimals, as the statement asks), gradients through time from
torch autograd, parameter counts from torch.nn.RNN."""

from functools import lru_cache

import numpy as np
import pytest
import torch
from torch import nn

from sweep import assert_parts_match, sweep

FAMILY = "rnn-forward"
torch.set_num_threads(1)


def matrices(p):
    if "W_h" in p:
        return np.array(p["W_x"], float)[:, None], np.array(p["W_h"], float), np.array(p["b"], float)
    return np.array([[p["w_x"]]]), np.array([[p["w_h"]]]), np.array([p["b"]])


def cell(p):
    Wx, Wh, b = matrices(p)
    rnn = nn.RNNCell(1, len(b), nonlinearity="tanh").double()
    with torch.no_grad():
        rnn.weight_ih.copy_(torch.tensor(Wx))
        rnn.weight_hh.copy_(torch.tensor(Wh))
        rnn.bias_ih.copy_(torch.tensor(b))
        rnn.bias_hh.zero_()
    return rnn


def run(p):
    """(exact states, carried states) step by step through torch."""
    rnn = cell(p)
    n = rnn.hidden_size
    carried = torch.zeros(1, n, dtype=torch.float64)
    exact, kept = [], []
    with torch.no_grad():
        for x in p["x"]:
            h = rnn(torch.tensor([[x]], dtype=torch.float64), carried)[0]
            exact.append(h.numpy().copy())
            carried = torch.round(h, decimals=4)[None]
            kept.append(carried[0].numpy().copy())
    return rnn, exact, kept


@lru_cache(maxsize=None)
def torch_count(d, H, layers):
    return sum(q.numel() for q in nn.RNN(d, H, num_layers=layers).parameters())


def count(p):
    total = torch_count(p["input_size"], p["hidden_size"], p["layers"])
    if p["bias_vectors"] == 1:
        total -= p["layers"] * p["hidden_size"]  # one bias vector per layer instead of b_ih and b_hh
    return total


def independent(problem):
    p = problem.params
    rnn, exact, kept = run(p)
    n = rnn.hidden_size
    out = {}
    for t, h in enumerate(exact):
        out["abc"[t]] = h[0] if n == 1 else h
    T = len(p["x"])
    key = iter("abcdefgh"[T:])
    Wx, Wh, b = matrices(p)
    if n == 1 and T == 3:
        w = Wh[0, 0]
        out[next(key)] = w * (1 - kept[2][0] ** 2) * w * (1 - kept[1][0] ** 2)
    if n == 2:
        out[next(key)] = np.diag(1 - kept[1] ** 2) @ Wh
    out[next(key)] = count(p)
    if "linear_w" in p:
        out[next(key)] = p["linear_w"] ** p["linear_steps"]
        # the option that names what |w|^K does (the options come in a drawn order)
        out[next(key)] = _option(problem, "vanishing" if abs(p["linear_w"]) < 1 else "exploding")
    return out


def _option(problem, word):
    choices = problem.parts[-1].choices
    (letter,) = [k for k, text in choices.items() if word in text]
    return letter


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem)
        assert sorted(expected) == [q.key for q in problem.parts]
        assert_parts_match(problem, expected)  # choice parts compared exactly


def test_gradients_through_time_match_autograd():
    """The product-of-factors answers against autograd on the unrounded chain (rounding the
    carried states moves them by < 1e-3 relative)."""
    for difficulty in ("medium", "hard"):
        for _, problem in sweep(FAMILY, difficulties=[difficulty]):
            p = problem.params
            rnn = cell(p)
            xs = [torch.tensor([[x]], dtype=torch.float64) for x in p["x"]]
            h1 = rnn(xs[0], torch.zeros(1, rnn.hidden_size, dtype=torch.float64)).detach()
            if difficulty == "medium":
                grad = torch.autograd.functional.jacobian(lambda h: rnn(xs[2], rnn(xs[1], h)), h1)
                np.testing.assert_allclose(problem.part("d").answer, grad.item(), rtol=2e-3, atol=1e-4)
            else:
                jac = torch.autograd.functional.jacobian(lambda h: rnn(xs[1], h)[0], h1)[:, 0, :]
                np.testing.assert_allclose(problem.part("c").answer, jac.numpy(), rtol=2e-3, atol=1e-3)


def test_preactivations_are_not_saturated():
    for _, problem in sweep(FAMILY):
        p = problem.params
        Wx, Wh, b = matrices(p)
        h = np.zeros(len(b))
        for x in p["x"]:
            a = Wx[:, 0] * x + Wh @ h + b
            assert np.all(np.abs(a) >= 0.15) and np.all(np.abs(a) <= 2.0), (problem.seed, a)
            h = np.round(np.tanh(a), 4)
        assert all(x != 0 for x in p["x"])


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def expected_mistakes(problem):
    """{(part key, name): value} for every named mistake, computed directly from the givens."""
    p = problem.params
    _, _, kept = run(p)
    Wx, Wh, b = matrices(p)
    n, T = len(b), len(p["x"])
    one = (lambda v: v[0]) if n == 1 else (lambda v: v)
    out = {}
    h = np.zeros(n)
    for t, x in enumerate(p["x"]):
        a = Wx[:, 0] * x + Wh @ h + b
        out["abc"[t], "forgot the tanh (gave the pre-activation)"] = one(a)
        out["abc"[t], "used the sigmoid instead of tanh"] = one(sigmoid(a))
        if t > 0:
            out["abc"[t], "left out the recurrent term W_h h_{t-1}"] = one(np.tanh(Wx[:, 0] * x + b))
        h = kept[t]
    key = iter("abcdefgh"[T:])
    if n == 1 and T == 3:
        k, w, h2, h3 = next(key), Wh[0, 0], kept[1][0], kept[2][0]
        out[k, "left out the tanh derivatives (gave w_h^2)"] = w * w
        out[k, "left out the recurrent weights"] = (1 - h3 ** 2) * (1 - h2 ** 2)
        out[k, "used tanh' = 1 - h instead of 1 - h^2"] = w * w * (1 - h3) * (1 - h2)
    if n == 2:
        k, D = next(key), np.diag(1 - kept[1] ** 2)
        out[k, "left out diag(1 − h_2^2) (gave W_h)"] = Wh
        out[k, "multiplied diag(1 − h_2^2) on the wrong side"] = Wh @ D
        out[k, "used W_h transposed"] = D @ Wh.T
    k, d, H, L = next(key), p["input_size"], p["hidden_size"], p["layers"]
    total = count(p)
    out[k, "left out the recurrent weights W_h"] = total - L * H * H
    out[k, "left out the biases"] = total - L * p["bias_vectors"] * H
    if p["bias_vectors"] == 2:
        out[k, "counted one bias vector (nn.RNN has both b_ih and b_hh)"] = total - L * H
    else:
        out[k, "counted two bias vectors"] = total + L * H
    if L == 2:
        out[k, "gave layer 2 the input size d instead of H"] = 2 * torch_count(d, H, 1)
        out[k, "counted the first layer only"] = torch_count(d, H, 1)
    if "linear_w" in p:
        k = next(key)
        out[k, "multiplied by the number of steps instead of raising to it"] = p["linear_w"] * p["linear_steps"]
        out[next(key), "mixed up vanishing and exploding"] = _option(problem, "exploding" if p["linear_w"] < 1 else "vanishing")
    return out


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for _, problem in sweep(FAMILY):
        expected = expected_mistakes(problem)
        listed = {(part.key, m.name): m.value for part in problem.parts for m in part.misconceptions}
        assert set(listed) <= set(expected), (problem.seed, set(listed) - set(expected))
        for key, value in listed.items():
            if isinstance(value, str):
                assert value == expected[key], (problem.seed, key)
            else:
                np.testing.assert_allclose(value, expected[key], rtol=1e-9, err_msg=f"{problem.seed} {key}")
            seen.add((problem.difficulty, key))
    # every named mistake of every difficulty occurs somewhere in the sweep and was checked
    assert len(seen) == 8 + 14 + 15, len(seen)


def test_follow_on_uses_the_students_state():
    from probgen.core.registry import get_family

    fam = get_family(FAMILY)
    for _, problem in sweep(FAMILY, difficulties=["medium"]):
        p = problem.params
        wrong_h1 = 0.5
        follow = fam.follow_on(p, {"a": wrong_h1})
        np.testing.assert_allclose(follow["b"], np.tanh(p["w_x"] * p["x"][1] + p["w_h"] * wrong_h1 + p["b"]))
        follow = fam.follow_on(p, {"b": 0.3, "c": -0.2})
        np.testing.assert_allclose(follow["d"], p["w_h"] ** 2 * (1 - 0.2 ** 2) * (1 - 0.3 ** 2))


def test_follow_on_ignores_values_that_are_not_finite_numbers():
    from probgen.core.registry import get_family

    fam = get_family(FAMILY)
    medium = next(p for _, p in sweep(FAMILY, difficulties=["medium"]))
    for bad in (float("nan"), float("inf"), "x", True, [0.1, 0.2]):
        assert fam.follow_on(medium.params, {"a": bad, "b": bad, "c": bad}) == {}
    assert "d" not in fam.follow_on(medium.params, {"b": 1e200, "c": 1e200})  # 1 - h^2 overflows: dropped
    hard = next(p for _, p in sweep(FAMILY, difficulties=["hard"]))
    assert fam.follow_on(hard.params, {"a": [float("nan"), 0.1], "b": [0.1]}) == {}
