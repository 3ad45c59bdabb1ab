"""ResNet blocks: parameter counts and shapes against torch modules built on the meta device."""

import pytest
import torch
from torch import nn

from family_checks import assert_sweep_exact
from sweep import mistakes, sweep

torch.set_num_threads(1)  # tiny ops: threads only contend on the shared CPUs

FAMILY = "resnet-blocks"


def conv_bn(c_in, c_out, k, stride=1, bn=True):
    layers = [nn.Conv2d(c_in, c_out, k, stride=stride, padding=k // 2, bias=False, device="meta")]
    if bn:
        layers.append(nn.BatchNorm2d(c_out, device="meta"))
    return nn.Sequential(*layers)


class Basic(nn.Module):
    def __init__(self, c_in, c_out, stride, bn):
        super().__init__()
        self.body = nn.Sequential(conv_bn(c_in, c_out, 3, stride, bn), nn.ReLU(), conv_bn(c_out, c_out, 3, 1, bn))
        self.shortcut = conv_bn(c_in, c_out, 1, stride, bn) if stride != 1 or c_in != c_out else nn.Identity()

    def forward(self, x):
        return torch.relu(self.body(x) + self.shortcut(x))


def bottleneck(c, m, bn):
    return nn.Sequential(conv_bn(c, m, 1, 1, bn), nn.ReLU(), conv_bn(m, m, 3, 1, bn), nn.ReLU(), conv_bn(m, c, 1, 1, bn))


def learnable(module):
    # requires_grad parameters only: BatchNorm's running statistics are buffers
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def independent(q):
    c, m, bn = q["c"], q["m"], q["batch_norm"]
    out = {"a": learnable(Basic(c, c, 1, bn)), "b": learnable(bottleneck(c, m, bn))}
    if "h" in q:
        # batch norm keeps the shape, and its meta-device forward is slow: forward without it
        first = bottleneck(c, m, False)[0]
        y = first(torch.empty(1, c, q["h"], q["w"], device="meta"))
        out["c"] = [str(d) for d in y.shape[1:]]
    if "c_down" in q:
        out["d"] = learnable(Basic(q["c_down"], 2 * q["c_down"], 2, True))
        block = Basic(q["c_down"], 2 * q["c_down"], 2, False)
        y = block(torch.empty(1, q["c_down"], q["h_down"], q["h_down"], device="meta"))
        out["e"] = [str(d) for d in y.shape[1:]]
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    assert_sweep_exact(FAMILY, difficulty, independent)


def test_misconceptions_are_the_named_mistakes():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        c, m, bn = q["c"], q["m"], q["batch_norm"]
        a = mistakes(problem.part("a"))
        b = mistakes(problem.part("b"))
        bias = lambda mod: sum(l.out_channels for l in mod.modules() if isinstance(l, nn.Conv2d))  # noqa: E731
        assert a["gave the convolutions biases"] == learnable(Basic(c, c, 1, bn)) + bias(Basic(c, c, 1, bn))
        assert b["gave the convolutions biases"] == learnable(bottleneck(c, m, bn)) + bias(bottleneck(c, m, bn))
        three_by_three = nn.Sequential(conv_bn(c, m, 3, 1, bn), conv_bn(m, m, 3, 1, bn), conv_bn(m, c, 3, 1, bn))
        assert b["used 3×3 kernels for the 1×1 convs too"] == learnable(three_by_three)
        if bn:
            assert a["forgot the batch-norm parameters"] == learnable(Basic(c, c, 1, False))
            assert b["forgot the batch-norm parameters"] == learnable(bottleneck(c, m, False))
            stats = sum(buf.numel() for name, buf in Basic(c, c, 1, True).named_buffers() if "running" in name)
            assert a["counted the running mean and variance as parameters"] == learnable(Basic(c, c, 1, True)) + stats
        assert a["counted one 3×3 conv (and its batch norm) only"] == learnable(conv_bn(c, c, 3, 1, bn))
        assert a["counted the 3×3 kernels as 3 weights"] == learnable(Basic(c, c, 1, bn)) - 2 * 6 * c * c
        assert b["made the last 1×1 conv output m channels"] == learnable(
            nn.Sequential(conv_bn(c, m, 1, 1, bn), conv_bn(m, m, 3, 1, bn), conv_bn(m, m, 1, 1, bn)))
        assert len(a) == (5 if bn else 3) and len(b) == (4 if bn else 3)
        if "c" in [p.key for p in problem.parts]:
            shape = mistakes(problem.part("c"))
            assert shape == {"kept the block's width: the 1×1 conv reduces the channels": [str(c), str(q["h"]), str(q["w"])]}
        if "c_down" in q:
            cd = q["c_down"]
            d = mistakes(problem.part("d"))
            block = Basic(cd, 2 * cd, 2, True)
            assert d["forgot the projection shortcut"] == learnable(block.body)
            assert d["forgot the batch-norm parameters"] == learnable(Basic(cd, 2 * cd, 2, False))
            wide_shortcut = nn.Sequential(block.body, conv_bn(cd, 2 * cd, 3, 2, True))
            assert d["gave the projection shortcut a 3×3 kernel"] == learnable(wide_shortcut)
            narrow_first = nn.Sequential(conv_bn(cd, cd, 3, 2, True), conv_bn(cd, 2 * cd, 3, 1, True),
                                         conv_bn(cd, 2 * cd, 1, 2, True))
            assert d["kept C channels in the first conv"] == learnable(narrow_first)
            assert len(d) == 4
            hd = q["h_down"]
            e = mistakes(problem.part("e"))
            assert e == {"forgot that stride 2 halves the size": [str(2 * cd), str(hd), str(hd)],
                         "kept the channel count": [str(cd), str(hd // 2), str(hd // 2)]}


def test_bottleneck_is_much_smaller():
    square = set()
    for difficulty, problem in sweep(FAMILY):
        assert problem.part("a").answer > 10 * problem.part("b").answer
        assert problem.params["c"] == 4 * problem.params["m"]
        assert all(part.answer < 10**8 for part in problem.parts if part.kind == "number")
        square.add(problem.params["h"] == problem.params["w"])
    assert square == {True, False}  # inputs square and not
