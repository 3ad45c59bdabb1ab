"""Conv parameter and MAC counts: answers against torch modules on the meta device."""

import pytest
import torch

from family_checks import assert_sweep_exact
from sweep import mistakes, sweep

torch.set_num_threads(1)  # tiny ops: threads only contend on the shared CPUs

FAMILY = "conv-params"


def numel(module):
    return sum(p.numel() for p in module.parameters())


def independent(q):
    conv = lambda bias: torch.nn.Conv2d(q["c_in"], q["c_out"], q["k"], stride=q.get("s", 1),  # noqa: E731
                                        padding=q.get("p", 0), bias=bias, device="meta")
    out = {"a": numel(conv(False)), "b": numel(conv(True))}
    if "h" in q:
        x = torch.empty(1, q["c_in"], q["h"], q["w"], device="meta")
        y = conv(False)(x)
        # one MAC per (output value, tap): every output value reads C_in·K·K inputs
        taps = conv(False).weight[0].numel()
        out["c"] = y.numel() * taps
        if q["s"] > 1:
            out["d"] = numel(torch.nn.Linear(x.numel(), y.numel(), bias=False, device="meta"))
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    assert_sweep_exact(FAMILY, difficulty, independent)


def test_misconceptions_are_the_named_mistakes():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        c_in, c_out, k = q["c_in"], q["c_out"], q["k"]
        expected = {
            "a": {"forgot the input channels (C_out·K²)": c_out * k**2, "counted one filter only (C_in·K²)": c_in * k**2,
                  "used K instead of K² (a 1-D kernel)": c_out * c_in * k},
            "b": {"forgot the bias": c_out * c_in * k**2, "one bias per input channel": c_out * c_in * k**2 + c_in,
                  "one bias per weight": 2 * c_out * c_in * k**2},
        }
        if "h" in q:
            outputs = problem.part("c").answer / (c_in * k * k)  # output values of the layer
            h_out = int(round((outputs / c_out) ** 0.5))
            expected["c"] = {
                "used the input size instead of the output size": q["h"] * q["w"] * c_out * c_in * k * k,
                "forgot the input channels": h_out * h_out * c_out * k * k,
                "counted FLOPs (a multiply and an add per MAC)": 2 * problem.part("c").answer,
                "counted the weights, not the operations": c_out * c_in * k * k,
                "added one per output for the bias": problem.part("c").answer + h_out * h_out * c_out,
            }
        if q.get("s", 1) > 1:
            flat_out = problem.part("c").answer / (c_in * k * k)  # output values, from the checked MACs
            side_out = int(round((flat_out / c_out) ** 0.5))
            expected["d"] = {"counted the conv layer's weights": c_out * c_in * k**2,
                             "used the output size for the input as well": c_in * side_out**2 * flat_out}
        for part in problem.parts:
            listed = mistakes(part)
            assert listed, (problem.seed, part.key)
            for name, value in listed.items():
                assert value == expected[part.key][name], (problem.seed, part.key, name)
        assert "forgot the bias" in {m.name for m in problem.part("b").misconceptions}
        if "c" in expected:
            assert "counted FLOPs (a multiply and an add per MAC)" in {m.name for m in problem.part("c").misconceptions}


def test_sizes_are_sensible():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        assert q["c_in"] != q["c_out"]
        for part in problem.parts:
            assert 0 < part.answer < 1e9
        if difficulty == "hard":
            assert q["h"] % 2 == 0 and q["s"] == 2
