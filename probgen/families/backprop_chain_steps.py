"""backprop-chain written out: the worked solution's lines (LaTeX, numbers substituted).

The numbers come from probgen.families.backprop_chain: exact values (for "=" against "≈")
and 80-bit decimals of the forward pass, the local derivatives and the path products.
"""

from __future__ import annotations

from ..core.numfmt import tnum
from ..kit.exactfmt import eq_sign
from ..kit.graph import path_products
from ..kit.graph_ops import OPS, grp as _grp
from ..kit.scalar_math import precise


def _d(child, parent) -> str:
    """∂child/∂parent stacked, for a display formula."""
    return f"\\frac{{\\partial {child}}}{{\\partial {parent}}}"


def _slash(child, parent) -> str:
    """∂child/∂parent as a slash form, for running text (a stacked one is tall and tiny there)."""
    return f"\\partial {child}/\\partial {parent}"


def path_label(path, arrow: str = " → ") -> str:
    return arrow.join(["u"] + [e[0] for e in path])


def work(params, nodes, order, all_paths, fvalues, flocal, fproducts, values, local, total):
    """Lines of the worked solution (LaTeX), with the numbers substituted."""
    inner = [n["name"] for n in nodes[:-1]]
    shown = {"u": tnum(params["u"])}
    definitions, forward_lines = [], []
    for n in nodes:
        op = OPS[n["op"]]
        definition = op.show(n["args"], n["k"])
        substituted = op.show([shown[p] for p in n["args"]], n["k"])
        shown[n["name"]] = tnum(fvalues[n["name"]])
        definitions.append(f"{n['name']} = {definition}")
        if n["op"] == "sigmoid":  # the hand step: σ(t) = 1/(1 + e^{−t})
            a = fvalues[n["args"][0]]
            substituted += (f" = 1/(1 + e^{{{tnum(-a)}}}) \\approx "
                            f"1/(1 + {tnum(precise().exp(-a))})")
        forward_lines.append(f"{n['name']} = {definition} = {substituted} "
                             f"{eq_sign(values[n['name']])} {shown[n['name']]}")
    local_lines = []
    for n in nodes:
        op = OPS[n["op"]]
        sym_forms = op.show_local(n["args"], n["name"], n["k"])
        num_forms = op.show_local([shown[p] for p in n["args"]], shown[n["name"]], n["k"])
        for i, p in enumerate(n["args"]):
            e = (n["name"], p, i)
            value = tnum(flocal[e])
            line = f"{_d(n['name'], p)} = {sym_forms[i]}"
            if num_forms[i] != sym_forms[i]:
                line += f" = {num_forms[i]}"
            if num_forms[i] != value:
                line += f" {eq_sign(local[e])} {value}"
            if n["op"] == "relu":
                line += r"\quad (\mathrm{the\ ReLU\ is\ " + ("on" if fvalues[p] > 0 else "off") + "})"
            local_lines.append(line)
    path_lines = []
    for path, prod, exact_prod in zip(all_paths, fproducts, path_products(all_paths, local)):
        path_lines.append({
            "label": path_label(path, r" \to "),
            "factors": " ".join(_slash(c, p) if len(path) == 1 else f"({_slash(c, p)})" for c, p, _ in reversed(path)),
            "display": " ".join(_d(c, p) for c, p, _ in reversed(path)),
            "numbers": r" \cdot ".join(_grp(tnum(flocal[e])) for e in reversed(path)),
            "value": f"{eq_sign(exact_prod)} {tnum(prod)}",
        })
    notes = []
    ops_used = {n["op"] for n in nodes}
    if ops_used & {"sin", "cos"}:
        notes.append("angles are in radians")
    if "log" in ops_used:
        notes.append(r"$\ln$ is the natural logarithm")
    if "sigmoid" in ops_used:
        notes.append(r"$\sigma(t) = 1/(1 + e^{-t})$")
    if "relu" in ops_used:
        notes.append(r"$\mathrm{ReLU}(t) = \max(0, t)$")
    return {
        "definitions": definitions,
        "forward": forward_lines,
        "locals": local_lines,
        "order": [f"\\partial {c}/\\partial {p}" for c, p, _ in order],  # in a prompt: inline, not stacked
        "paths": path_lines,
        "path_sum": " + ".join(p["display"] for p in path_lines),
        "path_numbers": " + ".join(_grp(tnum(prod)) for prod in fproducts),
        "total": tnum(sum(fproducts)),
        "total_eq": eq_sign(total),
        "nodes": [n["name"] for n in nodes],
        "inner": inner,
        "notes": notes,
        "has_relu": "relu" in ops_used,
    }
