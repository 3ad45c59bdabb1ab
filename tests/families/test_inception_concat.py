"""Inception module: channels, shapes and weights against a torch module on the meta device."""

import pytest
import torch
from torch import nn

from family_checks import assert_sweep_exact
from sweep import mistakes, sweep

torch.set_num_threads(1)  # tiny ops: threads only contend on the shared CPUs

FAMILY = "inception-concat"


def conv(c_in, c_out, k):
    return nn.Conv2d(c_in, c_out, k, padding=k // 2, bias=False, device="meta")


class Inception(nn.Module):
    def __init__(self, c_in, b, naive=False):
        super().__init__()
        if naive:
            self.branches = nn.ModuleList([conv(c_in, b["c1"], 1), conv(c_in, b["c3"], 3), conv(c_in, b["c5"], 5),
                                           nn.MaxPool2d(3, stride=1, padding=1)])
        else:
            self.branches = nn.ModuleList([
                conv(c_in, b["c1"], 1),
                nn.Sequential(conv(c_in, b["r3"], 1), nn.ReLU(), conv(b["r3"], b["c3"], 3)),
                nn.Sequential(conv(c_in, b["r5"], 1), nn.ReLU(), conv(b["r5"], b["c5"], 5)),
                nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), conv(c_in, b["pool"], 1)),
            ])

    def forward(self, x):
        return torch.cat([branch(x) for branch in self.branches], dim=1)


def numel(module):
    return sum(p.numel() for p in module.parameters())


def independent(q):
    n = q.get("n", 1)
    x = torch.empty(n, q["c_in"], q["h"], q["w"], device="meta")
    module = Inception(q["c_in"], q["branches"])
    y = module(x)
    out = {"a": y.shape[1], "b": [str(d) for d in (y.shape if "n" in q else y.shape[1:])]}
    if q["ask_weights"]:
        out["c"] = numel(module)
    if "n" in q:
        naive = Inception(q["c_in"], q["branches"], naive=True)
        out["d"] = naive(x).shape[1]
        out["e"] = numel(naive)
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    assert_sweep_exact(FAMILY, difficulty, independent)


def test_misconceptions_are_the_named_mistakes():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        b, c_in = q["branches"], q["c_in"]
        a = mistakes(problem.part("a"))
        assert a["added the reduction layers' channels too"] == sum(b.values())
        assert a.get("passed the pooled input through without its 1×1 projection",
                     b["c1"] + b["c3"] + b["c5"] + c_in) == b["c1"] + b["c3"] + b["c5"] + c_in
        assert b["c1"] + b["c3"] + b["c5"] + c_in in a.values()
        if q["ask_weights"]:
            c = mistakes(problem.part("c"))
            module = Inception(c_in, b)
            assert c["added biases"] == numel(module) + sum(m.out_channels for m in module.modules()
                                                            if isinstance(m, nn.Conv2d))
            no_reduction = (numel(module) - c_in * (b["r3"] + b["r5"]))
            assert c["forgot the 1×1 reduction layers"] == no_reduction
            one_d = numel(module) - 6 * b["r3"] * b["c3"] - 20 * b["r5"] * b["c5"]  # K·r·c instead of K²·r·c
            assert c["used K instead of K² for the 3×3 and 5×5 kernels"] == one_d
            naive = numel(Inception(c_in, b, naive=True))
            assert c["applied the 3×3 and 5×5 convs to all input channels"] == (
                naive + c_in * (b["pool"] + b["r3"] + b["r5"]))
            assert len(c) == 4
        assert a["left out the pooling branch"] == b["c1"] + b["c3"] + b["c5"]
        lead = [str(q["n"])] if "n" in q else []
        shape = mistakes(problem.part("b"))
        expected = {
            "kept the input channel count": lead + [str(c_in), str(q["h"]), str(q["w"])],
            "let the 3×3 and 5×5 branches shrink the size (no padding)":
                lead + [problem.part("b").answer[-3], str(q["h"] - 4), str(q["w"] - 4)],
        }
        # a mistake giving the reference answer (the module may keep its channel count) is not listed
        assert shape == {k: v for k, v in expected.items() if v != problem.part("b").answer}
        if "n" in q:
            d = mistakes(problem.part("d"))
            assert d == {"left out the pooled input channels": b["c1"] + b["c3"] + b["c5"],
                         "kept the pooling branch's projection": problem.part("a").answer}
            e = mistakes(problem.part("e"))
            naive = numel(Inception(c_in, b, naive=True))
            assert e == {"counted the pooling branch's 1×1 projection": naive + c_in * b["pool"],
                         "kept the 1×1 reductions": numel(Inception(c_in, b)) - c_in * b["pool"]}


def test_reductions_reduce():
    for difficulty, problem in sweep(FAMILY):
        b = problem.params["branches"]
        assert b["r3"] < b["c3"] and b["r5"] < b["c5"]
        if difficulty == "hard":
            assert problem.part("e").answer > problem.part("c").answer  # the naive module costs more
