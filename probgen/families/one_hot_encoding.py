"""Text as input: one-hot vectors, bag-of-words counts, an embedding lookup as one-hot times a matrix."""

from __future__ import annotations

from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part, vector_part

# (vocabulary, sentences): every sentence uses only the vocabulary and repeats at least one word.
THEMES = (
    (("the", "cat", "dog", "sat", "on", "mat", "chased"),
     ("the cat sat on the mat", "the dog chased the cat", "the cat chased the dog on the mat",
      "the dog sat on the mat")),
    (("to", "be", "or", "not", "that", "is", "the", "question"),
     ("to be or not to be", "to be or not to be that is the question")),
    (("a", "rose", "is", "red", "and", "blue", "sky"),
     ("a rose is a rose", "a rose is red and a sky is blue")),
    (("i", "think", "therefore", "am", "you", "are", "what"),
     ("i think therefore i am", "you are what you think")),
    (("the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog"),
     ("the quick brown fox jumps over the lazy dog",)),
    (("garbage", "in", "out", "more", "data", "is", "better"),
     ("garbage in garbage out", "more data is better data")),
)
UNK = "<unk>"
EMBED_DIM = 3
# Realistic sizes for the parameter count (hard).
BIG_VOCAB = (10000, 20000, 30000, 50000)
BIG_DIM = (64, 128, 256, 300, 512)


@family
class OneHotEncoding(Family):
    id = "one-hot-encoding"
    section = "fundamentals"
    topic = "input-encoding"
    title = "One-hot vectors, bag of words and embeddings"

    def generate(self, draw, difficulty, convention):
        words, sentences = draw.choice(THEMES)
        sentence = draw.choice(sentences)
        tokens = sentence.split()
        vocab = list(words)
        draw.shuffle(vocab)
        if difficulty == "hard":
            # One word of the sentence (said once) is out of vocabulary: it maps to <unk> at index 0.
            once = [w for w in vocab if tokens.count(w) == 1]
            vocab.remove(draw.choice(once))
            vocab.insert(0, UNK)
        known = [w for w in vocab if w != UNK]
        word = draw.choice(known)
        params = {"vocab": vocab, "sentence": sentence, "word": word}
        if difficulty != "easy":
            params["lookup_word"] = draw.choice([w for w in known if w != word])
            if difficulty == "medium":
                rows = [[draw.integer(1, 3) * draw.sign() for _ in range(EMBED_DIM)] for _ in vocab]
            else:
                rows = [[draw.decimal(-2, 2, 0.5, nonzero=True) for _ in range(EMBED_DIM)] for _ in vocab]
            params["embedding"] = rows
        if difficulty == "hard":
            params["big_vocab"] = draw.choice(BIG_VOCAB)
            params["big_dim"] = draw.choice(BIG_DIM)
        return params

    def solve(self, params):
        vocab = params["vocab"]
        V = len(vocab)
        index = {w: i for i, w in enumerate(vocab)}
        tokens = params["sentence"].split()
        token_ids = [index.get(t, index.get(UNK)) for t in tokens]
        oov = [t for t in tokens if t not in index]

        def one_hot(i):
            return [1 if k == i else 0 for k in range(V)]

        k = index[params["word"]]
        counts = [token_ids.count(i) for i in range(V)]
        presence = [min(c, 1) for c in counts]
        wrong_a = {}
        if k >= 1:
            wrong_a["counted the positions from 1 instead of 0"] = one_hot(k - 1)
        wrong_b = {"marked presence (0/1) instead of counting": presence}
        if oov:
            wrong_b["dropped the out-of-vocabulary word instead of counting it as <unk>"] = [
                c - (1 if vocab[i] == UNK else 0) for i, c in enumerate(counts)]
        parts = [
            vector_part("a", one_hot(k), 2, tolerance=0, mistakes=wrong_a),
            vector_part("b", counts, 2, tolerance=0, mistakes=wrong_b),
        ]
        work = {"index": k, "token_ids": token_ids, "oov": oov, "V": V}
        if "embedding" in params:
            E = [[exact(v) for v in row] for row in params["embedding"]]
            j = index[params["lookup_word"]]
            wrong_c = {"took the row of the previous index (positions counted from 1)": E[j - 1]} if j >= 1 else {}
            if j < EMBED_DIM:
                wrong_c["took a column of E instead of a row"] = [row[j] for row in E]
            parts.append(vector_part("c", E[j], 2, mistakes=wrong_c))
            work["lookup_index"] = j
        if "big_vocab" in params:
            bow_e = [sum(c * E[i][d] for i, c in enumerate(counts)) for d in range(EMBED_DIM)]
            parts.append(vector_part("d", bow_e, 3, depends_on=["b"], mistakes={
                "used the presence vector instead of the counts": [
                    sum(c * E[i][d] for i, c in enumerate(presence)) for d in range(EMBED_DIM)],
                "averaged over the tokens instead of summing": [v / len(tokens) for v in bow_e],
            }))
            n, dim = params["big_vocab"], params["big_dim"]
            parts.append(number_part("e", n * dim, 2, tolerance=0, mistakes={
                "added a bias per dimension (an embedding table has none)": n * dim + dim,
                "added the sizes instead of multiplying": n + dim,
            }))
            work["bow_e"] = bow_e
            work["terms"] = [(c, vocab[i]) for i, c in enumerate(counts) if c]
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """Part d from the student's own bag-of-words vector."""
        if "big_vocab" not in params or len(given.get("b", [])) != len(params["vocab"]):
            return {}
        E = params["embedding"]
        return {"d": [sum(c * E[i][d] for i, c in enumerate(given["b"])) for d in range(EMBED_DIM)]}
