"""Scaled dot-product attention on 2-3 tokens: scores QK^T/sqrt(d_k), row softmax, output AV;
hard instances apply a causal mask (a token attends to itself and earlier tokens only)."""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import product

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import matrix_part, vector_part

D_K = 4  # sqrt(d_k) = 2: scores are half-integers
TOKENS = {"easy": 2, "medium": 3, "hard": 4}
UNIT_VECTORS = [v for v in product((-1, 0, 1), repeat=D_K) if any(v)]
VALUE_ENTRIES = (-2, -1, 1, 2, 3)
PRECISION = 30
MAX_SPREAD = 4  # largest q.k - smallest q.k over the attended keys: weights stay away from 0 and 1


def dot(u, v):
    return sum(a * b for a, b in zip(u, v))


@lru_cache(maxsize=None)
def spreads(keys: tuple) -> tuple:
    """For each candidate query, max - min of its dot products with `keys` (a tuple of vectors)."""
    return tuple(max(d) - min(d) for d in ([dot(q, k) for k in keys] for q in UNIT_VECTORS))


def softmax(scores):
    """Softmax as 30-digit SymPy Floats: the weights are sums of exponentials, whose symbolic
    forms cost milliseconds to evaluate and print; the scores themselves stay exact."""
    exps = [sp.exp(sp.Float(s, PRECISION)) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def weights_row(scores_row, visible):
    """Softmax over the first `visible` scores; masked positions get weight 0."""
    return softmax(scores_row[:visible]) + [sp.Integer(0)] * (len(scores_row) - visible)


def mix(weights, rows):
    return [sum(w * row[c] for w, row in zip(weights, rows)) for c in range(len(rows[0]))]


def _rounding_ranges(visible_scores, n, V) -> tuple[list, list]:
    """(weights, output): every value a student reaches who rounds each step to 3 significant
    figures (kit/rounding.py): the exponentials, their sum, each weight, each product α_j v_jc
    and the sum, which may cancel (3·0.378 − 2·0.622)."""
    from ..kit.rounding import Rounded

    exps = [Rounded(s).exp() for s in visible_scores]
    total = sum(exps[1:], exps[0])
    weights = [e / total for e in exps] + [Rounded(0.0)] * (n - len(exps))
    output = [sum((w * row[c] for w, row in zip(weights, V)), Rounded(0.0)) for c in range(len(V[0]))]
    return [w.bounds() for w in weights], [o.bounds() for o in output]


@family
class Attention(Family):
    id = "attention"
    section = "nlp"
    topic = "transformers"
    title = "Scaled dot-product attention"

    def generate(self, draw, difficulty, convention):
        n = TOKENS[difficulty]
        causal = difficulty == "hard"
        keys = [list(k) for k in draw.sample(UNIT_VECTORS, n)]
        # The token whose output is asked. With a causal mask, a middle token (2 or 3 of 4): token 1
        # attends only to itself, and the last token sees every key, so the mask would change nothing.
        token = draw.integer(2, n - 1) if causal else draw.integer(1, n)
        visible = keys[:token] if causal else keys
        # Its query: scores over the attended keys neither all equal nor far apart.
        fitting = [q for q, spread in zip(UNIT_VECTORS, spreads(tuple(map(tuple, visible))))
                   if 0 < spread <= MAX_SPREAD]
        queries = [list(draw.choice(UNIT_VECTORS)) for _ in range(n)]
        queries[token - 1] = list(draw.choice(fitting))
        values = [[draw.choice(VALUE_ENTRIES) for _ in range(2)] for _ in range(n)]
        return {"Q": queries, "K": keys, "V": values, "token": token, "causal": causal}

    def solve(self, params):
        Q, K, V = params["Q"], params["K"], params["V"]
        n, t, causal = len(Q), params["token"], params["causal"]
        root = sp.sqrt(D_K)
        raw = [[sp.Integer(dot(q, k)) for k in K] for q in Q]
        scores = [[r / root for r in row] for row in raw]
        visible = t if causal else n
        weights = weights_row(scores[t - 1], visible)
        output = mix(weights, V)
        unscaled = weights_row(raw[t - 1], visible)
        column = weights_row([row[t - 1] for row in scores], visible)
        parts = [
            # n² dot products of 2-vectors (2 products, 1 sum) and a division by √d_k each
            matrix_part("a", scores, 2, tolerance=0, ops={"int": n * n * 3, "arith": n * n, "lookup": 1}, mistakes={
                "forgot to divide by √d_k": raw,
                "divided by d_k instead of √d_k": [[r / D_K for r in row] for row in raw],
                "computed K Q^T (rows are keys, not queries)": [list(col) for col in zip(*scores)],
            }),
            vector_part("b", weights, 2, depends_on=["a"], ops={"arith": 2 * visible, "lookup": visible}, mistakes={
                "softmax of the unscaled scores q·k": unscaled,
                "normalised down the column (over queries) instead of along the row": column,
                **({"ignored the causal mask": softmax(scores[t - 1])} if causal else {}),
            }),
            vector_part("c", output, 2, depends_on=["b"], ops=4 * visible, mistakes={
                "averaged the values uniformly (skipped the weights)": mix([sp.Rational(1, n)] * n, V),
                "used the unscaled scores": mix(unscaled, V),
                "summed the values without weights": mix([1] * n, V),
                **({"ignored the causal mask": mix(softmax(scores[t - 1]), V)} if causal else {}),
            }),
        ]
        parts[1].accepted, parts[2].accepted = _rounding_ranges([float(v) for v in scores[t - 1][:visible]], n, V)
        work = {"raw": raw, "scores": scores, "row": scores[t - 1][:visible], "weights": weights,
                "exps": [sp.exp(sp.Float(s, PRECISION)) for s in scores[t - 1][:visible]], "output": output}
        if causal:
            parts.append(vector_part("d", V[0], 1, mistakes={
                "ignored the causal mask": mix(softmax(scores[0]), V),
            }))
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """The weights (b) from the student's score matrix (a); the output (c) from their weights.
        Values that are not finite numbers carry nothing forward."""
        n, t = len(params["V"]), params["token"]
        visible = t if params["causal"] else n
        out = {}
        a = given.get("a")
        if isinstance(a, list) and len(a) == n and all(_numbers(row, n) for row in a):
            row = [float(x) for x in a[t - 1][:visible]]
            top = max(row)
            exps = [math.exp(x - top) for x in row]
            out["b"] = [e / sum(exps) for e in exps] + [0.0] * (n - visible)
        w = given.get("b") if _numbers(given.get("b"), n) else out.get("b")
        if w is not None:
            V = params["V"]
            out["c"] = [sum(float(wi) * row[c] for wi, row in zip(w, V)) for c in range(len(V[0]))]
        return {k: v for k, v in out.items() if all(map(math.isfinite, v))}


def _numbers(value, n) -> bool:
    """A list of n finite numbers (what a student's vector must be to carry forward)."""
    return (isinstance(value, list) and len(value) == n
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value))
