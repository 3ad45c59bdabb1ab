"""tiny-network written out: the worked solution's lines and the figure (LaTeX subset).

The numbers come from probgen.families.tiny_network: exact values (for "=" against "≈") and
80-bit decimals of the forward pass and the gradients.
"""

from __future__ import annotations

from ..core.numfmt import tnum
from ..kit.exactfmt import eq_sign
from ..kit.graph_ops import OPS
from ..kit.scalar_math import precise

ACTIVATION_TEX = {"relu": r"\mathrm{ReLU}", "sigmoid": r"\sigma", "tanh": r"\tanh", "identity": ""}


def _g(v) -> str:
    """A number (or its text) bracketed when negative, for products."""
    t = v if isinstance(v, str) else tnum(v)
    return f"({t})" if t.startswith("-") else t


def _eq(e) -> str:
    """'=' when the exact value is a terminating decimal, else '\\approx'."""
    return eq_sign(e, short=False)


def _activation(name, key, z_name, z, a, exact_a) -> str:
    """`name = act(z)` with the hand step shown: σ through e^{−z}, ReLU on or off."""
    zt = tnum(z)
    if key == "sigmoid":
        return (f"{name} = \\sigma({z_name}) = \\sigma({zt}) = \\frac{{1}}{{1 + e^{{{tnum(-z)}}}}} \\approx "
                f"\\frac{{1}}{{1 + {tnum(precise().exp(-z))}}} \\approx {tnum(a)}")
    if key == "relu":
        if z > 0:
            return f"{name} = \\mathrm{{ReLU}}({z_name}) = \\mathrm{{ReLU}}({zt}) = {zt}"
        return f"{name} = \\mathrm{{ReLU}}({z_name}) = \\mathrm{{ReLU}}({zt}) = 0\\quad (\\mathrm{{inactive}})"
    if key == "tanh":
        return f"{name} = \\tanh({z_name}) = \\tanh({zt}) {_eq(exact_a)} {tnum(a)}"
    return f"{name} = {z_name} = {tnum(a)}"


def _slope(key, h_name, z_name, z, h) -> str:
    """The activation's derivative at the point, in the form the solution uses."""
    if key == "sigmoid":
        return (f"\\sigma' = {h_name}(1 - {h_name}) = {tnum(h)} \\cdot (1 - {tnum(h)}) \\approx "
                f"{tnum(h * (1 - h))}")
    if key == "tanh":
        return f"\\tanh' = 1 - {h_name}^{{2}} = 1 - {_g(tnum(h))}^{{2}} \\approx {tnum(1 - h**2)}"
    return f"\\mathrm{{ReLU}}' = 1\\quad ({z_name} = {tnum(z)} > 0)"


def work(p, fe, fp, ge, gp):
    """The worked solution's lines (LaTeX), numbers substituted."""
    hidden = "W1" in p
    y = p["y"]
    act, out_act = ACTIVATION_TEX[p.get("hidden", "identity")], ACTIVATION_TEX[p["output"]]
    z2_name = "z^{(2)}" if hidden else "z"
    b2_name = "b^{(2)}" if hidden else "b"
    h_names = [f"h_{{{j}}}" for j in range(1, len(p.get("W1", [])) + 1)] if hidden else \
        [f"x_{{{k}}}" for k in range(1, len(p["x"]) + 1)]
    h_values = fp["h"] if hidden else p["x"]
    lines = {}
    if hidden:
        lines["z1"] = [
            f"z^{{(1)}}_{{{j}}} = "
            + " + ".join(f"{_g(w)} \\cdot {_g(x)}" for w, x in zip(row, p["x"])) + f" + {_g(b)}"
            + f" {_eq(fe['z1'][j - 1])} {tnum(fp['z1'][j - 1])}"
            for j, (row, b) in enumerate(zip(p["W1"], p["b1"]), start=1)]
        lines["h"] = [_activation(f"h_{{{j}}}", p["hidden"], f"z^{{(1)}}_{{{j}}}", z, h, fe["h"][j - 1])
                      for j, (z, h) in enumerate(zip(fp["z1"], fp["h"]), start=1)]
    weights = p["w2"]
    z2 = (f"{z2_name} = " + " + ".join(f"{_g(w)} \\cdot {_g(tnum(h))}" for w, h in zip(weights, h_values))
          + f" + {_g(p['b2'])} {_eq(fe['z2'])} {tnum(fp['z2'])}")
    lines["yhat"] = [z2, _activation("\\hat{y}", p["output"], z2_name, fp["z2"], fp["yhat"], fe["yhat"])]
    if p["loss"] == "mse":
        diff = fp["yhat"] - precise().number(y)
        lines["loss"] = [f"L = (\\hat{{y}} - y)^{{2}} = ({tnum(fp['yhat'])} - {_g(y)})^{{2}} "
                         f"{_eq(fe['yhat'])} {_g(tnum(diff))}^{{2}} {_eq(fe['loss'])} {tnum(fp['loss'])}"]
    else:
        term = r"-\ln \hat{y}" if y == 1 else r"-\ln(1 - \hat{y})"
        arg = tnum(fp["yhat"]) if y == 1 else f"1 - {tnum(fp['yhat'])}"
        lines["loss"] = [f"L = {term} = -\\ln({arg}) \\approx {tnum(fp['loss'])}\\quad (y = {y})"]
    delta = gp["b2"]
    back = []
    if p["loss"] == "mse":
        back.append(f"\\frac{{\\partial L}}{{\\partial \\hat{{y}}}} = 2(\\hat{{y}} - y) = "
                    f"2({tnum(fp['yhat'])} - {_g(y)}) {_eq(fe['yhat'])} "
                    f"{tnum(2 * (fp['yhat'] - precise().number(y)))}")
        if p["output"] == "sigmoid":
            dldy, sig = 2 * (fp["yhat"] - precise().number(y)), fp["yhat"] * (1 - fp["yhat"])
            back.append(_slope("sigmoid", "\\hat{y}", z2_name, fp["z2"], fp["yhat"]))
            back.append(f"\\delta = \\frac{{\\partial L}}{{\\partial {z2_name}}} = "
                        f"\\frac{{\\partial L}}{{\\partial \\hat{{y}}}}\\,\\sigma' = {_g(tnum(dldy))} \\cdot "
                        f"{_g(tnum(sig))} {_eq(ge['b2'])} {tnum(delta)}")
        elif p["output"] == "relu":
            back.append(f"\\delta = \\frac{{\\partial L}}{{\\partial {z2_name}}} = "
                        f"2(\\hat{{y}} - y) \\cdot 1 = {tnum(delta)}\\quad ({z2_name} > 0)")
        else:
            back.append(f"\\delta = \\frac{{\\partial L}}{{\\partial {z2_name}}} = "
                        f"\\frac{{\\partial L}}{{\\partial \\hat{{y}}}} = {tnum(delta)}")
    else:
        back.append(f"\\delta = \\frac{{\\partial L}}{{\\partial {z2_name}}} = \\hat{{y}} - y = "
                    f"{tnum(fp['yhat'])} - {y} {_eq(ge['b2'])} {tnum(delta)}")
    work = {"lines": lines, "back": back, "delta": tnum(delta), "z2_name": z2_name, "b2_name": b2_name,
            "h_names": h_names, "act": act, "out_act": out_act}
    grads = {}
    if hidden:
        j, k = p["ask"]
        d1 = gp["b1"][j - 1]
        slope_j = OPS[p["hidden"]].local(precise(), [fp["z1"][j - 1]], fp["h"][j - 1], [])[0]
        slope_form = {"relu": f"\\mathrm{{ReLU}}'({tnum(fp['z1'][j - 1])})",
                      "sigmoid": f"h_{{{j}}}(1 - h_{{{j}}})", "tanh": f"(1 - h_{{{j}}}^{{2}})"}[p["hidden"]]
        grads["w2"] = (f"\\frac{{\\partial L}}{{\\partial w^{{(2)}}_{{{j}}}}} = \\delta\\, h_{{{j}}} = "
                       f"{_g(tnum(delta))} \\cdot {_g(tnum(fp['h'][j - 1]))} {_eq(ge['w2'][j - 1])} "
                       f"{tnum(gp['w2'][j - 1])}")
        grads["b2"] = f"\\frac{{\\partial L}}{{\\partial b^{{(2)}}}} = \\delta {_eq(ge['b2'])} {tnum(delta)}"
        grads["slope"] = _slope(p["hidden"], f"h_{{{j}}}", f"z^{{(1)}}_{{{j}}}", fp["z1"][j - 1], fp["h"][j - 1])
        inactive = [m for m, z in enumerate(fp["z1"], start=1) if p["hidden"] == "relu" and z < 0]
        work["inactive"] = inactive[0] if inactive else None
        grads["delta1"] = (f"\\frac{{\\partial L}}{{\\partial z^{{(1)}}_{{{j}}}}} = "
                           f"\\delta\\, w^{{(2)}}_{{{j}}}\\, {slope_form} = {_g(tnum(delta))} \\cdot "
                           f"{_g(p['w2'][j - 1])} \\cdot {_g(tnum(slope_j))} {_eq(ge['b1'][j - 1])} {tnum(d1)}")
        grads["W1"] = (f"\\frac{{\\partial L}}{{\\partial W^{{(1)}}_{{{j}{k}}}}} = "
                       f"\\frac{{\\partial L}}{{\\partial z^{{(1)}}_{{{j}}}}}\\, x_{{{k}}} = "
                       f"{_g(tnum(d1))} \\cdot {_g(p['x'][k - 1])} {_eq(ge['W1'][j - 1][k - 1])} "
                       f"{tnum(gp['W1'][j - 1][k - 1])}")
        grads["b1"] = (f"\\frac{{\\partial L}}{{\\partial b^{{(1)}}_{{{j}}}}} = "
                       f"\\frac{{\\partial L}}{{\\partial z^{{(1)}}_{{{j}}}}} {_eq(ge['b1'][j - 1])} {tnum(d1)}")
        work.update(j=j, k=k)
    else:
        grads["w"] = [f"\\frac{{\\partial L}}{{\\partial w_{{{k}}}}} = \\delta\\, x_{{{k}}} = "
                      f"{_g(tnum(delta))} \\cdot {_g(x)} {_eq(ge['w2'][k - 1])} {tnum(g)}"
                      for k, (x, g) in enumerate(zip(p["x"], gp["w2"]), start=1)]
        grads["b"] = f"\\frac{{\\partial L}}{{\\partial b}} = \\delta {_eq(ge['b2'])} {tnum(delta)}"
    work["grads"] = grads
    notes = []
    if "sigmoid" in (p["output"], p.get("hidden")):
        notes.append(r"$\sigma(t) = 1/(1 + e^{-t})$")
    if "relu" in (p["output"], p.get("hidden")):
        notes.append(r"$\mathrm{ReLU}(t) = \max(0, t)$")
    if p["loss"] == "bce":
        notes.append(r"$\ln$ is the natural logarithm")
    work["notes"] = notes
    return work


def figure(p):
    """Neurons as nodes, weights as edge labels (LaTeX subset, no dollar signs)."""
    n_in = len(p["x"])
    inputs = [{"id": f"x{k}", "label": f"x_{{{k}}}" if n_in > 1 else "x"} for k in range(1, n_in + 1)]
    if "W1" not in p:
        act = ACTIVATION_TEX[p["output"]]
        op = rf"\hat{{y}} = {act}(z)" if act else r"\hat{y} = z"
        nodes = inputs + [{"id": "yhat", "label": r"\hat{y}", "op": op + f",\\ b = {tnum(p['b2'])}"}]
        edges = [{"from": f"x{k}", "to": "yhat", "label": f"w_{{{k}}} = {tnum(w)}"}
                 for k, w in enumerate(p["w2"], start=1)]
        return {"type": "graph", "nodes": nodes, "edges": edges, "output": "yhat"}
    act = ACTIVATION_TEX[p["hidden"]]
    out_act = ACTIVATION_TEX[p["output"]]
    nodes = list(inputs)
    edges = []
    for j, (row, b) in enumerate(zip(p["W1"], p["b1"]), start=1):
        nodes.append({"id": f"h{j}", "label": f"h_{{{j}}}",
                      "op": f"h_{{{j}}} = {act}(z^{{(1)}}_{{{j}}}),\\ b^{{(1)}}_{{{j}}} = {tnum(b)}"})
        for k, w in enumerate(row, start=1):
            edges.append({"from": f"x{k}", "to": f"h{j}", "label": f"w^{{(1)}}_{{{j}{k}}} = {tnum(w)}"})
    op = rf"\hat{{y}} = {out_act}(z^{{(2)}})" if out_act else r"\hat{y} = z^{(2)}"
    nodes.append({"id": "yhat", "label": r"\hat{y}", "op": op + f",\\ b^{{(2)}} = {tnum(p['b2'])}"})
    edges += [{"from": f"h{j}", "to": "yhat", "label": f"w^{{(2)}}_{{{j}}} = {tnum(w)}"}
              for j, w in enumerate(p["w2"], start=1)]
    return {"type": "graph", "nodes": nodes, "edges": edges, "output": "yhat"}
