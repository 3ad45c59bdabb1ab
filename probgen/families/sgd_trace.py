"""Gradient descent, SGD on one sample and mini-batch SGD on ℓ(w; x, y) = ½(w·x − y)² over a
tiny dataset, 1–3 steps (the deck's formulas; PyTorch's SGD agrees, so no conventions)."""

from __future__ import annotations

from fractions import Fraction

from ..kit.optim_trace import FLOAT_OPS, rounding_ranges, Rule, EXACT_OPS, follow_on_values, run_trace, trace_parts, trace_work
from ..core.registry import Family, Solution, family

METHODS = ("gd", "sgd", "minibatch")
DIRECTIONS = ((1, 1), (1, -1), (1, 2), (1, -2), (2, 1), (2, -1))  # two-parameter inputs, no two parallel

SHAPE = {"easy": (1, 1), "medium": (2, 2), "hard": (3, 2)}  # (steps, parameters)
SAMPLES = {"gd": 2, "sgd": 3, "minibatch": 4}
# Changes of one target y_i tried in order when the drawn data would give a zero gradient at
# some step: a bounded, deterministic list (the unchanged data almost always passes).
TARGET_SHIFTS = (0, 0.5, -0.5, 1, -1)


def batch_gradient(X, y, w, batch, zero):
    """(1/|B|) Σ_{i∈B} (w·x_i − y_i) x_i, with 1-based sample numbers in `batch`."""
    total = [zero] * len(w)
    for i in batch:
        x = X[i - 1]
        residual = sum((wj * xj for wj, xj in zip(w, x)), zero) - y[i - 1]
        total = [s + residual * xj for s, xj in zip(total, x)]
    return [s / len(batch) for s in total]


def rules(params, ops) -> list[Rule]:
    X = [[ops.num(v) for v in row] for row in params["X"]]
    y = [ops.num(v) for v in params["y"]]
    lr, zero = ops.num(params["lr"]), ops.num(0)
    everyone = list(range(1, len(y) + 1))
    batch = lambda t: params["batches"][t - 1]  # noqa: E731

    def gradient(env, t):
        return batch_gradient(X, y, env["w"], batch(t), zero)

    def gradient_mistakes(env, t):
        g = gradient(env, t)
        out = {"flipped the residual's sign (used y − w·x)": [-x for x in g]}
        if len(batch(t)) > 1:
            out["summed over the batch instead of averaging"] = [x * len(batch(t)) for x in g]
        if params["method"] == "sgd":
            out["used the full-batch gradient instead of the one sample"] = batch_gradient(X, y, env["w"], everyone, zero)
        if params["method"] == "minibatch":
            out["used the whole dataset instead of the mini-batch"] = batch_gradient(X, y, env["w"], everyone, zero)
        return out

    def step_mistakes(env, t):
        w, g = env["w"], env["g"]
        return {
            "moved along the gradient (w + αg)": [a + lr * b for a, b in zip(w, g)],
            "forgot the learning rate (w − g)": [a - b for a, b in zip(w, g)],
        }

    return [
        Rule("g", ("w",), gradient, 2, gradient_mistakes),
        Rule("w", ("w", "g"), lambda env, t: [a - lr * b for a, b in zip(env["w"], env["g"])], 1, step_mistakes),
    ]


def initial_state(params, ops) -> dict:
    return {"w": [ops.num(x) for x in params["w0"]]}


def _degenerate(params) -> bool:
    """Whether some step's gradient is exactly zero (nothing would move)."""
    frac = lambda v: Fraction(str(v))  # noqa: E731
    X = [[frac(v) for v in row] for row in params["X"]]
    y = [frac(v) for v in params["y"]]
    w, lr = [frac(v) for v in params["w0"]], frac(params["lr"])
    for batch in params["batches"]:
        g = batch_gradient(X, y, w, batch, Fraction(0))
        if all(x == 0 for x in g):
            return True
        w = [a - lr * b for a, b in zip(w, g)]
    return False


@family
class SgdTrace(Family):
    id = "sgd-trace"
    section = "fundamentals"
    topic = "optimization"
    title = "Gradient descent, SGD and mini-batch SGD: a step-by-step trace"

    def generate(self, draw, difficulty, convention):
        steps, dims = SHAPE[difficulty]
        method = draw.choice(METHODS)
        n = SAMPLES[method]
        if dims == 1:
            X = [[float(draw.choice((-2, -1, 1, 2, 3)))] for _ in range(n)]
        else:
            # Pairwise non-parallel inputs: with parallel rows a step can land exactly on the
            # minimum along that direction and the next gradient is zero.
            X = [[float(sign * v) for v in row] for row in draw.sample(DIRECTIONS, n) for sign in [draw.sign()]]
        # α/b = 0.1 for the averaged methods (b = 2), α = 0.1 for one sample: each step adds
        # about one decimal place; α·|x|² stays below 2 so the trace does not blow up.
        small = max(abs(v) for row in X for v in row) ** 2 * dims <= 8
        if method == "sgd":
            lr = draw.choice((0.1, 0.05)) if difficulty == "easy" else 0.1
        else:
            lr = 0.2 if small else 0.1
        w0 = [draw.decimal(-1.5, 1.5, 0.5) for _ in range(dims)]
        # Targets from nonzero residuals at w_0: no sample's gradient vanishes at the start.
        y = [sum(a * b for a, b in zip(w0, x)) - draw.decimal(-3, 3, 0.5, nonzero=True) for x in X]
        samples = list(range(1, n + 1))
        if method == "gd":
            batches = [samples] * steps
        elif method == "sgd":
            batches = [[i] for i in draw.sample(samples, steps)]
        else:
            batches = []
            while len(batches) < steps:  # one shuffled pass over the data per epoch, batches of 2
                order = draw.sample(samples, n)
                batches += [sorted(order[k:k + 2]) for k in range(0, n, 2)]
            batches = batches[:steps]
        params = {"method": method, "X": X, "y": y, "w0": w0, "lr": lr, "batches": batches}
        for shift in TARGET_SHIFTS:
            for i in range(n):
                candidate = {**params, "y": [v + shift * (k == i) for k, v in enumerate(y)]}
                if not _degenerate(candidate):
                    return candidate
        raise AssertionError("no shift of the targets gives a nonzero gradient")  # never seen in sweeps

    def solve(self, params):
        ops = EXACT_OPS
        entries = run_trace(rules(params, ops), initial_state(params, ops), len(params["batches"]))
        work = trace_work(entries)
        # For the worked solution: each used sample's residual w·x_i − y_i at the step's start.
        exact = [[sum(ops.num(x) * w for x, w in zip(params["X"][i - 1], e.env_before["w"])) - ops.num(params["y"][i - 1])
                  for i in params["batches"][e.t - 1]] for e in entries if e.name == "g"]
        work["residuals"] = [[float(r) for r in rs] for rs in exact]
        # ... each sample's gradient r_i x_i, and their sum before the average divides it by |B|
        grads = [[[r * ops.num(x) for x in params["X"][i - 1]] for r, i in zip(rs, batch)]
                 for rs, batch in zip(exact, params["batches"])]
        work["sample_grads"] = [[[float(v) for v in g] for g in gs] for gs in grads]
        work["grad_sums"] = [[float(sum(col)) for col in zip(*gs)] for gs in grads]
        parts = trace_parts(rules(params, FLOAT_OPS), entries,
                            rounding_ranges(rules, initial_state, params, len(params["batches"])))
        dims = len(params["w0"])
        for part, batch in zip(parts[::2], params["batches"]):  # the gradient parts, as their solutions work them
            b = len(batch)
            # each residual w·x_i − y_i: small-integer inputs times the weights, summed (mental work);
            # then r_i x_i per entry, the sum over the batch and the division by b on a calculator
            part.ops = {"int": 2 * dims * b, "arith": dims * b + (dims * b if b > 1 else 0)}
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        return follow_on_values(rules(params, FLOAT_OPS), initial_state(params, FLOAT_OPS), len(params["batches"]), given)
