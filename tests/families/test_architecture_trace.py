"""Architecture trace: sizes and parameters against torch modules, receptive fields from impulses."""

import numpy as np
import pytest
import torch
from torch import nn

from family_checks import assert_sweep_exact
from sweep import mistakes, sweep

torch.set_num_threads(1)  # tiny ops: threads only contend on the shared CPUs

FAMILY = "architecture-trace"


def network(c_in, layers):
    modules, channels = [], c_in
    for layer in layers:
        if layer["type"] == "conv":
            modules.append(nn.Conv2d(channels, layer["c"], layer["k"], stride=layer["s"], padding=layer["p"],
                                     device="meta"))
            channels = layer["c"]
        else:
            modules.append(nn.MaxPool2d(layer["k"], stride=layer["s"], padding=layer["p"]))
    return nn.Sequential(*modules)


def receptive_fields(layers, length=200):
    """One impulse per input pixel, through a padding-free 1-D copy of the stack (all-ones
    kernels, average pools for max pools): a unit's receptive field is the span of the impulses
    that reach it."""
    x = torch.eye(length, dtype=torch.float64).unsqueeze(1)
    fields = []
    with torch.no_grad():
        for layer in layers:
            if layer["type"] == "conv":
                x = nn.functional.conv1d(x, torch.ones(1, 1, layer["k"], dtype=torch.float64), stride=layer["s"])
            else:
                x = nn.functional.avg_pool1d(x, layer["k"], stride=layer["s"])
            hit = torch.nonzero(x[:, 0, 0]).flatten()
            fields.append(int(hit[-1] - hit[0] + 1))
    return fields


def independent(q):
    net = network(q["c_in"], q["layers"])
    x = torch.empty(1, q["c_in"], q["side"], q["side"], device="meta")
    sides = []
    for module in net:
        x = module(x)
        assert x.shape[2] == x.shape[3]
        sides.append(x.shape[2])
    fields = receptive_fields(q["layers"])
    out = {"a": sides, "b": [str(d) for d in x.shape[1:]], "c": fields if q["level"] != "easy" else fields[-1]}
    flat = x[0].numel()
    if q["level"] == "hard":
        out["d"] = sum(p.numel() for p in net.parameters())
        out["e"] = flat
    elif q["level"] == "medium":
        out["d"] = flat
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    assert_sweep_exact(FAMILY, difficulty, independent)


def test_misconceptions_are_the_named_mistakes():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        a = mistakes(problem.part("a"))
        unstrided = [dict(l, s=1) for l in q["layers"]]
        x = torch.empty(1, q["c_in"], q["side"], q["side"], device="meta")
        sides = []
        for module in network(q["c_in"], unstrided):
            x = module(x)
            sides.append(x.shape[2])
        if "ignored the strides" in a:
            assert a["ignored the strides"] == sides
        if "rounded up instead of down" in a:
            side, ceil = q["side"], []
            for l in q["layers"]:
                side = int(np.ceil((side + 2 * l["p"] - l["k"]) / l["s"])) + 1
                ceil.append(side)
            assert a["rounded up instead of down"] == ceil
        unpadded = [dict(l, p=0) for l in q["layers"]]
        x = torch.empty(1, q["c_in"], q["side"], q["side"], device="meta")
        no_pad = []
        try:
            for module in network(q["c_in"], unpadded):
                x = module(x)
                no_pad.append(x.shape[2])
        except RuntimeError:  # without padding the map shrinks to nothing: no such mistake to name
            no_pad = None
        assert a.get("forgot the padding") == no_pad or (no_pad == problem.part("a").answer
                                                          and "forgot the padding" not in a), problem.seed
        assert set(a) <= {"ignored the strides", "rounded up instead of down", "forgot the padding"}
        side = int(problem.part("a").answer[-1])
        convs = [l for l in q["layers"] if l["type"] == "conv"]
        shape = mistakes(problem.part("b"))
        expected = {"kept the input channel count": [str(q["c_in"]), str(side), str(side)],
                    "used the first conv's channel count": [str(convs[0]["c"]), str(side), str(side)]}
        assert shape == {k: v for k, v in expected.items() if v != problem.part("b").answer}, problem.seed
        one_d = [dict(l, s=1) for l in q["layers"]]  # no jumps: each layer adds K - 1
        c = mistakes(problem.part("c"))
        pick = (lambda v: v[-1]) if difficulty == "easy" else (lambda v: v)
        assert c.get("ignored the strides (added K − 1 per layer)", pick(receptive_fields(one_d))) == pick(
            receptive_fields(one_d))
        assert set(c) <= {"ignored the strides (added K − 1 per layer)",
                          "scaled by the jump after the layer instead of before it"}
        flat = problem.parts[-1]
        if difficulty != "easy":
            e = mistakes(flat)
            expected = {"forgot the channels": side * side, "used one side instead of H·W": convs[-1]["c"] * side}
            assert all(e[k] == expected[k] for k in e) and set(e.values()) == set(expected.values()), problem.seed
        if difficulty == "hard":
            d = mistakes(problem.part("d"))
            net = network(q["c_in"], q["layers"])
            assert d["forgot the biases"] == sum(m.weight.numel() for m in net if isinstance(m, nn.Conv2d))
            single = sum(p.numel() for l in convs for p in nn.Conv2d(1, l["c"], l["k"], device="meta").parameters())
            assert d["forgot the input channels"] == single


def test_variety_and_sizes():
    for difficulty in ("easy", "medium", "hard"):
        answers = {tuple(p.part("a").answer) for _, p in sweep(FAMILY, difficulties=[difficulty])}
        assert len(answers) >= 10
    for difficulty, problem in sweep(FAMILY):
        assert min(problem.part("a").answer) >= 3
        assert problem.params["side"] <= 227


def test_receptive_field_points_follow_its_work():
    """A TA: seed 356391487 gave the sizes vector 3 points and the harder receptive-field vector 1
    (the size table's worked solution also did the receptive fields). Each part's solution now
    does its own work; the receptive field's stated operations are the ones its solution writes
    out (counted from the text), plus its two rules (r and the jump j); it is never worth less
    than half the sizes part, and never 1 point when it asks for a vector."""
    from probgen.core.work import count_ops

    for difficulty, problem in sweep("architecture-trace"):
        parts = {p.key: p for p in problem.parts}
        written = count_ops([s.text for s in problem.steps if s.part == "c"])
        assert parts["c"].ops["arith"] == written["arith"] == 3 * len(problem.params["layers"]), problem.seed
        assert parts["c"].ops["step"] == 2
        assert 2 * parts["c"].points >= parts["a"].points, (problem.seed, difficulty)
        if difficulty != "easy":
            assert parts["c"].points >= 2, (problem.seed, difficulty)
    from sweep import built

    ta = {p.key: p.points for p in built("architecture-trace", "medium", 356391487).parts}
    assert ta["c"] >= ta["a"], ta
