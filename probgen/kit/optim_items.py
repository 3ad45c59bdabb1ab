"""Optimization items with drawn numbers (for optimization-concepts): which learning rates make
gradient descent on L(w) = (a/2)w² diverge, what one α does, updates per epoch, momentum's
limiting step, Adam's first step without bias correction. Each key is computed from the drawn
numbers; tests run the iterations (NumPy, torch) independently."""

from __future__ import annotations

import math
from typing import Any

from ..core.model import Misconception, Part
from .concepts import LETTERS, Built, Item

CURVATURES = (2, 4, 5, 10)
FACTORS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.5, 3.0)  # αa; 2 (the boundary) never drawn


def _g(x: float) -> str:
    return f"{round(x, 6):g}"


def gd_behaviour(alpha_a: float) -> str:
    """What w ← (1 − αa)w does from w₀ ≠ 0."""
    r = 1 - alpha_a
    if r == 0:
        return "one-step"
    if 0 < r < 1:
        return "monotone"
    if -1 < r < 0:
        return "alternating"
    return "diverge"


BEHAVIOURS = {
    "monotone": "it converges to 0 without changing sign",
    "alternating": "it converges to 0, alternating in sign",
    "diverge": "it diverges, alternating in sign with growing size",
    "one-step": "it reaches 0 in a single step and stays there",
}


def _part(key, kind, answer, choices, why, mis=(), points=2) -> Part:
    return Part(key=key, kind=kind, answer=answer, exact=answer, tolerance=0, points=points, choices=choices,
                explanations=why, misconceptions=[Misconception(name=n, value=v, explanation=e) for n, v, e in mis])


def _lettered(order: list[str], table: dict[str, str]) -> dict[str, str]:
    """`table` (option code -> text) keyed by the letter each code is shown under in `order`."""
    return {LETTERS[i]: table[o] for i, o in enumerate(order)}


def _steps(choices, right, why) -> list[str]:
    right = set(right) if isinstance(right, list) else {right}
    return [f"- **({k})** {'right' if k in right else 'wrong'}: {why[k]}" for k in choices]


GD_SETUP = (r"Gradient descent on $L(w) = (a/2)\, w^2$ with $a = {a}$ updates "
            r"$w \leftarrow w - \alpha L'(w) = (1 - \alpha a)\, w$, starting from $w_0 = 1$. ")


class GDDiverge(Item):
    """Select the learning rates for which the iterate diverges (α > 2/a)."""

    id = "gd-diverge"
    group = "gd-lr"

    def draw(self, draw) -> dict[str, Any]:
        a = draw.choice(CURVATURES)
        k = draw.integer(1, 2)
        big = draw.sample((2.5, 3.0), k)
        rest = draw.sample((0.25, 0.5, 1.25, 1.5, 1.75), 4 - k)
        factors = big + rest
        draw.shuffle(factors)
        return {"a": a, "alphas": [round(f / a, 6) for f in factors]}

    def build(self, key, inst, mistakes) -> Built:
        a, alphas = inst["a"], inst["alphas"]
        choices = {LETTERS[i]: f"$\\alpha = {_g(al)}$" for i, al in enumerate(alphas)}
        answer = [LETTERS[i] for i, al in enumerate(alphas) if abs(1 - al * a) > 1]
        why, mis = {}, []
        for i, al in enumerate(alphas):
            k, r = LETTERS[i], 1 - al * a
            why[k] = (f"1 − αa = {_g(r)}, |1 − αa| > 1: |w| is multiplied by {_g(abs(r))} each step." if abs(r) > 1 else
                      f"1 − αa = {_g(r)}, |1 − αa| < 1: |w| is multiplied by {_g(abs(r))} each step"
                      + (", alternating in sign." if r < 0 else "."))
            belief = "gd-diverge-above-1a" if r < 0 and abs(r) < 1 else "gd-small-diverges" if r > 0 else None
            if belief:
                m = mistakes[belief]
                mis.append((m.name, sorted(answer + [k]), m.explanation))
        prompt = GD_SETUP.format(a=a) + r"For which learning rates does $|w_t|$ grow without bound?"
        part = _part(key, "multi", answer, choices, why, mis, points=3)
        steps = _steps(choices, answer, why) + [f"It diverges exactly when $|1 - \\alpha a| > 1$, i.e. $\\alpha > 2/a = {_g(2 / a)}$."]
        return Built(prompt, part, steps=steps)


class GDBehaviour(Item):
    """What one learning rate does: monotone, alternating, diverging or one step."""

    id = "gd-behaviour"
    group = "gd-lr"

    def draw(self, draw) -> dict[str, Any]:
        a = draw.choice(CURVATURES)
        order = list(BEHAVIOURS)
        draw.shuffle(order)
        return {"a": a, "alpha": round(draw.choice(FACTORS) / a, 6), "order": order}

    def build(self, key, inst, mistakes) -> Built:
        a, alpha = inst["a"], inst["alpha"]
        r = 1 - alpha * a
        right = gd_behaviour(alpha * a)
        choices = {LETTERS[i]: BEHAVIOURS[b] for i, b in enumerate(inst["order"])}
        answer = LETTERS[inst["order"].index(right)]
        facts = f"Here 1 − αa = 1 − {_g(alpha)}·{a} = {_g(r)}, so w_t = ({_g(r)})ᵗ."
        why = {LETTERS[i]: (f"{facts} " if b == right else "") + {
            "monotone": "Converging without a sign change needs 0 < 1 − αa < 1.",
            "alternating": "Converging while alternating needs −1 < 1 − αa < 0.",
            "diverge": "Diverging needs |1 − αa| > 1, i.e. α > 2/a.",
            "one-step": "Reaching 0 in one step needs 1 − αa = 0, i.e. α = 1/a."}[b]
            for i, b in enumerate(inst["order"])}
        mis = []
        if right == "alternating":
            m = mistakes["gd-oscillate-diverges"]
            mis.append((m.name, LETTERS[inst["order"].index("diverge")], m.explanation))
        prompt = GD_SETUP.format(a=a) + f"With $\\alpha = {_g(alpha)}$, what happens to $w_t$?"
        return Built(prompt, _part(key, "choice", answer, choices, why, mis), steps=_steps(choices, answer, why))


PAIRS = [(n, b) for n in (1000, 2000, 5000, 10000, 50000, 60000) for b in (10, 20, 25, 50, 100, 200, 250)
         if n % b == 0 and n // b != b]


class UpdatesPerEpoch(Item):
    id = "updates-per-epoch"
    group = "sgd"

    def draw(self, draw) -> dict[str, Any]:
        n, b = draw.choice(PAIRS)
        order = ["n/b", "n", "1", "b"]
        draw.shuffle(order)
        return {"n": n, "b": b, "order": order}

    def build(self, key, inst, mistakes) -> Built:
        n, b = inst["n"], inst["b"]
        values = {"n/b": n // b, "n": n, "1": 1, "b": b}
        choices = {LETTERS[i]: f"{values[o]:,}" for i, o in enumerate(inst["order"])}
        answer = LETTERS[inst["order"].index("n/b")]
        why = _lettered(inst["order"], {
            "n/b": f"Each update averages the gradients of one mini-batch of b = {b}: n/b = {n // b:,} batches per epoch.",
            "n": f"{n:,} updates per epoch is SGD with one example per update (b = 1).",
            "1": "One update per epoch is full-batch gradient descent (b = n).",
            "b": f"b = {b} is the number of examples in one update, not the number of updates."})
        mis = [(mistakes[m].name, LETTERS[inst["order"].index(o)], mistakes[m].explanation)
               for o, m in (("n", "sgd-updates-n"), ("1", "sgd-updates-1"))]
        nn = f"{n:,}".replace(",", "{,}")
        prompt = (f"A training set has $n = {nn}$ examples. Mini-batch SGD with batch size $b = {b}$ makes one "
                  "pass over it (one epoch). How many weight updates does it make?")
        return Built(prompt, _part(key, "choice", answer, choices, why, mis), steps=_steps(choices, answer, why))


class MomentumLimit(Item):
    id = "momentum-limit"
    group = "momentum"

    def draw(self, draw) -> dict[str, Any]:
        order = ["limit", "plain", "mu", "one-minus"]
        draw.shuffle(order)
        return {"mu": draw.choice((0.6, 0.75, 0.8, 0.9)), "alpha": draw.choice((0.1, 0.05, 0.01)),
                "grad": draw.choice((2, 4, 5)), "order": order}

    def build(self, key, inst, mistakes) -> Built:
        mu, alpha, g = inst["mu"], inst["alpha"], inst["grad"]
        values = {"limit": -alpha * g / (1 - mu), "plain": -alpha * g, "mu": -alpha * g * mu, "one-minus": -alpha * g * (1 - mu)}
        choices = {LETTERS[i]: f"${_g(values[o])}$" for i, o in enumerate(inst["order"])}
        answer = LETTERS[inst["order"].index("limit")]
        lim = _g(values["limit"])
        why = _lettered(inst["order"], {
            "limit": f"At the fixed point m = μm − αg, so m = −αg/(1 − μ) = −{_g(alpha)}·{g}/{_g(1 - mu)} = {lim}.",
            "plain": f"−αg = {_g(values['plain'])} is only the first step; the velocity keeps growing towards {lim}.",
            "mu": f"−αgμ is not a fixed point of m ← μm − αg; the limit is {lim}.",
            "one-minus": f"Multiplying by 1 − μ shrinks the step; momentum grows it, to {lim}."})
        m = mistakes["momentum-limit-alpha"]
        mis = [(m.name, LETTERS[inst["order"].index("plain")], m.explanation)]
        prompt = (r"SGD with momentum, $m_{t+1} = \mu m_t - \alpha \nabla L(w_t)$, $w_{t+1} = w_t + m_{t+1}$, $m_0 = 0$, "
                  f"with $\\mu = {_g(mu)}$ and $\\alpha = {_g(alpha)}$, runs along a stretch where the gradient stays "
                  f"$\\nabla L = {g}$. Which step $m_t$ do the updates approach?")
        return Built(prompt, _part(key, "choice", answer, choices, why, mis), steps=_steps(choices, answer, why))


BETAS = ((0.9, 0.999), (0.8, 0.99), (0.8, 0.999), (0.95, 0.999))


def adam_first_step_uncorrected(beta1: float, beta2: float) -> float:
    """|θ₁ − θ₀| / α without bias correction (ε → 0), for any nonzero gradient."""
    return (1 - beta1) / math.sqrt(1 - beta2)


class AdamNoBias(Item):
    id = "adam-no-bias"
    group = "bias"

    def draw(self, draw) -> dict[str, Any]:
        beta1, beta2 = draw.choice(BETAS)
        order = ["right", "alpha", "m-only", "v-only"]
        draw.shuffle(order)
        return {"beta1": beta1, "beta2": beta2, "order": order}

    def build(self, key, inst, mistakes) -> Built:
        b1, b2 = inst["beta1"], inst["beta2"]
        values = {"right": adam_first_step_uncorrected(b1, b2), "alpha": 1.0, "m-only": 1 - b1,
                  "v-only": 1 / math.sqrt(1 - b2)}
        choices = {LETTERS[i]: f"$\\approx {values[o]:.3g}\\,\\alpha$" for i, o in enumerate(inst["order"])}
        answer = LETTERS[inst["order"].index("right")]
        r = f"{values['right']:.3g}"
        why = _lettered(inst["order"], {
            "right": f"m₁ = (1 − β₁)g and v₁ = (1 − β₂)g², so the step is α(1 − β₁)|g|/(√(1 − β₂)|g|) = "
                     f"α·{_g(1 - b1)}/√{_g(1 - b2)} ≈ {r}α.",
            "alpha": f"α is the first step *with* bias correction (m̂₁ = g, v̂₁ = g²); without it the step is ≈ {r}α.",
            "m-only": f"That corrects nothing in v: the uncorrected √v₁ = √(1 − β₂)|g| also divides the step; it is ≈ {r}α.",
            "v-only": f"That leaves out the factor 1 − β₁ of m₁; the step is ≈ {r}α."})
        mis = []
        if values["right"] > 1:
            m = mistakes["bias-smaller"]
            mis.append((m.name, LETTERS[inst["order"].index("m-only")], m.explanation))
        prompt = (f"Adam with $\\beta_1 = {_g(b1)}$, $\\beta_2 = {_g(b2)}$ (and $\\varepsilon \\approx 0$) starts from "
                  r"$m_0 = v_0 = 0$. If it skipped the bias correction ($\hat m_t = m_t/(1-\beta_1^t)$, "
                  r"$\hat v_t = v_t/(1-\beta_2^t)$), how large would its first step $|\theta_1 - \theta_0|$ be, for "
                  "any nonzero gradient?")
        return Built(prompt, _part(key, "choice", answer, choices, why, mis), steps=_steps(choices, answer, why))
