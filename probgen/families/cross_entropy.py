"""Cross-entropy: softmax cross-entropy from logits and from probabilities, the deck's binary
cross-entropy −[y log ŷ + (1−y) log(1−ŷ)], the gradient p − y, and the loss ln K of a uniform guess.
Natural logarithms throughout."""

from __future__ import annotations

import math

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part, vector_part

CLASSES = {"easy": 3, "medium": 3, "hard": 4}
# Small integer logits keep e^z on a basic calculator: e^2 = 7.389, e^-1 = 0.3679, ...
LOGIT_RANGE = {"easy": (0, 3), "medium": (-1, 2), "hard": (-2, 2)}
# Binary predictions ŷ with short decimals; 0.5 left out so that log ŷ and log(1 − ŷ) differ.
BINARY_PREDICTIONS = (0.1, 0.2, 0.25, 0.3, 0.4, 0.6, 0.7, 0.75, 0.8, 0.9)
BATCH = {"medium": 2, "hard": 3}
CLASS_NAMES = ("cat", "dog", "bird", "fish")
PRECISION = 30


def _rounding_ranges(logits, c) -> tuple[list, list[float]]:
    """(probabilities, loss): every value a student reaches who rounds each step to 3 significant
    figures (kit/rounding.py): the exponentials, their sum, each share (the gradient p − y
    follows from them, and 1 − 0.872 cancels); the loss by both routes the key shows: −ln of the true class's share of the rounded
    exponentials, and ln Σ e^z − z_c with that log kept to 4 figures, as the key asks (at 3,
    ln 8.76 − 2 = 2.17 − 2 leaves two figures)."""
    from ..kit.rounding import Rounded

    exps = [Rounded(float(v)).exp() for v in logits]
    total = sum(exps[1:], exps[0])
    shares = [e / total for e in exps]
    loss = (-shares[c].log()).cover(total.at(4).log().at(3) - float(logits[c]))
    return [p.bounds() for p in shares], loss.bounds()


def _draw_logits(draw, k, lo, hi):
    """k integer logits in [lo, hi], not all equal (equal logits would make part a trivial)."""
    logits = [draw.integer(lo, hi) for _ in range(k - 1)]
    allowed = range(lo, hi + 1)
    if len(set(logits)) == 1:  # the last one must break the tie
        allowed = [v for v in allowed if v != logits[0]]
    logits.append(draw.choice(list(allowed)))
    draw.shuffle(logits)
    return logits


def _draw_probabilities(draw, k):
    """k probabilities, multiples of 0.05, each at least 0.05, summing to 1 (stars and bars)."""
    cuts = sorted(draw.sample(range(1, 20), k - 1))
    twentieths = [b - a for a, b in zip([0] + cuts, cuts + [20])]
    return [t / 20 for t in twentieths]


def _draw_binary_batch(draw, m):
    """Labels with at least one 0 and one 1, and a prediction for each."""
    labels = [1, 0] + [draw.integer(0, 1) for _ in range(m - 2)]
    draw.shuffle(labels)
    return labels, [draw.choice(BINARY_PREDICTIONS) for _ in range(m)]


@family
class CrossEntropy(Family):
    id = "cross-entropy"
    section = "fundamentals"
    topic = "losses"
    title = "Cross-entropy: softmax, binary, and its gradient"

    def generate(self, draw, difficulty, convention):
        k = CLASSES[difficulty]
        lo, hi = LOGIT_RANGE[difficulty]
        params = {
            "classes": list(CLASS_NAMES[:k]),
            "logits": _draw_logits(draw, k, lo, hi),
            "target": draw.integer(1, k),
        }
        if difficulty == "hard":
            params["probabilities"] = _draw_probabilities(draw, k)
        if difficulty in BATCH:
            labels, predictions = _draw_binary_batch(draw, BATCH[difficulty])
            params["labels"] = labels
            params["predictions"] = predictions
        if difficulty == "hard":
            params["example"] = draw.integer(1, len(labels))
        # the last part asks the loss at initialisation of a model with its own number of classes,
        # so its answer ln K varies from instance to instance
        params["uniform_classes"] = draw.choice([n for n in range(3, 13) if n != k])
        return params

    def solve(self, params):
        import mpmath  # through SymPy's dependency; imported here to keep start-up fast

        logits = params["logits"]
        k = len(logits)
        c = params["target"] - 1
        # Softmax values are sums of exponentials whose symbolic forms cost milliseconds to print and
        # evaluate, so they are computed with 30-digit mpmath and carried as SymPy Floats; the loss
        # keeps its exact form. Misconception values only need to be recognisable: plain floats.
        with mpmath.workdps(PRECISION):
            exps = [mpmath.exp(v) for v in logits]
            total = mpmath.fsum(exps)
            p = [e / total for e in exps]
            lse = mpmath.log(total)
            loss_f = lse - logits[c]
            ln10 = mpmath.log(10)
        p_sp = [sp.Float(v, PRECISION) for v in p]
        y = [1 if i == c else 0 for i in range(k)]
        loss = sp.log(sp.Add(*[sp.exp(sp.Integer(v)) for v in logits])) - logits[c]  # −ln p_c = ln Σ e^z − z_c

        parts = [
            vector_part("a", p_sp, 2, mistakes={
                "forgot to normalise (wrote e^z, not e^z / Σ e^z)": [float(e) for e in exps],
            }),
            number_part("b", loss, 2, depends_on=["a"], mistakes={
                "used log base 10 instead of the natural log": float(loss_f / ln10),
                "forgot the minus sign (ln p instead of −ln p)": float(-loss_f),
                "used the logit instead of the probability (−z_c)": -logits[c],
                "summed −ln p over every class, not only the true one": float(k * lse - sum(logits)),
            }),
        ]
        parts[0].accepted, parts[1].accepted = _rounding_ranges(logits, c)
        work = {"exps": exps, "total": total, "p": p, "p_target": p[c]}
        keys = iter("cdefg")
        key_of = work["key_of"] = {}  # role -> part letter, for the template

        def next_key(role):
            key_of[role] = next(keys)
            return key_of[role]

        if "labels" in params:
            parts.append(vector_part(next_key("gradient"), [pi - yi for pi, yi in zip(p_sp, y)], 2, depends_on=["a"], mistakes={
                "sign flipped: y − p instead of p − y": [float(yi - pi) for pi, yi in zip(p, y)],
                "forgot to subtract the one-hot target (wrote p)": [float(pi) for pi in p],
                "took the derivative with respect to p (−1/p_c at the true class)": [float(-1 / p[c]) if i == c else 0 for i in range(k)],
            }))
        if "probabilities" in params:
            q_c = exact(params["probabilities"][c])
            loss_q = -sp.log(q_c)
            with mpmath.workdps(PRECISION):
                loss_q_f = -mpmath.log(mpmath.mpf(q_c.p) / q_c.q)
                resoftmax = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(v)) for v in params["probabilities"])) - params["probabilities"][c]
            parts.append(number_part(next_key("from_probabilities"), loss_q, 1, mistakes={
                "used log base 10 instead of the natural log": float(loss_q_f / ln10),
                "forgot the minus sign (ln q instead of −ln q)": float(-loss_q_f),
                "applied softmax to the probabilities again, as if they were logits": float(resoftmax),
            }))
            work["q_target"] = q_c
        if "labels" in params:
            labels = params["labels"]
            yhat = [exact(v) for v in params["predictions"]]
            m = len(labels)
            # Each example keeps one factor: ŷ for y = 1, 1 − ŷ for y = 0; the mean of −ln is ln(1/Π)/m.
            kept = [h if yi == 1 else 1 - h for yi, h in zip(labels, yhat)]
            other = [1 - h if yi == 1 else h for yi, h in zip(labels, yhat)]
            bce = sp.log(1 / sp.Mul(*kept)) / m
            with mpmath.workdps(PRECISION):
                logs = [mpmath.log(mpmath.mpf(f.p) / f.q) for f in kept]
                bce_f = -mpmath.fsum(logs) / m
                all_yhat = -mpmath.fsum(mpmath.log(mpmath.mpf(h.p) / h.q) for h in yhat) / m
                swapped = -mpmath.fsum(mpmath.log(mpmath.mpf(f.p) / f.q) for f in other) / m
            parts.append(number_part(next_key("binary"), bce, 2, mistakes={
                "used log base 10 instead of the natural log": float(bce_f / ln10),
                "forgot the minus sign": float(-bce_f),
                "summed over the batch instead of averaging": float(bce_f * m),
                "used −ln ŷ for every example, ignoring the label": float(all_yhat),
                "swapped the terms (ln(1 − ŷ) for y = 1, ln ŷ for y = 0)": float(swapped),
            }))
            work["bce_terms"] = [-v for v in logs]
            work["bce_sum"] = -mpmath.fsum(logs)
            if "example" in params:
                j = params["example"] - 1
                yj, hj = labels[j], yhat[j]
                parts.append(number_part(next_key("binary_gradient"), hj - yj, 2, mistakes={
                    "sign flipped: y − ŷ instead of ŷ − y": yj - hj,
                    "took the derivative with respect to ŷ, not the logit": -yj / hj + (1 - yj) / (1 - hj),
                    "divided by the batch size (that is the batch mean's gradient)": (hj - yj) / m,
                }))
                work["example_label"] = yj
                work["example_prediction"] = hj
        ku = params.get("uniform_classes", k)
        uniform = sp.log(ku)
        with mpmath.workdps(PRECISION):
            uniform_f = mpmath.log(ku)
        parts.append(number_part(next_key("uniform"), uniform, 1, mistakes={
            "used log base 10 instead of the natural log": float(uniform_f / ln10),
            "gave the probability 1/K, not the loss": sp.Rational(1, ku),
            "forgot the minus sign (ln(1/K) = −ln K)": -uniform,
        }))
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """The loss and the logit gradient from the student's own probabilities (part a)."""
        p = given.get("a")
        k, c = len(params["logits"]), params["target"] - 1
        if not isinstance(p, list) or len(p) != k:
            return {}
        out = {}
        if p[c] > 0:
            out["b"] = -math.log(p[c])
        if "labels" in params:
            out["c"] = [pi - (1 if i == c else 0) for i, pi in enumerate(p)]
        return out
