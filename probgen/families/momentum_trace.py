"""SGD with momentum, 1–3 steps on a given gradient sequence: the course's m ← μm − αg, w ← w + m
or PyTorch's buffer b ← μb + g (first step b = g), w ← w − αb."""

from __future__ import annotations

from fractions import Fraction

from ..kit.optim_trace import FLOAT_OPS, rounding_ranges, Rule, elementwise, EXACT_OPS, follow_on_values, run_trace, trace_parts, trace_work
from ..core.registry import Family, Solution, family

LEARNING_RATES = (0.1, 0.2, 0.5, 0.05)
MOMENTA = (0.9, 0.5, 0.8, 0.75)
SHAPE = {"easy": (1, 1), "medium": (2, 2), "hard": (3, 2)}  # (steps, parameters)
MAX_DRAWS = 50  # of w₀ and the gradients, until the instance is not degenerate


def rules(params, ops) -> list[Rule]:
    lr, mu = ops.num(params["lr"]), ops.num(params["momentum"])
    grad = lambda t: [ops.num(g) for g in params["grads"][t - 1]]  # noqa: E731
    if params["convention"] == "pytorch":
        def buffer(env, t):
            return grad(t) if t == 1 else elementwise(lambda b, g: mu * b + g, env["b"], grad(t))

        def buffer_mistakes(env, t):
            b, g = env["b"], grad(t)
            return {
                "wrote the course's momentum m ← μm − αg instead of PyTorch's buffer":
                    elementwise(lambda b, g: -lr * (mu * b + g), b, g),
                "multiplied the gradient by the learning rate inside the buffer (b ← μb + αg)":
                    elementwise(lambda b, g: mu * b + lr * g, b, g),
                "forgot the momentum factor μ (b ← b + g)": elementwise(lambda b, g: b + g, b, g),
            }

        def step_mistakes(env, t):
            w, b, g = env["w"], env["b"], grad(t)
            return {
                "momentum sign convention: added αb instead of subtracting it":
                    elementwise(lambda w, b: w + lr * b, w, b),
                "ignored momentum (plain SGD step w − αg)": elementwise(lambda w, g: w - lr * g, w, g),
                "forgot the learning rate (w ← w − b)": elementwise(lambda w, b: w - b, w, b),
            }

        return [
            Rule("b", ("b",), buffer, 1, buffer_mistakes),
            Rule("w", ("w", "b"), lambda env, t: elementwise(lambda w, b: w - lr * b, env["w"], env["b"]), 2, step_mistakes),
        ]

    def velocity_mistakes(env, t):
        m, g = env["m"], grad(t)
        return {
            "momentum sign convention: m ← μm + αg": elementwise(lambda m, g: mu * m + lr * g, m, g),
            "forgot the momentum term (m ← −αg)": [-lr * x for x in g],
            "used PyTorch's buffer b ← μb + g as m": elementwise(lambda m, g: mu * (-m / lr) + g, m, g),
        }

    def step_mistakes(env, t):
        w, m, g = env["w"], env["m"], grad(t)
        return {
            "momentum sign convention: subtracted m (w ← w − m)": elementwise(lambda w, m: w - m, w, m),
            "ignored momentum (plain SGD step w − αg)": elementwise(lambda w, g: w - lr * g, w, g),
        }

    return [
        Rule("m", ("m",), lambda env, t: elementwise(lambda m, g: mu * m - lr * g, env["m"], grad(t)), 1, velocity_mistakes),
        Rule("w", ("w", "m"), lambda env, t: elementwise(lambda w, m: w + m, env["w"], env["m"]), 2, step_mistakes),
    ]


def _gradients(draw, steps, dims, mu):
    """Nonzero multiples of 0.5. The one value that would cancel the momentum (g = −μ·b, making
    the step zero) is left out of the choices."""
    values = [Fraction(k, 2) for k in range(-6, 7) if k]
    buffer = [Fraction(0)] * dims
    grads = []
    for _ in range(steps):
        row = []
        for j in range(dims):
            g = draw.choice([v for v in values if v != -Fraction(str(mu)) * buffer[j]])
            buffer[j] = Fraction(str(mu)) * buffer[j] + g
            row.append(float(g))
        grads.append(row)
    return grads


def degenerate(params) -> bool:
    """A weight exactly 0 after some step, or two coordinates with the same gradient magnitudes
    at every step: a TA would draw such an instance again."""
    entries = run_trace(rules(params, EXACT_OPS), initial_state(params, EXACT_OPS), len(params["grads"]))
    if any(x == 0 for e in entries if e.name == "w" for x in e.value):
        return True
    magnitudes = [tuple(abs(row[j]) for row in params["grads"]) for j in range(len(params["w0"]))]
    return len(set(magnitudes)) < len(magnitudes)


def initial_state(params, ops) -> dict:
    zero = [ops.num(0)] * len(params["w0"])
    return {"w": [ops.num(x) for x in params["w0"]], "m": zero, "b": zero}


@family
class MomentumTrace(Family):
    id = "momentum-trace"
    section = "fundamentals"
    topic = "optimization"
    title = "SGD with momentum: a step-by-step trace"
    conventions = ("course", "pytorch")

    def generate(self, draw, difficulty, convention):
        steps, dims = SHAPE[difficulty]
        lr = draw.choice(LEARNING_RATES)
        mu = draw.choice(MOMENTA)
        # A weight landing exactly on 0 (w₁ = [0.75, 0]) or two coordinates whose gradients have
        # the same magnitudes at every step (one column repeats the other, up to sign) is drawn
        # again; the first draw is kept whenever it is neither.
        for _ in range(MAX_DRAWS):
            params = {"convention": convention, "w0": [draw.decimal(-2, 2, 0.5) for _ in range(dims)],
                      "grads": _gradients(draw, steps, dims, mu), "lr": lr, "momentum": mu}
            if not degenerate(params):
                break
        return params

    def solve(self, params):
        ops = EXACT_OPS
        entries = run_trace(rules(params, ops), initial_state(params, ops), len(params["grads"]))
        return Solution(parts=trace_parts(rules(params, FLOAT_OPS), entries,
                                                 rounding_ranges(rules, initial_state, params, len(params["grads"]))), work=trace_work(entries))

    def follow_on(self, params, given):
        return follow_on_values(rules(params, FLOAT_OPS), initial_state(params, FLOAT_OPS), len(params["grads"]), given)
