"""Skip connections: the deck's dL/dx = dL/dy (1 + F'(x)) for y = x + F(x) against the plain
dL/dy F'(x), on one block and through a stack of blocks."""

from __future__ import annotations

from fractions import Fraction

from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part

UPSTREAM = (1, 2, 3, -1, -2, 0.5)
EASY_A = (0.5, 0.25, -0.5, 1, -0.25, 2, -1, 0.75, -0.75, 1.5)
EASY_X = (-3, -2, -1, 1, 2, 3, 0.5, -0.5, 1.5, -1.5, 4, -4)
W1 = (0.5, 1, 1.5, 2, -0.5, -1)
W2 = (0.5, -0.5, 0.25, -0.25, 1.5, 2)
PRE_ACTIVATIONS = (0.5, 1, 1.5, 2)
STACK_DERIVATIVES = (0.2, 0.25, 0.5)
MIXED_DERIVATIVES = (-0.5, -0.4, -0.25, -0.2, 0.2, 0.25, 0.4, 0.5)
# (branch derivative, threshold) for "how many plain layers until the gradient is below the
# threshold": no power of the derivative equals the threshold exactly.
VANISH = ((0.5, 0.01), (0.5, 0.001), (0.25, 0.01), (0.25, 0.001), (0.2, 0.001), (0.4, 0.01), (0.4, 0.001))


def _prod(values):
    out = 1
    for v in values:
        out *= v
    return out


def layers_to_vanish(f, threshold) -> int:
    """Smallest n with f**n < threshold (0 < f < 1), exactly."""
    f, threshold = Fraction(str(f)), Fraction(str(threshold))
    n, power = 1, f
    while power >= threshold:
        n, power = n + 1, power * f
    return n


@family
class SkipConnection(Family):
    id = "skip-connection"
    section = "fundamentals"
    topic = "regularization"
    title = "Skip connections and the gradient"
    version = 2  # 2: no instance with F'(x) = 1 (the plain block's gradient would be ∂L/∂y itself)

    def generate(self, draw, difficulty, convention):
        g = draw.choice(UPSTREAM)
        if difficulty == "easy":
            # F(x) = a x^2, F'(x) = 2ax; never -1 (the skip would cancel it), never 0, and never
            # 1 (the plain block would just pass ∂L/∂y on: a trivial answer).
            a, x = draw.choice([(a, x) for a in EASY_A for x in EASY_X if 2 * a * x not in (-1, 1)])
            return {"branch": "square", "a": a, "x": x, "upstream": g}
        # F(x) = w2 * ReLU(w1 x + b1) with the ReLU active: the pre-activation is chosen first.
        w1 = draw.choice(W1)
        w2 = draw.choice([w for w in W2 if w * w1 not in (-1, 1)])  # F' = w2 w1, as in easy
        x = draw.decimal(-2, 2, 0.5, nonzero=True)
        # y = x + w2 * pre must not be 0 (a trivial forward answer)
        b1 = draw.choice([z for z in PRE_ACTIVATIONS if x + w2 * z != 0]) - w1 * x
        params = {"branch": "relu", "w1": w1, "b1": b1, "w2": w2, "x": x, "upstream": g}
        if difficulty == "medium":
            params.update(blocks=draw.integer(3, 5), block_derivative=draw.choice(STACK_DERIVATIVES))
        else:
            fs = [draw.choice(MIXED_DERIVATIVES) for _ in range(4)]
            if all(f < 0 for f in fs):
                fs[0] = -fs[0]  # one positive F' makes |prod(1 + F')| > |prod F'| strictly
            params["block_derivatives"] = fs
            params["vanish_derivative"], params["threshold"] = draw.choice(VANISH)
        return params

    def solve(self, params):
        g = exact(params["upstream"])
        x = exact(params["x"])
        parts = []
        work = {}
        if params["branch"] == "square":
            a = exact(params["a"])
            d = 2 * a * x
            parts.append(number_part("a", d, 1, mistakes={
                "forgot the factor 2 (wrote a·x)": a * x, "gave F(x) instead of F'(x)": a * x**2,
            }))
            work["d"] = d
        else:
            w1, b1, w2 = exact(params["w1"]), exact(params["b1"]), exact(params["w2"])
            pre = w1 * x + b1
            F = w2 * pre  # the ReLU is active by construction
            d = w2 * w1
            parts.append(number_part("a", x + F, 2, mistakes={
                "left out the skip (y = F(x))": F, "forgot the bias b₁": x + w2 * w1 * x,
            }))
            work.update(pre=pre, F=F, d=d)
        parts.append(number_part("b", g * d, 2, mistakes={
            "added the skip's 1, but the plain block has no skip (that is the residual block's gradient)": g * (1 + d),
            "forgot to multiply by ∂L/∂y": d,
        }))
        parts.append(number_part("c", g * (1 + d), 2, mistakes={
            "forgot the skip path's 1": g * d,
            "added the 1 after multiplying (∂L/∂y·F'(x) + 1)": g * d + 1,
            "forgot to multiply by ∂L/∂y": 1 + d,
        }))
        if "blocks" in params:
            fs = [exact(params["block_derivative"])] * params["blocks"]
        elif "block_derivatives" in params:
            fs = [exact(v) for v in params["block_derivatives"]]
        else:
            return Solution(parts=parts, work=work)
        plain, residual = g * _prod(fs), g * _prod(1 + f for f in fs)
        parts.append(number_part("d", plain, 2, mistakes={
            "summed the block derivatives instead of multiplying": g * sum(fs),
            "used the residual factors (1 + F')": residual,
            "forgot to multiply by ∂L/∂y": _prod(fs),
        }))
        parts.append(number_part("e", residual, 2, mistakes={
            "added the skip only once, 1 + ΠF'": g * (1 + _prod(fs)),
            "kept only first-order terms, 1 + ΣF'": g * (1 + sum(fs)),
            "used the plain product ΠF'": plain,
        }))
        work.update(fs=fs, plain=plain, residual=residual, factors=[1 + f for f in fs])
        if "threshold" in params:
            n = layers_to_vanish(params["vanish_derivative"], params["threshold"])
            parts.append(number_part("f", n, 2, tolerance=0, mistakes={
                "off by one: gave the last depth whose gradient is still at or above the threshold": n - 1,
            }))
            f0 = exact(params["vanish_derivative"])
            work.update(n=n, before=f0 ** (n - 1), after=f0**n)
        return Solution(parts=parts, work=work)
