"""Depthwise-separable convolution: costs against torch modules (groups=C_in) on the meta device."""

import math

import pytest
import torch
from torch import nn

import arith
from sweep import mistakes, sweep

torch.set_num_threads(1)  # tiny ops: threads only contend on the shared CPUs

FAMILY = "depthwise-separable"


def cost(conv, x, count):
    """Weights, or MACs: output values × taps per output value (in_channels/groups · K²)."""
    weights = conv.weight.numel()
    if count == "parameters":
        return weights, x
    y = conv(x)
    return y.numel() * (weights // conv.out_channels), y


def costs(c_in, c_out, k, count, h=8, w=8, s=1):
    x = torch.empty(1, c_in, h, w, device="meta")
    standard = nn.Conv2d(c_in, c_out, k, stride=s, padding=k // 2, bias=False, device="meta")
    depthwise = nn.Conv2d(c_in, c_in, k, stride=s, padding=k // 2, groups=c_in, bias=False, device="meta")
    pointwise = nn.Conv2d(c_in, c_out, 1, bias=False, device="meta")
    std, _ = cost(standard, x, count)
    dw, y = cost(depthwise, x, count)
    pw, _ = cost(pointwise, y, count)
    return std, dw, pw


def evaluate(expression, K, N):
    # our own generated answer string (SymPy syntax: +, /, **), not student input
    return arith.evaluate(expression, {"K": K, "N": N})


def independent(q):
    std, dw, pw = costs(q["c_in"], q["c_out"], q["k"], q["count"], q.get("h", 8), q.get("w", 8), q.get("s", 1))
    if q.get("s") == 2:
        return {"a": std, "b": dw, "c": pw, "d": (dw + pw) / std}
    return {"a": std, "b": dw + pw, "c": (dw + pw) / std}


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        q = problem.params
        expected = independent(q)
        keys = [p.key for p in problem.parts]
        assert keys == sorted(expected) + (["e"] if difficulty == "hard" else [])
        for key, value in expected.items():
            part = problem.part(key)
            if isinstance(value, float):
                assert math.isclose(part.answer, value, rel_tol=1e-12), (problem.seed, key)
            else:
                assert part.answer == value and part.tolerance == 0, (problem.seed, key)
        if difficulty == "hard":
            expr = problem.part("e").answer
            assert math.isclose(evaluate(expr, q["k"], q["c_out"]), expected["d"], rel_tol=1e-12)
            for k, n in ((3, 32), (5, 64), (7, 16)):  # the general formula, at other sizes
                std, dw, pw = costs(16, n, k, "MACs")
                assert math.isclose(evaluate(expr, k, n), (dw + pw) / std, rel_tol=1e-12)


def test_misconceptions_are_the_named_mistakes():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        std, dw, pw = costs(q["c_in"], q["c_out"], q["k"], q["count"], q.get("h", 8), q.get("w", 8), q.get("s", 1))
        ratio_key = "d" if difficulty == "hard" else "c"
        r = mistakes(problem.part(ratio_key))
        assert math.isclose(r["inverted the ratio (standard / separable)"], std / (dw + pw))
        assert math.isclose(r["forgot the pointwise term (took 1/C_out alone)"], dw / std)
        assert math.isclose(r["forgot the depthwise term (took 1/K² alone)"], pw / std)
        assert math.isclose(r["used 1/K instead of 1/K²"], dw / std + 1 / q["k"])
        assert len(r) == 4
        positions = std // (q["k"] ** 2 * q["c_in"] * q["c_out"])  # output pixels (1 for parameter counts)
        a = mistakes(problem.part("a"))
        assert a["forgot the input channels"] == std // q["c_in"]
        if q.get("s") == 2:  # with stride 1 the input and output sizes agree
            assert a["used the input size, not the output size"] == std // positions * q["h"] * q["w"]
        assert len(a) == (2 if q.get("s") == 2 else 1)
        if difficulty != "hard":
            b = mistakes(problem.part("b"))
            assert b["counted multiplications of a standard conv"] == std
            assert b["forgot the pointwise 1×1 step"] == dw
            assert b["forgot the depthwise step"] == pw
            assert b.get("one depthwise filter per output channel", dw * q["c_out"] // q["c_in"] + pw) == (
                dw * q["c_out"] // q["c_in"] + pw)
        else:
            b = mistakes(problem.part("b"))
            assert b["gave each depthwise filter all input channels (a standard conv's cost)"] == std
            e = mistakes(problem.part("e"))
            assert math.isclose(evaluate(e["the inverse ratio"], q["k"], q["c_out"]), std / (dw + pw))
            assert math.isclose(evaluate(e["1/K instead of 1/K²"], q["k"], q["c_out"]), dw / std + 1 / q["k"])
            assert b.get("one depthwise filter per output channel", dw * q["c_out"] // q["c_in"]) == (
                dw * q["c_out"] // q["c_in"])
            c = mistakes(problem.part("c"))
            assert c == {"counted a 3×3 pointwise kernel": 9 * pw}


def test_numbers_stay_readable():
    for difficulty, problem in sweep(FAMILY):
        for part in problem.parts:
            if part.kind == "number":
                assert 0 < part.answer < 1e9
