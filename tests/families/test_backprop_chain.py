"""Backprop chains: every answer against finite differences and PyTorch autograd.

The graph semantics are re-implemented here from the documented op table (docs/families/
backprop-chain.md), in plain `math` and in torch; nothing is shared with the solver.
"""

import itertools
import math
import re

import pytest
import torch

import arith
from sweep import sweep

FAMILY = "backprop-chain"
H = 1e-6  # central-difference step


def _sigmoid(t):
    return 1 / (1 + math.exp(-t))


# op key -> forward rule on (args, k), in plain math
MATH_OPS = {
    "pow": lambda a, k: a[0] ** k[0],
    "affine": lambda a, k: k[0] * a[0] + k[1],
    "exp": lambda a, k: math.exp(a[0]),
    "log": lambda a, k: math.log(a[0]),
    "sin": lambda a, k: math.sin(a[0]),
    "cos": lambda a, k: math.cos(a[0]),
    "sigmoid": lambda a, k: _sigmoid(a[0]),
    "tanh": lambda a, k: math.tanh(a[0]),
    "relu": lambda a, k: max(0.0, a[0]),
    "mul": lambda a, k: a[0] * a[1],
    "add": lambda a, k: a[0] + a[1],
    "sub": lambda a, k: a[0] - a[1],
    "lin": lambda a, k: k[0] * a[0] + k[1] * a[1],
}

TORCH_OPS = {
    "pow": lambda a, k: a[0] ** k[0],
    "affine": lambda a, k: k[0] * a[0] + k[1],
    "exp": lambda a, k: torch.exp(a[0]),
    "log": lambda a, k: torch.log(a[0]),
    "sin": lambda a, k: torch.sin(a[0]),
    "cos": lambda a, k: torch.cos(a[0]),
    "sigmoid": lambda a, k: torch.sigmoid(a[0]),
    "tanh": lambda a, k: torch.tanh(a[0]),
    "relu": lambda a, k: torch.relu(a[0]),
    "mul": lambda a, k: a[0] * a[1],
    "add": lambda a, k: a[0] + a[1],
    "sub": lambda a, k: a[0] - a[1],
    "lin": lambda a, k: k[0] * a[0] + k[1] * a[1],
}


def run_forward(nodes, u, ops=MATH_OPS):
    values = {"u": u}
    for n in nodes:
        values[n["name"]] = ops[n["op"]]([values[p] for p in n["args"]], n["k"])
    return values


def edge_list(nodes):
    return [(n["name"], p, i) for n in nodes for i, p in enumerate(n["args"])]


def fd_locals(nodes, values):
    """Each node's derivative w.r.t. each direct input, by central differences."""
    out = {}
    for n in nodes:
        args = [values[p] for p in n["args"]]
        f = MATH_OPS[n["op"]]
        for i in range(len(args)):
            hi, lo = list(args), list(args)
            hi[i] += H
            lo[i] -= H
            out[(n["name"], n["args"][i], i)] = (f(hi, n["k"]) - f(lo, n["k"])) / (2 * H)
    return out


def fd_total(nodes, u):
    z = nodes[-1]["name"]
    return (run_forward(nodes, u + H)[z] - run_forward(nodes, u - H)[z]) / (2 * H)


def torch_grads(nodes, u):
    """dz/du by autograd, and each local derivative by autograd on the single op."""
    tu = torch.tensor(float(u), dtype=torch.float64, requires_grad=True)
    values = run_forward(nodes, tu, TORCH_OPS)
    (total,) = torch.autograd.grad(values[nodes[-1]["name"]], tu)
    local = {}
    for n in nodes:
        args = [torch.tensor(float(values[p].detach()), dtype=torch.float64, requires_grad=True) for p in n["args"]]
        out = TORCH_OPS[n["op"]](args, n["k"])
        grads = torch.autograd.grad(out, args, allow_unused=True)
        for i, g in enumerate(grads):
            local[(n["name"], n["args"][i], i)] = 0.0 if g is None else float(g)
    return {k: float(v.detach()) for k, v in values.items()}, local, float(total)


def adjoint_total(nodes, local):
    """dz/du by reverse-mode accumulation of the given local derivatives (not path sums)."""
    adj = {"u": 0.0, **{n["name"]: 0.0 for n in nodes}}
    adj[nodes[-1]["name"]] = 1.0
    for n in reversed(nodes):
        for i, p in enumerate(n["args"]):
            adj[p] += adj[n["name"]] * local[(n["name"], p, i)]
    return adj["u"]


def path_product(label, local):
    """The product of local derivatives along a path named like 'u → x → y → z'."""
    names = [s.strip() for s in label.split("→")]
    prod = 1.0
    for parent, child in zip(names, names[1:]):
        (edge,) = [e for e in local if e[0] == child and e[1] == parent]
        prod *= local[edge]
    return prod


def close(a, b, rtol=1e-9, atol=1e-12):
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_finite_differences_and_torch(difficulty):
    import sympy

    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        params, where = problem.params, f"seed {problem.seed}"
        nodes, u = params["nodes"], params["u"]
        names = [n["name"] for n in nodes]
        order = edge_list(nodes)
        values = run_forward(nodes, u)
        fd_local = fd_locals(nodes, values)
        fd_grad = fd_total(nodes, u)
        t_values, t_local, t_grad = torch_grads(nodes, u)

        a, b, c, d = (problem.part(k) for k in "abcd")
        for name, got in zip(names, a.answer):
            assert close(got, values[name]), (where, "a", name)
            assert close(got, t_values[name]), (where, "a torch", name)
        for e, got in zip(order, b.answer):
            assert math.isclose(got, fd_local[e], rel_tol=1e-6, abs_tol=1e-7), (where, "b fd", e)
            assert close(got, t_local[e]), (where, "b torch", e)
        assert len(a.answer) == len(names) and len(b.answer) == len(order)
        assert math.isclose(c.answer, fd_grad, rel_tol=1e-6), (where, "c fd")
        assert close(c.answer, t_grad), (where, "c torch")

        # d: the reference expression (a trusted string of ours) at the independent forward
        # values equals the finite-difference gradient; its definitions match the graph.
        symbols = ["u"] + names[:-1]
        assert list(d.variables) == symbols
        at = [values[s] for s in symbols]
        expr = sympy.lambdify(symbols, sympy.sympify(d.answer), "math")
        assert math.isclose(expr(*at), fd_grad, rel_tol=1e-6), (where, "d", d.answer)
        # ... and at two other inputs as well, so that an expression agreeing only at this one
        # point (u² for 2u at u = 2) cannot pass: the grader evaluates it elsewhere too.
        for other_u in (u + 0.137, u - 0.211):
            try:
                other = run_forward(nodes, other_u)
                other_grad = fd_total(nodes, other_u)
            except (ValueError, OverflowError, ZeroDivisionError):
                continue  # outside a log's domain there
            if any(n["op"] == "relu" and (other[n["args"][0]] > 0) != (values[n["args"][0]] > 0) for n in nodes):
                continue  # a ReLU switched on or off: the expression holds for the given u's side only
            if any(n["op"] == "relu" and abs(other[n["args"][0]]) < 1e-3 for n in nodes):
                continue  # at a ReLU kink the finite difference is meaningless
            assert math.isclose(expr(*[other[s] for s in symbols]), other_grad, rel_tol=1e-5, abs_tol=1e-6), \
                (where, "d elsewhere", other_u, d.answer)
        for s in symbols[1:]:
            definition = sympy.lambdify(symbols, sympy.sympify(d.variables[s]), "math")
            assert close(definition(*at), values[s]), (where, "definition", s)


def _statement_rule(latex_rhs):
    """The right-hand side of a statement line such as 'x = 2u^{2}' as Python (test only)."""
    s = latex_rhs
    s = re.sub(r"e\^\{(\w+)\}", r"exp(\1)", s)
    s = re.sub(r"\^\{(\d+)\}", r"**\1", s)
    for tex, py in ((r"\sigma", "sigmoid"), (r"\tanh", "tanh"), (r"\sin", "sin"), (r"\cos", "cos"),
                    (r"\ln", "log"), (r"\mathrm{ReLU}", "relu"), (r"\cdot", "*")):
        s = s.replace(tex, py)
    s = re.sub(r"(\d)\s*([a-z])", r"\1*\2", s)
    return s


def test_statement_and_figure_show_the_graph_that_is_solved():
    env = {"exp": math.exp, "log": math.log, "sin": math.sin, "cos": math.cos, "tanh": math.tanh,
           "sigmoid": _sigmoid, "relu": lambda t: max(0.0, t)}
    for _, problem in sweep(FAMILY):
        nodes, u = problem.params["nodes"], problem.params["u"]
        values = run_forward(nodes, u)
        lines = re.findall(r"^- \$(\w) = (.+)\$$", problem.statement, re.M)
        assert [name for name, _ in lines] == [n["name"] for n in nodes], problem.seed
        for name, rhs in lines:
            got = arith.evaluate(_statement_rule(rhs), {**env, **values})  # our own rendered text
            assert close(got, values[name]), (problem.seed, name, rhs)
        fig = problem.figure
        assert fig["type"] == "graph" and fig["output"] == "z"
        assert [n["id"] for n in fig["nodes"]] == ["u"] + [n["name"] for n in nodes]
        assert sorted((e["from"], e["to"]) for e in fig["edges"]) == sorted(
            (p, n["name"]) for n in nodes for p in n["args"])
        assert [n["op"] for n in fig["nodes"][1:]] == [f"{name} = {rhs}" for name, rhs in lines]
        assert "[[figure]]" in problem.statement and "$" not in str(fig)
        assert f"u = {problem.params['u']:g}" in problem.statement.replace("$", "")


def test_no_degenerate_instance():
    for difficulty, problem in sweep(FAMILY):
        nodes, u = problem.params["nodes"], problem.params["u"]
        where = (difficulty, problem.seed)
        values = run_forward(nodes, u)
        local = fd_locals(nodes, values)
        total = adjoint_total(nodes, local)
        assert abs(total) >= 0.2 and abs(total) < 200, where
        assert float(u * 2).is_integer() and u != 0, where  # a multiple of 0.5
        for n in nodes:
            a = values[n["args"][0]]
            if n["op"] == "log":
                assert a > 0.2, where
            if n["op"] == "relu":
                assert abs(a) >= 0.25, where  # never at the kink
            assert all(isinstance(k, int) and abs(k) <= 3 for k in n["k"]), where
        assert all(abs(v) <= 40 for v in values.values()), where
        # fan-out: at least two paths carry gradient, and they do not cancel
        names = ["u"] + [n["name"] for n in nodes]
        children = {m: [n["name"] for n in nodes if m in n["args"]] for m in names}
        assert any(len(c) >= 2 for c in children.values()), where

        def products(node):
            if node == nodes[-1]["name"]:
                return [1.0]
            return [local[(c, node, nodes_by[c]["args"].index(node))] * p for c in children[node] for p in products(c)]

        nodes_by = {n["name"]: n for n in nodes}
        prods = products("u")
        assert math.isclose(sum(prods), total, rel_tol=1e-9)
        assert sum(1 for p in prods if abs(p) > 1e-9) >= 2, where
        assert abs(total) >= 0.15 * max(abs(p) for p in prods), where
        # no subset of paths cancels exactly (the graph would collapse, e.g. z = x + (u - x) = u)
        live = [p for p in prods if abs(p) > 1e-9]
        for r in range(2, len(live) + 1):
            for subset in itertools.combinations(live, r):
                assert abs(sum(subset)) > 1e-6 * max(map(abs, live)), (where, subset)
        ops = {n["op"] for n in nodes}
        # dz/du is not a bare constant: the symbolic part has something to derive
        assert re.search(r"[uxyw]", problem.part("d").answer), (where, problem.part("d").answer)
        if difficulty == "easy":
            assert ops <= {"pow", "affine", "mul", "add", "sub", "lin"} and "pow" in ops, where
            assert len(prods) == 2, where
        if difficulty == "medium":
            assert ops & {"exp", "log", "sin", "cos"} and not ops & {"sigmoid", "tanh", "relu"}, where
        if difficulty == "hard":
            assert ops & {"sigmoid", "tanh", "relu"}, where


def test_every_node_computes_something_new():
    """No two nodes compute the same thing (x = u² beside y = u²), and no node repeats u or an
    earlier node's value at the given u (3u − 1 at u = 0.5, u·y at u = 1); the exceptions are a
    ReLU that is on (its value is its input's) and a node fed by a ReLU that is off. Over 1,000 seeds per difficulty (the defect
    was 12% of easy instances)."""
    from probgen.core.registry import get_family
    from probgen.core.rng import Draw

    fam = get_family(FAMILY)
    for difficulty in ("easy", "medium", "hard"):
        for seed in range(1000):
            p = fam.generate(Draw("probgen", fam.id, fam.version, seed, difficulty, None), difficulty, None)
            nodes, where = p["nodes"], (difficulty, seed)
            assert len({(n["op"], tuple(n["args"]), tuple(n["k"])) for n in nodes}) == len(nodes), where
            values = run_forward(nodes, p["u"])
            names = list(values)
            parent = {n["name"]: n["args"][0] for n in nodes if n["op"] == "relu" and values[n["args"][0]] > 0}
            off = {n["name"] for n in nodes if n["op"] == "relu" and values[n["args"][0]] < 0}
            after_off = {n["name"] for n in nodes if off & set(n["args"])}
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    if parent.get(b) == a or b in after_off:
                        continue  # a ReLU that is on passes its input; x + ReLU(t) = x when it is off
                    assert not math.isclose(values[a], values[b], rel_tol=1e-12, abs_tol=1e-12), (where, a, b)
            for n in nodes:  # a ReLU after σ or e^t would be on for every u: the identity
                if n["op"] == "relu":
                    assert not any(m["name"] == n["args"][0] and m["op"] in ("sigmoid", "exp") for m in nodes), where


SLIPS = {  # op -> (arg index, wrong local derivative from (args, out)) as the names describe
    "cos": (0, lambda a, out: math.sin(a[0])),
    "sin": (0, lambda a, out: -math.cos(a[0])),
    "sigmoid": (0, lambda a, out: out),
    "tanh": (0, lambda a, out: 1 - out),
    "relu": (0, lambda a, out: 1.0),
    "sub": (1, lambda a, out: 1.0),
    "log": (0, lambda a, out: out),
}


def test_misconceptions_are_the_named_mistakes():
    import sympy

    seen = set()
    for _, problem in sweep(FAMILY):
        nodes, u = problem.params["nodes"], problem.params["u"]
        names = [n["name"] for n in nodes]
        values = run_forward(nodes, u)
        local = fd_locals(nodes, values)
        order = edge_list(nodes)
        total = adjoint_total(nodes, local)
        by_name = {n["name"]: n for n in nodes}
        for part in problem.parts:
            for m in part.misconceptions:
                seen.add(m.name)
                where = (problem.seed, part.key, m.name)
                if m.name.startswith("missed the path"):
                    label = m.name[len("missed the path "):]
                    if part.key == "c":
                        assert math.isclose(m.value, total - path_product(label, local), rel_tol=1e-6, abs_tol=1e-6), where
                    else:  # the expression without that path, at the point
                        symbols = ["u"] + names[:-1]
                        f = sympy.lambdify(symbols, sympy.sympify(m.value), "math")
                        want = total - path_product(label, local)
                        assert math.isclose(f(*[values[s] for s in symbols]), want, rel_tol=1e-6, abs_tol=1e-9), where
                elif m.name.startswith("forgot the local derivative"):
                    child, parent = re.search(r"∂(\w)/∂(\w)", m.name).groups()
                    edge = next(e for e in order if e[:2] == (child, parent))
                    assert math.isclose(m.value, adjoint_total(nodes, {**local, edge: 1.0}), rel_tol=1e-6, abs_tol=1e-6), where
                elif m.name == "multiplied the path products instead of adding them":
                    labels = []  # every path, rebuilt from the graph
                    def walk(node, trail):
                        if node == names[-1]:
                            labels.append(" → ".join(trail))
                        for n in nodes:
                            if node in n["args"]:
                                walk(n["name"], trail + [n["name"]])
                    walk("u", ["u"])
                    assert math.isclose(m.value, math.prod(path_product(l, local) for l in labels), rel_tol=1e-6, abs_tol=1e-6), where
                elif m.name == "evaluated sin/cos in degrees instead of radians":
                    deg = dict(MATH_OPS, sin=lambda a, k: math.sin(math.radians(a[0])),
                               cos=lambda a, k: math.cos(math.radians(a[0])))
                    want = run_forward(nodes, u, deg)
                    assert all(math.isclose(x, want[n], rel_tol=1e-9, abs_tol=1e-12) for x, n in zip(m.value, names)), where
                elif m.name == "used log base 10 instead of the natural log ln":
                    want = run_forward(nodes, u, dict(MATH_OPS, log=lambda a, k: math.log10(a[0])))
                    assert all(math.isclose(x, want[n], rel_tol=1e-9, abs_tol=1e-12) for x, n in zip(m.value, names)), where
                elif "(in ∂" in m.name:
                    child, parent = re.search(r"\(in ∂(\w)/∂(\w)\)", m.name).groups()
                    node = by_name[child]
                    index, rule = SLIPS[node["op"]] if node["op"] in SLIPS else (0, None)
                    if node["op"] == "pow":
                        rule = lambda a, out, n=node["k"][0]: a[0] ** (n - 1)  # noqa: E731
                    edge = (child, parent, index)
                    wrong = rule([values[p] for p in node["args"]], values[child])
                    if part.key == "b":
                        want = [wrong if e == edge else local[e] for e in order]
                        assert all(math.isclose(x, w, rel_tol=1e-6, abs_tol=1e-7) for x, w in zip(m.value, want)), where
                    else:
                        assert math.isclose(m.value, adjoint_total(nodes, {**local, edge: wrong}), rel_tol=1e-6, abs_tol=1e-6), where
                else:
                    raise AssertionError(f"unchecked misconception {where}")
    # the mistakes the issue names are all produced somewhere in the sweep
    for wanted in ("missed the path", "forgot the local derivative", "evaluated sin/cos in degrees",
                   "sign error: took the derivative of cos(t) as +sin(t)",
                   "sign error: took the derivative of a − b with respect to b as +1",
                   "took the sigmoid's derivative as σ(t)", "multiplied the path products"):
        assert any(name.startswith(wanted) for name in seen), wanted


def test_follow_on_uses_the_students_own_values():
    from probgen.core.registry import get_family

    fam = get_family(FAMILY)
    for _, problem in sweep(FAMILY):
        nodes = problem.params["nodes"]
        names = [n["name"] for n in nodes]
        order = edge_list(nodes)
        # a student's forward pass with one intermediate wrong (kept in every op's domain)
        wrong = list(problem.part("a").answer)
        wrong[0] = wrong[0] * 1.1
        values = {"u": problem.params["u"], **dict(zip(names, wrong))}
        follow = fam.follow_on(problem.params, {"a": wrong})
        # expected local derivatives from those values, in the forms the worked solution uses
        for e, got in zip(order, follow["b"]):
            node = next(n for n in nodes if n["name"] == e[0])
            a = [values[p] for p in node["args"]]
            out = values[e[0]]
            want = {
                "pow": lambda: node["k"][0] * a[0] ** (node["k"][0] - 1),
                "affine": lambda: node["k"][0], "exp": lambda: out, "log": lambda: 1 / a[0],
                "sin": lambda: math.cos(a[0]), "cos": lambda: -math.sin(a[0]),
                "sigmoid": lambda: out * (1 - out), "tanh": lambda: 1 - out**2,
                "relu": lambda: 1.0 if a[0] > 0 else 0.0,
                "mul": lambda: a[1 - e[2]], "add": lambda: 1.0, "sub": lambda: 1.0 if e[2] == 0 else -1.0,
                "lin": lambda: node["k"][e[2]],
            }[node["op"]]()
            assert math.isclose(got, want, rel_tol=1e-12), (problem.seed, e)
        assert math.isclose(follow["c"], adjoint_total(nodes, dict(zip(order, follow["b"]))), rel_tol=1e-12)
        # c from the student's own local derivatives, one of them wrong
        local = list(problem.part("b").answer)
        local[-1] += 0.5
        follow = fam.follow_on(problem.params, {"b": local})
        assert math.isclose(follow["c"], adjoint_total(nodes, dict(zip(order, local))), rel_tol=1e-12)
        assert problem.part("c").depends_on == ["b"] and problem.part("b").depends_on == ["a"]
        # the right local derivatives give the right answer
        right = fam.follow_on(problem.params, {"b": problem.part("b").answer})
        assert math.isclose(right["c"], problem.part("c").answer, rel_tol=1e-12)
    assert fam.follow_on(problem.params, {"a": [1.0]}) == {}  # wrong length: nothing follows


def test_follow_on_survives_odd_student_values():
    from probgen.core.registry import get_family

    fam = get_family(FAMILY)
    for _, problem in sweep(FAMILY, difficulties=["medium", "hard"]):
        n = len(problem.part("a").answer)
        for given in ({"a": 3.0}, {"a": ["x"] * n}, {"a": [float("nan")] * n}, {"a": [-5.0] * n},
                      {"a": [1e300] * n}, {"b": [1e300] * len(problem.part("b").answer)}, {"c": [1, 2]}):
            out = fam.follow_on(problem.params, given)
            assert all(math.isfinite(x) for v in out.values() for x in (v if isinstance(v, list) else [v]))
