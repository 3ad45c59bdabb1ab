"""A tiny SimCLR (NT-Xent) example: 2 or 3 positive pairs, cosine similarities, a temperature."""

from __future__ import annotations

import math
from fractions import Fraction

from ..core.model import Misconception, Part
from ..core.registry import Family, Solution, family
from ..kit.solver import choice_part, number_part

TEMPERATURES = (0.2, 0.25, 0.5, 1.0)
POSITIVE_SIMS = (0.5, 0.6, 0.7, 0.8, 0.9)
# Unit directions with short coordinates: any two have a cosine with at most two decimals.
DIRECTIONS = ((1, 0), (0, 1), (-1, 0), (0, -1), (0.6, 0.8), (0.8, 0.6), (-0.6, 0.8), (-0.8, 0.6),
              (0.6, -0.8), (0.8, -0.6), (-0.6, -0.8), (-0.8, -0.6))
LENGTHS = (1, 2, 5, 10)
LETTERS = "abcd"
# One anchor's row of three other views: three logits s/τ, their exponentials, the sum and the
# positive's ratio (ROW_OPS); its loss is the log of the sum less the positive's logit (ANCHOR_OPS).
ROW_OPS = {"arith": 6, "lookup": 3}
ANCHOR_OPS = {"arith": 6, "lookup": 4}


def _cos_units(u, v):
    return round(u[0] * v[0] + u[1] * v[1], 6)


def _negative_sims(draw, k):
    """k distinct negative similarities, multiples of 0.1 in [-0.5, 0.4]."""
    return [v / 10 for v in draw.sample(range(-5, 5), k)]


class LogSum:
    """ℓ = log(1 + Σ_k exp(d_k)), d_k = (s_k − s_pos)/τ as exact fractions: −log of the positive's
    softmax probability. Built without SymPy: printing and evaluating sums of exponentials
    symbolically costs milliseconds per part, far over the generation budget."""

    def __init__(self, diffs):
        self.diffs = list(diffs)

    def value(self) -> float:
        return math.log(math.fsum([1.0] + [math.exp(d) for d in self.diffs]))

    def inside(self) -> tuple[str, str]:
        """(SymPy-syntax, LaTeX) of 1 + Σ exp(d_k)."""
        return (" + ".join(["1"] + [f"exp({_str(d)})" for d in self.diffs]),
                " + ".join(["1"] + [f"e^{{{_tex(d)}}}" for d in self.diffs]))


def _str(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _tex(q: Fraction) -> str:
    if q.denominator == 1:
        return str(q.numerator)
    sign = "-" if q < 0 else ""
    return f"{sign}{abs(q.numerator)}/{q.denominator}"


def loss_of(sims, positive, tau) -> LogSum:
    """NT-Xent loss of one anchor: `sims` its similarities to every other view (Fractions)."""
    return LogSum((s - sims[positive]) / tau for i, s in enumerate(sims) if i != positive)


def closed_form_part(key, value: float, exact_str: str, latex: str, points: int, mistakes=None,
                     depends_on=(), ops=None) -> Part:
    """A number part whose exact form is written out here (see LogSum)."""
    return Part(key=key, kind="number", answer=value, exact=exact_str, latex=latex, points=points,
                misconceptions=[Misconception(name=n, value=float(v)) for n, v in (mistakes or {}).items()],
                depends_on=list(depends_on), ops=ops)


def loss_part(key, loss: LogSum, points, mistakes=None, depends_on=(), ops=None) -> Part:
    inner, inner_tex = loss.inside()
    return closed_form_part(key, loss.value(), f"log({inner})", rf"\log\left({inner_tex}\right)",
                            points, mistakes, depends_on, ops)


def rounding_range(logits, positive, probability: bool = False) -> list[float]:
    """Every loss (or, `probability`, positive's probability) a student reaches who rounds each
    step to 3 significant figures (kit/rounding.py), by each route the key teaches: the
    exponentials, their sum and the positive's share, then −log of it; log of the sum less the
    positive's logit (the statement asks 4 figures for that log: at 3, log 35.4 = 3.57 less 3.5
    leaves one figure); and the exact form log(1 + Σ e^(z_k − z_pos))."""
    from ..kit.rounding import Rounded

    exps = [Rounded(float(z)).exp() for z in logits]
    total = sum(exps[1:], exps[0])
    share = exps[positive] / total
    gaps = [Rounded(float(z - logits[positive])).exp() for i, z in enumerate(logits) if i != positive]
    inside = sum(gaps, Rounded(1.0))
    if probability:
        return share.cover(1 / inside).bounds()
    by_log_of_sum = total.at(4).log().at(3) - float(logits[positive])
    return (-share.log()).cover(by_log_of_sum).cover(inside.log()).bounds()


def row_loss_float(sims_over_tau, positive):
    """−log softmax of the positive, in floating point (for the misconception values)."""
    return math.log(sum(math.exp(z) for z in sims_over_tau)) - sims_over_tau[positive]


@family
class ContrastiveLoss(Family):
    id = "contrastive-loss"
    section = "fundamentals"
    topic = "losses"
    title = "Contrastive loss (SimCLR / NT-Xent)"

    def generate(self, draw, difficulty, convention):
        if difficulty == "easy":
            return {"tau": draw.choice(TEMPERATURES),
                    "sim_row": [draw.choice(POSITIVE_SIMS)] + _negative_sims(draw, 2)}
        if difficulty == "medium":
            s12, s34 = draw.choice(POSITIVE_SIMS), draw.choice(POSITIVE_SIMS)
            s13, s14, s23, s24 = _negative_sims(draw, 4)
            sim = [[1.0, s12, s13, s14], [s12, 1.0, s23, s24], [s13, s23, 1.0, s34], [s14, s24, s34, 1.0]]
            return {"tau": draw.choice(TEMPERATURES), "sim": sim}
        # hard: 3 pairs of 2-D embeddings; the negatives' cosines with z1 are distinct, so the
        # hardest negative is unique; the positive is at cosine >= 0.6 from z1.
        anchor = draw.choice(DIRECTIONS)
        others = [d for d in DIRECTIONS if d != anchor]
        positive = draw.choice([d for d in others if _cos_units(anchor, d) >= 0.6])
        by_cos: dict[float, list] = {}
        for d in others:
            if d != positive:
                by_cos.setdefault(_cos_units(anchor, d), []).append(d)
        negatives = [draw.choice(by_cos[c]) for c in draw.sample(sorted(by_cos), 4)]
        z = [[round(r * c, 6) for c in d] for d in [anchor, positive, *negatives]
             for r in [draw.choice(LENGTHS)]]
        tau = draw.choice((0.5, 1.0))
        return {"z": z, "tau": tau, "tau2": tau / 2}

    def solve(self, params):
        tau = Fraction(str(params["tau"]))
        if "sim_row" in params:
            return self._easy(params, tau)
        if "sim" in params:
            return self._medium(params, tau)
        return self._hard(params, tau)

    def follow_on(self, params, given):
        """Easy: ℓ = −ln p from the student's probability (a). Medium: the batch loss from the
        student's ℓ(1,2) and ℓ(2,1) with the other two anchors' losses."""
        if "sim_row" in params and isinstance(given.get("a"), (int, float)) and 0 < given["a"] <= 1:
            return {"b": -math.log(given["a"])}
        if "sim" in params and isinstance(given.get("a"), (int, float)) and isinstance(given.get("b"), (int, float)):
            S, tau = params["sim"], params["tau"]
            rest = [row_loss_float([S[i][k] / tau for k in range(4) if k != i], [k for k in range(4) if k != i].index(i ^ 1))
                    for i in (2, 3)]
            return {"c": (given["a"] + given["b"] + sum(rest)) / 4}
        return {}

    def _mistakes(self, sims, positive, tau):
        """Wrong versions of −log p(positive) for one anchor's row (anchor excluded), as floats."""
        sims, tau = [float(v) for v in sims], float(tau)
        z = [v / tau for v in sims]
        negatives = [v for i, v in enumerate(z) if i != positive]
        return {
            "forgot the temperature (used τ = 1)": row_loss_float(sims, positive),
            "included the anchor itself (k = i) in the denominator": row_loss_float(z + [1 / tau], positive),
            "left the positive out of the denominator": math.log(sum(math.exp(v) for v in negatives)) - z[positive],
            "used log base 10": row_loss_float(z, positive) / math.log(10),
        }

    def _easy(self, params, tau):
        sims = [Fraction(str(s)) for s in params["sim_row"]]
        loss = loss_of(sims, 0, tau)
        inner, inner_tex = loss.inside()
        fs, ft = [float(v) for v in sims], float(tau)
        z = [v / ft for v in fs]
        exps = [math.exp(v) for v in z]
        wrong_prob = {
            "forgot the temperature (used τ = 1)": math.exp(fs[0]) / sum(math.exp(v) for v in fs),
            "included the anchor itself (k = i) in the denominator": exps[0] / (sum(exps) + math.exp(1 / ft)),
        }
        if sum(sims) != 0:
            wrong_prob["used the similarities directly instead of a softmax"] = fs[0] / sum(fs)
        parts = [
            # three logits s/τ and their exponentials, their sum and one ratio (the worked
            # solution prints the results, so the work model would not see the exponentials)
            closed_form_part("a", 1 / math.fsum([1.0] + [math.exp(d) for d in loss.diffs]), f"1/({inner})",
                             rf"\frac{{1}}{{{inner_tex}}}", 2, wrong_prob, ops=ROW_OPS),
            loss_part("b", loss, 2, depends_on=["a"], ops={"lookup": 1}, mistakes={
                **self._mistakes(sims, 0, tau), "forgot the minus sign": -loss.value(),
            }),
        ]
        logits = [v / tau for v in sims]
        parts[0].accepted = rounding_range(logits, 0, probability=True)
        parts[1].accepted = rounding_range(logits, 0)
        return Solution(parts=parts, work={"z": z, "exps": exps, "total": sum(exps)})

    def _medium(self, params, tau):
        S = [[Fraction(str(v)) for v in row] for row in params["sim"]]
        partner = {0: 1, 1: 0, 2: 3, 3: 2}
        rows, losses = [], []
        for i in range(4):
            others = [k for k in range(4) if k != i]
            loss = loss_of([S[i][k] for k in others], others.index(partner[i]), tau)
            losses.append(loss)
            z = [float(S[i][k] / tau) for k in others]
            exps = [math.exp(v) for v in z]
            rows.append({"anchor": i + 1, "positive": partner[i] + 1, "others": [k + 1 for k in others],
                         "z": z, "exps": exps, "total": math.fsum(exps),
                         "z_pos": float(S[i][partner[i]] / tau), "loss": loss.value()})
        floats = [row["loss"] for row in rows]
        insides = [loss.inside() for loss in losses]
        total = closed_form_part(
            "c", math.fsum(floats) / 4,
            "(" + " + ".join(f"log({i})" for i, _ in insides) + ")/4",
            r"\frac{1}{4}\left[" + " + ".join(rf"\log\left({t}\right)" for _, t in insides) + r"\right]",
            1, depends_on=["a", "b"], ops={"arith": 4}, mistakes={  # ℓ(3,4), ℓ(4,3) are given
                "averaged over the N = 2 pairs instead of the 2N = 4 anchors": sum(floats) / 2,
                "used one direction per pair, (ℓ(1,2) + ℓ(3,4))/2": (floats[0] + floats[2]) / 2,
                "summed without averaging": sum(floats),
            })
        parts = [
            loss_part("a", losses[0], 2, ops=ANCHOR_OPS, mistakes=self._mistakes([S[0][k] for k in (1, 2, 3)], 0, tau)),
            loss_part("b", losses[1], 2, ops=ANCHOR_OPS, mistakes={
                **self._mistakes([S[1][k] for k in (0, 2, 3)], 0, tau),
                "reused the row of view 1 (ℓ(2,1) is not ℓ(1,2))": floats[0],
            }),
            total,
        ]
        for part, i in zip(parts, (0, 1)):
            others = [k for k in range(4) if k != i]
            part.accepted = rounding_range([S[i][k] / tau for k in others], others.index(partner[i]))
        return Solution(parts=parts, work={"rows": rows})

    def _hard(self, params, tau):
        z = [[Fraction(str(c)) for c in v] for v in params["z"]]
        norms = [_sqrt(v[0] ** 2 + v[1] ** 2) for v in z]  # exact: lengths 1, 2, 5 or 10 by construction
        dots = [z[0][0] * v[0] + z[0][1] * v[1] for v in z]
        sims = [dots[k] / (norms[0] * norms[k]) for k in range(1, 6)]  # views 2..6, the positive first
        tau2 = Fraction(str(params["tau2"]))
        f1, f2 = [float(s / tau) for s in sims], [float(s / tau2) for s in sims]
        negs = sims[1:]
        hardest, easiest = negs.index(max(negs)), negs.index(min(negs))
        choices = {LETTERS[j]: f"view {j + 3}" for j in range(4)}
        parts = [
            # a cosine of 2-vectors: a dot product and two norms (6 operations, 1 root), a division
            number_part("a", _rational(sims[0]), 1, ops={"arith": 6, "lookup": 1}, mistakes={
                "used the dot product without normalising": _rational(dots[1]),
            }),
            # four more cosines; five logits s/τ, their exponentials, the sum, a ratio and its log
            loss_part("b", loss_of(sims, 0, tau), 3, mistakes=self._mistakes(sims, 0, tau),
                      ops={"arith": 4 * 6 + 5 + 5, "lookup": 4 + 5 + 1}),
            loss_part("c", loss_of(sims, 0, tau2), 2, ops={"arith": 11, "lookup": 6}, mistakes={
                "kept the old temperature τ instead of the new one": row_loss_float(f1, 0),
                "forgot the temperature (used τ = 1)": row_loss_float([float(s) for s in sims], 0),
                "included the anchor itself (k = i) in the denominator": row_loss_float(f2 + [1 / float(tau2)], 0),
            }),
            choice_part("d", LETTERS[hardest], choices, 1, ops={"int": 3}, mistakes={
                "picked the least similar negative": LETTERS[easiest],
            }),
        ]
        parts[1].accepted = rounding_range([s / tau for s in sims], 0)
        parts[2].accepted = rounding_range([s / tau2 for s in sims], 0)
        work = {"norms": [float(v) for v in norms], "dots": [float(v) for v in dots],
                "exps_tau": [math.exp(v) for v in f1], "exps_tau2": [math.exp(v) for v in f2],
                "sims": [float(v) for v in sims], "z_tau": f1, "z_tau2": f2, "hardest_view": hardest + 3,
                "hardest_sim": float(negs[hardest]), "positive_is_top": sims[0] > max(negs)}
        return Solution(parts=parts, work=work)


def _sqrt(q: Fraction) -> Fraction:
    num, den = math.isqrt(q.numerator), math.isqrt(q.denominator)
    if num * num != q.numerator or den * den != q.denominator:
        raise ValueError(f"{q} is not a perfect square")
    return Fraction(num, den)


def _rational(q: Fraction):
    return f"{q.numerator}/{q.denominator}"
