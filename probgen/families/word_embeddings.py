"""Word embeddings on a toy table: cosine similarity, the nearest word, a king - man + woman
analogy, and the skip-gram softmax probability of a context word (hard: the gradient of its loss).

Every table vector has a whole-number length (2-D: Pythagorean pairs such as (3, 4), (5, 12);
3-D: (1, 2, 2), (2, 3, 6), (4, 4, 7) ... with signs and permutations), so cosines are fractions
and ranking words by cosine to a target t needs only t·v / |v|."""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import product

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import choice_part, number_part, vector_part

# A query word and plausible neighbours (easy, 2-D). Every candidate is a fair guess from its
# meaning alone, and which one the vectors put nearest is drawn: the vectors decide, not the words.
NEIGHBOUR_THEMES = (("cat", ("dog", "kitten", "tiger", "lion", "mouse")),
                    ("happy", ("glad", "cheerful", "joyful", "content", "pleased")),
                    ("coffee", ("tea", "espresso", "cocoa", "latte", "juice")),
                    ("doctor", ("nurse", "surgeon", "physician", "dentist", "medic")),
                    ("run", ("jog", "sprint", "dash", "race", "walk")))
# a is to b as c is to ?, then the English completion FIRST and plausible distractors (medium,
# hard: 3-D). The keyed word is always the completion (a key that contradicts English reads as
# wrong); the vectors are built so the analogy lands nearest it, and the distractors stay
# plausible words a student must rule out by computing.
ANALOGY_THEMES = (("man", "king", "woman", ("queen", "princess", "empress", "duchess")),
                  ("france", "paris", "italy", ("rome", "milan", "venice", "naples")),
                  ("walk", "walked", "swim", ("swam", "swum", "swimming", "swims")),
                  ("big", "bigger", "small", ("smaller", "smallest", "tiny", "little")),
                  ("slow", "slowly", "quick", ("quickly", "quicker", "quickest", "fast")))
SKIPGRAM_VOCAB = ("the", "cat", "sat", "mat")
CENTERS = ((1, 2), (2, 1), (2, -1), (1, -2), (-1, 2), (-2, 1))  # |a| != |b|: <= 2 words share a score
OUTPUT_VECTORS = [u for u in product((-1, 0, 1), repeat=2) if any(u)]
NEAR = (0.8, 0.98)   # cosine of the right answer
MARGIN = 0.15        # every wrong option at least this much less similar
RELATED = 0.2        # the least cosine between two words of one analogy (a, b, c, d)
MAX_ANALOGY_DRAWS = 50


def dot(u, v):
    return sum(a * b for a, b in zip(u, v))


def norm(v) -> int:
    return math.isqrt(dot(v, v))


def cosine(u, v) -> float:
    return dot(u, v) / (length(u) * length(v))


@lru_cache(maxsize=4096)
def length(v: tuple) -> float:
    return math.sqrt(dot(v, v))


@lru_cache(maxsize=None)
def pool(dim: int) -> tuple:
    """Integer vectors with whole-number length: 2-D entries up to 12, none zero; 3-D up to 6, at most one zero."""
    if dim == 2:
        cands = product(range(-12, 13), repeat=2)
        keep = lambda v: all(v)  # noqa: E731
    else:
        cands = product(range(-6, 7), repeat=3)
        keep = lambda v: sum(x == 0 for x in v) <= 1  # noqa: E731
    return tuple(v for v in cands if keep(v) and math.isqrt(dot(v, v)) ** 2 == dot(v, v))


def exact_cosine(u, v):
    return sp.Rational(dot(u, v), norm(u) * norm(v))


def _range_skipgram(parts, scores, o, U) -> None:
    """P(o | c) and the gradient Σ_w P_w u_w − u_o accept what rounding each step to 3
    significant figures gives (kit/rounding.py): the exponentials, their sum, each P_w, each
    product P_w u_w and the sum, which cancels against u_o (0.902 − 1 = −0.098)."""
    from ..kit.rounding import Rounded

    exps = [Rounded(float(s)).exp() for s in scores]
    total = sum(exps[1:], exps[0])
    probs = [e / total for e in exps]
    parts[0].accepted = probs[o].bounds()
    if len(parts) > 1:
        parts[1].accepted = [(sum((q * u[k] for q, u in zip(probs, U)), Rounded(0.0)) - U[o][k]).bounds()
                             for k in range(len(U[o]))]


def softmax(scores):
    """As 30-digit Floats: exact sums of exponentials cost too much to evaluate and print."""
    exps = [sp.exp(sp.Float(s, 30)) for s in scores]
    total = sum(exps)
    return [sp.Float(e / total, 15) for e in exps]


@family
class WordEmbeddings(Family):
    id = "word-embeddings"
    section = "nlp"
    topic = "embeddings"
    title = "Word embeddings: cosine similarity, analogies, skip-gram"
    version = 4  # 2: the cosine pair is not orthogonal (a cosine of 0 hid the mistakes); 3: the
    # analogy's keyed word is its English completion; 4: related words never have a negative
    # cosine (the analogy's four words pairwise >= RELATED, easy's pair drawn from positive ones)

    def generate(self, draw, difficulty, convention):
        params = self._neighbour_table(draw) if difficulty == "easy" else self._analogy_table(draw)
        params.update(self._skipgram(draw, 3 if difficulty == "easy" else 4))
        params["gradient"] = difficulty == "hard"
        return params

    def _neighbour_table(self, draw):
        query_word, candidates = draw.choice(NEIGHBOUR_THEMES)
        near_word, far1, far2 = draw.sample(candidates, 3)
        P = pool(2)
        x = draw.choice(P)
        sim = {v: cosine(x, v) for v in P}
        near = draw.choice([v for v in P if NEAR[0] <= sim[v] <= NEAR[1]])
        top = sim[near]
        # Unrelated words still point roughly the same way (cosine >= 0.2): the ranking needs work.
        far = [v for v in P if 0.2 <= sim[v] <= top - MARGIN]
        if len(far) < 2:
            far = [v for v in P if sim[v] <= top - MARGIN]
        # A trap where one exists: a longer, less similar vector with the larger dot product.
        trap = [v for v in far if dot(x, v) > dot(x, near)]
        f1 = draw.choice(trap or far)
        f2 = draw.choice([v for v in far if v != f1])
        rows = [(query_word, x), (near_word, near), (far1, f1), (far2, f2)]
        draw.shuffle(rows)
        words = [w for w, _ in rows]
        others = [w for w in words if w != query_word]
        table = dict(rows)
        # Two words that are not orthogonal: a cosine of 0 needs no lengths and hides the mistakes.
        pairs = [(a, b) for i, a in enumerate(others) for b in others[i + 1:]]
        pair = draw.choice([(a, b) for a, b in pairs if dot(table[a], table[b]) > 0]
                           or [(a, b) for a, b in pairs if dot(table[a], table[b]) != 0])
        return {"words": words, "vectors": {w: list(v) for w, v in rows}, "query": query_word,
                "cosine_pair": list(pair)}

    def _analogy_table(self, draw):
        a_word, b_word, c_word, answers = draw.choice(ANALOGY_THEMES)
        d_word, distractor_words = answers[0], draw.sample(answers[1:], 2)
        P = pool(3)
        # The four words of an analogy are related (slow, slowly, quick, quickly): every pair of
        # their vectors has a cosine of at least RELATED, so the asked cosine is never negative
        # (TA re-rating: cos(slow, slowly) = -11/21). Drawn again until d exists.
        for _ in range(MAX_ANALOGY_DRAWS):
            a = draw.choice(P)
            b = draw.choice([v for v in P if v != a and cosine(a, v) >= RELATED])
            # c: related to a and b, leaving a target t = b - a + c that is neither 0 nor a itself.
            c = draw.choice([v for v in P if v not in (a, b) and cosine(a, v) >= RELATED
                             and cosine(b, v) >= RELATED and any(bi - ai + vi for ai, bi, vi in zip(a, b, v))
                             and any(bi - 2 * ai + vi for ai, bi, vi in zip(a, b, v))] or [a])
            if c == a:
                continue
            t = tuple(bi - ai + ci for ai, bi, ci in zip(a, b, c))
            taken = {a, b, c}
            sim = {v: cosine(t, v) for v in P}
            close = [v for v in P if v not in taken and 0.85 <= sim[v] < 0.999
                     and all(cosine(v, w) >= RELATED for w in taken)]
            if close:
                break
        else:
            raise RuntimeError("no related analogy in MAX_ANALOGY_DRAWS draws")
        d = draw.choice(close)
        best = sim[d]
        far = [v for v in P if v not in taken and v != d and sim[v] <= best - MARGIN]
        related = [v for v in far if sim[v] >= 0.2]  # makes the ranking take some work
        distractors = draw.sample(related if len(related) >= 2 else far, 2)
        rows = [(a_word, a), (b_word, b), (c_word, c), (d_word, d)]
        rows += [(w, v) for w, v in zip(distractor_words, distractors)]
        draw.shuffle(rows)
        words = [w for w, _ in rows]
        table = dict(rows)
        pairs = [(b_word, d_word), (a_word, c_word), (a_word, b_word), (c_word, d_word)]
        pair = draw.choice(pairs)  # every pair's cosine is at least RELATED
        return {"words": words, "vectors": {w: list(v) for w, v in rows},
                "analogy": [a_word, b_word, c_word], "cosine_pair": list(pair)}

    def _skipgram(self, draw, size):
        vocab = list(SKIPGRAM_VOCAB[-size:])
        center_word = "cat"
        v = list(draw.choice(CENTERS))
        # Scores within a window 3 wide: no probability is vanishingly small.
        windows = [[u for u in OUTPUT_VECTORS if lo <= dot(u, v) <= lo + 3] for lo in range(-3, 1)]
        us = draw.sample(draw.choice([w for w in windows if len(w) >= size]), size)
        scores = [dot(u, v) for u in us]
        # The asked context word: not the center itself, probability neither tiny nor dominant.
        total = sum(math.exp(s) for s in scores)
        fitting = [w for w, s in zip(vocab, scores) if w != center_word and 0.04 <= math.exp(s) / total <= 0.9]
        context = draw.choice(fitting or [w for w in vocab if w != center_word])
        return {"sg_vocab": vocab, "sg_center": center_word, "sg_v": v,
                "sg_u": {w: list(u) for w, u in zip(vocab, us)}, "sg_context": context}

    def solve(self, params):
        vecs = {w: tuple(v) for w, v in params["vectors"].items()}
        words = params["words"]
        letters = "abcdefgh"
        parts = []
        work = {}
        p, q = params["cosine_pair"]
        u, v = vecs[p], vecs[q]
        cos = exact_cosine(u, v)
        parts.append(number_part("a", cos, 2, mistakes={
            "gave the dot product without dividing by the lengths": dot(u, v),
            "divided by the squared lengths": sp.Rational(dot(u, v), dot(u, u) * dot(v, v)),
            "gave the Euclidean distance": sp.sqrt(sum((x - y) ** 2 for x, y in zip(u, v))),
        }))
        work.update(dot=dot(u, v), norms=(norm(u), norm(v)))
        if "query" in params:
            x = vecs[params["query"]]
            others = [w for w in words if w != params["query"]]
            choices = {letters[k]: w for k, w in enumerate(others)}
            by_cos = {w: exact_cosine(x, vecs[w]) for w in others}
            right = max(others, key=lambda w: by_cos[w])
            by_dot = max(others, key=lambda w: dot(x, vecs[w]))
            by_dist = min(others, key=lambda w: dot([a - b for a, b in zip(x, vecs[w])], [a - b for a, b in zip(x, vecs[w])]))
            letter = {w: k for k, w in choices.items()}
            parts.append(choice_part("b", letter[right], choices, 2, mistakes={
                "ranked by dot product instead of cosine": letter[by_dot],
                "ranked by Euclidean distance instead of cosine": letter[by_dist],
            }))
            work.update(query_cos=by_cos, query_dots={w: dot(x, vecs[w]) for w in others},
                        query_norm=norm(x), other_norms={w: norm(vecs[w]) for w in others})
        else:
            a_word, b_word, c_word = params["analogy"]
            a, b, c = vecs[a_word], vecs[b_word], vecs[c_word]
            t = [bi - ai + ci for ai, bi, ci in zip(a, b, c)]
            parts.append(vector_part("b", t, 2, tolerance=0, mistakes={
                f"computed {a_word} − {b_word} + {c_word}": [ai - bi + ci for ai, bi, ci in zip(a, b, c)],
                f"computed {b_word} − {c_word} + {a_word}": [bi - ci + ai for ai, bi, ci in zip(a, b, c)],
                f"computed {b_word} + {a_word} + {c_word}": [ai + bi + ci for ai, bi, ci in zip(a, b, c)],
            }))
            candidates = [w for w in words if w not in (a_word, b_word, c_word)]
            choices = {letters[k]: w for k, w in enumerate(candidates)}
            letter = {w: k for k, w in choices.items()}
            ranks = {w: sp.Rational(dot(t, vecs[w]), norm(vecs[w])) for w in candidates}
            right = max(candidates, key=lambda w: ranks[w])
            by_dot = max(candidates, key=lambda w: dot(t, vecs[w]))
            parts.append(choice_part("c", letter[right], choices, 2, mistakes={
                "ranked by dot product instead of cosine": letter[by_dot],
            }))
            t_norm = sp.sqrt(dot(t, t))
            work.update(t=t, t_norm=t_norm, ranks=ranks, cands=candidates,
                        cand_norms={w: norm(vecs[w]) for w in candidates},
                        cand_dots={w: dot(t, vecs[w]) for w in candidates},
                        cand_cos={w: ranks[w] / t_norm for w in candidates})
        parts += self._skipgram_parts(params, work, letters[len(parts)])
        return Solution(parts=parts, work=work)

    def _skipgram_parts(self, params, work, key):
        vocab, v, U = params["sg_vocab"], params["sg_v"], params["sg_u"]
        o = vocab.index(params["sg_context"])
        scores = [dot(U[w], v) for w in vocab]
        probs = softmax(scores)
        sig = 1 / (1 + math.exp(-scores[o]))
        rest = sum(math.exp(s) for k, s in enumerate(scores) if k != o)
        parts = [number_part(key, probs[o], 2, mistakes={
            "used the sigmoid of the score (negative-sampling style) instead of the softmax": sig,
            "left the context word out of the denominator": math.exp(scores[o]) / rest,
        })]
        work.update(sg_scores=scores, sg_probs=probs, sg_exps=[sp.exp(sp.Float(s, 30)) for s in scores])
        if params["gradient"]:
            expected = [sum(p * U[w][k] for p, w in zip(probs, vocab)) for k in range(2)]
            uo = U[params["sg_context"]]
            # sum_w p_w (u_w - u_o): the same as E[u] - u_o since the p_w sum to 1, and exactly 0
            # (not a rounding residue) in a coordinate where every u_w equals u_o.
            grad = [sum(p * (U[w][k] - uo[k]) for p, w in zip(probs, vocab)) for k in range(2)]
            parts.append(vector_part(chr(ord(key) + 1), grad, 3, mistakes={
                "flipped the sign (u_o − Σ p u)": [-g for g in grad],
                "forgot the −u_o term": expected,
            }))
            work.update(sg_expected=expected)
        _range_skipgram(parts, scores, o, [U[w] for w in vocab])
        return parts
