"""Forward and backward pass of a tiny network: one neuron (easy) or one hidden layer of 2-3
units and one output (medium, hard), squared-error or binary cross-entropy loss.

The forward and backward rules are written once against a small math namespace: SymPy gives
the exact answers, mpmath (80 bits) every decimal that goes into a problem, plain floats the
error-carried-forward values computed from a student's own forward pass. Mistakes are the same
backward rule with one named slip switched on.
"""

from __future__ import annotations

import math

from ..core.registry import Family, Solution, family
from ..kit import graph
from ..kit.exactfmt import finite_numbers as _numbers, number_part, vector_part
from ..kit.graph_ops import OPS
from ..kit.scalar_math import FLOAT, FRACTION, precise, sym
from . import tiny_network_steps as steps


def namespace(kind: str):
    """The math namespaces of probgen.kit.scalar_math by name; exp and log stay unevaluated in
    SymPy (its automatic simplification of exp/log of nested sums is slow and shortens nothing)."""
    if kind == "sym":
        return sym(evaluate=False)
    if kind == "log10":
        return precise(log10=True)
    return {"precise": precise, "float": lambda: FLOAT, "fraction": lambda: FRACTION}[kind]()


def network(p):
    """The network as a scalar graph (probgen.kit.graph): {leaf: param} and the nodes.

    Leaves: inputs x_k, weights W1_jk and w2_j, biases b1_j and b2. Nodes: each hidden unit's
    pre-activation z1_j and activation h_j, the output's z2 and yhat, the loss L."""
    leaves = {f"x{k}": v for k, v in enumerate(p["x"], start=1)}
    xs = list(leaves)
    nodes = []
    inputs = xs
    if "W1" in p:
        inputs = []
        for j, (row, b) in enumerate(zip(p["W1"], p["b1"]), start=1):
            weights = {f"W1_{j}{k}": w for k, w in enumerate(row, start=1)}
            leaves.update(weights)
            leaves[f"b1_{j}"] = b
            nodes.append({"name": f"z1_{j}", "op": "linear", "args": xs + list(weights) + [f"b1_{j}"], "k": []})
            nodes.append({"name": f"h{j}", "op": p["hidden"], "args": [f"z1_{j}"], "k": []})
            inputs.append(f"h{j}")
    leaves.update({f"w2_{j}": w for j, w in enumerate(p["w2"], start=1)})
    leaves["b2"] = p["b2"]
    nodes += [
        {"name": "z2", "op": "linear", "args": inputs + [f"w2_{j}" for j in range(1, len(inputs) + 1)] + ["b2"],
         "k": []},
        {"name": "yhat", "op": p["output"], "args": ["z2"], "k": []},
        {"name": "L", "op": "sqerr" if p["loss"] == "mse" else "bce", "args": ["yhat"], "k": [p["y"]]},
    ]
    return leaves, nodes


def forward(m, p):
    """{z1, h, z2, yhat, loss}; without a hidden layer h is the input x."""
    leaves, nodes = network(p)
    v = graph.forward(m, nodes, {name: m.number(value) for name, value in leaves.items()})
    out = {}
    if "W1" in p:
        out["z1"] = [v[f"z1_{j}"] for j in range(1, len(p["W1"]) + 1)]
        out["h"] = [v[f"h{j}"] for j in range(1, len(p["W1"]) + 1)]
    out.update(z2=v["z2"], yhat=v["yhat"], loss=v["L"])
    return out


def loss(m, p, yhat):
    return OPS["sqerr" if p["loss"] == "mse" else "bce"].value(m, [yhat], [p["y"]])


def _rounding_ranges(p, parts, picks) -> None:
    """Every part accepts what rounding each step of its forward or backward pass to 3
    significant figures gives (kit/rounding.RoundedMath on the same graph): a loss (ŷ − y)²
    where ŷ − y cancels (hard seed 3: (−1.08 + 0.5)² = 0.336 for 0.3426) scores."""
    from ..kit.rounding import RoundedMath

    m = RoundedMath()
    try:
        fw = forward(m, p)
        grads = backward(m, p, fw)
    except ArithmeticError:
        return
    values = ([fw["z1"], fw["h"]] if "W1" in p else []) + [fw["yhat"], fw["loss"]] + picks(grads)
    for part, value in zip(parts, values):
        part.accepted = [v.bounds() for v in value] if isinstance(value, list) else value.bounds()


# Named slips of the backward pass (the values they give are the part's misconceptions).
SLIPS = {
    "no-2": "dropped the factor 2 of the squared error",
    "flip": "sign error: used (y − ŷ) instead of (ŷ − y)",
    "no-out-slope": "forgot the derivative of the output activation",
    "no-hidden-slope": "forgot the derivative of the hidden activation",
    "no-w2": "forgot the output weight on the way back to the hidden layer",
}


def backward(m, p, fw, slip=None):
    """Gradients {w2: [...], b2, W1: [[...]], b1: [...]} by backpropagation through the network
    at the forward values `fw`; the hidden layer's only for the asked unit j (other rows None).
    `slip`: one of SLIPS switched on."""
    leaves, nodes = network(p)
    values = {name: m.number(value) for name, value in leaves.items()}
    hidden = "W1" in p
    if hidden:
        for j, (z, a) in enumerate(zip(fw["z1"], fw["h"]), start=1):
            values.update({f"z1_{j}": z, f"h{j}": a})
    values.update(z2=fw["z2"], yhat=fw["yhat"], L=fw["loss"])
    y, yhat = m.number(p["y"]), fw["yhat"]
    sign = -1 if slip == "flip" else 1
    override = {}
    if p["loss"] == "bce":
        # sigmoid output + BCE: dL/dz2 = yhat - y (the sigmoid's slope cancels); the slip stops
        # at dL/dyhat
        delta2 = (yhat - y) / (yhat * (1 - yhat)) if slip == "no-out-slope" else yhat - y
        seeds = {"z2": sign * delta2}
    else:
        seeds = {"L": m.number(sign)}
        if slip == "no-2":
            override[("L", "yhat", 0)] = yhat - y
        if slip == "no-out-slope":
            override[("yhat", "z2", 0)] = m.number(1)
    n_units = len(p["w2"])
    if hidden:
        j = p["ask"][0]
        if slip == "no-w2":
            override[("z2", f"h{j}", j - 1)] = m.number(1)
        if slip == "no-hidden-slope":
            override[(f"h{j}", f"z1_{j}", 0)] = m.number(1)
    wanted = [f"w2_{i}" for i in range(1, n_units + 1)] + ["b2"]
    if hidden:
        wanted += [f"b1_{j}"] + [f"W1_{j}{k}" for k in range(1, len(p["x"]) + 1)]
    g = graph.backward(m, nodes, values, seeds, wanted, override)
    grads = {"w2": [g[f"w2_{i}"] for i in range(1, n_units + 1)], "b2": g["b2"]}
    if hidden:
        grads["W1"] = [[g[f"W1_{i}{k}"] for k in range(1, len(p["x"]) + 1)] if i == j else None
                       for i in range(1, n_units + 1)]
        grads["b1"] = [g[f"b1_{i}"] if i == j else None for i in range(1, n_units + 1)]
    return grads


# ---------------------------------------------------------------------------------------------
# Generation: weights and inputs are multiples of 0.5 so hand arithmetic stays short.

HALVES = (-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2)
SMALL = (-1, -0.5, 0, 0.5, 1)
MAX_ATTEMPTS = 500


def _draw(draw, difficulty):
    if difficulty == "easy":
        p = {"x": draw.sample(HALVES, 2),  # distinct inputs: the two weight gradients differ
             "w2": [draw.choice(HALVES), draw.choice(HALVES)], "b2": draw.choice(SMALL),
             "output": draw.choice(("identity", "relu", "sigmoid")), "loss": "mse"}
        if p["output"] == "sigmoid":
            p["y"] = draw.choice((0, 1))
        elif p["output"] == "relu":  # a ReLU cannot predict a negative target
            p["y"] = draw.choice((0, 0.5, 1, 1.5, 2, 2.5))
        else:
            p["y"] = draw.choice(HALVES + (0, 2.5, -2.5))
        return p
    n_in = draw.choice((1, 2)) if difficulty == "medium" else 2
    n_h = 2 if difficulty == "medium" else draw.choice((2, 3))
    if difficulty == "medium":
        hidden, output, loss_name = "relu", "identity", "mse"
    else:
        hidden = draw.choice(("sigmoid", "tanh", "relu"))
        output, loss_name = draw.choice((("sigmoid", "bce"), ("sigmoid", "bce"), ("identity", "mse")))
    p = {
        "x": [draw.choice(HALVES) for _ in range(n_in)],
        "W1": [[draw.choice(HALVES) for _ in range(n_in)] for _ in range(n_h)],
        "b1": [draw.choice(SMALL) for _ in range(n_h)],
        "hidden": hidden,
        "w2": [draw.choice(HALVES) for _ in range(n_h)],
        "b2": draw.choice(SMALL),
        "output": output,
        "loss": loss_name,
        "y": draw.choice((0, 1)) if loss_name == "bce" else draw.choice(HALVES + (0, 2.5, -2.5)),
    }
    # the hidden weight and bias whose gradients are asked for (1-based unit j, input k)
    p["ask"] = [draw.integer(1, n_h), draw.integer(1, n_in)]
    if hidden == "relu":  # one inactive unit, else h = z⁽¹⁾ and part b repeats part a (TA re-rating)
        draw.coin(0.5)  # drawn as before (it chose between one and no inactive unit): other draws keep their seeds
        _set_inactive(p, draw.choice([u for u in range(1, n_h + 1) if u != p["ask"][0]]))
    return p


def _set_inactive(p, dead):
    """Make ReLU unit `dead` (1-based, or None) inactive and every other unit active, by
    flipping the sign of a unit's weights and bias where needed (z → −z; the 0.5 grid is
    symmetric, so every weight stays as likely as before). The asked unit is never the
    inactive one: its gradients would all be 0."""
    for unit, (row, b) in enumerate(zip(p["W1"], p["b1"]), start=1):
        z = sum(w * x for w, x in zip(row, p["x"])) + b
        if (z < 0) != (unit == dead):
            p["W1"][unit - 1] = [-w for w in row]
            p["b1"][unit - 1] = -b


def _usable(p) -> bool:
    # Plain floats are enough here: the inputs are exact binary fractions (multiples of 0.5)
    # and no transcendental value can sit exactly on a threshold, so the decision is the same
    # on every machine.
    m = namespace("float")
    fw = forward(m, p)
    grads = backward(m, p, fw)
    if "W1" in p:
        if any(abs(z) < 0.25 for z in fw["z1"]):  # never at the ReLU kink; no all-zero unit
            return False
        if len(set(fw["z1"])) < len(fw["z1"]):  # two units computing the same number
            return False
        if any(abs(z) > {"relu": 4, "sigmoid": 3, "tanh": 2}[p["hidden"]] for z in fw["z1"]):
            return False  # saturated units: vanishing, unreadable gradients
        j, k = p["ask"]
        asked = [grads["w2"][j - 1], grads["b2"], grads["W1"][j - 1][k - 1], grads["b1"][j - 1]]
    else:
        asked = grads["w2"] + [grads["b2"]]
    if p["output"] == "relu" and fw["z2"] < 0.25:  # a dead output neuron learns nothing
        return False
    if p["output"] == "sigmoid" and not 0.25 <= abs(fw["z2"]) <= 3:
        return False
    if abs(fw["yhat"] - p["y"]) < 0.2 or abs(fw["yhat"]) > 20 or fw["loss"] > 50:
        return False
    # a weight gradient equal to its bias's (an input or activation of 1) asks the same thing twice
    pairs = [(asked[0], asked[1]), (asked[2], asked[3])] if "W1" in p else [(asked[0], asked[2]), (asked[1], asked[2])]
    return all(0.01 <= abs(v) <= 60 for v in asked) and all(abs(w - b) > 1e-9 for w, b in pairs)


# ---------------------------------------------------------------------------------------------
# Printing: exact strings and LaTeX come from probgen.kit.exactfmt (order="none", fast and exact).


def _rational(p) -> bool:
    """Whether every answer is rational (ReLU/identity units, squared error)."""
    return p.get("hidden", "identity") in ("relu", "identity") and p["output"] in ("relu", "identity") \
        and p["loss"] == "mse"



@family
class TinyNetwork(Family):
    id = "tiny-network"
    section = "fundamentals"
    topic = "backprop"
    title = "Forward and backward pass of a tiny network"

    def generate(self, draw, difficulty, convention):
        # Numbers are drawn on a 0.5 grid; the few draws that sit at a ReLU kink, saturate a
        # sigmoid, predict the target exactly or give a vanishing gradient are redrawn from the
        # same SHA-256 stream (still a pure function of the seed).
        for _ in range(MAX_ATTEMPTS):
            p = _draw(draw, difficulty)
            if _usable(p):
                return p
        raise RuntimeError("tiny-network: no usable network drawn")  # never seen in sweeps

    def solve(self, params):
        p = params
        ex, hp = namespace("fraction" if _rational(p) else "sym"), namespace("precise")
        fe, fp = forward(ex, p), forward(hp, p)
        ge, gp = backward(ex, p, fe), backward(hp, p, fp)
        # The slips are plain arithmetic on the (80-bit, then rounded) forward values: IEEE
        # floats give the same mistake values on every machine, and fast.
        ff = {key: [float(v) for v in val] if isinstance(val, list) else float(val) for key, val in fp.items()}
        slips = {name: backward(namespace("float"), p, ff, name) for name in SLIPS}
        hidden = "W1" in p

        def picks(grads):
            """The gradients the problem asks for, in part order."""
            if not hidden:
                return grads["w2"] + [grads["b2"]]
            j, k = p["ask"]
            return [grads["w2"][j - 1], grads["b2"], grads["W1"][j - 1][k - 1], grads["b1"][j - 1]]

        def slip_mistakes(index):
            out = {}
            for name, label in SLIPS.items():
                if name == "no-2" and p["loss"] != "mse":
                    continue
                if name == "no-out-slope" and p["output"] == "identity":
                    continue
                if name in ("no-hidden-slope", "no-w2") and not hidden:
                    continue
                out[label] = picks(slips[name])[index]
            return out

        parts = []
        keys = iter("abcdefgh")
        forward_keys = []
        if hidden:
            x = [hp.number(v) for v in p["x"]]
            no_bias = [sum((hp.number(w) * xk for w, xk in zip(row, x)), hp.number(0)) for row in p["W1"]]
            key = next(keys)
            parts.append(vector_part(key, fe["z1"], fp["z1"], 2, mistakes={"forgot the bias b⁽¹⁾": no_bias}))
            forward_keys.append(key)
            key = next(keys)
            h_mistakes = {}
            if p["hidden"] == "relu" and any(z < 0 for z in fp["z1"]):
                h_mistakes["passed a negative pre-activation through the ReLU"] = fp["z1"]
            if p["hidden"] != "relu":
                h_mistakes["forgot the activation (used the pre-activations)"] = fp["z1"]
            parts.append(vector_part(key, fe["h"], fp["h"], 2, mistakes=h_mistakes, depends_on=forward_keys[-1:]))
            forward_keys.append(key)
        key = next(keys)
        yhat_mistakes = {}
        if p["output"] != "identity":
            yhat_mistakes["forgot the output activation"] = fp["z2"]
        parts.append(number_part(key, fe["yhat"], fp["yhat"], 1 if hidden else 2, mistakes=yhat_mistakes,
                             depends_on=forward_keys[-1:]))
        forward_keys.append(key)
        yhat_key = key
        key = next(keys)
        loss_mistakes = {}
        if p["loss"] == "mse":
            loss_mistakes["used ½(ŷ − y)² instead of (ŷ − y)²"] = hp.number("0.5") * loss(hp, p, fp["yhat"])
            loss_mistakes["forgot to square: |ŷ − y|"] = abs(fp["yhat"] - hp.number(p["y"]))
        else:
            loss_mistakes["used log base 10 instead of ln"] = loss(namespace("log10"), p, fp["yhat"])
        parts.append(number_part(key, fe["loss"], fp["loss"], 2, mistakes=loss_mistakes, depends_on=[yhat_key]))
        grad_points = [2, 1, 3, 2] if hidden else [2, 2, 2]
        grad_keys = []
        for index, (e, v) in enumerate(zip(picks(ge), picks(gp))):
            key = next(keys)
            parts.append(number_part(key, e, v, grad_points[index], mistakes=slip_mistakes(index),
                                 depends_on=forward_keys))
            grad_keys.append(key)

        _rounding_ranges(p, parts, picks)
        work = steps.work(p, fe, fp, ge, gp)
        return Solution(parts=parts, work=work, figure=steps.figure(p))

    def follow_on(self, params, given):
        """Later parts recomputed from the student's own forward values: the loss from their ŷ,
        the gradients from their pre-activations, activations and ŷ (activation slopes in the
        worked solution's form: σ' = h(1 − h), tanh' = 1 − h², ReLU' from the sign of z)."""
        p = params
        m = namespace("float")
        fw = forward(m, p)
        hidden = "W1" in p
        keys = (["a", "b", "c", "d"] if hidden else ["a", "b"])
        n_h = len(p.get("W1", []))
        try:
            if hidden and _numbers(given.get("a"), n_h):
                fw["z1"] = [float(v) for v in given["a"]]
                fw["h"] = [OPS[p["hidden"]].value(m, [z], []) for z in fw["z1"]]
                fw["z2"] = sum(w * h for w, h in zip(p["w2"], fw["h"])) + p["b2"]
                fw["yhat"] = OPS[p["output"]].value(m, [fw["z2"]], [])
            if hidden and _numbers(given.get("b"), n_h):
                fw["h"] = [float(v) for v in given["b"]]
                fw["z2"] = sum(w * h for w, h in zip(p["w2"], fw["h"])) + p["b2"]
                fw["yhat"] = OPS[p["output"]].value(m, [fw["z2"]], [])
            yhat_key, loss_key = keys[-2], keys[-1]
            if _numbers([given.get(yhat_key)], 1):
                fw["yhat"] = float(given[yhat_key])
            if not any(k in given for k in keys[:-1]):
                return {}
            out = {loss_key: loss(m, p, fw["yhat"])}
            grads = backward(m, p, fw)
        except (ValueError, ZeroDivisionError, OverflowError):
            return {}
        if hidden:
            j, k = p["ask"]
            values = [grads["w2"][j - 1], grads["b2"], grads["W1"][j - 1][k - 1], grads["b1"][j - 1]]
        else:
            values = grads["w2"] + [grads["b2"]]
        grad_keys = "efgh" if hidden else "cde"
        out.update(dict(zip(grad_keys, values)))
        return {k: v for k, v in out.items() if math.isfinite(v)}
