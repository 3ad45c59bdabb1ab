"""An attention-weight heatmap drawn from parameters (transformers-concepts): the softmax weights
of a short sentence's self-attention, with or without a causal mask. Three figure-reading parts:
which token a query attends to most, whether the attention is causal, which sums are 1.

The scores are small integers, one per (query, key), with each query's favourite key 2 above
every other allowed score, so the largest weight is unambiguous; the weights are the row
softmaxes rounded to 2 decimals so that every row sums to exactly 1.00 (largest remainders).
The figure (`{"type": "heatmap"}`, drawn by render/pdf_plot and render/text_chart) shows these
weights, and every answer is read from them.
"""

from __future__ import annotations

import math
from typing import Any

from .concepts import LETTERS, Built, Item
from .curves import _choice_part

SENTENCES = (("the", "cat", "sat", "down"), ("we", "love", "deep", "learning"), ("she", "read", "the", "book"),
             ("a", "dog", "chased", "the", "ball"), ("birds", "fly", "south", "in", "winter"),
             ("time", "flies", "like", "an", "arrow"))
MASKS = {
    "causal": "causal: every weight above the diagonal is 0, so no token attends to a later one",
    "full": "not causal: some tokens put weight on tokens that come after them in the sentence",
    "below": "causal: every weight below the diagonal is 0, so no token attends to an earlier one",
    "self": "not causal: the diagonal is not 0, so some tokens attend to themselves",
}
SUMS = {
    "rows": "each row: one query's weights over all the keys",
    "cols": "each column: one key's weights over all the queries",
    "all": "only the whole matrix: all the weights together",
    "diag": "the diagonal: the weights of the tokens on themselves",
}


def rounded_softmax(scores: list[float | None]) -> list[float]:
    """Softmax over the allowed (non-None) scores, 0 for masked ones, rounded to 2 decimals by
    largest remainders so the row sums to exactly 1."""
    exps = [math.exp(s) if s is not None else 0.0 for s in scores]
    total = sum(exps)
    hundredths = [100 * e / total for e in exps]
    floors = [math.floor(h) for h in hundredths]
    short = 100 - sum(floors)
    for i in sorted(range(len(exps)), key=lambda i: floors[i] - hundredths[i])[:short]:
        floors[i] += 1
    return [f / 100 for f in floors]


class AttentionHeatmap(Item):
    id = "attention-heatmap"
    has_figure = True
    group = "mask"

    def draw(self, draw) -> dict[str, Any]:
        tokens = list(draw.choice(SENTENCES))
        n = len(tokens)
        causal = draw.choice((True, False))
        while True:  # redrawn until a column and the diagonal sum to other than 1 (part c has one answer)
            scores = []
            for i in range(n):
                allowed = list(range(i + 1)) if causal else list(range(n))
                best = draw.choice(allowed)
                scores.append([None if j not in allowed else 3 if j == best else draw.choice((-1, 0, 1))
                               for j in range(n)])
            weights = [rounded_softmax(row) for row in scores]
            diag = sum(weights[i][i] for i in range(n))
            if any(abs(sum(w[j] for w in weights) - 1) > 0.05 for j in range(n)) and abs(diag - 1) > 0.05:
                break
        query = draw.integer(2 if causal else 0, n - 1)
        options = self._token_options(draw, n, query, weights[query])
        masks, sums = list(MASKS), list(SUMS)
        draw.shuffle(masks)
        draw.shuffle(sums)
        return {"tokens": tokens, "scores": scores, "query": query, "options": options, "masks": masks, "sums": sums}

    @staticmethod
    def _token_options(draw, n: int, query: int, row: list[float]) -> list[int]:
        """Four key positions: the favourite and three others (the query itself among them when it is not the favourite)."""
        best = max(range(n), key=lambda j: row[j])
        others = [j for j in range(n) if j != best]
        picked = [best] + draw.sample(others, 3)
        draw.shuffle(picked)
        return picked

    def build(self, key, inst, mistakes) -> list[Built]:
        tokens, n, q = inst["tokens"], len(inst["tokens"]), inst["query"]
        weights = [rounded_softmax(row) for row in inst["scores"]]
        labels = [f"{t} ({i + 1})" for i, t in enumerate(tokens)]
        figure = {"type": "heatmap", "rows": labels, "cols": labels, "values": weights,
                  "xlabel": "key (attended to)", "ylabel": "query (attending)"}
        lead = ("[[figure]]\n\nThe figure shows the self-attention weights of one head on the sentence "
                f"'{' '.join(tokens)}': row $i$ holds the weights with which token $i$ (the query) attends to "
                "each token (the keys).")
        keys = iter(LETTERS[LETTERS.index(key):])
        row = weights[q]
        best = max(range(n), key=lambda j: row[j])
        texts = {j: f"'{tokens[j]}' (token {j + 1})" for j in inst["options"]}
        why = {j: (f"Row {q + 1} ('{tokens[q]}') has its largest weight, {row[j]:.2f}, on token {j + 1}."
                   if j == best else f"Row {q + 1} gives token {j + 1} the weight {row[j]:.2f}, less than "
                   f"{row[best]:.2f} on token {best + 1} ('{tokens[best]}').") for j in inst["options"]}
        part, steps = _choice_part(next(keys), inst["options"], best, texts, why, [])
        out = [Built(f"Which token does token {q + 1}, '{tokens[q]}', attend to most?", part, figure, steps, lead)]

        above = [weights[i][j] for i in range(n) for j in range(i + 1, n)]
        below = [weights[i][j] for i in range(n) for j in range(i)]
        causal = all(w == 0 for w in above)
        kind = "causal" if causal else "full"
        fact = ("every weight above the diagonal is 0.00: token i gives weight only to tokens 1 … i." if causal else
                f"{sum(w > 0 for w in above)} weights above the diagonal are not 0: tokens attend to later ones.")
        why = {"causal": fact if causal else f"Not causal: {fact}",
               "full": fact if not causal else f"It is causal: {fact}",
               "below": ("A causal mask hides the later tokens, above the diagonal; " +
                         ("the weights below it are not all 0 here." if any(w > 0 for w in below) else
                          "here it is the weights above the diagonal that are 0.")),
               "self": "A causal mask keeps the diagonal (a token may attend to itself); it hides only later tokens."}
        mis = [("below", mistakes["mask-sees-future"].name, mistakes["mask-sees-future"].explanation),
               ("self", mistakes["mask-excludes-self"].name, mistakes["mask-excludes-self"].explanation)]
        part, steps = _choice_part(next(keys), inst["masks"], kind, MASKS, why, mis)
        out.append(Built("Is this attention causal (masked, as in a decoder)?", part, figure, steps))

        col = [sum(w[j] for w in weights) for j in range(n)]
        diag = sum(weights[i][i] for i in range(n))
        why = {"rows": "Each row is a softmax over the keys, so it sums to 1 (here: 1.00 in every row).",
               "cols": "The softmax runs along each row, not each column: the columns here sum to "
                       + ", ".join(f"{c:.2f}" for c in col) + ".",
               "all": f"The whole matrix sums to {n} (one per row), not to 1.",
               "diag": f"The diagonal sums to {diag:.2f} here; nothing makes it 1."}
        m = mistakes["weights-unnormalized"]
        part, steps = _choice_part(next(keys), inst["sums"], "rows", SUMS, why, [("all", m.name, m.explanation)])
        out.append(Built("Which weights add up to 1?", part, figure, steps))
        return out
