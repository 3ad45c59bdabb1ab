"""convolution-concepts: every keyed claim is checked by running torch (conv2d on a shifted input,
gradients for receptive fields, weight counts and output shapes of real layers), and the pool
varies enough over seeds."""

from __future__ import annotations

from collections import Counter

import pytest
import torch
import torch.nn.functional as F

from concept_checks import assert_explained_and_distinct, assert_variety, item_parts
from sweep import sweep

FID = "convolution-concepts"


def _rand(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def _shift_facts() -> tuple[bool, bool]:
    """(equivariant, invariant): conv of an input shifted one column right vs the shifted conv output."""
    x, w = _rand(1, 3, 12, 12, seed=1), _rand(4, 3, 3, 3, seed=2)
    shifted = torch.zeros_like(x)
    shifted[..., 1:] = x[..., :-1]
    y, ys = F.conv2d(x, w), F.conv2d(shifted, w)
    equivariant = torch.allclose(ys[..., 1:], y[..., :-1])  # away from the left border
    invariant = torch.allclose(ys, y)
    return bool(equivariant), bool(invariant)


def _rotation_equivariant() -> bool:
    x, w = _rand(1, 1, 9, 9, seed=3), _rand(1, 1, 3, 3, seed=4)
    return bool(torch.allclose(F.conv2d(torch.rot90(x, 1, (2, 3)), w), torch.rot90(F.conv2d(x, w), 1, (2, 3))))


def receptive_field(layers: int, k: int) -> int:
    """Width of the input region that moves the centre output of `layers` stacked k × k convs (autograd)."""
    size = 2 * layers * k + 1
    x = torch.zeros(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    y = x
    for i in range(layers):
        y = F.conv2d(y, _rand(1, 1, k, k, seed=10 + i).abs() + 0.1)
    c = y.shape[-1] // 2
    y[0, 0, c, c].backward()
    cols = torch.nonzero(x.grad[0, 0].abs().sum(0)).flatten()
    rows = torch.nonzero(x.grad[0, 0].abs().sum(1)).flatten()
    assert int(rows[-1] - rows[0]) == int(cols[-1] - cols[0])
    return int(cols[-1] - cols[0]) + 1


def _out_width(n, k, pad, stride, cin=2, cout=3) -> int:
    return torch.nn.Conv2d(cin, cout, k, stride=stride, padding=pad)(torch.zeros(1, cin, n, n)).shape[-1]


def _sharing() -> bool:
    """Output at two positions = the same kernel dotted with each window."""
    x, w = _rand(1, 2, 6, 6, seed=5), _rand(1, 2, 3, 3, seed=6)
    y = F.conv2d(x, w)
    return bool(torch.isclose(y[0, 0, 0, 0], (x[0, :, 0:3, 0:3] * w[0]).sum())
                and torch.isclose(y[0, 0, 2, 3], (x[0, :, 2:5, 3:6] * w[0]).sum()))


def _conv1x1_is_linear() -> bool:
    conv = torch.nn.Conv2d(256, 64, 1).double()
    lin = torch.nn.Linear(256, 64).double()
    lin.weight.data = conv.weight.data[:, :, 0, 0].clone()
    lin.bias.data = conv.bias.data.clone()
    x = _rand(2, 256, 5, 7, seed=7)
    y = conv(x)
    return y.shape == (2, 64, 5, 7) and bool(torch.allclose(y, lin(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)))


def _linear_stack_collapses() -> bool:
    """Two convolutions with nothing between them equal one 5 × 5 convolution (no gain from depth)."""
    x, w1, w2 = _rand(1, 1, 11, 11, seed=8), _rand(1, 1, 3, 3, seed=9), _rand(1, 1, 3, 3, seed=10)
    one = F.conv2d(x, F.conv_transpose2d(w1, w2))  # the 5 × 5 kernel: full convolution of w1 and w2
    return bool(torch.allclose(F.conv2d(F.conv2d(x, w1), w2), one))


def _weights(cin, cout, k) -> int:
    return torch.nn.Conv2d(cin, cout, k).weight.numel()


@pytest.fixture(scope="module")
def facts():
    equivariant, invariant = _shift_facts()
    layer = torch.nn.Conv2d(32, 64, 3)
    same_on_sizes = layer(torch.zeros(1, 32, 32, 32)).shape[1] == layer(torch.zeros(1, 32, 128, 128)).shape[1] == 64
    return {
        "equivariant": equivariant, "invariant": invariant, "rotation": _rotation_equivariant(),
        "rf1": receptive_field(1, 3), "rf2": receptive_field(2, 3),
        "sharing": _sharing(), "conv1x1": _conv1x1_is_linear(), "linear_stack": _linear_stack_collapses(),
        "pad_same": all(_out_width(n, k, (k - 1) // 2, 1) == n for n in (9, 16, 31) for k in (3, 5, 7)),
        "no_pad": _out_width(20, 3, 0, 1), "stride2": _out_width(32, 3, 1, 2),
        "layer_weights": layer.weight.numel(), "layer_bias": layer.bias.numel(), "same_on_sizes": same_on_sizes,
        "layer_out_channels": layer(torch.zeros(1, 32, 8, 8)).shape[1],
        "two_3x3_vs_5x5": (2 * _weights(8, 8, 3), _weights(8, 8, 5)),
    }


def test_torch_facts_behind_the_items(facts):
    assert facts["equivariant"] and not facts["invariant"] and not facts["rotation"]
    assert facts["rf1"] == 3 and facts["rf2"] == 5
    assert facts["sharing"] and facts["conv1x1"] and facts["linear_stack"] and facts["pad_same"]
    assert facts["no_pad"] == 18 and facts["stride2"] == 16
    assert facts["layer_weights"] == 18432 and facts["layer_bias"] == 64 and facts["same_on_sizes"]
    assert facts["two_3x3_vs_5x5"] == (18 * 64, 25 * 64)


def _why_conv(facts) -> dict[str, bool]:
    return {
        "far fewer weights: one small kernel is shared by every position": facts["sharing"],
        "each output looks at a small neighbourhood, where nearby pixels belong together": facts["rf1"] == 3,
        "a pattern is detected wherever it appears, since a shifted input gives a shifted output": facts["equivariant"],
        "the same layer can run on images of different sizes": facts["same_on_sizes"],
        "each output of the first layer sees the whole image": facts["rf1"] > 3,
        "the output does not change when the image is rotated or rescaled": facts["rotation"],
        "stacked convolutions need no nonlinearity between them": not facts["linear_stack"],
        "its output does not change at all when the image is shifted": facts["invariant"],
    }


def _layer_counts(facts) -> dict[str, bool]:
    return {
        "It has $3 \\cdot 3 \\cdot 32 \\cdot 64 = 18{,}432$ weights.": facts["layer_weights"] == 18432,
        "It has 64 biases.": facts["layer_bias"] == 64,
        "Its output has 64 channels.": facts["layer_out_channels"] == 64,
        "It has the same number of weights on a $32 \\times 32$ as on a $128 \\times 128$ input.": facts["same_on_sizes"],
        "It has $3 \\cdot 3 \\cdot 64 = 576$ weights.": facts["layer_weights"] == 576,
        "Its number of weights grows with the input's height and width.": not facts["same_on_sizes"],
        "Its output has 32 channels, one per input channel.": facts["layer_out_channels"] == 32,
    }


def _tf(facts) -> dict[str, str]:
    two, five = facts["two_3x3_vs_5x5"]
    tf = lambda b: "T" if b else "F"  # noqa: E731
    return {
        "tf-equivariant": tf(facts["equivariant"]), "tf-invariant": tf(facts["invariant"]),
        "tf-local": tf(facts["rf1"] > 3), "tf-no-pad-shrinks": tf(facts["no_pad"] == 20),
        "tf-1x1-linear": tf(facts["conv1x1"]), "tf-1x1-reduce": tf(facts["conv1x1"]),
        "tf-two-3x3": tf(facts["rf2"] == 5 and two < five), "tf-params-size": tf(not facts["same_on_sizes"]),
    }


PREFIX = {  # fixed choice items: the option torch supports starts with
    "sharing": "The same kernel weights are used at every position",
    "equivariance-meaning": "If the input image is shifted, the output feature map is shifted",
    "padding-same": "The output keeps the input's height and width",
    "stride-2": "The kernel moves 2 pixels between neighbouring outputs",
    "conv1x1-what": "At each pixel it takes $C_{out}$ weighted sums",
}


def _drawn_key(inst) -> str:
    """The keyed option of a drawn item, from torch layers built with the drawn sizes."""
    if inst["id"] == "fc-vs-conv":
        s, n, k, f = inst["side"], inst["hidden"], inst["k"], inst["filters"]
        fc = torch.nn.Linear(s * s * 3, n).weight.numel()
        conv = torch.nn.Conv2d(3, f, k, padding=(k - 1) // 2)
        assert conv(torch.zeros(1, 3, s, s)).shape[-2:] == (s, s)
        return f"fully connected {fc:,}, convolution {conv.weight.numel():,}".replace(",", "\u202f").replace("\u202f ", ", ")
    if inst["id"] == "rf-stacked":
        rf = receptive_field(inst["layers"], inst["k"])
        return f"${rf} \\times {rf}$"
    out = _out_width(inst["n"], inst["k"], inst["pad"], inst["stride"])
    return f"${out} \\times {out}$"


def test_every_key_agrees_with_torch_independent(facts):
    tf, why_conv, counts = _tf(facts), _why_conv(facts), _layer_counts(facts)
    rf_cache = {}
    checked = Counter()
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            item = inst["id"]
            if part.kind == "truefalse":
                assert part.answer == tf[item], (problem.seed, item)
            elif item in ("why-conv", "layer-counts"):
                truth = why_conv if item == "why-conv" else counts
                assert {part.choices[k] for k in part.answer} == {t for t in part.choices.values() if truth[t]}
            elif item in PREFIX:
                assert part.choices[part.answer].startswith(PREFIX[item]), (problem.seed, item)
                assert sum(t.startswith(PREFIX[item]) for t in part.choices.values()) == 1
            elif item in ("fc-vs-conv", "rf-stacked", "out-size"):
                sig = tuple(sorted((k, v) for k, v in inst.items() if k != "order"))
                if sig not in rf_cache:
                    rf_cache[sig] = _drawn_key(inst)
                assert part.choices[part.answer] == rf_cache[sig], (problem.seed, inst)
                assert list(part.choices.values()).count(rf_cache[sig]) == 1
            else:
                assert part.kind == "short", item
                continue
            checked[item] += 1
    assert len(checked) >= 15, checked


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
