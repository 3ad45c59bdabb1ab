"""Elman RNN: h_t = tanh(W_x x_t + W_h h_{t-1} + b), h_0 = 0, over 2-3 time steps; its parameter
count; backpropagation through time as a product of factors W_h diag(1 - h_t^2).

As on a calculator exam, each tanh value is rounded to four decimals before it is used in a
later step; the reference answers follow that rule (an unrounded chain differs by < 1e-4)."""

from __future__ import annotations

import math

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import choice_part, exact, laid_out, matrix_part, number_part, vector_part

STEPS = {"easy": 2, "medium": 3, "hard": 2}
UNITS = {"easy": 1, "medium": 1, "hard": 2}
INPUTS = [k / 2 for k in range(-4, 5) if k]  # -2 ... 2 in steps of 0.5
PRE_LO, PRE_HI = 0.2, 1.6  # |pre-activation|: tanh neither ~0 nor saturated
INPUT_SIZES = (10, 20, 32, 50, 100, 300)
HIDDEN_SIZES = (16, 32, 64, 100, 128, 256)
LINEAR_WEIGHTS = (0.5, 0.6, 0.8, 0.9, 1.1, 1.2, 1.5, 2.0)
LINEAR_STEPS = (10, 15, 20)
GROWTH = {"shrinks": "it shrinks towards 0 (vanishing gradient)",  # laid out in a drawn order
          "grows": "it grows without bound (exploding gradient)",
          "same": "it stays the same size"}


def carried(preactivation) -> "sp.Rational":
    """tanh of an exact pre-activation as the student carries it forward: rounded to four
    decimals (math.tanh is within an ulp; only an exact tie at the 5th decimal could differ)."""
    return sp.Rational(f"{math.tanh(float(preactivation)):.4f}")


def rounded_states(params, states) -> list:
    """Every hidden state a student reaches who rounds each step to 3 significant figures
    (kit/rounding.py), or carries 4 decimals as the key does (`states`), step after step: the
    derivative parts then range what 1 − h² (a cancellation for |h| near 1) and each product
    give from them."""
    from ..kit.rounding import Rounded

    Wx, Wh, b = weights(params)
    h, out = [Rounded(0.0)] * len(b), []
    for t, x in enumerate(params["x"]):
        a = [Rounded(float(Wx[j])) * float(x) + sum((v * float(Wh[j][k]) for k, v in enumerate(h)), Rounded(0.0))
             + float(b[j]) for j in range(len(b))]
        h = [v.monotone(math.tanh).cover(float(c)) for v, c in zip(a, states[t])]
        out.append(h)
    return out


def weights(params):
    """(W_x as a column, W_h, b) as lists, for one unit or two."""
    if "W_h" in params:
        return params["W_x"], params["W_h"], params["b"]
    return [params["w_x"]], [[params["w_h"]]], [params["b"]]


def preactivation(Wx, Wh, b, x, h):
    return [exact(Wx[j]) * exact(x) + sum(exact(Wh[j][k]) * h[k] for k in range(len(h))) + exact(b[j])
            for j in range(len(b))]


def forward(params):
    """Pre-activations and carried hidden states of every step, exactly."""
    Wx, Wh, b = weights(params)
    h = [sp.Integer(0)] * len(b)
    pres, states = [], []
    for x in params["x"]:
        a = preactivation(Wx, Wh, b, x, h)
        h = [carried(v) for v in a]
        pres.append(a)
        states.append(h)
    return pres, states


def _flat(v) -> list:
    return [x for row in v for x in _flat(row)] if isinstance(v, list) else [v]


def _fits(a) -> bool:
    return all(PRE_LO <= abs(v) <= PRE_HI for v in a)


@family
class RnnForward(Family):
    id = "rnn-forward"
    section = "nlp"
    topic = "rnn"
    title = "Elman RNN: forward pass, parameters, gradients through time"

    def generate(self, draw, difficulty, convention):
        n = UNITS[difficulty]
        # weights drawn again while some step has no input keeping every pre-activation in range
        # (taking the closest input there let one reach 2.09, seed 1483 in the 2,000-seed sweep)
        for _ in range(100):
            params = self._weights(draw, n)
            xs = self._inputs(draw, params, difficulty, n)
            if xs is not None:
                break
        else:
            raise RuntimeError("rnn-forward: no weights keep the pre-activations in range")
        params["x"] = xs
        params["input_size"] = draw.choice(INPUT_SIZES)
        params["hidden_size"] = draw.choice(HIDDEN_SIZES)
        params["layers"] = 2 if difficulty == "hard" else 1
        params["bias_vectors"] = 1 if difficulty == "easy" else 2  # 2: torch.nn.RNN's b_ih and b_hh
        if difficulty == "hard":
            params["linear_w"] = draw.choice(LINEAR_WEIGHTS)
            params["linear_steps"] = draw.choice(LINEAR_STEPS)
            order = list(GROWTH)
            draw.shuffle(order)
            params["growth_order"] = order
        return params

    @staticmethod
    def _weights(draw, n):
        if n == 1:
            return {"w_x": draw.choice((-1.0, -0.5, 0.5, 1.0)),
                    "w_h": draw.choice((-1.5, -1.2, -0.8, 0.8, 1.2, 1.5)),
                    "b": draw.decimal(-0.5, 0.5, 0.1)}
        return {"W_x": [draw.choice((-1.0, -0.5, 0.5, 1.0)) for _ in range(n)],
                "W_h": [[draw.decimal(-1.0, 1.0, 0.1, nonzero=True) for _ in range(n)] for _ in range(n)],
                "b": [draw.decimal(-0.5, 0.5, 0.1) for _ in range(n)]}

    @staticmethod
    def _inputs(draw, params, difficulty, n):
        """Inputs one step at a time, each among the grid values keeping every pre-activation in
        range; None if at some step none does. (Floats suffice to choose; solve recomputes
        everything exactly.)"""
        Wx, Wh, b = weights(params)
        h = [0.0] * n
        xs = []
        for _ in range(STEPS[difficulty]):
            options = {x: [Wx[j] * x + sum(Wh[j][k] * h[k] for k in range(n)) + b[j] for j in range(n)]
                       for x in INPUTS}
            fitting = [x for x in INPUTS if _fits(options[x])]
            if not fitting:
                return None
            x = draw.choice(fitting)
            xs.append(x)
            h = [round(math.tanh(v), 4) for v in options[x]]
        return xs

    def solve(self, params):
        Wx, Wh, b = weights(params)
        n, T = len(b), len(params["x"])
        pres, states = forward(params)
        parts = []
        keys = "abc"
        for t in range(T):
            a, h = pres[t], states[t]
            mistakes = {
                "forgot the tanh (gave the pre-activation)": a,
                "used the sigmoid instead of tanh": [1 / (1 + math.exp(-float(v))) for v in a],
            }
            if t > 0:
                no_rec = preactivation(Wx, [[0] * n] * n, b, params["x"][t], [0] * n)
                mistakes["left out the recurrent term W_h h_{t-1}"] = [math.tanh(float(v)) for v in no_rec]
            deps = [keys[t - 1]] if t else []
            if n == 1:
                parts.append(number_part(keys[t], sp.tanh(a[0]), 2, depends_on=deps,
                                         mistakes={k: v[0] for k, v in mistakes.items()}))
            else:
                parts.append(vector_part(keys[t], [sp.tanh(v) for v in a], 2, depends_on=deps, mistakes=mistakes))
        for part, h in zip(parts, rounded_states(params, states)):
            part.accepted = h[0].bounds() if n == 1 else [v.bounds() for v in h]
        work = {"pres": pres, "states": states}
        key = iter("abcdefgh"[T:])  # the keys after the hidden states
        if n == 1 and T == 3:
            w = exact(params["w_h"])
            d2, d3 = 1 - states[1][0] ** 2, 1 - states[2][0] ** 2
            parts.append(number_part(next(key), w * d3 * w * d2, 2, depends_on=["b", "c"], mistakes={
                "left out the tanh derivatives (gave w_h^2)": w * w,
                "left out the recurrent weights": d3 * d2,
                "used tanh' = 1 - h instead of 1 - h^2": w * (1 - states[2][0]) * w * (1 - states[1][0]),
            }))
            h2, h3 = (v[0] for v in rounded_states(params, states)[1:3])
            fw = float(w)
            parts[-1].accepted = ((fw * (1 - h3 ** 2)) * (fw * (1 - h2 ** 2))).bounds()
            work.update(deriv=[d2, d3])
        if n == 2:
            d = [1 - v ** 2 for v in states[1]]
            W = [[exact(v) for v in row] for row in Wh]
            jac = [[d[i] * W[i][k] for k in range(2)] for i in range(2)]
            parts.append(matrix_part(next(key), jac, 3, depends_on=["b"], mistakes={
                "left out diag(1 − h_2^2) (gave W_h)": W,
                "multiplied diag(1 − h_2^2) on the wrong side": [[W[i][k] * d[k] for k in range(2)] for i in range(2)],
                "used W_h transposed": [[d[i] * W[k][i] for k in range(2)] for i in range(2)],
            }))
            dr = [1 - v ** 2 for v in rounded_states(params, states)[1]]
            parts[-1].accepted = [[(dr[i] * float(W[i][k])).bounds() for k in range(2)] for i in range(2)]
            work.update(deriv=d)
        parts.append(self._count_part(next(key), params, work))
        if "linear_w" in params:
            w, K = exact(params["linear_w"]), params["linear_steps"]
            parts.append(number_part(next(key), w ** K, 1, mistakes={
                "multiplied by the number of steps instead of raising to it": w * K,
            }))
            choices, letter = laid_out(GROWTH, params.get("growth_order", list(GROWTH)))
            right, wrong = ("shrinks", "grows") if w < 1 else ("grows", "shrinks")
            parts.append(choice_part(next(key), letter[right], choices, 1, mistakes={
                "mixed up vanishing and exploding": letter[wrong],
            }))
        return Solution(parts=parts, work=work)

    def _count_part(self, key, params, work):
        d, H = params["input_size"], params["hidden_size"]
        nb, layers = params["bias_vectors"], params["layers"]
        first = H * d + H * H + nb * H
        deeper = H * H + H * H + nb * H  # layer 2 reads layer 1's hidden state (size H)
        total = first + (layers - 1) * deeper
        mistakes = {"left out the recurrent weights W_h": total - layers * H * H,
                    "left out the biases": total - layers * nb * H}
        if nb == 2:
            mistakes["counted one bias vector (nn.RNN has both b_ih and b_hh)"] = total - layers * H
        else:
            mistakes["counted two bias vectors"] = total + layers * H
        if layers == 2:
            mistakes["gave layer 2 the input size d instead of H"] = 2 * first
            mistakes["counted the first layer only"] = first
        work.update(first=first, deeper=deeper, total=total)
        return number_part(key, total, 2, tolerance=0, mistakes=mistakes)

    def follow_on(self, params, given):
        """Each hidden state from the student's previous one; the gradient factors from their states."""
        Wx, Wh, b = weights(params)
        n, xs = len(b), params["x"]
        keys = "abc"[:len(xs)]
        out = {}

        def as_list(v):
            """The student's state as n floats, or None if it is not n finite numbers."""
            v = [v] if n == 1 and not isinstance(v, list) else v
            if (isinstance(v, list) and len(v) == n
                    and all(isinstance(u, (int, float)) and not isinstance(u, bool) and math.isfinite(u) for u in v)):
                return [float(u) for u in v]
            return None

        for t in range(1, len(xs)):
            prev = as_list(given.get(keys[t - 1]))
            if prev is not None and len(prev) == n:
                a = [Wx[j] * xs[t] + sum(Wh[j][k] * prev[k] for k in range(n)) + b[j] for j in range(n)]
                h = [math.tanh(v) for v in a]
                out[keys[t]] = h[0] if n == 1 else h
        if n == 1 and len(xs) == 3:
            h2, h3 = as_list(given.get("b")), as_list(given.get("c"))
            if h2 is not None and h3 is not None:
                w = Wh[0][0]
                out["d"] = w * (1 - h3[0] * h3[0]) * w * (1 - h2[0] * h2[0])
        if n == 2:
            h2 = as_list(given.get("b"))
            if h2 is not None:
                out["c"] = [[(1 - h2[i] * h2[i]) * Wh[i][k] for k in range(2)] for i in range(2)]
        return {k: v for k, v in out.items() if all(map(math.isfinite, _flat(v)))}
