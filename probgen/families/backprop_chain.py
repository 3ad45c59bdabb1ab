"""Mini backprop chains: scalar computational graphs with fan-out (the deck's Problem 4).

Input u, intermediates x, y (and w on some hard instances), output z. Every graph has fan-out,
so dz/du is a sum over paths (the multivariate chain rule).

The graph, its operations (each op's forward rule and local derivatives side by side, as in
micrograd) and the chain rule over it come from the scalar-graph engine in probgen.kit (graph,
graph_ops, scalar_math): SymPy gives the exact values and the symbolic "in terms of u, x and y"
answer, mpmath (80 bits) every decimal that goes into a problem, and plain floats the
error-carried-forward values computed from a student's numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..core.lazy import sympy as sp
from ..core.model import Misconception, Part
from ..core.registry import Family, Solution, family
from ..kit import graph
from ..kit.exactfmt import display as _display, finite_numbers as _numbers, latex as _latex, text as _text
from ..kit.graph import edges, local_derivatives, path_products, path_sum
from ..kit.graph_ops import OPS
from ..kit.scalar_math import FLOAT, FRACTION, precise, sym
from . import backprop_chain_steps as steps

# ---------------------------------------------------------------------------------------------
# Graph shapes: (node, parents) in topological order; the last node is z. Every shape fans out.

SHAPES = {
    "diamond": [("x", ["u"]), ("y", ["u"]), ("z", ["x", "y"])],           # u→x→z, u→y→z
    "skip-x": [("x", ["u"]), ("y", ["x"]), ("z", ["x", "y"])],            # u→x→z, u→x→y→z
    "skip-u": [("x", ["u"]), ("y", ["x"]), ("z", ["u", "y"])],            # u→z, u→x→y→z
    "three-path": [("x", ["u"]), ("y", ["u", "x"]), ("z", ["x", "y"])],   # three paths
    "two-branch": [("x", ["u"]), ("y", ["x"]), ("w", ["x"]), ("z", ["y", "w"])],
    "join": [("x", ["u"]), ("y", ["u"]), ("w", ["x", "y"]), ("z", ["w", "x"])],
    "long-skip": [("x", ["u"]), ("y", ["x"]), ("w", ["y"]), ("z", ["x", "w"])],
    "long-three": [("x", ["u"]), ("y", ["x"]), ("w", ["u", "y"]), ("z", ["w", "x"])],
}

U_VALUES = {
    "easy": (-3, -2, -1.5, -0.5, 0.5, 1.5, 2, 3),  # not ±1: powers of ±1 teach nothing
    "medium": (-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2),
    "hard": (-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2),
}


@dataclass(frozen=True)
class Plan:
    """What each difficulty draws from: graph shapes, unary ops, the unary ops one node is
    guaranteed to use (the level's new material), binary ops."""

    shapes: tuple
    unary: tuple
    featured: tuple
    binary: tuple


PLANS = {
    "easy": Plan(("diamond", "skip-x", "skip-u"), ("pow", "affine"), ("pow",), ("mul", "add", "sub", "lin")),
    "medium": Plan(("diamond", "skip-x", "skip-u", "three-path"),
                   ("pow", "affine", "exp", "log", "sin", "cos"), ("exp", "log", "sin", "cos"),
                   ("mul", "add", "sub")),
    "hard": Plan(("skip-x", "skip-u", "three-path", "two-branch", "join", "long-skip", "long-three"),
                 ("pow", "affine", "exp", "log", "sin", "cos", "sigmoid", "tanh", "relu"),
                 ("sigmoid", "tanh", "relu"), ("mul", "add", "sub")),
}

MAX_ATTEMPTS = 500
RATIONAL_OPS = {"pow", "affine", "mul", "add", "sub", "lin"}  # exact in Python fractions
CURVED = {"pow", "exp", "log", "sin", "cos", "sigmoid", "tanh", "mul"}
LOOKUP_OPS = {"exp", "log", "sin", "cos", "sigmoid", "tanh"}
INVERSES = {("exp", "log"), ("log", "exp")}  # ln(e^u) = u would collapse the graph


ALWAYS_POSITIVE = {"sigmoid", "exp"}  # a ReLU after these would be the identity for every u


def _constant_choices(op_key, a):
    """Every constant list the op can take at input a."""
    if op_key == "pow":
        return [[2], [3]] if abs(a) <= 1.5 else [[2]]
    if op_key == "affine":
        return [[c, d] for c in (-3, -2, -1, 2, 3) for d in (-2, -1, 0, 1, 2)]
    if op_key == "lin":
        return [[c, d] for c in (-2, 2, 3) for d in (-3, -1, 2, 3)]
    return [[]]


def _same(a, b) -> bool:
    return abs(a - b) <= 1e-12 * max(1, abs(a), abs(b))


def _draw_graph(draw, difficulty):
    """A graph whose every node computes something new: no op is drawn where its input leaves
    its domain, and no (op, constants) whose value at u repeats u or an earlier node (x = u²
    beside y = u², 3u − 1 at u = 0.5, u·y at u = 1) is ever a candidate. The exceptions are
    what a ReLU teaches: one that is on passes its input unchanged, and a node fed by one that
    is off may repeat a value (w = x + ReLU(u) = x)."""
    plan = PLANS[difficulty]
    shape = SHAPES[draw.choice(plan.shapes)]
    u = draw.choice(U_VALUES[difficulty])
    unary_nodes = [name for name, parents in shape if len(parents) == 1]
    featured = draw.choice(unary_nodes)
    hp = precise()
    values = {"u": hp.number(u)}
    ops = {"u": None}
    nodes = []
    for name, parents in shape:
        args = [values[p] for p in parents]
        if len(parents) == 1:
            pool = plan.featured if name == featured else plan.unary
            keys = [key for key in pool if OPS[key].domain_ok(args[0]) and (ops[parents[0]], key) not in INVERSES
                    and not (key == "relu" and ops[parents[0]] in ALWAYS_POSITIVE)]
        else:
            keys = list(plan.binary)

        fargs = [float(a) for a in args]
        taken = [float(v) for n, v in values.items()]
        passed = [float(v) for n, v in values.items() if n != parents[0]]  # a ReLU that is on

        # x + ReLU(t) = x where the ReLU is off: that repeat is the point of an off ReLU
        after_off = any(ops[q] == "relu" and values[q] == 0 for q in parents)

        def fresh(key, k):  # floats are enough to see a repeat (and are much cheaper)
            v = OPS[key].value(FLOAT, fargs, k)
            return after_off or not any(_same(v, old) for old in (passed if key == "relu" and v > 0 else taken))

        options = {key: [k for k in _constant_choices(key, args[0]) if fresh(key, k)] for key in keys}
        keys = [key for key in keys if options[key]]
        if not keys:
            return None
        key = draw.choice(keys)
        choices = options[key]
        if key == "pow" and len(choices) == 2:  # cubes now and then, squares mostly
            k = [3] if draw.coin(0.3) else [2]
        else:
            k = draw.choice(choices)
        nodes.append({"name": name, "op": key, "args": list(parents), "k": k})
        values[name] = OPS[key].value(hp, args, k)
        ops[name] = key
    if not any(n["op"] in CURVED for n in nodes):
        return None  # piecewise-linear graph: dz/du would be a bare constant
    return {"u": u, "nodes": nodes}


# ---------------------------------------------------------------------------------------------
# The chain rule over the graph (probgen.kit.graph), from u to z.


def _rounding_ranges(params, parts, order, all_paths) -> None:
    """The forward values, local derivatives and dz/du accept what rounding each step to 3
    significant figures gives (kit/rounding.RoundedMath on the same graph): a later node from
    rounded earlier ones within part (a), and path products that cancel in (c)."""
    from ..kit.rounding import RoundedMath

    m, nodes = RoundedMath(), params["nodes"]
    try:
        values = forward(m, nodes, m.number(params["u"]))
        local = local_derivatives(m, nodes, values)
        total = path_sum(all_paths, local)
    except ArithmeticError:
        return
    parts[0].accepted = [values[n["name"]].bounds() for n in nodes]
    parts[1].accepted = [local[e].bounds() for e in order]
    parts[2].accepted = total.bounds()


def paths(nodes):
    """Every path from u to z, as lists of edges (child, parent, arg index)."""
    return graph.paths(nodes, "u")


def forward(m, nodes, u):
    return graph.forward(m, nodes, {"u": u})


def degenerate(params) -> bool:
    nodes = params["nodes"]
    try:
        hp = precise()
        values = forward(hp, nodes, hp.number(params["u"]))
        local = local_derivatives(hp, nodes, values)
    except (ValueError, OverflowError, ZeroDivisionError):
        return True
    relu_off = set()
    for n in nodes:
        op = OPS[n["op"]]
        a = values[n["args"][0]]
        if op.arity == 1 and not op.domain_ok(a):
            return True
        if n["op"] == "relu" and a < 0:
            relu_off.add(n["name"])
    for name, v in values.items():
        if name == "u":
            continue
        if abs(v) > 40 or (abs(v) < 0.1 and name not in relu_off):
            return True
    for (child, _, _), d in local.items():
        if abs(d) > 40 or (abs(d) < 0.1 and child not in relu_off):
            return True
    products = path_products(paths(nodes), local)
    total = sum(products)
    # no zero total, no paths that (nearly) cancel, at least two live paths, no huge gradient
    live = [p for p in products if p != 0]
    if len(live) < 2 or abs(total) < 0.2 or abs(total) > 150 or abs(total) < 0.15 * max(abs(p) for p in live):
        return True
    # Paths that cancel exactly mean the graph collapses algebraically (x + (u - x) = u).
    biggest = max(abs(p) for p in live)
    for mask in range(1, 2 ** len(live)):
        chosen = [p for i, p in enumerate(live) if mask >> i & 1]
        if len(chosen) >= 2 and abs(sum(chosen)) < 1e-9 * biggest:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Printing: exact strings and LaTeX come from probgen.kit.exactfmt (order="none"); with the 80-bit
# floats of `PreciseMath` this keeps generate+solve of 1,000 graphs inside the 2 s budget.


@family
class BackpropChain(Family):
    id = "backprop-chain"
    section = "fundamentals"
    topic = "backprop"
    title = "Mini backpropagation"

    def generate(self, draw, difficulty, convention):
        # Domains are respected by construction (each op is drawn only where its input fits);
        # the few graphs whose paths nearly cancel or whose numbers grow too large are redrawn
        # from the same stream, so the result is still a pure function of the seed.
        for _ in range(MAX_ATTEMPTS):
            params = _draw_graph(draw, difficulty)
            if params is not None and not degenerate(params):
                return params
        raise RuntimeError("backprop-chain: no usable graph drawn")  # never seen in sweeps

    def solve(self, params):
        nodes = params["nodes"]
        names = [n["name"] for n in nodes]
        order = edges(nodes)
        all_paths = paths(nodes)

        # Exact values and local derivatives (SymPy), and the same at 80 bits (mpmath) for the
        # reference decimals, the worked solution and the mistakes' values.
        ex = FRACTION if all(n["op"] in RATIONAL_OPS for n in nodes) else sym()
        values = forward(ex, nodes, ex.number(params["u"]))
        local = local_derivatives(ex, nodes, values)
        products = path_products(all_paths, local)
        total = sum(products[1:], products[0]) if ex is FRACTION else sp.Add(*products)
        hp = precise()
        fvalues = forward(hp, nodes, hp.number(params["u"]))
        flocal = local_derivatives(hp, nodes, fvalues)
        fproducts = path_products(all_paths, flocal)
        ftotal = path_sum(all_paths, flocal)

        # dz/du in terms of u and the intermediates: each local derivative written in the node
        # symbols (ReLU's slope is the constant 0 or 1 that holds around the point).
        syms = {name: sp.Symbol(name) for name in ["u"] + names[:-1]}
        sym_local = {}
        definitions = {"u": None}
        for n in nodes:
            op = OPS[n["op"]]
            args = [syms[p] for p in n["args"]]
            if n["name"] in syms:
                definitions[n["name"]] = op.value(sym(), args, n["k"])
            if op.constant_slope:
                sym_local.update({e: local[e] for e in order if e[0] == n["name"]})
            else:
                for i, d in enumerate(op.local(sym(), args, syms.get(n["name"]), n["k"])):
                    sym_local[(n["name"], n["args"][i], i)] = d
        sym_products = path_products(all_paths, sym_local)
        symbolic = sp.Add(*sym_products)

        # the work model (core/work.py): each local derivative of a curved op is a rule to recall,
        # and those of exp, ln, sin, cos, σ and tanh need a function value too
        op_of = {n["name"]: n["op"] for n in nodes}
        curved = sum(op_of[e[0]] in CURVED for e in order)
        looked_up = sum(op_of[e[0]] in LOOKUP_OPS for e in order)
        parts = [
            Part("a", "vector", [float(fvalues[n]) for n in names], [_text(values[n]) for n in names],
                 points=3),
            Part("b", "vector", [float(flocal[e]) for e in order], [_text(local[e]) for e in order],
                 points=4, depends_on=["a"], ops={"step": 1 + curved, "lookup": looked_up}),
            Part("c", "number", float(ftotal), _text(total), _display(total), points=3,
                 depends_on=["b"]),
            Part("d", "expression", _text(symbolic), _text(symbolic), _latex(symbolic),
                 tolerance=0, points=5, ops={"step": len(order) + curved},
                 variables={k: None if v is None else _text(v) for k, v in definitions.items()},
                 misconceptions=[
                     Misconception(f"missed the path {steps.path_label(path)}",
                                   _text(sp.Add(*(q for j, q in enumerate(sym_products) if j != i))))
                     for i, path in enumerate(all_paths)
                 ]),
        ]
        mistakes = self._mistakes(params, nodes, order, all_paths, fvalues, flocal, fproducts, ftotal)
        for part in parts[:3]:
            part.misconceptions = [Misconception(name, value) for name, value in mistakes[part.key].items()]

        _rounding_ranges(params, parts, order, all_paths)
        work = steps.work(params, nodes, order, all_paths, fvalues, flocal, fproducts, values, local, total)
        figure = {
            "type": "graph",
            "nodes": [{"id": "u", "label": "u"}]
            + [{"id": n["name"], "label": n["name"],
                "op": f"{n['name']} = {OPS[n['op']].show(n['args'], n['k'])}"} for n in nodes],
            "edges": [{"from": p, "to": n["name"], "label": ""} for n in nodes for p in n["args"]],
            "output": nodes[-1]["name"],
        }
        return Solution(parts=parts, work=work, figure=figure)

    @staticmethod
    def _mistakes(params, nodes, order, all_paths, fvalues, flocal, fproducts, ftotal):
        """{part key: {mistake name: the value it gives}} (80-bit values, stored as floats)."""
        names = [n["name"] for n in nodes]
        hp = precise()
        ops_used = {n["op"] for n in nodes}
        forward_mistakes = {}
        if ops_used & {"sin", "cos"}:
            deg = forward(precise(degrees=True), nodes, hp.number(params["u"]))
            forward_mistakes["evaluated sin/cos in degrees instead of radians"] = [deg[n] for n in names]
        if "log" in ops_used:
            l10 = forward(precise(log10=True), nodes, hp.number(params["u"]))
            if all(hp.ctx.isfinite(l10[n]) and hp.ctx.im(l10[n]) == 0 for n in names):
                forward_mistakes["used log base 10 instead of the natural log ln"] = [l10[n] for n in names]

        local_mistakes, total_mistakes = {}, {}
        fvec = [flocal[e] for e in order]
        for n in nodes:
            op = OPS[n["op"]]
            args = [fvalues[p] for p in n["args"]]
            for i, label, wrong in op.slips(hp, args, fvalues[n["name"]], n["k"]):
                e = (n["name"], n["args"][i], i)
                name = f"{label} (in ∂{e[0]}/∂{e[1]})"
                local_mistakes[name] = [wrong if edge == e else v for edge, v in zip(order, fvec)]
                total_mistakes[name] = path_sum(all_paths, {**flocal, e: wrong})
        for e in order:
            if flocal[e] not in (0, 1):
                total_mistakes[f"forgot the local derivative ∂{e[0]}/∂{e[1]} (used 1)"] = path_sum(
                    all_paths, {**flocal, e: 1})
        for path, prod in zip(all_paths, fproducts):
            total_mistakes[f"missed the path {steps.path_label(path)}"] = ftotal - prod
        product_of_paths = 1
        for prod in fproducts:
            product_of_paths *= prod
        total_mistakes["multiplied the path products instead of adding them"] = product_of_paths

        def as_float(v):
            return [float(x) for x in v] if isinstance(v, list) else float(v)

        return {key: {name: as_float(v) for name, v in found.items()}
                for key, found in (("a", forward_mistakes), ("b", local_mistakes), ("c", total_mistakes))}

    def follow_on(self, params, given):
        """b from the student's forward values (a); c from the student's local derivatives (b),
        or from (a) when b is not given. Local derivatives use the forms of the worked solution
        (e.g. dy/dx = y for y = e^x, y(1 - y) for y = sigma(x))."""
        nodes = params["nodes"]
        names = [n["name"] for n in nodes]
        order = edges(nodes)
        all_paths = paths(nodes)
        out = {}
        local = None
        if _numbers(given.get("a"), len(names)):
            values = {"u": float(params["u"]), **{n: float(v) for n, v in zip(names, given["a"])}}
            try:
                local = local_derivatives(FLOAT, nodes, values)
                out["b"] = [local[e] for e in order]
            except (ValueError, ZeroDivisionError, OverflowError):
                local = None
        if _numbers(given.get("b"), len(order)):
            local = {e: float(v) for e, v in zip(order, given["b"])}
        if local is not None:
            out["c"] = path_sum(all_paths, local)
        return {k: v for k, v in out.items() if all(map(math.isfinite, v if isinstance(v, list) else [v]))}
