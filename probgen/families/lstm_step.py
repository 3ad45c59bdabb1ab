"""One LSTM time step for a single unit with given small weights:

    f = σ(w_f x + u_f h_prev + b_f),  i = σ(...),  g = tanh(...),  o = σ(...)
    c = f c_prev + i g,               h = o tanh(c)

and LSTM parameter counts: 4 (H (H + d) + H) with one bias per gate, the 4 (H (H + d) + 2H)
of torch.nn.LSTM (b_ih and b_hh), and twice that for a bidirectional layer.

Each σ and tanh value is rounded to four decimals before it is used in a later step, as on a
calculator exam; the reference answers follow that rule."""

from __future__ import annotations

import math

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part

GATES = ("f", "i", "g", "o")  # forget, input, candidate, output
INPUTS = (-1.0, -0.5, 0.5, 1.0)
PRE_LO, PRE_HI = 20, 150  # |pre-activation| in hundredths: no saturated or ~0.5 gate
INPUT_SIZES = (10, 32, 50, 64, 100, 300)
HIDDEN_SIZES = (16, 32, 64, 100, 128, 256)


def decimal(value: float) -> "sp.Float":
    """A sigmoid-based answer as a 15-digit decimal: SymPy's exact form 1/(1 + exp(-z)) costs
    over half a millisecond per value to evaluate and print, the whole budget of a problem."""
    return sp.Float(value, 15)


def carried(value: float) -> "sp.Rational":
    """A σ/tanh value as the student carries it forward: rounded to four decimals."""
    return sp.Rational(f"{value:.4f}")


def tenths(v: float) -> int:
    return round(v * 10)


def fsig(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def preactivations(params):
    x, h = exact(params["x"]), exact(params["h_prev"])
    return {g: exact(params["w"][g]) * x + exact(params["u"][g]) * h + exact(params["b"][g]) for g in GATES}


@family
class LstmStep(Family):
    id = "lstm-step"
    section = "nlp"
    topic = "rnn"
    title = "One LSTM time step and LSTM parameter counts"

    def generate(self, draw, difficulty, convention):
        x = draw.choice(INPUTS)
        h_prev = 0.0 if difficulty == "easy" else draw.decimal(-0.8, 0.8, 0.1, nonzero=True)
        w, u, b = {}, {}, {}
        for g in GATES:
            w[g] = draw.decimal(-1.0, 1.0, 0.1, nonzero=True)
            u[g] = 0.0 if difficulty == "easy" else draw.decimal(-1.0, 1.0, 0.1, nonzero=True)
            # The bias last: among the grid values, those putting the pre-activation in range
            # (|w x + u h| <= 1.8, so some b in [-1, 1] always does). Integers in hundredths.
            s = tenths(w[g]) * tenths(x) + tenths(u[g]) * tenths(h_prev)
            b[g] = draw.choice([k / 10 for k in range(-10, 11) if PRE_LO <= abs(s + 10 * k) <= PRE_HI])
        # The old cell state last: one the step visibly changes (|c - c_prev| >= 0.05) and that
        # does not leave c ~ 0 (h = o tanh(c) ~ 0). Floats suffice to choose.
        z = {g: w[g] * x + u[g] * h_prev + b[g] for g in GATES}
        f, i, cand = fsig(z["f"]), fsig(z["i"]), math.tanh(z["g"])
        cells = [k / 10 for k in range(-15, 16) if k]
        c_prev = draw.choice([c for c in cells if abs((f - 1) * c + i * cand) >= 0.05 and abs(f * c + i * cand) >= 0.05])
        params = {"x": x, "h_prev": h_prev, "c_prev": c_prev, "w": w, "u": u, "b": b}
        if difficulty != "easy":
            params["input_size"] = draw.choice(INPUT_SIZES)
            params["hidden_size"] = draw.choice(HIDDEN_SIZES)
            params["torch_biases"] = difficulty == "hard"
        return params

    def solve(self, params):
        z = preactivations(params)
        zf = {g: float(v) for g, v in z.items()}
        exact_act = {g: (sp.tanh(z[g]) if g == "g" else decimal(fsig(zf[g]))) for g in GATES}
        act = {g: carried(math.tanh(zf[g]) if g == "g" else fsig(zf[g])) for g in GATES}  # carried forward
        c_prev = exact(params["c_prev"])
        c = act["f"] * c_prev + act["i"] * act["g"]
        fc, fo = float(c), float(act["o"])
        h = decimal(fo * math.tanh(fc))
        gate_mistakes = {
            g: {"used tanh instead of the sigmoid for a gate": math.tanh(zf[g]),
                "forgot the sigmoid (gave the pre-activation)": z[g]} for g in "fio"
        }
        parts = [
            number_part("a", exact_act["f"], 1, mistakes=gate_mistakes["f"]),
            number_part("b", exact_act["i"], 1, mistakes=gate_mistakes["i"]),
            number_part("c", exact_act["g"], 1, mistakes={
                "used the sigmoid instead of tanh for the candidate": fsig(zf["g"]),
                "forgot the tanh (gave the pre-activation)": z["g"],
            }),
            number_part("d", exact_act["o"], 1, mistakes=gate_mistakes["o"]),
            number_part("e", c, 2, depends_on=["a", "b", "c"], mistakes={
                "left out the forget gate (c = c_prev + i g)": c_prev + act["i"] * act["g"],
                "swapped the gates (c = i c_prev + f g)": act["i"] * c_prev + act["f"] * act["g"],
                "left out the input gate (c = f c_prev + g)": act["f"] * c_prev + act["g"],
                "used the candidate's pre-activation instead of tanh of it": act["f"] * c_prev + act["i"] * z["g"],
            }),
            number_part("f", h, 2, depends_on=["d", "e"], mistakes={
                "forgot the tanh on the cell (h = o c)": fo * fc,
                "used the previous cell state (h = o tanh(c_prev))": fo * math.tanh(float(c_prev)),
                "applied tanh after the gate (h = tanh(o c))": math.tanh(fo * fc),
            }),
        ]
        work = {"z": z, "act": act, "c": c, "tanh_c": math.tanh(fc)}
        if "input_size" in params:
            d, H = params["input_size"], params["hidden_size"]
            one_bias = 4 * (H * (H + d) + H)
            parts.append(number_part("g", one_bias, 2, tolerance=0, mistakes={
                "left out the biases": 4 * H * (H + d),
                "counted one gate only": H * (H + d) + H,
                "left out the recurrent weights": 4 * (H * d + H),
                "counted three weight blocks (forgot the candidate)": 3 * (H * (H + d) + H),
            }))
            work["one_bias"] = one_bias
            if params["torch_biases"]:
                torch_count = 4 * (H * (H + d) + 2 * H)
                parts.append(number_part("h", torch_count, 2, tolerance=0, mistakes={
                    "counted one bias vector per gate (nn.LSTM has b_ih and b_hh)": one_bias,
                    "left out the biases": 4 * H * (H + d),
                }))
                bi = 2 * torch_count
                parts.append(number_part("i", bi, 2, tolerance=0, mistakes={
                    "counted one direction only": torch_count,
                    "doubled the hidden size instead of the directions": 4 * (2 * H * (2 * H + d) + 2 * 2 * H),
                    "counted one bias vector per gate": 2 * one_bias,
                }))
                work.update(torch_count=torch_count, bi=bi)
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """c from the student's gates and candidate; h from the student's o and c. Values that
        are not finite numbers carry nothing forward."""
        def number(key):
            v = given.get(key)
            ok = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
            return float(v) if ok else None

        out = {}
        f, i, g, o, c = (number(k) for k in "abcde")
        if None not in (f, i, g):
            out["e"] = f * params["c_prev"] + i * g
        c = c if c is not None else out.get("e")
        if o is not None and c is not None:
            out["f"] = o * math.tanh(c)
        return {k: v for k, v in out.items() if math.isfinite(v)}
