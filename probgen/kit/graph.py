"""A scalar computational graph and the chain rule over it (in the style of micrograd).

A graph is a list of nodes in topological order, each `{"name", "op", "args", "k"}`: the op's
key in `OPS` (probgen.kit.graph_ops), the names of its parents, its constants. The leaves
(inputs, weights) are given as values. An edge is `(child, parent, i)`: the i-th argument of
`child` is `parent` (a node may use one parent twice, as in x·x).

Everything here is written against a math namespace `m` (probgen.kit.scalar_math), so the same
graph gives exact values, 80-bit decimals, or floats from a student's numbers.
"""

from __future__ import annotations

from .graph_ops import OPS


def forward(m, nodes, leaves: dict) -> dict:
    """Every node's value from the leaves' values ({name: value}, leaves included)."""
    values = dict(leaves)
    for n in nodes:
        values[n["name"]] = OPS[n["op"]].value(m, [values[p] for p in n["args"]], n["k"])
    return values


def edges(nodes):
    """Every edge (child, parent, i), in node order and then argument order."""
    return [(n["name"], p, i) for n in nodes for i, p in enumerate(n["args"])]


def local_derivatives(m, nodes, values) -> dict:
    """{(child, parent, i): ∂child/∂parent} at the given node values."""
    out = {}
    for n in nodes:
        args = [values[p] for p in n["args"]]
        for i, d in enumerate(OPS[n["op"]].local(m, args, values[n["name"]], n["k"])):
            out[(n["name"], n["args"][i], i)] = d
    return out


def paths(nodes, source: str):
    """Every path from `source` to the last node, as lists of edges from the source on."""
    into = {n["name"]: [(n["name"], p, i) for i, p in enumerate(n["args"])] for n in nodes}

    def back(name):
        if name == source:
            return [[]]
        return [prefix + [e] for e in into.get(name, []) for prefix in back(e[1])]

    return back(nodes[-1]["name"])


def path_products(all_paths, local):
    """The product of the local derivatives along each path, multiplied from the source on."""
    out = []
    for path in all_paths:
        prod = 1
        for e in path:
            prod = prod * local[e]
        out.append(prod)
    return out


def path_sum(all_paths, local):
    """d(last)/d(source): the multivariate chain rule adds the path products."""
    return sum(path_products(all_paths, local))


def backward(m, nodes, values, seeds: dict, wanted, override=None) -> dict:
    """Reverse-mode accumulation (backpropagation): {name: gradient} for the `wanted` names.

    `seeds` gives the gradient of the loss at one or more nodes ({"L": 1}, or the deck's
    shortcut dL/dz for a sigmoid output with cross-entropy); from each node, the gradient flows
    to its parents multiplied by the local derivative, and adds up where paths meet. Only the
    nodes on a way to a wanted name are visited (exact arithmetic is not free). `override`
    replaces local derivatives {edge: value} (a named slip in the backward pass)."""
    parents = {n["name"]: n["args"] for n in nodes}
    needed: dict = {}

    def need(name):
        if name not in needed:
            needed[name] = name in wanted or any(need(p) for p in parents.get(name, ()))
        return needed[name]

    grads = dict(seeds)
    override = override or {}
    for n in reversed(nodes):
        g = grads.get(n["name"])
        if g is None:
            continue
        local = OPS[n["op"]].local(m, [values[p] for p in n["args"]], values[n["name"]], n["k"])
        for i, p in enumerate(n["args"]):
            if need(p):
                step = g * override.get((n["name"], p, i), local[i])
                grads[p] = step if p not in grads else grads[p] + step
    return {name: grads[name] for name in wanted}
