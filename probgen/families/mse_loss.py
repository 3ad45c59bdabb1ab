"""Mean squared error for a small batch, its gradient, and (medium/hard) a linear model's weight gradient."""

from __future__ import annotations

from fractions import Fraction

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part, vector_part

# Batch sizes whose 1/n and 2/n are short decimals.
BATCH = {"easy": 4, "medium": 4, "hard": 5}
WEIGHTS = (0.5, 1.5, 2.0, -0.5, -1.0, 3.0)
BIASES = (-1.0, -0.5, 0.5, 1.0, 2.0)
LEARNING_RATES = (0.05, 0.1, 0.2, 0.5)


def _residuals(draw, n, step, hi, xs):
    """Nonzero residuals r = y_hat - y with both sum(r) and sum(r * x) nonzero.

    If the draw has a zero sum, negating a single residual repairs it: with every x > 0 some
    single negation always works (if none did, all r_k would share a sign, and then neither sum
    could be zero). So there is no retry on random draws."""
    r = [draw.decimal(-hi, hi, step, nonzero=True) for _ in range(n)]

    def ok(rs):
        exact_r = [Fraction(str(v)) for v in rs]  # floats like 0.2 + 0.4 - 0.6 are not exactly 0
        return sum(exact_r) != 0 and sum(a * b for a, b in zip(exact_r, xs)) != 0

    for k in [None, *range(n)]:
        trial = r if k is None else [-v if i == k else v for i, v in enumerate(r)]
        if ok(trial):
            return trial
    raise AssertionError("unreachable: a single negation always repairs the sums")


@family
class MseLoss(Family):
    id = "mse-loss"
    section = "fundamentals"
    topic = "losses"
    title = "Mean squared error and its gradient"
    version = 2  # 2: the zero-sum repair negates a single residual (provably enough)

    def generate(self, draw, difficulty, convention):
        n = BATCH[difficulty]
        if difficulty == "easy":
            # Predictions and targets given directly; residuals in steps of 0.5.
            r = _residuals(draw, n, 0.5, 2.0, [1] * n)
            y = [draw.decimal(-3, 3, 0.5) for _ in range(n)]
            y_hat = [yi + ri for yi, ri in zip(y, r)]
            return {"y_hat": y_hat, "y": y}
        # A linear model y_hat = w x + b on positive integer inputs.
        x = [draw.integer(1, 4) for _ in range(n)]
        step = 0.5 if difficulty == "medium" else 0.2
        r = _residuals(draw, n, step, 2.0, x)
        b = draw.choice(BIASES)
        lr = None
        if difficulty == "medium":
            w = draw.choice(WEIGHTS)
        else:
            # w and the learning rate together: the step moves w by 5% of |w| or more (so "no
            # update" is a wrong answer) and by at most 2. w = 0.5 with lr = 0.5 always fits,
            # since |dL/dw| >= 2/5 * 0.2 here.
            gw = sum(2 * Fraction(str(ri)) * xi for ri, xi in zip(r, x)) / n
            w, lr = draw.choice([(w, lr) for w in WEIGHTS for lr in LEARNING_RATES
                                 if Fraction(abs(w)) / 20 <= abs(Fraction(str(lr)) * gw) <= 2])
        params = {"x": x, "y": [round(w * xi + b - ri, 6) for xi, ri in zip(x, r)], "w": w, "b": b}
        if lr is not None:
            params["lr"] = lr
        return params

    def solve(self, params):
        y = [exact(v) for v in params["y"]]
        n = len(y)
        linear = "w" in params
        if linear:
            w, b = exact(params["w"]), exact(params["b"])
            x = [exact(v) for v in params["x"]]
            y_hat = [w * xi + b for xi in x]
        else:
            y_hat = [exact(v) for v in params["y_hat"]]
        r = [p - t for p, t in zip(y_hat, y)]
        sq = [ri**2 for ri in r]
        mse = sum(sq) / n
        grad = [2 * ri / n for ri in r]
        parts = [
            number_part("a", mse, 2, mistakes={
                "summed the squared errors without dividing by n": sum(sq),
                "used the mean absolute error": sum(abs(ri) for ri in r) / n,
                "divided by 2n (the ½·MSE variant)": sum(sq) / (2 * n),
            }),
            vector_part("b", grad, 2, mistakes={
                "forgot the factor 2 from the square": [ri / n for ri in r],
                "forgot the 1/n of the mean": [2 * ri for ri in r],
                "differentiated with respect to y instead of ŷ (sign flipped)": [-g for g in grad],
            }),
        ]
        work = {"n": n, "y_hat": y_hat, "r": r, "sq": sq, "sum_sq": sum(sq), "mse": mse, "grad": grad}
        if linear:
            gw = sum(g * xi for g, xi in zip(grad, x))
            gb = sum(grad)
            parts.append(number_part("c", gw, 2, depends_on=["b"], mistakes={
                "forgot the chain-rule factor x_i": gb,
                "forgot the 1/n of the mean": gw * n,
                "forgot the factor 2 from the square": gw / 2,
                "sign flipped (used y − ŷ)": -gw,
            }))
            work["gw"] = gw
            work["gw_terms"] = [(g, xi) for g, xi in zip(grad, x)]
        if "lr" in params:
            lr = exact(params["lr"])
            parts.append(number_part("d", gb, 2, depends_on=["b"], mistakes={
                "forgot the 1/n of the mean": gb * n,
                "forgot the factor 2 from the square": gb / 2,
                "sign flipped (used y − ŷ)": -gb,
            }))
            parts.append(number_part("e", w - lr * gw, 2, depends_on=["c"], mistakes={
                "stepped along the gradient (w + α ∂L/∂w)": w + lr * gw,
                "forgot the learning rate": w - gw,
            }))
            work.update(gb=gb, lr=lr, w_new=w - lr * gw)
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """∂L/∂w, ∂L/∂b from the student's gradient (part b); the step from their ∂L/∂w."""
        out = {}
        if "x" in params and "b" in given and len(given["b"]) == len(params["x"]):
            out["c"] = sum(g * xi for g, xi in zip(given["b"], params["x"]))
            if "lr" in params:
                out["d"] = sum(given["b"])
        if "lr" in params and "c" in given:
            out["e"] = params["w"] - params["lr"] * given["c"]
        return out
