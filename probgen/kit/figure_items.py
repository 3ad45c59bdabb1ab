"""Figure-reading items drawn from parameters (pool items of probgen.kit.concepts, one figure per
problem, several parts each):

- `LRCurves` (optimization-concepts): the loss of gradient descent on L(w) = (a/2)w² for four
  learning rates; which α is too large (the loss grows: |1 − αa| > 1), which too small (the loss
  falls slowest), above which α it diverges (2/a).
- `ActivationPlot` (backprop-concepts): an activation f and its derivative f′ over [−R, R];
  which activation it is, where the gradient vanishes, the largest f′.

Every answer is computed from the very values the figure draws (the `curves` figure the PDF and
the terminal render). The attention heatmap is in `probgen.kit.heatmap_item`.
"""

from __future__ import annotations

import math
from typing import Any

from .concepts import LETTERS, Built, Item
from .curves import _choice_part


def _g(x: float) -> str:
    return f"{round(x, 6):g}"


# ------------------------------------------------------------------ learning rates

ROLES = ("small", "good", "wobbly", "large")
# αa for each role: 1 − αa in {0.9, 0.95} slow; {0.1, 0.2} fast; {−0.6, −0.5} fast enough,
# alternating; {−1.2, −1.1} diverging. The loss (a/2)w_t² is multiplied by (1 − αa)² per step.
ROLE_FACTORS = {"small": (0.05, 0.1), "good": (0.8, 0.9), "wobbly": (1.5, 1.6), "large": (2.1, 2.2)}
STEPS = 5  # the diverging loss grows 2.6- or 6.2-fold: the slow curve stays readable beside it


def gd_losses(a: float, alpha: float, steps: int = STEPS) -> list[float]:
    """L(w_t) = (a/2)w_t² for t = 0..steps, w₀ = 1, w ← w − α a w, rounded to 4 decimals."""
    w, out = 1.0, []
    for _ in range(steps + 1):
        out.append(round(a / 2 * w * w, 4))
        w -= alpha * a * w
    return out


class LRCurves(Item):
    """Loss curves of one quadratic for four learning rates; three figure-reading parts."""

    id = "lr-curves"
    has_figure = True
    group = "gd-lr"

    def draw(self, draw) -> dict[str, Any]:
        a = draw.choice((2, 4, 10))  # α = αa/a has at most 4 decimals
        roles = list(ROLES)
        draw.shuffle(roles)  # the legend's (and the options') order
        alphas = [round(draw.choice(ROLE_FACTORS[r]) / a, 6) for r in roles]
        return {"a": a, "alphas": alphas}

    def build(self, key, inst, mistakes) -> list[Built]:
        a, alphas = inst["a"], inst["alphas"]
        losses = {al: gd_losses(a, al) for al in alphas}
        figure = {"type": "curves", "xlabel": "step t", "ylabel": "loss L(wₜ)", "x": list(range(STEPS + 1)),
                  "series": [{"name": f"α = {_g(al)}", "y": losses[al]} for al in alphas]}
        final = {al: losses[al][-1] for al in alphas}
        grows = [al for al in alphas if final[al] > losses[al][0]]
        falling = [al for al in alphas if al not in grows]
        too_large = grows[0]
        too_small = max(falling, key=lambda al: final[al])
        texts = {al: f"$\\alpha = {_g(al)}$" for al in alphas}
        end = {al: f"{final[al]:g}" if final[al] else "below 0.0001" for al in alphas}
        fact = {al: (f"its loss goes from {losses[al][0]:g} to {end[al]} in {STEPS} steps "
                     f"(1 − αa = {_g(1 - al * a)}, so each step multiplies the loss by {_g((1 - al * a) ** 2)})")
                for al in alphas}
        keys = iter(LETTERS[LETTERS.index(key):])
        lead = (f"[[figure]]\n\nThe figure shows the loss of gradient descent on $L(w) = (a/2)\\, w^2$ with "
                f"$a = {a}$, starting from $w_0 = 1$, for four learning rates $\\alpha$, step by step.")
        out = []
        why = {al: (f"Too large: {fact[al]}; it diverges because |1 − αa| > 1, i.e. α > 2/a = {_g(2 / a)}."
                    if al == too_large else f"Not too large: {fact[al]}.") for al in alphas}
        m = mistakes["gd-oscillate-diverges"]
        wobbly = [al for al in falling if al * a > 1]
        part, steps = _choice_part(next(keys), alphas, too_large, texts, why, [(al, m.name, m.explanation) for al in wobbly])
        out.append(Built("Which learning rate is too large: the loss grows instead of falling?", part, figure, steps, lead))
        why = {al: (f"Too small: {fact[al]}, the slowest fall of the curves that fall." if al == too_small else
                    f"That one is too large: {fact[al]}." if al == too_large else
                    f"Not the slowest: {fact[al]}.") for al in alphas}
        m = mistakes["gd-small-diverges"]
        part, steps = _choice_part(next(keys), alphas, too_small, texts, why, [(too_large, m.name, m.explanation)])
        out.append(Built("Which learning rate is too small: the loss falls, but the slowest?", part, figure, steps))
        bounds = {f"{k}/a": k / a for k in (2, 1, 4, 0.5)}  # the options: α above 2/a, 1/a, 4/a, 1/(2a)
        order = sorted(bounds, key=lambda b: (alphas.index(too_large) + list(bounds).index(b)) % 4)
        btexts = {b: f"$\\alpha > {_g(v)}$" for b, v in bounds.items()}
        wrong = {"1/a": f"α = {_g(1 / a)} gives 1 − αa = 0 (one step to the minimum); just above it w changes sign "
                        f"each step but still shrinks, as α = {', '.join(_g(al) for al in wobbly) or '…'} shows.",
                 "4/a": f"It diverges already for α > {_g(2 / a)}: α = {_g(too_large)} < {_g(4 / a)} diverges in the figure.",
                 "0.5/a": f"α = {_g(0.5 / a)} and a bit more still converge: 0 < 1 − αa < 1 up to α = {_g(1 / a)}."}
        why = {b: (f"|1 − αa| > 1 exactly when α > 2/a = {_g(2 / a)} (for α > 0); α = {_g(too_large)} is the only "
                   "α of the figure above it, and its loss grows." if b == "2/a" else wrong[b]) for b in bounds}
        m = mistakes["gd-diverge-above-1a"]
        part, steps = _choice_part(next(keys), order, "2/a", btexts, why, [("1/a", m.name, m.explanation)])
        out.append(Built("For which learning rates does gradient descent on this $L$ diverge (from any $w_0 \\neq 0$)?",
                         part, figure, steps))
        return out


# ------------------------------------------------------------------ activation functions

ACTIVATIONS = {
    "sigmoid": "the sigmoid $\\sigma(x) = 1/(1 + e^{-x})$",
    "tanh": "the hyperbolic tangent $\\tanh(x)$",
    "relu": "the ReLU $\\max(0, x)$",
    "leaky": "a leaky ReLU, $x$ for $x > 0$ and a small slope times $x$ below",
}
REGIONS = {
    "both": "for large $|x|$, on both sides",
    "negative": "for $x < 0$ (the whole left half), and only there",
    "none": "nowhere in the plotted range",
    "middle": "only near $x = 0$",
}
SHORT = {"sigmoid": "the sigmoid", "tanh": "tanh", "relu": "the ReLU", "leaky": "a leaky ReLU"}
VANISH = 0.05  # "nearly 0": below this
PEAKS = (0.25, 0.5, 1.0, 2.0)


def activation(name: str, x: float, slope: float = 0.0) -> tuple[float, float]:
    """(f(x), f′(x)); at x = 0 ReLU's f′ is taken as the right-hand value's convention 0."""
    if name == "sigmoid":
        s = 1 / (1 + math.exp(-x))
        return s, s * (1 - s)
    if name == "tanh":
        t = math.tanh(x)
        return t, 1 - t * t
    k = 0.0 if name == "relu" else slope
    return (x, 1.0) if x > 0 else (k * x, k)


def region_of(xs: list[float], dfs: list[float]) -> str:
    """Where the plotted derivative is below VANISH, read off the plotted values."""
    low = [x for x, d in zip(xs, dfs) if d < VANISH]
    if not low:
        return "none"
    if all(x <= 0 for x in low) and all(d < VANISH for x, d in zip(xs, dfs) if x < 0):
        return "negative"
    if min(low) == xs[0] and max(low) == xs[-1]:
        return "both"
    return "middle"


class ActivationPlot(Item):
    """An activation f and its derivative f′, unnamed; three figure-reading parts."""

    id = "activation-plot"
    has_figure = True
    group = "sigma"

    def draw(self, draw) -> dict[str, Any]:
        name = draw.choice(tuple(ACTIVATIONS))
        names, regions, peaks = list(ACTIVATIONS), list(REGIONS), list(PEAKS)
        for order in (names, regions, peaks):
            draw.shuffle(order)
        return {"act": name, "slope": draw.choice((0.1, 0.2)) if name == "leaky" else 0.0,
                "R": draw.choice((4, 5, 6)), "names": names, "regions": regions, "peaks": peaks}

    def build(self, key, inst, mistakes) -> list[Built]:
        name, slope, R = inst["act"], inst["slope"], inst["R"]
        xs = [round(-R + 0.25 * i, 2) for i in range(8 * R + 1)]
        fs, dfs = zip(*(activation(name, x, slope) for x in xs))
        if name in ("relu", "leaky"):  # f′ jumps at 0: the left value, then the right one, drawn as a step
            at = xs.index(0)
            xs, fs, dfs = xs[:at + 1] + xs[at:], fs[:at + 1] + fs[at:], dfs[:at + 1] + (1.0,) + dfs[at + 1:]
        fs, dfs = [round(v, 4) for v in fs], [round(v, 4) for v in dfs]
        figure = {"type": "curves", "xlabel": "x", "ylabel": "", "x": xs, "markers": False, "table_every": 4,
                  # f′ marked at whole x: it stays visible where it runs along f (ReLU: both 0 for x < 0)
                  "series": [{"name": "f(x)", "y": fs}, {"name": "f′(x)", "y": dfs, "markers": True}]}
        region, peak = region_of(xs, dfs), max(dfs)
        at0 = fs[xs.index(0)]
        lead = (f"[[figure]]\n\nThe figure shows an activation function $f$ (solid) and its derivative $f'$ "
                f"(dashed, with squares) for $x$ from $-{R}$ to ${R}$.")
        keys = iter(LETTERS[LETTERS.index(key):])
        shape = {"sigmoid": f"f runs from near 0 to near 1 with f(0) = {at0:g}: the sigmoid.",
                 "tanh": f"f runs from near −1 to near 1 with f(0) = {at0:g}: tanh.",
                 "relu": "f is 0 for x < 0 and x for x > 0: the ReLU.",
                 "leaky": f"f is x for x > 0 and {slope:g}x below, not 0: a leaky ReLU."}
        why = {n: (shape[n] if n == name else f"Not {SHORT[n]}: {shape[name]}")
               for n in ACTIVATIONS}
        part, steps = _choice_part(next(keys), inst["names"], name, ACTIVATIONS, why, [])
        out = [Built("Which activation function is $f$?", part, figure, steps, lead)]
        low = [x for x, d in zip(xs, dfs) if d < VANISH]
        seen = (f"f′(x) < {VANISH:g} at {len(low)} of the {len(xs)} plotted points, "
                + (f"from x = {min(low):g} to {max(low):g}" if region == "negative" else
                   f"for |x| ≥ {min(abs(x) for x in low):g}" if region == "both" else "") + "."
                if low else f"f′(x) ≥ {min(dfs):g} everywhere in the plot.")
        why = {r: (seen if r == region else f"Not so here: {seen}") for r in REGIONS}
        mis = []
        if region != "both":
            m = mistakes["relu-vanish-like-sigmoid"]
            mis.append(("both", m.name, m.explanation))
        part, steps = _choice_part(next(keys), inst["regions"], region, REGIONS, why, mis)
        out.append(Built(f"Where is the gradient $f'(x)$ nearly 0 (below {VANISH:g}), so that almost no gradient "
                         "flows back through the unit?", part, figure, steps))
        texts = {p: f"${_g(p)}$" for p in PEAKS}
        why = {p: (f"The dashed curve peaks at {peak:g}" + (" (at x = 0)" if name in ("sigmoid", "tanh") else
                                                          " (for every x > 0)") + "." if p == peak else
                   f"The dashed curve never reaches {_g(p)}: its peak is {peak:g}." if p > peak else
                   f"The dashed curve goes above {_g(p)}, up to {peak:g}.") for p in PEAKS}
        mis = []
        if name == "sigmoid":
            mis = [(1.0, mistakes["sigmoid-max-1"].name, mistakes["sigmoid-max-1"].explanation),
                   (0.5, mistakes["sigmoid-max-half"].name, mistakes["sigmoid-max-half"].explanation)]
        part, steps = _choice_part(next(keys), inst["peaks"], peak, texts, why, mis)
        out.append(Built("What is the largest value of $f'$, the most a gradient can be multiplied by when it "
                         "passes back through one such unit?", part, figure, steps))
        return out
