"""1×1 convolution: answers against torch.nn.functional.conv2d and meta-device modules."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from family_checks import assert_mistakes_cover
from sweep import mistakes, sweep

torch.set_num_threads(1)  # tiny ops: threads only contend on the shared CPUs

FAMILY = "conv1x1"


def numel(module):
    return sum(p.numel() for p in module.parameters())


def independent(q):
    c_in, c_out = len(q["x"]), len(q["w"])
    # A 3×3 feature map whose centre pixel holds x and whose other pixels are random: the
    # centre output must not depend on them.
    fmap = torch.randn(1, c_in, 3, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    fmap[0, :, 1, 1] = torch.tensor(q["x"], dtype=torch.float64)
    weight = torch.tensor(q["w"], dtype=torch.float64).reshape(c_out, c_in, 1, 1)
    y = F.conv2d(fmap, weight, torch.tensor(q["bias"], dtype=torch.float64))[0, :, 1, 1]
    if q.get("relu"):
        y = torch.relu(y)
    lead = [q["n"]] if "n" in q else []
    conv = torch.nn.Conv2d(c_in, c_out, 1, device="meta")
    shape = conv(torch.empty(*(lead or [1]), c_in, q["h"], q["w_size"], device="meta")).shape
    out = {"a": y.numpy(), "b": [str(d) for d in (shape if lead else shape[1:])]}
    if "big_in" in q:
        out["c"] = numel(torch.nn.Conv2d(q["big_in"], q["big_out"], 1, device="meta"))
    if "bottleneck" in q:
        c, r = q["bottleneck"]["c"], q["bottleneck"]["r"]
        pair = torch.nn.Sequential(torch.nn.Conv2d(c, r, 1, bias=False, device="meta"),
                                   torch.nn.Conv2d(r, c, 3, padding=1, bias=False, device="meta"))
        out["d"] = numel(pair)
        out["e"] = numel(torch.nn.Conv2d(c, c, 3, padding=1, bias=False, device="meta"))
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        assert [p.key for p in problem.parts] == sorted(expected)
        np.testing.assert_allclose(problem.part("a").answer, expected["a"], rtol=1e-12, atol=1e-12)
        assert problem.part("b").answer == expected["b"]
        for key in expected.keys() - {"a", "b"}:
            assert problem.part(key).answer == expected[key] and problem.part(key).tolerance == 0


def test_misconceptions_are_the_named_mistakes():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        w, x, b = np.array(q["w"]), np.array(q["x"]), np.array(q["bias"])
        relu = (lambda v: np.maximum(v, 0)) if q.get("relu") else (lambda v: v)
        expected = {"forgot the bias": relu(w @ x)}
        if q.get("relu"):
            expected["forgot the ReLU"] = w @ x + b
        assert_mistakes_cover(problem.part("a"), expected)
        shape = mistakes(problem.part("b"))
        assert shape["kept the input channel count"][-3] == str(len(x))
        if "big_in" in q:
            c = mistakes(problem.part("c"))
            assert c["forgot the bias"] == q["big_in"] * q["big_out"]
            assert c["counted a 3×3 kernel"] == 9 * q["big_in"] * q["big_out"] + q["big_out"]
            assert c["one bias per input channel"] == q["big_in"] * q["big_out"] + q["big_in"]
            assert len(c) == 3
        if "bottleneck" in q:
            c, r = q["bottleneck"]["c"], q["bottleneck"]["r"]
            d = mistakes(problem.part("d"))
            assert d["left out the 1×1 layer's weights"] == 9 * r * c
            assert d["let the 3×3 layer output r channels"] == c * r + 9 * r * r
            e = mistakes(problem.part("e"))
            assert e == {"counted one 3×3 kernel per output channel (forgot the input channels)": 9 * c}


def test_hand_workable_and_relu_matters():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        pre = np.array(q["w"]) @ np.array(q["x"]) + np.array(q["bias"])
        assert np.any(pre != 0)
        assert np.any(np.array(q["bias"]) != 0), problem.seed  # the bias matters
        assert problem.part("a").misconceptions, problem.seed  # forgetting it shows
        assert all(v * 2 == int(v * 2) for v in pre)  # halves at worst
        if q.get("relu"):
            assert np.any(pre > 0) and np.any(pre < 0), problem.seed


def test_worked_solution_shows_the_row_products():
    """TA re-rating: the worked solution gave K x = [1, -6.5] without the row products, the
    laborious step. Each output channel's line holds its C_in products k·x, which evaluate (read
    back from the text) to that row of K x as NumPy computes it."""
    import re

    import arith

    for _, problem in sweep(FAMILY):
        q = problem.params
        kx = np.array(q["w"], dtype=float) @ np.array(q["x"], dtype=float)
        text = " ".join(s.text for s in problem.steps if s.part == "a")
        rows = re.findall(r"channel (\d+): \$([^$=]+) = (-?[\d.]+)\$", text)
        assert [int(n) for n, _, _ in rows] == list(range(1, len(q["w"]) + 1)), (problem.seed, text)
        for (n, products, value), want, row in zip(rows, kx, q["w"]):
            terms = products.split(" + ")
            assert len(terms) == len(q["x"]) and all(r"\cdot" in t for t in terms), (problem.seed, products)
            got = arith.evaluate(products.replace(r"\cdot", "*"), {})
            assert got == pytest.approx(want) and float(value) == pytest.approx(want), (problem.seed, n)
