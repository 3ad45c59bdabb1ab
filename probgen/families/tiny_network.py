"""Forward and backward pass of a tiny network: one neuron (easy) or one hidden layer of 2-3
units and one output (medium, hard), squared-error or binary cross-entropy loss.

The forward and backward rules are written once against a small math namespace: SymPy gives
the exact answers, mpmath (80 bits) every decimal that goes into a problem, plain floats the
error-carried-forward values computed from a student's own forward pass. Mistakes are the same
backward rule with one named slip switched on.
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..core.lazy import sympy as sp
from ..core.model import Misconception, Part
from ..core.numfmt import tnum
from ..core.registry import Family, Solution, family
from ..kit.exactfmt import display as _display, finite_numbers as _numbers, latex as _latex, text as _text
from ..kit.solver import exact


def _linear(m, weights, inputs, bias):
    """w·x + b of params (short decimals) in the namespace's numbers."""
    return sum((m.number(w) * m.number(v) for w, v in zip(weights, inputs)), m.number(bias))


class FloatMath:
    exp, log, tanh = staticmethod(math.exp), staticmethod(math.log), staticmethod(math.tanh)

    @staticmethod
    def number(k):
        return float(k)

    def linear(self, weights, inputs, bias):
        return _linear(self, weights, inputs, bias)


class SymMath:
    """Exact SymPy values. exp and log are left unevaluated: SymPy's automatic simplification
    of exp/log of nested sums costs milliseconds and shortens nothing here."""

    def __init__(self):
        self.tanh = sp.tanh

    @staticmethod
    def exp(a):
        return sp.exp(a, evaluate=False)

    @staticmethod
    def log(a):
        return sp.log(a, evaluate=False)

    @staticmethod
    def number(k):
        return exact(k)

    @staticmethod
    def linear(weights, inputs, bias):
        # exact like SymPy's Rationals, a good deal faster
        z = _linear(FractionMath, weights, inputs, bias)
        return sp.Rational(z.numerator, z.denominator)


class FractionMath:
    """Exact rational arithmetic for networks without exp/log/tanh (ReLU and identity units,
    squared error): Python fractions are exact like SymPy and far faster."""

    @staticmethod
    def number(k):
        return Fraction(str(k))

    @classmethod
    def linear(cls, weights, inputs, bias):
        return _linear(cls, weights, inputs, bias)


class PreciseMath:
    """mpmath at 80 bits: deterministic decimals on every machine (no platform libm)."""

    def __init__(self, log10: bool = False):
        import mpmath

        self.ctx = mpmath.MPContext()
        self.ctx.prec = 80
        self._numbers = {}
        self.exp, self.tanh = self.ctx.exp, self.ctx.tanh
        self.log = self.ctx.log10 if log10 else self.ctx.log

    def linear(self, weights, inputs, bias):
        return _linear(self, weights, inputs, bias)

    def number(self, k):
        got = self._numbers.get(k)
        if got is None:  # params are few short decimals: convert each once
            got = self._numbers[k] = self.ctx.mpf(str(k))
        return got


_namespaces: dict = {}


def namespace(kind: str):
    if kind not in _namespaces:  # SymPy and mpmath load on first use (CLI start-up time)
        _namespaces[kind] = {"sym": SymMath, "precise": PreciseMath, "float": FloatMath, "fraction": FractionMath,
                             "log10": lambda: PreciseMath(log10=True)}[kind]()
    return _namespaces[kind]


def activate(m, name, z):
    if name == "relu":
        return z if z > 0 else m.number(0)
    if name == "sigmoid":
        return 1 / (1 + m.exp(-z))
    if name == "tanh":
        return m.tanh(z)
    return z  # identity


def slope(m, name, z, a):
    """The activation's derivative, in the form the worked solution uses (from its output a)."""
    if name == "relu":
        return m.number(1 if z > 0 else 0)
    if name == "sigmoid":
        return a * (1 - a)
    if name == "tanh":
        return 1 - a**2
    return m.number(1)


def forward(m, p):
    """{z1, h, z2, yhat, loss}; without a hidden layer h is the input x."""
    x = [m.number(v) for v in p["x"]]
    out = {}
    if "W1" in p:
        z1 = [m.linear(row, p["x"], b) for row, b in zip(p["W1"], p["b1"])]
        out["z1"] = z1
        out["h"] = [activate(m, p["hidden"], z) for z in z1]
        h = out["h"]
    else:
        h = x
    z2 = sum((m.number(w) * hj for w, hj in zip(p["w2"], h)), m.number(p["b2"]))
    out["z2"] = z2
    out["yhat"] = activate(m, p["output"], z2)
    out["loss"] = loss(m, p, out["yhat"])
    return out


def loss(m, p, yhat, slip=None):
    y = m.number(p["y"])
    if p["loss"] == "mse":
        half = m.number("0.5") if slip == "half" else 1
        return half * (yhat - y) ** 2
    # binary cross-entropy, the deck's formula; y is 0 or 1, so one of its terms vanishes
    return -m.log(yhat) if p["y"] == 1 else -m.log(1 - yhat)


# Named slips of the backward pass (the values they give are the part's misconceptions).
SLIPS = {
    "no-2": "dropped the factor 2 of the squared error",
    "flip": "sign error: used (y − ŷ) instead of (ŷ − y)",
    "no-out-slope": "forgot the derivative of the output activation",
    "no-hidden-slope": "forgot the derivative of the hidden activation",
    "no-w2": "forgot the output weight on the way back to the hidden layer",
}


def backward(m, p, fw, slip=None):
    """Gradients {w2: [...], b2, W1: [[...]], b1: [...]} from the forward values `fw`; the
    hidden layer's only for the asked unit j (other rows None)."""
    y = m.number(p["y"])
    yhat = fw["yhat"]
    if p["loss"] == "bce":
        # sigmoid output + BCE: dL/dz2 = yhat - y (the sigmoid's slope cancels)
        delta2 = yhat - y
        if slip == "no-out-slope":  # stopped at dL/dyhat
            delta2 = (yhat - y) / (yhat * (1 - yhat))
    else:
        dyhat = (yhat - y) * (1 if slip == "no-2" else 2)
        out_slope = m.number(1) if slip == "no-out-slope" else slope(m, p["output"], fw["z2"], yhat)
        delta2 = dyhat * out_slope
    if slip == "flip":
        delta2 = -delta2
    h = fw["h"] if "W1" in p else [m.number(v) for v in p["x"]]
    grads = {"w2": [delta2 * hj for hj in h], "b2": delta2}
    if "W1" in p:
        x = [m.number(v) for v in p["x"]]
        delta1 = []
        for j, (z, a) in enumerate(zip(fw["z1"], fw["h"])):
            if j != p["ask"][0] - 1:  # only the asked unit (exact arithmetic is not free)
                delta1.append(None)
                continue
            d = delta2 if slip == "no-w2" else delta2 * m.number(p["w2"][j])
            if slip != "no-hidden-slope":
                d = d * slope(m, p["hidden"], z, a)
            delta1.append(d)
        grads["W1"] = [None if d is None else [d * xk for xk in x] for d in delta1]
        grads["b1"] = delta1
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
    return p


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
        if p["hidden"] == "relu" and not any(z > 0 for z in fw["z1"]):
            return False
        if any(abs(z) > {"relu": 4, "sigmoid": 3, "tanh": 2}[p["hidden"]] for z in fw["z1"]):
            return False  # saturated units: vanishing, unreadable gradients
        j, k = p["ask"]
        asked = [grads["W1"][j - 1][k - 1], grads["b1"][j - 1]]
    else:
        asked = []
    if p["output"] == "relu" and fw["z2"] < 0.25:  # a dead output neuron learns nothing
        return False
    if p["output"] == "sigmoid" and not 0.25 <= abs(fw["z2"]) <= 3:
        return False
    if abs(fw["yhat"] - p["y"]) < 0.2 or abs(fw["yhat"]) > 20 or fw["loss"] > 50:
        return False
    values = asked + [grads["b2"]] + [g for g in grads["w2"]]
    return all(0.01 <= abs(v) <= 60 for v in values)


# ---------------------------------------------------------------------------------------------
# Printing: exact strings and LaTeX come from probgen.kit.exactfmt (order="none", fast and exact).


def _rational(p) -> bool:
    """Whether every answer is rational (ReLU/identity units, squared error)."""
    return p.get("hidden", "identity") in ("relu", "identity") and p["output"] in ("relu", "identity") \
        and p["loss"] == "mse"


def _number(key, exact_value, precise_value, points, *, mistakes=None, depends_on=()):
    return Part(key, "number", float(precise_value), _text(exact_value), _display(exact_value), points=points,
                misconceptions=[Misconception(n, float(v)) for n, v in (mistakes or {}).items()],
                depends_on=list(depends_on))


def _vector(key, exact_values, precise_values, points, *, mistakes=None, depends_on=()):
    return Part(key, "vector", [float(v) for v in precise_values], [_text(e) for e in exact_values],
                points=points,
                misconceptions=[Misconception(n, [float(x) for x in v]) for n, v in (mistakes or {}).items()],
                depends_on=list(depends_on))


def _g(v) -> str:
    """A number (or its text) bracketed when negative, for products."""
    t = v if isinstance(v, str) else tnum(v)
    return f"({t})" if t.startswith("-") else t


def _eq(e) -> str:
    """'=' when the exact value is a short decimal, else '\\approx'."""
    if isinstance(e, (int, Fraction)) or getattr(e, "is_Rational", False):
        q = Fraction(str(e)).denominator
        for f in (2, 5):
            while q % f == 0:
                q //= f
        if q == 1:
            return "="
    return r"\approx"




ACTIVATION_TEX = {"relu": r"\mathrm{ReLU}", "sigmoid": r"\sigma", "tanh": r"\tanh", "identity": ""}


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
            parts.append(_vector(key, fe["z1"], fp["z1"], 2, mistakes={"forgot the bias b⁽¹⁾": no_bias}))
            forward_keys.append(key)
            key = next(keys)
            h_mistakes = {}
            if p["hidden"] == "relu" and any(z < 0 for z in fp["z1"]):
                h_mistakes["passed a negative pre-activation through the ReLU"] = fp["z1"]
            if p["hidden"] != "relu":
                h_mistakes["forgot the activation (used the pre-activations)"] = fp["z1"]
            parts.append(_vector(key, fe["h"], fp["h"], 2, mistakes=h_mistakes, depends_on=forward_keys[-1:]))
            forward_keys.append(key)
        key = next(keys)
        yhat_mistakes = {}
        if p["output"] != "identity":
            yhat_mistakes["forgot the output activation"] = fp["z2"]
        parts.append(_number(key, fe["yhat"], fp["yhat"], 1 if hidden else 2, mistakes=yhat_mistakes,
                             depends_on=forward_keys[-1:]))
        forward_keys.append(key)
        yhat_key = key
        key = next(keys)
        loss_mistakes = {}
        if p["loss"] == "mse":
            loss_mistakes["used ½(ŷ − y)² instead of (ŷ − y)²"] = loss(hp, p, fp["yhat"], slip="half")
            loss_mistakes["forgot to square: |ŷ − y|"] = abs(fp["yhat"] - hp.number(p["y"]))
        else:
            loss_mistakes["used log base 10 instead of ln"] = loss(namespace("log10"), p, fp["yhat"])
        parts.append(_number(key, fe["loss"], fp["loss"], 2, mistakes=loss_mistakes, depends_on=[yhat_key]))
        grad_points = [2, 1, 3, 2] if hidden else [2, 2, 2]
        grad_keys = []
        for index, (e, v) in enumerate(zip(picks(ge), picks(gp))):
            key = next(keys)
            parts.append(_number(key, e, v, grad_points[index], mistakes=slip_mistakes(index),
                                 depends_on=forward_keys))
            grad_keys.append(key)

        work = self._work(p, fe, fp, ge, gp)
        return Solution(parts=parts, work=work, figure=self._figure(p))

    @staticmethod
    def _work(p, fe, fp, ge, gp):
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
            lines["h"] = [f"h_{{{j}}} = {act}({tnum(z)}) {_eq(fe['h'][j - 1])} {tnum(h)}"
                          for j, (z, h) in enumerate(zip(fp["z1"], fp["h"]), start=1)]
        weights = p["w2"]
        z2 = (f"{z2_name} = " + " + ".join(f"{_g(w)} \\cdot {_g(tnum(h))}" for w, h in zip(weights, h_values))
              + f" + {_g(p['b2'])} {_eq(fe['z2'])} {tnum(fp['z2'])}")
        if out_act:
            yhat = f"\\hat{{y}} = {out_act}({z2_name}) = {out_act}({tnum(fp['z2'])}) {_eq(fe['yhat'])} {tnum(fp['yhat'])}"
        else:
            yhat = f"\\hat{{y}} = {z2_name} = {tnum(fp['yhat'])}"
        lines["yhat"] = [z2, yhat]
        if p["loss"] == "mse":
            lines["loss"] = [f"L = (\\hat{{y}} - y)^{{2}} = ({tnum(fp['yhat'])} - {_g(y)})^{{2}} "
                             f"{_eq(fe['loss'])} {tnum(fp['loss'])}"]
        else:
            term = r"-\ln \hat{y}" if y == 1 else r"-\ln(1 - \hat{y})"
            arg = tnum(fp["yhat"]) if y == 1 else f"1 - {tnum(fp['yhat'])}"
            lines["loss"] = [f"L = {term} = -\\ln({arg}) \\approx {tnum(fp['loss'])}\\quad (y = {y})"]
        delta = gp["b2"]
        back = []
        if p["loss"] == "mse":
            back.append(f"\\frac{{\\partial L}}{{\\partial \\hat{{y}}}} = 2(\\hat{{y}} - y) = "
                        f"2({tnum(fp['yhat'])} - {_g(y)}) {_eq(fe['yhat'])} "
                        f"{tnum(2 * (fp['yhat'] - namespace('precise').number(y)))}")
            if p["output"] == "sigmoid":
                back.append(f"\\sigma'({z2_name}) = \\hat{{y}}(1 - \\hat{{y}}) \\approx "
                            f"{tnum(fp['yhat'] * (1 - fp['yhat']))}")
                back.append(f"\\delta = \\frac{{\\partial L}}{{\\partial {z2_name}}} = "
                            f"2(\\hat{{y}} - y)\\,\\hat{{y}}(1 - \\hat{{y}}) {_eq(ge['b2'])} {tnum(delta)}")
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
            slope_j = slope(namespace("precise"), p["hidden"], fp["z1"][j - 1], fp["h"][j - 1])
            slope_form = {"relu": f"\\mathrm{{ReLU}}'({tnum(fp['z1'][j - 1])})",
                          "sigmoid": f"h_{{{j}}}(1 - h_{{{j}}})", "tanh": f"(1 - h_{{{j}}}^{{2}})"}[p["hidden"]]
            grads["w2"] = (f"\\frac{{\\partial L}}{{\\partial w^{{(2)}}_{{{j}}}}} = \\delta\\, h_{{{j}}} = "
                           f"{_g(tnum(delta))} \\cdot {_g(tnum(fp['h'][j - 1]))} {_eq(ge['w2'][j - 1])} "
                           f"{tnum(gp['w2'][j - 1])}")
            grads["b2"] = f"\\frac{{\\partial L}}{{\\partial b^{{(2)}}}} = \\delta {_eq(ge['b2'])} {tnum(delta)}"
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
            notes.append(r"$\sigma(t) = \frac{1}{1 + e^{-t}}$")
        if "relu" in (p["output"], p.get("hidden")):
            notes.append(r"$\mathrm{ReLU}(t) = \max(0, t)$")
        if p["loss"] == "bce":
            notes.append(r"$\ln$ is the natural logarithm")
        work["notes"] = notes
        return work

    @staticmethod
    def _figure(p):
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
                fw["h"] = [activate(m, p["hidden"], z) for z in fw["z1"]]
                fw["z2"] = sum(w * h for w, h in zip(p["w2"], fw["h"])) + p["b2"]
                fw["yhat"] = activate(m, p["output"], fw["z2"])
            if hidden and _numbers(given.get("b"), n_h):
                fw["h"] = [float(v) for v in given["b"]]
                fw["z2"] = sum(w * h for w, h in zip(p["w2"], fw["h"])) + p["b2"]
                fw["yhat"] = activate(m, p["output"], fw["z2"])
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
