"""Diffusion (DDPM) forward process: ᾱ_t = Π_{s≤t} (1 − β_s) from a β schedule, the closed-form
sample x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε, the signal-to-noise ratio ᾱ/(1 − ᾱ), recovering x₀ from a
predicted noise ε̂, and the simple training loss ‖ε − ε̂‖²."""

from __future__ import annotations

from functools import lru_cache
from fractions import Fraction
from itertools import combinations_with_replacement

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part, vector_part

# Per-step factors 1 − β_s with short decimals, and the final ᾱ_T whose root and whose complement's
# root are both short decimals (3-4-5 and 7-24-25 triangles): √0.64 = 0.8, √0.36 = 0.6, √0.9216 =
# 0.96, √0.0784 = 0.28.
FACTORS = ("0.99", "0.98", "0.96", "0.95", "0.9", "0.8", "0.75", "0.64", "0.6", "0.5", "0.4")
PYTHAGOREAN = frozenset(Fraction(v) for v in ("0.9216", "0.64", "0.36", "0.0784"))
# Hard also takes ᾱ_T whose own root is short but whose complement's root needs the calculator's √.
SQUARES = PYTHAGOREAN | frozenset(Fraction(v) for v in ("0.81", "0.49", "0.25", "0.16", "0.09"))
TARGETS = {"easy": PYTHAGOREAN, "medium": PYTHAGOREAN, "hard": SQUARES}
STEPS = {"easy": (2,), "medium": (2, 3), "hard": (3, 4)}
DIMENSIONS = {"easy": 1, "medium": 2, "hard": 2}
MAX_DRAWS = 30  # of x₀ and the noise, until no entry of x_t or x̂₀ is 0


@lru_cache(maxsize=None)
def schedules(steps: int, targets: frozenset) -> tuple:
    """Every non-increasing tuple of factors (so β grows with t, as in real schedules) whose product
    is one of `targets`, in a fixed order."""
    found = []
    for combo in combinations_with_replacement(sorted(FACTORS, key=Fraction, reverse=True), steps):
        product = Fraction(1)
        for f in combo:
            product *= Fraction(f)
        if product in targets:
            found.append(combo)
    return tuple(found)


def _dec(x) -> float:
    return float(Fraction(x))


def _set_rounding_ranges(parts, params, every_step: bool) -> None:
    """Every value a student reaches by rounding each step to 3 significant figures
    (kit/rounding.py), along the worked solution: ᾱ as a running product, √ᾱ and √(1 − ᾱ), x_t,
    the SNR, and x̂₀ = (x_t − √(1 − ᾱ) ε̂)/√ᾱ, which cancels and then divides by √ᾱ (as small as
    0.28): (1.12 − 0.96·1.4 = 1.34)/0.28 gives −0.786 for the exact −0.814."""
    from ..kit.rounding import Rounded

    running, alpha_bars = Rounded(1.0), []
    for b in params["betas"]:
        running = running * Rounded(1 - Fraction(repr(b)))  # α_s = 1 − β_s is short: exact
        alpha_bars.append(running)
    ab = alpha_bars[-1]
    signal, spread = ab.sqrt(), (1 - ab).sqrt()
    xt = [signal * x + spread * e for x, e in zip(params["x0"], params["noise"])]
    x0_hat = [(x - spread * e) / signal for x, e in zip(xt, params["predicted_noise"])]
    ab_snr = alpha_bars[params.get("snr_step", len(alpha_bars)) - 1]
    ranges = {"a": [v.bounds() for v in alpha_bars] if every_step else ab.bounds(),
              "b": [v.bounds() for v in xt], "c": (ab_snr / (1 - ab_snr)).bounds(),
              "d": [v.bounds() for v in x0_hat]}
    for part in parts:
        if part.key in ranges:
            rng = ranges[part.key]
            part.accepted = rng[0] if part.kind == "number" and part.key in "bd" else rng


@family
class DiffusionForward(Family):
    id = "diffusion-forward"
    section = "generative"
    topic = "diffusion"
    title = "Diffusion: the forward process, SNR and recovering x₀"
    version = 2  # 2: no entry of x_t or x̂₀ is 0 by coincidence

    def generate(self, draw, difficulty, convention):
        steps = draw.choice(STEPS[difficulty])
        factors = draw.choice(schedules(steps, TARGETS[difficulty]))
        k = DIMENSIONS[difficulty]
        step = 0.5 if difficulty == "easy" else 0.1
        alpha_bar = 1.0
        for f in factors:
            alpha_bar *= _dec(f)
        signal, spread = alpha_bar ** 0.5, (1 - alpha_bar) ** 0.5
        for _ in range(MAX_DRAWS):
            noise = [draw.decimal(-2, 2, step, nonzero=True) for _ in range(k)]
            # The network's prediction misses the true noise by a small nonzero amount in each coordinate.
            misses = [draw.decimal(-0.5, 0.5, 0.1, nonzero=True) for _ in range(k)]
            x0 = [draw.decimal(-2, 2, 0.5, nonzero=True) for _ in range(k)]
            # No entry of x_t or of the recovered x̂₀ that is 0 by coincidence (x₂ = [0.06, 0] reads
            # as a trivial part, TA defect 13).
            xt = [signal * x + spread * e for x, e in zip(x0, noise)]
            x0_hat = [x - spread / signal * d for x, d in zip(x0, misses)]
            if all(abs(v) > 1e-9 for v in xt + x0_hat):
                break
        return {
            "betas": [round(1 - _dec(f), 4) for f in factors],
            "x0": x0,
            "noise": noise,
            "predicted_noise": [round(e + d, 1) for e, d in zip(noise, misses)],
            "steps_asked": "all" if difficulty == "hard" else "last",  # hard asks ᾱ_t at every t
            # the step whose signal-to-noise ratio is asked: any step, so the SNR varies with the schedule
            "snr_step": draw.integer(1, steps),
        }

    def solve(self, params):
        betas = [exact(b) for b in params["betas"]]
        x0 = [exact(v) for v in params["x0"]]
        eps = [exact(v) for v in params["noise"]]
        eps_hat = [exact(v) for v in params["predicted_noise"]]
        k = len(x0)
        alpha_bars = []
        running = sp.Integer(1)
        for b in betas:
            running *= 1 - b
            alpha_bars.append(running)
        ab = alpha_bars[-1]
        signal, noise_scale = sp.sqrt(ab), sp.sqrt(1 - ab)
        xt = [signal * x + noise_scale * e for x, e in zip(x0, eps)]
        s_snr = params.get("snr_step", len(betas))
        ab_snr = alpha_bars[s_snr - 1]
        snr = ab_snr / (1 - ab_snr)
        x0_hat = [(x - noise_scale * e) / signal for x, e in zip(xt, eps_hat)]

        bf = params["betas"]
        abf, sf, nf = float(ab), float(signal), float(noise_scale)
        x0f, ef, ehf = params["x0"], params["noise"], params["predicted_noise"]
        xtf = [float(v) for v in xt]
        # The misconceptions' ᾱ_t for every t: 1 − Σ β, Π β, and α_t = 1 − β_t alone.
        sum_of_betas, product_of_betas, only_last = [], [], []
        total, product = 0.0, 1.0
        for b in bf:
            total += b
            product *= b
            sum_of_betas.append(1 - total)
            product_of_betas.append(product)
            only_last.append(1 - b)
        every_step = params["steps_asked"] == "all"

        def part_for(key, values, points, mistakes, depends_on=()):
            """A number for a 1-dimensional x, else a vector."""
            if k == 1:
                return number_part(key, values[0], points, mistakes={n: v[0] for n, v in mistakes.items()},
                                   depends_on=depends_on)
            return vector_part(key, values, points, mistakes=mistakes, depends_on=depends_on)

        alpha_mistakes = {
            "summed the betas: 1 − Σ β_s": sum_of_betas,
            "multiplied the betas: Π β_s": product_of_betas,
            "used only the last step's α_t = 1 − β_t": only_last,
        }
        parts = []
        if every_step:
            parts.append(vector_part("a", alpha_bars, 2, mistakes=alpha_mistakes))
        else:
            parts.append(number_part("a", ab, 2, mistakes={n: v[-1] for n, v in alpha_mistakes.items()}))
        parts += [
            part_for("b", xt, 2, {
                "used ᾱ and 1 − ᾱ without square roots": [abf * x + (1 - abf) * e for x, e in zip(x0f, ef)],
                "swapped the weights: √(1 − ᾱ) x₀ + √ᾱ ε": [nf * x + sf * e for x, e in zip(x0f, ef)],
                "forgot the noise term": [sf * x for x in x0f],
            }, depends_on=["a"]),
            number_part("c", snr, 1, depends_on=[] if s_snr < len(betas) else ["a"], mistakes={
                "inverted: (1 − ᾱ)/ᾱ": float((1 - ab_snr) / ab_snr),
                "used the square roots √ᾱ/√(1 − ᾱ)": float(sp.sqrt(ab_snr / (1 - ab_snr))),
                "gave ᾱ itself": float(ab_snr),
            }),
            part_for("d", x0_hat, 2, {
                "forgot to divide by √ᾱ": [x - nf * e for x, e in zip(xtf, ehf)],
                "added the noise instead of subtracting it": [(x + nf * e) / sf for x, e in zip(xtf, ehf)],
                "divided by ᾱ instead of √ᾱ": [(x - nf * e) / abf for x, e in zip(xtf, ehf)],
                "used the true noise ε instead of the prediction ε̂ (gives back x₀)": list(x0f),
            }, depends_on=["b"]),
        ]
        if every_step:
            diff = [e - h for e, h in zip(eps, eps_hat)]
            parts.append(number_part("e", sum((d ** 2 for d in diff), sp.Integer(0)), 1, mistakes={
                "forgot to square: Σ |ε − ε̂|": sum(abs(a - b) for a, b in zip(ef, ehf)),
                "averaged over the coordinates instead of summing": sum((a - b) ** 2 for a, b in zip(ef, ehf)) / k,
                "took the norm without squaring: ‖ε − ε̂‖": sum((a - b) ** 2 for a, b in zip(ef, ehf)) ** 0.5,
            }))
        _set_rounding_ranges(parts, params, every_step)
        work = {"alpha_bars": alpha_bars, "factors": [1 - b for b in betas], "signal": signal,
                "noise_scale": noise_scale, "xt": xt, "x0_hat": x0_hat,
                "snr_step": s_snr, "alpha_bar_snr": ab_snr}
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """Part d from the student's own x_T (part b)."""
        if "b" not in given:
            return {}
        xt = given["b"] if isinstance(given["b"], list) else [given["b"]]
        if len(xt) != len(params["x0"]):
            return {}
        ab = 1.0
        for b in params["betas"]:
            ab *= 1 - b
        values = [(x - (1 - ab) ** 0.5 * e) / ab ** 0.5 for x, e in zip(xt, params["predicted_noise"])]
        return {"d": values if len(values) > 1 else values[0]}
