"""Receptive field: answers against the support of a torch gradient through the actual layers."""

import pytest
import torch

from sweep import mistakes, sweep

torch.set_num_threads(1)  # tiny ops: threads only contend on the shared CPUs

FAMILY = "receptive-field"
LENGTH = 400  # input pixels along the measured dimension: far more than any receptive field here


def torch_stack(layers):
    """The stack along one dimension, without padding (borders play no part away from them).
    Max pooling routes its gradient to one input, so an average pool of the same geometry stands
    in for it: both read the same window."""
    modules = []
    for layer in layers:
        if layer["type"] == "conv":
            conv = torch.nn.Conv1d(1, 1, layer["k"], stride=layer["s"], dilation=layer["d"], bias=False)
            torch.nn.init.ones_(conv.weight)
            modules.append(conv)
        else:
            modules.append(torch.nn.AvgPool1d(layer["k"], stride=layer["s"]))
    return torch.nn.Sequential(*modules).double()


def measured(layers):
    """(receptive field, jump) after every layer, from one forward pass of impulses: batch
    element i is a one-hot at input pixel i, so unit u of a layer is nonzero exactly for the
    input pixels in its receptive field (all weights are positive)."""
    net = torch_stack(layers)
    x = torch.eye(LENGTH, dtype=torch.float64).unsqueeze(1)
    out = []
    with torch.no_grad():
        for module in net:
            x = module(x)
            hits = [torch.nonzero(x[:, 0, unit]).flatten() for unit in (0, 1)]
            out.append((int(hits[0][-1] - hits[0][0] + 1), int(hits[1][0] - hits[0][0])))
    return out


def independent(layers):
    appended = layers + [{"type": "conv", "k": 3, "s": 1, "p": 1, "d": 1}]
    per_layer = measured(appended)
    fields = [f for f, _ in per_layer[:-1]]
    out = {"a": fields if len(layers) > 3 else fields[-1], "b": per_layer[-2][1]}
    if len(layers) == 5:
        out["c"] = per_layer[-1][0] - fields[-1]
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch_gradients(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params["layers"])
        assert [p.key for p in problem.parts] == sorted(expected)
        for part in problem.parts:
            assert part.answer == expected[part.key] and part.tolerance == 0, (problem.seed, part.key)


def plain_python_fields(layers, own_stride=False, dilation=True):
    """The mistakes, written out directly."""
    r, j, out = 1, 1, []
    for layer in layers:
        d = layer["d"] if dilation else 1
        jump_used = j * layer["s"] if own_stride else j
        r = r + d * (layer["k"] - 1) * jump_used
        j = j * layer["s"]
        out.append(r)
    return out


def test_misconceptions_are_the_named_mistakes():
    for difficulty, problem in sweep(FAMILY):
        layers = problem.params["layers"]
        a = problem.part("a")
        expected = {
            "ignored the strides (added K − 1 per layer)": [
                1 + sum(l["d"] * (l["k"] - 1) for l in layers[: i + 1]) for i in range(len(layers))],
            "scaled by the jump after the layer instead of before it": plain_python_fields(layers, own_stride=True),
            "ignored the dilation": plain_python_fields(layers, dilation=False),
        }
        listed = mistakes(a)
        for name, value in listed.items():
            want = expected[name] if difficulty != "easy" else expected[name][-1]
            assert value == want, (problem.seed, name)
        assert "ignored the strides (added K − 1 per layer)" in listed  # a stride > 1 always precedes a kernel
        b = mistakes(problem.part("b"))
        assert set(b) <= {"added the strides instead of multiplying them"}
        for value in b.values():
            assert value == sum(l["s"] for l in layers)
        if difficulty == "hard":
            jump = 1
            for l in layers:
                jump *= l["s"]
            c = mistakes(problem.part("c"))
            assert c == {"added K − 1 = 2 without the jump": 2,
                         "multiplied by the kernel size instead of K − 1": 3 * jump}, problem.seed


def test_stacks_are_interesting():
    for difficulty, problem in sweep(FAMILY):
        layers = problem.params["layers"]
        assert any(l["s"] > 1 for l in layers[:-1]), "a jump > 1 must matter"
        assert layers[-1]["type"] == "conv" and layers[-1]["k"] > 1
        if difficulty == "hard":
            assert any(l["d"] > 1 for l in layers)
        for l in layers:
            if l["type"] == "conv":
                assert l["p"] == l["d"] * (l["k"] - 1) // 2


def test_follow_on_uses_students_jump():
    from probgen.core.registry import get_family

    problem = next(p for _, p in sweep(FAMILY, difficulties=["hard"]))
    assert get_family(FAMILY).follow_on(problem.params, {"b": 3}) == {"c": 6}


def test_stacks_read_like_real_networks():
    for difficulty, problem in sweep(FAMILY):
        layers = problem.params["layers"]
        assert layers[0]["type"] == "conv"
        for a, b in zip(layers, layers[1:]):
            assert not (a["type"] == b["type"] == "max pool")


def test_points_follow_the_table_and_layer_1_grows_the_field():
    """TA re-rating: a 4-layer table was worth 1 point (the worked table left the jump products
    out, so the work model did not count them) and layer 1 could be a 1 × 1 conv, a blank row.
    Each layer's row is three operations, r + d(K − 1)·j and j·S, all written in the table."""
    for difficulty, problem in sweep(FAMILY):
        layers = problem.params["layers"]
        assert layers[0]["k"] > 1, (problem.seed, difficulty)
        table = " ".join(s.text for s in problem.steps if s.part == "a")
        jump = 1
        for layer in layers:
            assert f"${jump} \\cdot {layer['s']} = {jump * layer['s']}$" in table, (problem.seed, layer)
            jump *= layer["s"]
        a = problem.part("a")
        assert a.ops["arith"] >= 3 * len(layers)
        if len(layers) >= 4:  # a table of four or five layers
            assert a.points >= 2, (problem.seed, difficulty, a.points)
