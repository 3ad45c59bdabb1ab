"""VAE: the deck's ELBO terms for a 1-2 dimensional Gaussian latent: the KL divergence
KL(N(μ, σ²) ‖ N(0, 1)) (the deck's prior matching term is its negative) = ½ Σ (μ² + σ² − 1 − ln σ²), the reparameterization z = μ + σ ⊙ ε, the
reconstruction term of a Bernoulli or unit-variance Gaussian decoder, and the ELBO."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part, vector_part

LATENT = {"easy": 1, "medium": 2, "hard": 2}
PIXELS = {"easy": 3, "medium": 4, "hard": 4}
# σ with ln σ² one calculator key away; 1 is allowed only with μ ≠ 0 (else that dimension's KL is 0).
SIGMAS = (0.25, 0.5, 0.8, 1.0, 1.5, 2.0)
LOG_VARIANCES = (-2, -1, 1, 2)  # hard: the encoder outputs log σ² (as in code), σ = e^{ℓ/2}
PROBABILITIES = (0.1, 0.2, 0.25, 0.4, 0.6, 0.75, 0.8, 0.9)
PRECISION = 30


def _draw_latent(draw, difficulty):
    k = LATENT[difficulty]
    # Hard asks for ∂KL/∂μ₁ = μ₁, so μ is nonzero there.
    mu = [draw.decimal(-2, 2, 0.5, nonzero=difficulty == "hard") for _ in range(k)]
    if difficulty == "hard":
        spread = {"log_var": [draw.choice(LOG_VARIANCES) for _ in range(k)]}
    else:
        spread = {"sigma": [draw.choice(SIGMAS if m != 0 else [s for s in SIGMAS if s != 1]) for m in mu]}
    step = 0.5 if difficulty == "easy" else 0.1
    noise = [draw.decimal(-2, 2, step, nonzero=True) for _ in range(k)]
    return {"mu": mu, **spread, "noise": noise}


def _draw_decoder(draw, n):
    kind = draw.choice(("bernoulli", "gaussian"))
    if kind == "bernoulli":
        x = [1, 0] + [draw.integer(0, 1) for _ in range(n - 2)]
        draw.shuffle(x)
        return {"decoder": kind, "x": x, "x_hat": [draw.choice(PROBABILITIES) for _ in range(n)]}
    x = [draw.decimal(0, 1, 0.1) for _ in range(n)]
    # Reconstructions off by a nonzero multiple of 0.1 (at most 0.5), kept inside [0, 1].
    offsets = [draw.choice([o / 10 for o in range(-5, 6) if o and 0 <= xi + o / 10 <= 1]) for xi in x]
    return {"decoder": kind, "x": x, "x_hat": [round(xi + o, 1) for xi, o in zip(x, offsets)]}


def _range_z(part, params) -> None:
    """z = μ + σ ε accepts what rounding σ (from e^(log σ²/2)) and the product σ ε to 3
    significant figures gives (kit/rounding.py): μ + σ ε may cancel (−0.5 + 0.607·0.575)."""
    from ..kit.rounding import Rounded

    if "log_var" in params:
        sigma = [Rounded(v / 2).exp() for v in params["log_var"]]
    else:
        sigma = [Rounded(s) for s in params["sigma"]]
    ranges = [(Rounded(m) + s * e).bounds() for m, s, e in zip(params["mu"], sigma, params["noise"])]
    part.accepted = ranges[0] if part.kind == "number" else ranges


def terminating_decimal(q) -> str | None:
    """The exact decimal of a rational with a terminating expansion (36/125 -> "0.288"), else None."""
    if not getattr(q, "is_Rational", False):
        return None
    num, den = int(q.p), int(q.q)
    twos_fives = den
    for f in (2, 5):
        while twos_fives % f == 0:
            twos_fives //= f
    if twos_fives != 1:
        return None
    with localcontext() as ctx:
        ctx.prec = 60
        return format((Decimal(num) / Decimal(den)).normalize(), "f")


@family
class VaeElbo(Family):
    id = "vae-elbo"
    section = "generative"
    topic = "vae"
    title = "VAE: KL term, reparameterization and the ELBO"

    def generate(self, draw, difficulty, convention):
        return {**_draw_latent(draw, difficulty), **_draw_decoder(draw, PIXELS[difficulty])}

    def solve(self, params):
        mu = [exact(m) for m in params["mu"]]
        noise = [exact(e) for e in params["noise"]]
        k = len(mu)
        from_log_var = "log_var" in params
        if from_log_var:
            log_var = [sp.Integer(v) for v in params["log_var"]]
            var = [sp.exp(v) for v in log_var]
            sigma = [sp.exp(v / 2) for v in log_var]
        else:
            sigma = [exact(s) for s in params["sigma"]]
            var = [s ** 2 for s in sigma]
            log_var = [sp.log(v) for v in var]
        # ½ Σ (μ² + σ² − 1 − ln σ²); the logarithms are collected into one so the exact form stays short.
        rational = sum(((m ** 2 + v - 1) / 2 for m, v in zip(mu, var)), sp.Integer(0))
        kl = rational - (sum(log_var, sp.Integer(0)) / 2 if from_log_var else sp.log(sp.Mul(*var)) / 2)
        muf, ef = [float(m) for m in params["mu"]], [float(e) for e in params["noise"]]
        if from_log_var:
            # Sums with exponentials cost milliseconds to evaluate and print exactly: the vector answers
            # (shown as decimals) are 30-digit mpmath values; the KL term and the ELBO stay exact.
            import mpmath

            with mpmath.workdps(PRECISION):
                sig_mp = [mpmath.exp(mpmath.mpf(v) / 2) for v in params["log_var"]]
                z_mp = [mpmath.mpf(m.p) / m.q + s * mpmath.mpf(e.p) / e.q for m, s, e in zip(mu, sig_mp, noise)]
                grad_mp = (sig_mp[0] ** 2 - 1) / 2
            z = [sp.Float(v, PRECISION) for v in z_mp]
            sigma_shown = [sp.Float(v, PRECISION) for v in sig_mp]
            half_grad = sp.Float(grad_mp, PRECISION)
            sf = [float(v) for v in sig_mp]
            vf = [float(v ** 2) for v in sig_mp]
            lvf = [float(v) for v in params["log_var"]]
        else:
            z = [m + s * e for m, s, e in zip(mu, sigma, noise)]
            sigma_shown = sigma
            sf = [float(v) for v in params["sigma"]]
            vf = [v * v for v in sf]
            lvf = [math.log(v) for v in vf]

        kl_terms = [(m * m + v - 1 - lv) / 2 for m, v, lv in zip(muf, vf, lvf)]  # shown in the solution

        def kl_with(v_of, lv_of, half=0.5, minus_one=1.0):
            return sum(half * (m * m + v_of(i) - minus_one - lv_of(i)) for i, m in enumerate(muf))

        kl_mistakes = {
            "forgot the ½": kl_with(lambda i: vf[i], lambda i: lvf[i], half=1.0),
            "flipped the sign of ln σ²": kl_with(lambda i: vf[i], lambda i: -lvf[i]),
            "forgot the −1": kl_with(lambda i: vf[i], lambda i: lvf[i], minus_one=0.0),
        }
        if from_log_var:
            kl_mistakes["read log σ² as log σ (σ² = e^{2ℓ})"] = kl_with(lambda i: math.exp(2 * lvf[i]), lambda i: 2 * lvf[i])
        else:
            kl_mistakes["used σ where σ² belongs"] = kl_with(lambda i: sf[i], lambda i: math.log(sf[i]))
        z_mistakes = {
            "used the variance: z = μ + σ²ε": [m + v * e for m, v, e in zip(muf, vf, ef)],
            "forgot σ: z = μ + ε": [m + e for m, e in zip(muf, ef)],
            "swapped μ and σ: z = σ + μ ε": [s + m * e for m, s, e in zip(muf, sf, ef)],
        }
        if from_log_var:
            z_mistakes["used log σ² as σ: z = μ + (log σ²) ε"] = [m + lv * e for m, lv, e in zip(muf, lvf, ef)]

        x = [exact(v) for v in params["x"]]
        xh = [exact(v) for v in params["x_hat"]]
        xf, xhf = params["x"], params["x_hat"]
        n = len(x)
        if params["decoder"] == "bernoulli":
            kept = [h if xi == 1 else 1 - h for xi, h in zip(x, xh)]
            recon = sp.log(1 / sp.Mul(*kept))  # −Σ [x ln x̂ + (1 − x) ln(1 − x̂)]
            per_pixel = [-math.log(h if xi == 1 else 1 - h) for xi, h in zip(xf, xhf)]
            recon_mistakes = {
                "used log base 10 instead of the natural log": sum(per_pixel) / math.log(10),
                "averaged over the pixels instead of summing": sum(per_pixel) / n,
                "used −ln x̂ for every pixel, ignoring x": -sum(math.log(h) for h in xhf),
                "forgot the minus sign": -sum(per_pixel),
            }
            recon_terms = per_pixel
        else:
            recon = sum(((xi - h) ** 2 for xi, h in zip(x, xh)), sp.Integer(0)) / 2  # ½ Σ (x − x̂)²
            squares = [(a - b) ** 2 for a, b in zip(xf, xhf)]
            recon_mistakes = {
                "forgot the ½": sum(squares),
                "took the mean over pixels instead of the sum": sum(squares) / (2 * n),
                "forgot to square (½ Σ |x − x̂|)": sum(abs(a - b) for a, b in zip(xf, xhf)) / 2,
            }
            recon_terms = squares
        loss = recon + kl
        klf, reconf = float(kl), float(recon)

        parts = []
        key_of = {}
        keys = iter("abcdef")

        def next_key(role):
            key_of[role] = next(keys)
            return key_of[role]

        if from_log_var:
            parts.append(vector_part(next_key("sigma"), sigma_shown, 1, mistakes={
                "took σ = e^{log σ²} (forgot the square root)": [math.exp(v) for v in lvf],
                "took σ = log σ² directly": lvf,
            }))
        from_sigma = ["a"] if from_log_var else []  # hard: later parts use the student's σ (part a)
        parts.append(number_part(next_key("kl"), kl, 3, mistakes=kl_mistakes, depends_on=from_sigma))
        if k == 1:
            parts.append(number_part(next_key("z"), z[0], 1, mistakes={n_: v[0] for n_, v in z_mistakes.items()}))
        else:
            parts.append(vector_part(next_key("z"), z, 2, mistakes=z_mistakes, depends_on=from_sigma))
        parts.append(number_part(next_key("recon"), recon, 2, mistakes=recon_mistakes))
        if from_log_var:
            parts.append(number_part(next_key("elbo"), -loss, 2, depends_on=[key_of["kl"], key_of["recon"]], mistakes={
                "gave the loss −ELBO (sign flipped)": klf + reconf,
                "added the KL term instead of subtracting it": klf - reconf,
                "left out the KL term": -reconf,
            }))
            # ∂KL/∂μ₁ = μ₁ and ∂KL/∂ℓ₁ = ½(e^{ℓ₁} − 1) for the encoder outputs of dimension 1.
            parts.append(vector_part(next_key("kl_gradient"), [mu[0], half_grad], 2, depends_on=from_sigma, mistakes={
                "differentiated with respect to σ instead of log σ²": [muf[0], sf[0] - 1 / sf[0]],
                "forgot the ½": [2 * muf[0], vf[0] - 1],
            }))
        else:
            parts.append(number_part(next_key("loss"), loss, 2, depends_on=[key_of["kl"], key_of["recon"]], mistakes={
                "subtracted the KL term instead of adding it": reconf - klf,
                "left out the KL term": reconf,
                "gave the ELBO (sign flipped)": -(klf + reconf),
            }))
        _range_z(parts[[p.key for p in parts].index(key_of["z"])], params)
        work = {"key_of": key_of, "sigma": sigma, "var": var, "log_var": log_var, "kl_terms": kl_terms, "z": z,
                "recon_terms": recon_terms, "kl": kl, "recon": recon, "loss": loss,
                # D_KL as a TA writes it: its exact decimal where it has one (2.75, not 11/4), else ≈
                "kl_decimal": terminating_decimal(kl)}
        if params["decoder"] == "bernoulli":
            # −ln of the product of the probabilities the pixels keep, a decimal (−ln(0.01125), not
            # ln(800/9)); the exact value stays the same
            work["recon_tex"] = rf"-\ln({terminating_decimal(sp.Mul(*kept))})"
            parts[[p.key for p in parts].index(key_of["recon"])].latex = work["recon_tex"]
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """Hard: the KL term, z and the KL gradient from the student's σ (a); the loss or ELBO from
        the student's KL term and reconstruction loss."""
        mu, eps = params["mu"], params["noise"]
        out = {}
        if "log_var" in params:
            keys = dict(zip(("sigma", "kl", "z", "recon", "elbo"), "abcde"))
            sigma = given.get("a")
            if isinstance(sigma, list) and len(sigma) == len(mu) and all(s > 0 for s in sigma):
                out["b"] = sum((m * m + s * s - 1 - math.log(s * s)) / 2 for m, s in zip(mu, sigma))
                out["c"] = [m + s * e for m, s, e in zip(mu, sigma, eps)]
                out["f"] = [mu[0], (sigma[0] ** 2 - 1) / 2]
        else:
            keys = dict(zip(("kl", "z", "recon", "loss"), "abcd"))
        kl, recon = given.get(keys["kl"]), given.get(keys["recon"])
        if isinstance(kl, float) or isinstance(recon, float):
            reference = self.solve(params).parts
            value = {p.key: p.answer for p in reference}
            kl = kl if isinstance(kl, float) else value[keys["kl"]]
            recon = recon if isinstance(recon, float) else value[keys["recon"]]
            if "elbo" in keys:
                out[keys["elbo"]] = -(recon + kl)
            else:
                out[keys["loss"]] = recon + kl
        return out
