"""Adam (with bias correction) and AdamW, 1–2 steps on a given gradient sequence: the course's
Algorithm 2 (decoupled decay θ ← θ − η(α m̂/(√v̂ + ε) + λθ)) or torch.optim.Adam/AdamW (AdamW's
decay multiplied by the learning rate: θ ← θ − lr·λ·θ, then the Adam step)."""

from __future__ import annotations

from fractions import Fraction

from ..kit.optim_trace import (FLOAT_OPS, rounding_ranges, Rule, draw_gradients, elementwise, EXACT_OPS, follow_on_values,
                               friendly_chains, run_trace, trace_parts, trace_work)
from ..core.registry import Family, Solution, family

SHAPE = {"easy": (1, 1), "medium": (2, 2), "hard": (2, 3)}  # (steps, parameters)
LEARNING_RATES = (0.1, 0.2, 0.5)
BETA1 = (0.9, 0.8, 0.5)
# β2 values whose tables hold many gradient sequences with a friendly √v̂ at every step (with
# 0.999 and 0.99 only sequences of equal magnitudes qualify: then v̂ = g²).
BETA2 = (0.999, 0.99, 0.9, 0.8, 0.75, 0.5)
EPSILONS = (1e-8, 0.01, 0.1)
# ε = 10⁻⁸ (PyTorch's default) only guards against dividing by 0: it cannot change a hand-worked
# answer, so the statement says to leave it out and the key and grader use the ε-free value.
NEGLIGIBLE_EPS = 1e-8
WEIGHT_DECAYS = (0.1, 0.2)
SCHEDULE_MULTIPLIERS = (1, 1, 0.5)
MAX_DRAWS = 200  # of the gradients, until no part repeats another and no weight is 0


def rules(params, ops) -> list[Rule]:
    lr, b1, b2, eps = (ops.num(params[k]) for k in ("lr", "beta1", "beta2", "eps"))
    if params["eps"] <= NEGLIGIBLE_EPS:
        eps = ops.num(0)
    adamw = params["method"] == "adamw"
    course = params["convention"] == "course"
    decay = ops.num(params["weight_decay"]) if adamw else ops.num(0)
    eta = ops.num(params["eta"]) if adamw and course else ops.num(1)
    grad = lambda t: [ops.num(g) for g in params["grads"][t - 1]]  # noqa: E731

    def root_outside(vhat):
        return ops.sqrt(vhat) + eps

    def root_inside(vhat):
        return ops.sqrt(vhat + eps)

    def new_weight(w, mhat, vhat, root=root_outside, decay_rule=None):
        """θ after the step; `root` and `decay_rule` let a mistake swap one piece."""
        adam = lr * mhat / root(vhat)
        rule = decay_rule or ("course" if course else "pytorch")
        if not adamw or rule == "none":
            return w - eta * adam
        if rule == "course":  # Algorithm 2: θ − η(α m̂/(√v̂ + ε) + λθ)
            return w - eta * (adam + decay * w)
        # torch.optim.AdamW: θ(1 − lr·λ), then the Adam step (η = 1 there)
        return w - eta * (adam + lr * decay * w)

    def weight(env, t):
        return elementwise(new_weight, env["w"], env["mhat"], env["vhat"])

    def m_mistakes(env, t):
        m, g = env["m"], grad(t)
        return {"forgot the (1 − β₁) factor (m ← β₁m + g)": elementwise(lambda m, g: b1 * m + g, m, g),
                "used β₂ instead of β₁ for the first moment": elementwise(lambda m, g: b2 * m + (1 - b2) * g, m, g)}

    def v_mistakes(env, t):
        v, g = env["v"], grad(t)
        return {"forgot to square the gradient": elementwise(lambda v, g: b2 * v + (1 - b2) * g, v, g),
                "forgot the (1 − β₂) factor (v ← β₂v + g²)": elementwise(lambda v, g: b2 * v + g * g, v, g)}

    def mhat_mistakes(env, t):
        return {"no bias correction (m̂ = m)": env["m"],
                "divided by 1 − β₁ instead of 1 − β₁ᵗ": [m / (1 - b1) for m in env["m"]]}

    def vhat_mistakes(env, t):
        return {"no bias correction (v̂ = v)": env["v"],
                "divided by 1 − β₂ instead of 1 − β₂ᵗ": [v / (1 - b2) for v in env["v"]]}

    def coupled_l2(env, t):
        """Adam with L2 regularization (Algorithm 2's other variant): g ← g + λθ, no decoupled decay."""
        out = []
        for w, m, v, g in zip(env["w"], env["prev"]["m"], env["prev"]["v"], grad(t)):
            g = g + decay * w
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            # g + λθ = 0 gives m = v = 0: no step (ε = 10⁻⁸ is left out, so say so, not 0/0)
            out.append(w if m == 0 else new_weight(w, m / (1 - b1**t), v / (1 - b2**t), decay_rule="none"))
        return out

    def w_mistakes(env, t):
        w, mhat, vhat = env["w"], env["mhat"], env["vhat"]
        out = {"Adam without bias correction (used m and v)": elementwise(new_weight, w, env["m"], env["v"])}
        inside = elementwise(lambda w, mh, vh: new_weight(w, mh, vh, root=root_inside), w, mhat, vhat)
        right = elementwise(new_weight, w, mhat, vhat)
        # named only where it differs from the answer by more than the 1% tolerance (a large v̂
        # hides a small ε): a "mistake" that scores would be no mistake
        if any(abs(float(a) - float(b)) > 0.01 * abs(float(b)) for a, b in zip(inside, right)):
            out["ε inside the root, √(v̂ + ε)"] = inside
        if adamw:
            if course:
                out["weight decay multiplied by the learning rate (PyTorch's AdamW)"] = elementwise(
                    lambda w, mh, vh: new_weight(w, mh, vh, decay_rule="pytorch"), w, mhat, vhat)
            else:
                out["weight decay not multiplied by the learning rate (the course's Algorithm 2)"] = elementwise(
                    lambda w, mh, vh: new_weight(w, mh, vh, decay_rule="course"), w, mhat, vhat)
            out["coupled L2 instead of decoupled decay (λθ added to the gradient)"] = coupled_l2(env, t)
            out["forgot the weight decay"] = elementwise(lambda w, mh, vh: new_weight(w, mh, vh, decay_rule="none"), w, mhat, vhat)
        return out

    return [
        Rule("m", ("m",), lambda env, t: elementwise(lambda m, g: b1 * m + (1 - b1) * g, env["m"], grad(t)), 1, m_mistakes),
        Rule("v", ("v",), lambda env, t: elementwise(lambda v, g: b2 * v + (1 - b2) * g * g, env["v"], grad(t)), 1, v_mistakes),
        Rule("mhat", ("m",), lambda env, t: [m / (1 - b1**t) for m in env["m"]], 1, mhat_mistakes),
        Rule("vhat", ("v",), lambda env, t: [v / (1 - b2**t) for v in env["v"]], 1, vhat_mistakes),
        Rule("w", ("w", "mhat", "vhat"), weight, 2, w_mistakes),
    ]


def _changing_chains(steps: int, beta2: float) -> tuple:
    """The friendly gradient-magnitude sequences (Adam's v̂ has a friendly root at every step)
    whose magnitude changes at every step, so v̂ never repeats."""
    return tuple(c for c in friendly_chains(steps, repr(beta2), "0", True, "0.1")
                 if all(c[t] != c[t - 1] for t in range(1, steps)))


def _distinct_coordinates(grads) -> bool:
    """No two coordinates share their gradient magnitudes at every step."""
    magnitudes = [tuple(abs(row[j]) for row in grads) for j in range(len(grads[0]))]
    return len(set(magnitudes)) == len(magnitudes)


def initial_state(params, ops) -> dict:
    zero = [ops.num(0)] * len(params["w0"])
    return {"w": [ops.num(x) for x in params["w0"]], "m": zero, "v": zero}


@family
class AdamTrace(Family):
    id = "adam-trace"
    section = "fundamentals"
    topic = "optimization"
    title = "Adam and AdamW: a step-by-step trace"
    version = 3  # 2: gradient magnitudes change between steps where β₂ allows it (v̂ no longer
    # repeats); 3: over several steps only such β₂ (0.999 and 0.99 made v̂₂ = v̂₁)
    conventions = ("course", "pytorch")

    def generate(self, draw, difficulty, convention):
        steps, dims = SHAPE[difficulty]
        method = draw.choice(("adam", "adamw", "adamw"))  # AdamW is where the conventions differ
        # AdamW keeps α ≤ 0.2, so that λθ and α·λθ (the two conventions' decay) differ visibly.
        lr = draw.choice(LEARNING_RATES if method == "adam" else LEARNING_RATES[:2])
        beta1 = draw.choice(BETA1)
        # β₂ ≥ β₁, as in every published setting: the second moment averages over a longer window.
        # Over two or more steps only a β₂ whose table has gradient magnitudes that change from
        # step to step: with 0.999 or 0.99 every friendly sequence has |g₂| = |g₁|, so v̂₂ = v̂₁
        # and a later part would repeat an earlier one (TA defect 13).
        beta2s = [b for b in BETA2 if b >= beta1 and (steps == 1 or _changing_chains(steps, b))]
        params = {"convention": convention, "method": method, "lr": lr,
                  "beta1": beta1, "beta2": draw.choice(beta2s),
                  "eps": draw.choice(EPSILONS)}
        if method == "adamw":
            params["weight_decay"] = draw.choice(WEIGHT_DECAYS)
            if convention == "course":
                params["eta"] = draw.choice(SCHEDULE_MULTIPLIERS)
        params["w0"] = [draw.decimal(-1, 1, 0.5, nonzero=method == "adamw") for _ in range(dims)]
        # v̂ repeats exactly when |g_t| = |g_{t−1}|: only sequences whose magnitudes change.
        chains = _changing_chains(steps, params["beta2"]) if steps > 1 else \
            friendly_chains(steps, repr(params["beta2"]), "0", True, "0.1")
        # A coincidence can still make one part's answer another's (β₁ = β₂ = 0.8, g₁ = 0.2:
        # m₁ = v̂₁ = 0.04), land a weight exactly on 0, or give two coordinates the same gradient
        # magnitudes (every vector then holds one number twice, up to sign): such gradients are
        # drawn again.
        for _ in range(MAX_DRAWS):
            params["grads"] = self._gradients(draw, chains, steps, dims, params["beta1"])
            entries = run_trace(rules(params, EXACT_OPS), initial_state(params, EXACT_OPS), steps)
            values = [e.value for e in entries]
            if all(v != u for k, v in enumerate(values) for u in values[:k]) \
                    and not any(x == 0 for e in entries if e.name == "w" for x in e.value) \
                    and (len(chains) < dims or _distinct_coordinates(params["grads"])):
                break
        return params

    @staticmethod
    def _gradients(draw, chains, steps, dims, beta1):
        grads = draw_gradients(draw, chains, steps, dims)
        # Signs never change √v̂, so two fixes keep the table's friendly roots: a gradient equal
        # to the previous one is negated (else m̂ and v̂ just repeat), and a sign that would
        # cancel the first moment (m_t = 0, no step) is flipped.
        b1 = Fraction(repr(beta1))
        for j in range(dims):
            m = Fraction(0)
            for t, row in enumerate(grads):
                if t and row[j] == grads[t - 1][j]:
                    row[j] = -row[j]
                if b1 * m + (1 - b1) * Fraction(repr(row[j])) == 0:
                    row[j] = -row[j]
                m = b1 * m + (1 - b1) * Fraction(repr(row[j]))
        return grads

    def solve(self, params):
        ops = EXACT_OPS
        entries = run_trace(rules(params, ops), initial_state(params, ops), len(params["grads"]))
        work = trace_work(entries)
        work["roots"] = [[float(ops.sqrt(v)) for v in e.value] for e in entries if e.name == "vhat"]
        return Solution(parts=trace_parts(rules(params, FLOAT_OPS), entries,
                                                 rounding_ranges(rules, initial_state, params, len(params["grads"]))), work=work)

    def follow_on(self, params, given):
        return follow_on_values(rules(params, FLOAT_OPS), initial_state(params, FLOAT_OPS), len(params["grads"]), given)
