"""The scalar-graph engine (probgen.kit.graph, graph_ops, scalar_math) against torch autograd,
as micrograd tests its engine: every op's value and local derivatives in every math namespace,
and backpropagation through whole graphs (fan-out, neurons, losses).

The expected values come from torch in float64 only; nothing is shared with the engine."""

import math

import pytest
import torch

from probgen.kit import graph
from probgen.kit.graph_ops import OPS
from probgen.kit.scalar_math import FLOAT, FRACTION, precise, sym

# op key -> (torch forward rule on (args, k), constants, points to test at)
UNARY_POINTS = (-1.75, -0.5, 0.5, 1.25, 2.5)
POSITIVE_POINTS = (0.25, 0.5, 1.5, 3.0)
PROBABILITIES = (0.1, 0.35, 0.5, 0.8)
PAIRS = ((-1.5, 2.0), (0.5, 0.5), (3.0, -0.25), (-2.0, -1.0))
TORCH = {
    "pow": (lambda a, k: a[0] ** k[0], [[2], [3]], UNARY_POINTS),
    "affine": (lambda a, k: k[0] * a[0] + k[1], [[-3, 2], [2, 0], [1.5, -0.5]], UNARY_POINTS),
    "exp": (lambda a, k: torch.exp(a[0]), [[]], UNARY_POINTS),
    "log": (lambda a, k: torch.log(a[0]), [[]], POSITIVE_POINTS),
    "sin": (lambda a, k: torch.sin(a[0]), [[]], UNARY_POINTS),
    "cos": (lambda a, k: torch.cos(a[0]), [[]], UNARY_POINTS),
    "sigmoid": (lambda a, k: torch.sigmoid(a[0]), [[]], UNARY_POINTS),
    "tanh": (lambda a, k: torch.tanh(a[0]), [[]], UNARY_POINTS),
    "relu": (lambda a, k: torch.relu(a[0]), [[]], UNARY_POINTS),
    "identity": (lambda a, k: a[0] * 1, [[]], UNARY_POINTS),
    "sqerr": (lambda a, k: (a[0] - k[0]) ** 2, [[0], [1.5], [-2]], UNARY_POINTS),
    "bce": (lambda a, k: torch.nn.functional.binary_cross_entropy(a[0], torch.tensor(float(k[0]),
                                                                                    dtype=torch.float64)),
            [[0], [1]], PROBABILITIES),
    "mul": (lambda a, k: a[0] * a[1], [[]], PAIRS),
    "add": (lambda a, k: a[0] + a[1], [[]], PAIRS),
    "sub": (lambda a, k: a[0] - a[1], [[]], PAIRS),
    "lin": (lambda a, k: k[0] * a[0] + k[1] * a[1], [[-2, 3], [3, -1]], PAIRS),
    "linear": (lambda a, k: sum(a[len(a) // 2 + i] * a[i] for i in range(len(a) // 2)) + a[-1], [[]],
               ((0.5, -1.0, 2.0, 1.5, -0.5, 2.0, 0.5), (-2.0, 1.0, 0.0, 0.5, 0.5, -1.0, -1.0))),
}
RATIONAL = {"pow", "affine", "relu", "identity", "sqerr", "mul", "add", "sub", "lin", "linear"}


def _point(p):
    return p if isinstance(p, tuple) else (p,)


def torch_value_and_grad(key, point, k):
    xs = [torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for v in point]
    out = TORCH[key][0](xs, k)
    out.backward()
    return out.item(), [0.0 if x.grad is None else x.grad.item() for x in xs]


def namespaces(key):
    out = [("float", FLOAT, float), ("precise", precise(), float), ("sym", sym(), float),
           ("sym-unevaluated", sym(evaluate=False), float)]
    if key in RATIONAL:
        out.append(("fraction", FRACTION, float))
    return out


def test_every_op_is_tested():
    assert set(OPS) == set(TORCH)


@pytest.mark.parametrize("key", sorted(TORCH))
def test_op_value_and_local_derivatives_match_torch_autograd(key):
    op = OPS[key]
    for k in TORCH[key][1]:
        for point in map(_point, TORCH[key][2]):
            want_value, want_grads = torch_value_and_grad(key, point, k)
            for name, m, as_float in namespaces(key):
                args = [m.number(v) for v in point]
                out = op.value(m, args, k)
                assert as_float(out) == pytest.approx(want_value, rel=1e-12, abs=1e-12), (key, name, point)
                got = [as_float(d) for d in op.local(m, args, out, k)]
                assert got == pytest.approx(want_grads, rel=1e-12, abs=1e-12), (key, name, point, k)


def test_relu_slope_is_zero_when_off_and_one_when_on():
    for m in (FLOAT, precise(), sym(), FRACTION):
        assert float(OPS["relu"].local(m, [m.number(-0.5)], m.number(0), [])[0]) == 0.0
        assert float(OPS["relu"].local(m, [m.number(0.5)], m.number(0.5), [])[0]) == 1.0


# Whole graphs: a backprop-chain graph with fan-out and a small network with a loss.
CHAIN = [
    {"name": "x", "op": "sin", "args": ["u"], "k": []},
    {"name": "y", "op": "mul", "args": ["u", "x"], "k": []},
    {"name": "w", "op": "sigmoid", "args": ["y"], "k": []},
    {"name": "z", "op": "lin", "args": ["w", "x"], "k": [3, -2]},
]
NETWORK = [
    {"name": "z1", "op": "linear", "args": ["x1", "x2", "a", "b", "c"], "k": []},
    {"name": "h1", "op": "tanh", "args": ["z1"], "k": []},
    {"name": "z2", "op": "linear", "args": ["x1", "x2", "d", "e", "f"], "k": []},
    {"name": "h2", "op": "relu", "args": ["z2"], "k": []},
    {"name": "o", "op": "linear", "args": ["h1", "h2", "v1", "v2", "c2"], "k": []},
    {"name": "yhat", "op": "sigmoid", "args": ["o"], "k": []},
    {"name": "L", "op": "bce", "args": ["yhat"], "k": [1]},
]
NETWORK_LEAVES = {"x1": 0.5, "x2": -1.5, "a": 1.0, "b": -0.5, "c": 0.5, "d": 2.0, "e": 0.5, "f": 1.0,
                  "v1": -1.5, "v2": 0.5, "c2": 0.5}


def _torch_graph(nodes, leaves):
    ts = {name: torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for name, v in leaves.items()}
    vals = dict(ts)
    for n in nodes:
        vals[n["name"]] = TORCH[n["op"]][0]([vals[p] for p in n["args"]], n["k"])
    vals[nodes[-1]["name"]].backward()
    return vals, ts


@pytest.mark.parametrize("m", [FLOAT, precise(), sym()], ids=["float", "precise", "sym"])
def test_backward_through_a_network_matches_torch(m):
    tvals, ts = _torch_graph(NETWORK, NETWORK_LEAVES)
    values = graph.forward(m, NETWORK, {k: m.number(v) for k, v in NETWORK_LEAVES.items()})
    for n in NETWORK:
        assert float(values[n["name"]]) == pytest.approx(tvals[n["name"]].item(), rel=1e-12)
    grads = graph.backward(m, NETWORK, values, {"L": m.number(1)}, list(NETWORK_LEAVES))
    for name, t in ts.items():
        assert float(grads[name]) == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-15), name
    # fan-out: x1 feeds both hidden units, so its gradient adds two paths
    assert grads["x1"] != 0


@pytest.mark.parametrize("u", [-1.5, 0.5, 2.0])
def test_path_sum_and_backward_agree_with_torch_on_a_chain(u):
    tvals, ts = _torch_graph(CHAIN, {"u": u})
    m = precise()
    values = graph.forward(m, CHAIN, {"u": m.number(u)})
    local = graph.local_derivatives(m, CHAIN, values)
    all_paths = graph.paths(CHAIN, "u")
    assert len(all_paths) == 3  # u→x→z, u→y→w→z, u→x→y→w→z
    by_paths = graph.path_sum(all_paths, local)
    by_backward = graph.backward(m, CHAIN, values, {"z": m.number(1)}, ["u"])["u"]
    assert float(by_paths) == pytest.approx(ts["u"].grad.item(), rel=1e-12)
    assert float(by_backward) == pytest.approx(ts["u"].grad.item(), rel=1e-12)


def test_backward_override_replaces_one_local_derivative():
    """A named slip: dz/dw replaced by 1 changes the gradient by exactly that path's factor."""
    m = FLOAT
    values = graph.forward(m, CHAIN, {"u": 0.5})
    right = graph.backward(m, CHAIN, values, {"z": 1.0}, ["w", "y"])
    wrong = graph.backward(m, CHAIN, values, {"z": 1.0}, ["w", "y"], override={("z", "w", 0): 1.0})
    assert right["w"] == 3.0 and wrong["w"] == 1.0
    assert wrong["y"] == pytest.approx(right["y"] / 3)
    assert math.isfinite(right["y"])
