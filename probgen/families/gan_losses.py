"""GAN losses: the discriminator's loss, the saturating (minimax) and non-saturating generator
losses for given discriminator outputs, their gradients at the discriminator's logit, and the
optimal discriminator D*(x) = p_data(x) / (p_data(x) + p_g(x)) on a small discrete example."""

from __future__ import annotations

import math

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part, vector_part

BATCH = {"easy": 1, "medium": 2, "hard": 2}
SUPPORT = {"medium": 3, "hard": 4}
# A discriminator that mostly tells real from fake; 0.5 left out so ln D and ln(1 − D) differ.
REAL_OUTPUTS = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
FAKE_OUTPUTS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
POINTS = ("x_1", "x_2", "x_3", "x_4")
# Easy has one real and one fake output: drawn to the hundredth in the same ranges, or there are
# only 64 instances.
EASY_REAL = tuple(round(0.6 + k / 100, 2) for k in range(36))  # 0.60 … 0.95
EASY_FAKE = tuple(round(0.05 + k / 100, 2) for k in range(36))  # 0.05 … 0.40


def _composition(draw, k):
    """k positive whole numbers summing to 20 (twentieths of a probability)."""
    cuts = sorted(draw.sample(range(1, 20), k - 1))
    return [b - a for a, b in zip([0] + cuts, cuts + [20])]


def _draw_distributions(draw, k):
    """p_data and p_g on k points, all probabilities positive multiples of 0.05, p_g ≠ p_data."""
    p_data, p_g = _composition(draw, k), _composition(draw, k)
    if p_g == p_data:  # move 0.05 of p_g's mass to another point, so D* is not 1/2 everywhere
        i = next(i for i, v in enumerate(p_g) if v > 1)
        p_g[i] -= 1
        p_g[(i + 1) % k] += 1
    return [v / 20 for v in p_data], [v / 20 for v in p_g]


def _log_mean(values, m):
    """(1/m) Σ ln v as one logarithm: ln(Π v)/m (short exact form)."""
    return sp.log(sp.Mul(*values)) / m


@family
class GanLosses(Family):
    id = "gan-losses"
    section = "generative"
    topic = "gan"
    title = "GAN losses and the optimal discriminator"
    version = 2  # 2: easy's outputs to the hundredth (issue 10: 300+ distinct per 1,000 seeds)

    def generate(self, draw, difficulty, convention):
        m = BATCH[difficulty]
        real, fake = (EASY_REAL, EASY_FAKE) if difficulty == "easy" else (REAL_OUTPUTS, FAKE_OUTPUTS)
        params = {
            "d_real": [draw.choice(real) for _ in range(m)],
            "d_fake": [draw.choice(fake) for _ in range(m)],
        }
        if difficulty in SUPPORT:
            params["p_data"], params["p_g"] = _draw_distributions(draw, SUPPORT[difficulty])
        return params

    def solve(self, params):
        real = [exact(v) for v in params["d_real"]]
        fake = [exact(v) for v in params["d_fake"]]
        m = len(real)
        rf, ff = params["d_real"], params["d_fake"]
        mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
        ln10 = math.log(10)

        loss_d = -_log_mean(real + [1 - f for f in fake], m)
        loss_d_f = -mean([math.log(r) for r in rf]) - mean([math.log(1 - f) for f in ff])
        sat = _log_mean([1 - f for f in fake], m)
        sat_f = mean([math.log(1 - f) for f in ff])
        nonsat = -_log_mean(fake, m)
        nonsat_f = -mean([math.log(f) for f in ff])

        d_mistakes = {
            "forgot the minus sign": -loss_d_f,
            "used ln D(G(z)) in place of ln(1 − D(G(z)))": -mean([math.log(r) for r in rf]) - mean([math.log(f) for f in ff]),
            "swapped real and fake (ln(1 − D(x)) + ln D(G(z)))": -mean([math.log(1 - r) for r in rf]) - mean([math.log(f) for f in ff]),
            "used log base 10 instead of the natural log": loss_d_f / ln10,
        }
        if m > 1:
            d_mistakes["summed over the batch instead of averaging"] = loss_d_f * m
        parts = [
            number_part("a", loss_d, 2, mistakes=d_mistakes, ops={"arith": 3 * m + 2, "lookup": 2 * m}),
            number_part("b", sat, 2, ops={"arith": 2 * m, "lookup": m}, mistakes={
                "used the non-saturating loss −ln D(G(z))": nonsat_f,
                "flipped the sign (−ln(1 − D(G(z))))": -sat_f,
                "used log base 10 instead of the natural log": sat_f / ln10,
            }),
            number_part("c", nonsat, 2, ops={"arith": m + 1, "lookup": m}, mistakes={
                "used the saturating loss ln(1 − D(G(z)))": sat_f,
                "forgot the minus sign": -nonsat_f,
                "used log base 10 instead of the natural log": nonsat_f / ln10,
            }),
        ]
        work = {"real_logs": [-math.log(r) for r in rf], "fake_logs": [-math.log(1 - f) for f in ff],
                "nonsat_logs": [-math.log(f) for f in ff]}
        keys = iter("defg")
        key_of = work["key_of"] = {}

        def next_key(role):
            key_of[role] = next(keys)
            return key_of[role]

        hard = len(params.get("p_g", ())) == SUPPORT["hard"]
        if hard:
            # With D = σ(a): d/da ln(1 − σ(a)) = −D, and d/da [−ln σ(a)] = −(1 − D).
            d1, d1f = fake[0], ff[0]
            parts.append(vector_part(next_key("gradients"), [-d1, d1 - 1], 2, mistakes={
                "flipped both signs": [d1f, 1 - d1f],
                "swapped the two gradients": [d1f - 1, -d1f],
                "differentiated with respect to D instead of the logit": [-1 / (1 - d1f), -1 / d1f],
            }))
        if "p_g" in params:
            pd = [exact(v) for v in params["p_data"]]
            pg = [exact(v) for v in params["p_g"]]
            d_star = [a / (a + b) for a, b in zip(pd, pg)]
            pdf, pgf = params["p_data"], params["p_g"]
            parts.append(vector_part(next_key("optimal"), d_star, 2, ops=2 * len(params["p_g"]), mistakes={
                "swapped p_data and p_g": [b / (a + b) for a, b in zip(pdf, pgf)],
                "took the ratio p_data / p_g": [a / b for a, b in zip(pdf, pgf)],
                "assumed D* = 1/2 everywhere (that holds only when p_g = p_data)": [0.5] * len(pdf),
            }))
            work["d_star"] = d_star
            if hard:
                value = sum((a * sp.log(d) + b * sp.log(1 - d) for a, b, d in zip(pd, pg, d_star)), sp.Integer(0))
                value_f = sum(a * math.log(a / (a + b)) + b * math.log(b / (a + b)) for a, b in zip(pdf, pgf))
                k = len(params["p_g"])  # 2k logarithms, 2k products, 2k − 1 sums
                parts.append(number_part(next_key("value"), value, 2, depends_on=[key_of["optimal"]],
                                         ops={"arith": 4 * k, "lookup": 2 * k}, mistakes={
                    "gave the Jensen–Shannon divergence (V + ln 4)/2": (value_f + math.log(4)) / 2,
                    "gave −ln 4, the value when p_g = p_data": -math.log(4),
                    "used log base 10 instead of the natural log": value_f / ln10,
                }))
                work["jsd"] = (value_f + math.log(4)) / 2
                # each point's term p_data ln D* + p_g ln(1 − D*), as a student adds them up
                work["value_terms"] = [(a, b, a / (a + b), a * math.log(a / (a + b)) + b * math.log(b / (a + b)))
                                       for a, b in zip(pdf, pgf)]
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """Hard: V(D*, G) from the student's own optimal discriminator (part e)."""
        d_star = given.get("e")
        p_data, p_g = params.get("p_data", []), params.get("p_g", [])
        if len(p_g) != SUPPORT["hard"] or not isinstance(d_star, list) or len(d_star) != len(p_g):
            return {}
        if not all(0 < d < 1 for d in d_star):
            return {}
        return {"f": sum(a * math.log(d) + b * math.log(1 - d) for a, b, d in zip(p_data, p_g, d_star))}
