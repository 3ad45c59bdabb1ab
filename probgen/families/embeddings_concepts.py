"""Word embeddings, the ideas: what skip-gram (word2vec) learns from, cosine similarity and what it
ignores, analogies as vector offsets. The parameterized items use neutral labels (A, B, ...) and small
integer vectors, so the vectors, not English, decide the answer. A pool of choice, select-all,
true/false-with-justification and short items (probgen.kit.concepts)."""

from __future__ import annotations

import math
from typing import Any

from ..kit.concept_family import concept_family
from ..kit.concepts import LETTERS, Choice, Item, Multi, Opt, Pool, Short, TrueFalse

# (query, [highest cosine, largest dot product but lower cosine, orthogonal, nearly opposite]), 2-D integers
NEAREST = (
    ((2, 1), [(4, 3), (2, 9), (-1, 2), (-2, -2)]),
    ((1, 3), [(2, 5), (8, 4), (3, -1), (-1, -2)]),
    ((3, 1), [(5, 2), (4, 8), (-1, 3), (-2, -1)]),
)
# (b, c, offset): a = b + offset, the right answer d = c + offset = a − b + c
ANALOGY = (((1, 0), (0, 2), (2, 1)), ((2, 1), (1, 3), (2, -1)), ((0, 1), (3, 0), (1, 2)), ((1, 2), (2, -1), (3, 1)))
NAMES = ("K", "L", "M", "N", "P", "R", "S", "T")  # neutral word labels, drawn per instance
TOKENS = ("p", "q", "r", "s", "t", "u", "v", "w")


def _t(v, s: tuple[int, int, int]) -> tuple[int, int]:
    """Apply a symmetry (swap axes, flip x, flip y): cosines and offsets keep their structure."""
    x, y = (v[1], v[0]) if s[0] else (v[0], v[1])
    return (-x if s[1] else x, -y if s[2] else y)


def _vec(v) -> str:
    return f"$({v[0]}, {v[1]})$"


def _cos(u, v) -> float:
    return (u[0] * v[0] + u[1] * v[1]) / math.hypot(*u) / math.hypot(*v)


class Nearest(Item):
    id = "nearest-cosine"
    group = "nearest"

    def _choice(self, k: int, s, names) -> Choice:
        q, cands = NEAREST[k]
        q, (best, big_dot, perp, opp) = _t(q, s), [_t(c, s) for c in cands]
        names = dict(zip(("best", "dot", "perp", "opp"), names))
        prompt = (f"Word Q has embedding {_vec(q)}. Which of these words is most similar to Q by cosine similarity?")
        dot = lambda v: q[0] * v[0] + q[1] * v[1]  # noqa: E731
        return Choice(self.id, prompt,
                      right=[Opt(f"{names['best']} = {_vec(best)}", f"cos = {dot(best)}/(‖Q‖‖{names['best']}‖) = {_cos(q, best):.3f}, "
                                                                   "the largest: its direction is closest to Q's.")],
                      wrong=[Opt(f"{names['dot']} = {_vec(big_dot)}", f"Its dot product with Q, {dot(big_dot)}, is the largest "
                                 f"({names['best']}'s is {dot(best)}), but only because it is long: cos = {_cos(q, big_dot):.3f}.".replace("-", "−"),
                                 mistake="dot-not-cosine"),
                             Opt(f"{names['perp']} = {_vec(perp)}", f"Q · {names['perp']} = {dot(perp)}: orthogonal, cosine 0."),
                             Opt(f"{names['opp']} = {_vec(opp)}", f"cos = {_cos(q, opp):.3f}: nearly the opposite direction.".replace("-", "−"))])

    def draw(self, draw) -> dict[str, Any]:
        k, s = draw.integer(0, len(NEAREST) - 1), [draw.choice((0, 1)) for _ in range(3)]
        names = list(draw.sample(NAMES, 4))
        return {"scenario": k, "symmetry": s, "names": names, **self._choice(k, s, names).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(inst["scenario"], inst["symmetry"], inst["names"]).build(key, inst, mistakes)


class Analogy(Item):
    id = "analogy-offset"
    group = "analogy"

    def _choice(self, k: int, s, names) -> Choice:
        b, c, o = (_t(v, s) for v in ANALOGY[k])
        n_d, n_rev, n_off, n_nob = names
        a = (b[0] + o[0], b[1] + o[1])
        d, rev, off, no_b = (c[0] + o[0], c[1] + o[1]), (c[0] - o[0], c[1] - o[1]), o, (a[0] + c[0], a[1] + c[1])
        prompt = (f"Words A, B, C have embeddings A = {_vec(a)}, B = {_vec(b)}, C = {_vec(c)}. For the analogy "
                  "'B is to A as C is to ?', which word's vector is the target $A - B + C$?")
        return Choice(self.id, prompt,
                      right=[Opt(f"{n_d} = {_vec(d)}", f"A − B = {_vec(o)} is the relation; C + (A − B) = {_vec(d)}.")],
                      wrong=[Opt(f"{n_rev} = {_vec(rev)}", mistake="analogy-reversed"),
                             Opt(f"{n_off} = {_vec(off)}", mistake="analogy-no-c"),
                             Opt(f"{n_nob} = {_vec(no_b)}", f"That is A + C: B was not subtracted; A − B + C = {_vec(d)}.")])

    def draw(self, draw) -> dict[str, Any]:
        k, s = draw.integer(0, len(ANALOGY) - 1), [draw.choice((0, 1)) for _ in range(3)]
        names = list(draw.sample(NAMES, 4))
        return {"scenario": k, "symmetry": s, "names": names, **self._choice(k, s, names).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(inst["scenario"], inst["symmetry"], inst["names"]).build(key, inst, mistakes)


def _toks(ix) -> str:
    return "{" + ", ".join(TOKENS[i] for i in ix) + "}"


class Window(Item):
    """Skip-gram's context words for a drawn center and window size in a sentence of neutral tokens."""

    id = "skipgram-window"
    group = "skipgram"

    def _choice(self, i: int, m: int) -> Choice:
        sent = " ".join(TOKENS)
        prompt = (f"Skip-gram is trained on the sentence '{sent}' with a window of size $m = {m}$. Which context "
                  f"words are paired with the center word '{TOKENS[i]}'?")
        ctx = [j for j in range(i - m, i + m + 1) if j != i]
        return Choice(self.id, prompt,
                      right=[Opt(_toks(ctx), f"The {m} word{'s' * (m > 1)} before and the {m} after '{TOKENS[i]}'.")],
                      wrong=[Opt(_toks(range(i + 1, i + m + 1)), mistake="skipgram-next-only"),
                             Opt(_toks(range(i - m, i + m + 1)), mistake="skipgram-includes-center"),
                             Opt(_toks([j for j in range(i - m - 1, i + m + 2) if j != i]),
                                 f"That is a window of {m + 1}: m = {m} words on each side."),
                             Opt(_toks(range(i - m, i)), "Only the words before: the window reaches both sides.")])

    def draw(self, draw) -> dict[str, Any]:
        m = draw.choice((1, 2))
        i = draw.integer(m + 1, len(TOKENS) - m - 2)
        return {"center": i, "m": m, **self._choice(i, m).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(inst["center"], inst["m"]).build(key, inst, mistakes)


class CosineValue(Item):
    """cos(u, v) for v a drawn multiple of u (positive or negative) or orthogonal to it."""

    id = "cosine-value"
    group = "cosine"
    BASES = ((1, 2), (2, 1), (3, 1), (1, 3), (2, 3), (3, 2))

    def _choice(self, k: int, kind: str, f: int) -> Choice:
        u = self.BASES[k]
        v = {"pos": (f * u[0], f * u[1]), "neg": (-f * u[0], -f * u[1]), "perp": (-f * u[1], f * u[0])}[kind]
        want = {"pos": "$1$", "neg": "$-1$", "perp": "$0$"}[kind]
        prompt = f"What is the cosine similarity of $u = ({u[0]}, {u[1]})$ and $v = ({v[0]}, {v[1]})$?"
        why = {"$1$": f"v = {f}u: the same direction, and cosine ignores length.",
               "$-1$": f"v = −{f}u: the opposite direction.",
               "$0$": "u · v = 0: orthogonal.",
               f"${f}$": f"{f} is the ratio of the lengths; cosine divides the lengths out.",
               f"${-f}$": f"−{f} is the signed ratio of the lengths; cosine is at most 1 in size."}
        opts = ["$1$", "$-1$", "$0$", f"${f if kind != 'neg' else -f}$"]
        return Choice(self.id, prompt, right=[Opt(want, why[want])],
                      wrong=[Opt(o, why[o], mistake="cosine-length" if o.strip("$-") == str(f) else
                                 "cosine-orthogonal-opposite" if kind == "perp" and o == "$-1$" else None)
                             for o in opts if o != want])

    def draw(self, draw) -> dict[str, Any]:
        k, kind, f = draw.integer(0, len(self.BASES) - 1), draw.choice(("pos", "neg", "perp")), draw.choice((2, 3, 4))
        return {"base": k, "kind": kind, "factor": f, **self._choice(k, kind, f).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(inst["base"], inst["kind"], inst["factor"]).build(key, inst, mistakes)


class SkipgramParams(Item):
    id = "skipgram-params"
    group = "params"

    def _choice(self, v: int, d: int) -> Choice:
        prompt = (f"A skip-gram model (full softmax) has a vocabulary of $V = {v:,}$ words and embeddings of size "
                  f"$d = {d}$: an input (center-word) matrix and an output (context-word) matrix. How many "
                  "parameters does it have?").replace(",", "{,}", 1)
        n = lambda x: f"${x:,}$".replace(",", "{,}")  # noqa: E731
        return Choice(self.id, prompt,
                      right=[Opt(n(2 * v * d), f"Two V × d matrices: 2 · {v:,} · {d} = {2 * v * d:,}.")],
                      wrong=[Opt(n(v * d), "That counts one matrix; skip-gram has separate center and context vectors."),
                             Opt(n(v * v), "A V × V table would be a count matrix; skip-gram's vectors are d long."),
                             Opt(n(2 * (v + d)), "The matrices are V × d: their sizes multiply."),
                             Opt(n(d * d), "d × d would be a layer inside the embedding space; the tables are V × d.")])

    def draw(self, draw) -> dict[str, Any]:
        v, d = draw.choice((5_000, 10_000, 20_000, 50_000)), draw.choice((50, 100, 200, 300))
        return {"V": v, "d": d, **self._choice(v, d).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(inst["V"], inst["d"]).build(key, inst, mistakes)


ITEMS = [
    Nearest(),
    Analogy(),
    Window(),
    CosineValue(),
    SkipgramParams(),
    Choice(
        "skipgram-task",
        "What prediction task is a skip-gram (word2vec) model trained on?",
        right=[Opt("Given a center word, predict each word in a window around it.",
                   "Mikolov et al. 2013: skip-gram maximizes the probability of the context words given the center word.")],
        wrong=[Opt("Given the words of a window, predict the center word.", mistake="skipgram-is-cbow"),
               Opt("Given a word, predict only the next word, as a language model does.", mistake="skipgram-next-only"),
               Opt("Given a sentence, predict whether it is positive or negative.",
                   "No labels are needed: the training pairs come from raw text."),
               Opt("Given a one-hot vector, reconstruct the same one-hot vector, like an autoencoder.",
                   "Reconstructing the input would be an autoencoder; skip-gram predicts other words.")],
        group="skipgram"),
    Choice(
        "why-similar",
        "After skip-gram training, two words that occur in similar contexts have similar embeddings. Why?",
        right=[Opt("Both must give high dot products with the same context words' vectors, so they point the same way.",
                   "The distributional hypothesis ('a word is known by the company it keeps'), built into the loss.")],
        wrong=[Opt("The vectors are set by hand from a dictionary of synonyms.", mistake="embeddings-handmade"),
               Opt("Words with similar spellings share characters, so their vectors start close and stay close in training.",
                   "Each word's vector starts random, whatever its spelling; only the contexts move them."),
               Opt("The training pushes the vectors of any two frequent words together, whatever their contexts are.",
                   "Frequency alone does not align two vectors; sharing contexts does."),
               Opt("Their one-hot vectors overlap.", "One-hot vectors of different words never overlap: cosine 0.")],
        group="why-similar"),
    TrueFalse(
        "tf-cosine-scale",
        "Multiplying a word's embedding by 10 changes its cosine similarity with every other word.",
        False,
        "cos(10u, v) = 10 u·v / (10‖u‖ ‖v‖) = cos(u, v): the factor cancels, cosine depends only on the angle.",
        [(1, "the positive factor appears in the dot product and in the norm"),
         (1, "it cancels: cosine depends on direction only")],
        mistake="cosine-length", group="cosine"),
    Multi(
        "cosine-facts",
        "Which of these statements about cosine similarity $\\cos(u, v) = u \\cdot v / (\\|u\\| \\|v\\|)$ are right?",
        right=[Opt("It always lies between $-1$ and $1$.", "By the Cauchy–Schwarz inequality |u·v| ≤ ‖u‖‖v‖."),
               Opt("It does not change when $u$ is multiplied by a positive number.", "The positive factor cancels between u·v and ‖u‖."),
               Opt("It is 0 for orthogonal vectors.", "u·v = 0 for orthogonal vectors, so the cosine is 0.")],
        wrong=[Opt("It does not change when $u$ is multiplied by a negative number.",
                   "A negative factor reverses u: the cosine changes sign."),
               Opt("It grows when the vectors get longer.", mistake="cosine-length"),
               Opt("It is $-1$ for orthogonal vectors.", mistake="cosine-orthogonal-opposite")],
        options=4, n_right=(1, 3), group="cosine"),
    TrueFalse(
        "tf-synonyms",
        "If two word embeddings have cosine similarity 0.95, the two words must be synonyms.",
        False,
        "Skip-gram puts words used in similar contexts close together. Antonyms ('hot', 'cold') and related words "
        "of other kinds share contexts too, so a high cosine means similar usage, not the same meaning.",
        [(1, "similar vectors mean similar contexts (usage)"),
         (1, "antonyms / related non-synonyms also share contexts")],
        mistake="similar-means-synonym", group="why-similar"),
    TrueFalse(
        "tf-negative-sampling",
        "The full softmax of skip-gram sums over the whole vocabulary for every training pair, which is why word2vec "
        "uses negative sampling (or a hierarchical softmax) in practice.",
        True,
        "p(context | center) = exp(u_o·v_c) / Σ_w exp(u_w·v_c): the denominator has V terms per pair. Negative "
        "sampling replaces it by a few sampled 'noise' words (Mikolov et al. 2013b).",
        [(1, "the softmax denominator sums over all V words"),
         (1, "negative sampling uses a few sampled words instead")],
        group="params"),
    Choice(
        "analogy-why",
        "Why can an analogy such as 'B is to A as C is to ?' be answered with the vector $A - B + C$?",
        right=[Opt("A relation shows up as a roughly constant offset: $A - B$ points the same way for every such pair.",
                   "Mikolov, Yih & Zweig 2013 ('linguistic regularities' as vector offsets).")],
        wrong=[Opt("Because the embeddings are one-hot, so the subtraction removes B's entry and adds A's in its place.",
                   "One-hot vectors are all orthogonal; offsets between them carry no relation."),
               Opt("Because the model was trained on a list of analogies, with the answers as labels.", mistake="embeddings-handmade"),
               Opt("Because cosine similarity is the same as subtraction.",
                   "Cosine measures angles; the offset A − B is a vector difference. They are used together."),
               Opt("Because $B - A + C$ and $A - B + C$ are the same vector.", mistake="analogy-reversed")],
        group="analogy"),
    TrueFalse(
        "tf-analogy-exclude",
        "When an analogy is solved by the nearest word to $A - B + C$, the words A, B and C are usually excluded "
        "from the search.",
        True,
        "A − B + C is often still closest to C itself (the offset is small next to C), so the inputs are "
        "left out of the candidates, as in Mikolov et al.'s evaluation.",
        [(1, "the target is often nearest to an input word, usually C"),
         (1, "so the inputs are excluded from the candidates")],
        group="analogy"),
    Short(
        "cosine-short",
        "Why are word embeddings compared with cosine similarity rather than with the dot product?",
        "The dot product grows with the vectors' lengths, which reflect things like word frequency, so long vectors "
        "would look similar to everything. Cosine divides by both lengths and compares directions only.",
        [(1, "the dot product depends on the lengths"),
         (1, "cosine normalizes by the lengths: direction (angle) only")],
        difficulties=("medium", "hard"), group="cosine"),
    Short(
        "skipgram-short",
        "Describe in one or two sentences what skip-gram trains on and what becomes the word embeddings.",
        "For each center word in the text it predicts the words within a window around it (a softmax over the "
        "vocabulary, or negative sampling); the learned center-word (input) vectors are the embeddings.",
        [(1, "predict context words from the center word within a window"),
         (1, "the learned (input) vectors are the embeddings")],
        difficulties=("medium", "hard"), group="skipgram"),
]

POOL = Pool("embeddings", ITEMS)
EmbeddingsConcepts = concept_family("embeddings-concepts", "Word embeddings: the ideas", POOL)
