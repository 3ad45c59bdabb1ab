"""Adagrad and RMSProp, 1–2 steps on a given gradient sequence: the course's ε inside the square
root, w ← w − α/√(v + ε) ⊙ g, or torch.optim's ε outside it, w ← w − α g/(√v + ε)."""

from __future__ import annotations

import math
from fractions import Fraction

from ..kit.optim_trace import (FLOAT_OPS, rounding_ranges, Rule, draw_gradients, elementwise, EXACT_OPS, follow_on_values,
                               friendly_chains, run_trace, trace_parts, trace_work)
from ..core.registry import Family, Solution, family

SHAPE = {"easy": (1, 1), "medium": (2, 2), "hard": (2, 3)}  # (steps, parameters)
LEARNING_RATES = (0.2, 0.5, 1)
# The course's ε is the deck's 10⁻⁸: negligible next to v (every v is at least 0.05² here), so
# the statement says to take √(v + ε) = √v and the key does exactly that. Gradient sequences are
# drawn from the tables whose √v is friendly at every step.
COURSE_EPS = 1e-8
# RMSProp decays with 1 − β a perfect square, so (1 − β) g² keeps a friendly root.
RMSPROP_BETAS = (0.99, 0.96, 0.91, 0.84, 0.75, 0.64)
# ε outside the root is only visible next to a small √v: PyTorch instances take gradients of at
# most MAX_PYTORCH_GRADIENT and an ε that is not negligible.
PYTORCH_EPS = (0.1, 0.2, 0.25)
MAX_PYTORCH_GRADIENT = 1.5
MAX_DRAWS = 50  # of w₀ and the gradients, until the instance is not degenerate (see degenerate)
# PyTorch RMSprop (alpha, eps): α = 0.91 with ε = 0.1 or 0.2 has only gradient sequences whose
# v₂ repeats v₁ (g₂² = (1 − β) g₁²), so those two sets are left out.
PYTORCH_RMSPROP = tuple((a, e) for a in RMSPROP_BETAS for e in PYTORCH_EPS
                        if (a, e) not in ((0.91, 0.1), (0.91, 0.2)))


def table(params, steps):
    """The friendly gradient sequences for these hyperparameters (see optim_trace.friendly_chains)."""
    decay = None if params["method"] == "adagrad" else repr(params["beta"])
    chains = friendly_chains(steps, decay, "0")  # √v friendly (ε negligible, or outside the root)
    if params["convention"] == "pytorch":
        chains = tuple(c for c in chains if max(c) <= MAX_PYTORCH_GRADIENT)
        chains = tuple(c for c in chains if conventions_differ(c, params))
    # Where the table allows it, the accumulator changes at every step: RMSProp's v repeats
    # exactly when g_t² = (1 − β) g_{t−1}², and a copied v_{t−1} should not be the answer.
    return tuple(c for c in chains if accumulator_changes(c, params)) or chains


def distinct_steps(chains) -> tuple:
    """The sequences whose magnitude changes at every step, where the table has any."""
    return tuple(c for c in chains if all(c[t] != c[t - 1] for t in range(1, len(c)))) or chains


def accumulator_changes(chain, params) -> bool:
    """Whether v_t differs from v_{t−1} at every step after the first (always for Adagrad)."""
    if params["method"] == "adagrad":
        return True
    keep = 1 - Fraction(repr(params["beta"]))
    return all(chain[t] ** 2 != keep * chain[t - 1] ** 2 for t in range(1, len(chain)))


def conventions_differ(chain, params) -> bool:
    """Whether √(v + ε) and √v + ε differ by at least 3% at every step of this gradient
    sequence, so that the convention visibly changes each update (they coincide when
    √v = (1 − ε)/2, e.g. v = 0.16 with ε = 0.2)."""
    eps, v = params["eps"], 0.0
    for g in chain:
        v = v + float(g) ** 2 if params["method"] == "adagrad" else params["beta"] * v + (1 - params["beta"]) * float(g) ** 2
        inside, outside = math.sqrt(v + eps), math.sqrt(v) + eps
        if abs(inside - outside) < 0.03 * min(inside, outside):
            return False
    return True


def degenerate(params, distinct: bool = True) -> bool:
    """A weight exactly 0 after a step, or (`distinct`: where the table has sequences enough) two
    coordinates with the same gradient magnitudes at every step (their v, and so their roots,
    repeat): a TA would draw such an instance again."""
    entries = run_trace(rules(params, EXACT_OPS), initial_state(params, EXACT_OPS), len(params["grads"]))
    if any(x == 0 for e in entries if e.name == "w" for x in e.value):
        return True
    if not distinct:
        return False
    magnitudes = [tuple(abs(row[j]) for row in params["grads"]) for j in range(len(params["w0"]))]
    return len(set(magnitudes)) < len(magnitudes)


def negligible_eps(params) -> bool:
    """The course's ε = 10⁻⁸: the statement says to neglect it, and the key does."""
    return params["convention"] == "course" and params["eps"] <= COURSE_EPS


def rules(params, ops) -> list[Rule]:
    course = params["convention"] == "course"
    lr, eps = ops.num(params["lr"]), ops.num(0 if negligible_eps(params) else params["eps"])
    beta = ops.num(params["beta"]) if params["method"] == "rmsprop" else None
    grad = lambda t: [ops.num(g) for g in params["grads"][t - 1]]  # noqa: E731

    def accumulate(v, g):
        return v + g * g if beta is None else beta * v + (1 - beta) * g * g

    def accumulator_mistakes(env, t):
        v, g = env["v"], grad(t)
        if beta is None:
            out = {"forgot to square the gradient (v ← v + g)": elementwise(lambda v, g: v + g, v, g),
                   "replaced v by g² instead of accumulating": [x * x for x in g]}
        else:
            out = {"forgot to square the gradient (v ← βv + (1 − β)g)": elementwise(lambda v, g: beta * v + (1 - beta) * g, v, g),
                   "RMSProp without the (1 − β) factor (v ← βv + g²)": elementwise(lambda v, g: beta * v + g * g, v, g),
                   "swapped β and 1 − β": elementwise(lambda v, g: (1 - beta) * v + beta * g * g, v, g)}
        return out

    def inside_root(w, v, g):
        return w - lr * g / ops.sqrt(v + eps)

    def outside_root(w, v, g):
        return w - lr * g / (ops.sqrt(v) + eps)

    def step(env, t):
        return elementwise(inside_root if course else outside_root, env["w"], env["v"], grad(t))

    def step_mistakes(env, t):
        w, v, g = env["w"], env["v"], grad(t)
        out = {}
        if course:
            if not negligible_eps(params):  # with ε negligible both placements give the answer
                out["ε outside the root (PyTorch) instead of inside (course)"] = elementwise(outside_root, w, v, g)
        else:
            out["ε inside the root (course) instead of outside (PyTorch)"] = elementwise(inside_root, w, v, g)
        out["forgot the square root"] = elementwise(lambda w, v, g: w - lr * g / (v + eps), w, v, g)
        out["moved along the gradient (+ instead of −)"] = [2 * a - b for a, b in zip(w, step(env, t))]
        return out

    return [
        Rule("v", ("v",), lambda env, t: elementwise(accumulate, env["v"], grad(t)), 1, accumulator_mistakes),
        Rule("w", ("w", "v"), step, 2, step_mistakes),
    ]


def initial_state(params, ops) -> dict:
    v0 = params.get("v0", [0] * len(params["w0"]))  # easy starts mid-training, from a given v₀
    return {"w": [ops.num(x) for x in params["w0"]], "v": [ops.num(x) for x in v0]}


@family
class AdaptiveTrace(Family):
    id = "adaptive-trace"
    section = "fundamentals"
    topic = "optimization"
    title = "Adagrad and RMSProp: a step-by-step trace"
    version = 3  # 2: RMSProp's accumulator changes at every step; 3: the course's ε is 10⁻⁸, neglected
    conventions = ("course", "pytorch")

    def generate(self, draw, difficulty, convention):
        steps, dims = SHAPE[difficulty]
        method = draw.choice(("adagrad", "rmsprop"))
        params = {"convention": convention, "method": method, "lr": draw.choice(LEARNING_RATES)}
        # Hyperparameters whose table has a gradient-magnitude sequence for every coordinate
        # (else two coordinates' v repeat each other); the first draw is kept when it has.
        chained = steps + 1 if difficulty == "easy" else steps
        for _ in range(MAX_DRAWS):
            if convention == "course":
                if method == "rmsprop":
                    params["beta"] = draw.choice(RMSPROP_BETAS)
                params["eps"] = COURSE_EPS
            else:
                if method == "rmsprop":
                    params["beta"], params["eps"] = draw.choice(PYTORCH_RMSPROP)
                else:
                    params["eps"] = draw.choice(PYTORCH_EPS)
            if len(distinct_steps(table(params, chained))) >= dims:
                break
        # Start near 0 so that a step (about α) is not small next to w. A draw where a weight
        # lands exactly on 0 (Adagrad's first step is α·sign(g): w₀ = α gives w₁ = 0) or where
        # two coordinates share their gradient magnitudes (v repeats across the vector) is drawn
        # again; the first draw is kept whenever it is neither.
        for _ in range(MAX_DRAWS):
            choices = self._draw_point(draw, params, difficulty, steps, dims)
            if not degenerate(params, distinct=choices >= dims):
                break
        return params

    @staticmethod
    def _draw_point(draw, params, difficulty, steps, dims):
        """w₀ and the gradients (and easy's accumulator v₀) into `params`; returns how many
        gradient-magnitude sequences the table offered."""
        params.pop("v0", None)
        params["w0"] = [draw.decimal(-1, 1, 0.5) for _ in range(dims)]
        # A coordinate whose gradient repeats (g₂ = g₁) makes its second step a copy of the first:
        # sequences of distinct magnitudes are used where the table has them, and an exact repeat
        # left over is negated (the squares, and so the friendly roots, stay the same).
        # Easy is one step taken mid-training, from a given accumulator v₀ = the first step of a
        # friendly two-step sequence: from v₀ = 0 the first step is α·sign(g) whatever |g| is
        # (RMSProp: α/√(1 − β)·sign(g)), which leaves a single step nothing to compute.
        chained = steps + 1 if difficulty == "easy" else steps
        chains = distinct_steps(table(params, chained))
        grads = draw_gradients(draw, chains, chained, dims)
        for t in range(1, chained):
            for j in range(dims):
                if grads[t][j] == grads[t - 1][j]:
                    grads[t][j] = -grads[t][j]
        if difficulty == "easy":
            keep = 1 if params["method"] == "adagrad" else 1 - Fraction(repr(params["beta"]))
            params["v0"] = [float(keep * Fraction(repr(g)) ** 2) for g in grads[0]]
            grads = grads[1:]
        params["grads"] = grads
        return len(chains)

    def solve(self, params):
        ops = EXACT_OPS
        entries = run_trace(rules(params, ops), initial_state(params, ops), len(params["grads"]))
        work = trace_work(entries)
        # The square root each step divides by, for the worked solution.
        course = params["convention"] == "course"
        work["roots"] = [[float(ops.sqrt(v + ops.num(params["eps"])) if course and not negligible_eps(params)
                                else ops.sqrt(v)) for v in e.value]
                         for e in entries if e.name == "v"]
        parts = trace_parts(rules(params, FLOAT_OPS), entries,
                            rounding_ranges(rules, initial_state, params, len(params["grads"])))
        # A weight step is worked entry by entry (α/√v · g, then from w; PyTorch adds ε to the root
        # first), on roots the text gives as values: stated here, since the work model would not
        # see the square roots.
        per_entry = 3 if course else 4
        for part, e in zip(parts, entries):
            if e.name == "w":
                part.ops = {"arith": per_entry * len(e.value), "lookup": len(e.value)}
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        return follow_on_values(rules(params, FLOAT_OPS), initial_state(params, FLOAT_OPS), len(params["grads"]), given)
