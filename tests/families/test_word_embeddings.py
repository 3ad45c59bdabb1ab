"""Word embeddings: cosines, nearest words and the analogy with NumPy; the skip-gram probability
with a NumPy softmax and its gradient with torch autograd."""

import numpy as np
import pytest
import torch

from sweep import assert_parts_match, sweep

FAMILY = "word-embeddings"
torch.set_num_threads(1)


def cos(u, v):
    u, v = np.asarray(u, float), np.asarray(v, float)
    return u @ v / (np.linalg.norm(u) * np.linalg.norm(v))


def letter_of(part, word):
    return next(k for k, w in part.choices.items() if w == word)


def skipgram(p):
    U = np.array([p["sg_u"][w] for w in p["sg_vocab"]], float)
    s = U @ np.array(p["sg_v"], float)
    probs = np.exp(s) / np.exp(s).sum()
    o = p["sg_vocab"].index(p["sg_context"])
    v = torch.tensor(p["sg_v"], dtype=torch.float64, requires_grad=True)
    loss = -torch.log_softmax(torch.tensor(U) @ v, dim=0)[o]
    loss.backward()
    return probs[o], v.grad.numpy()


def independent(problem):
    p = problem.params
    V = p["vectors"]
    out = {"a": cos(V[p["cosine_pair"][0]], V[p["cosine_pair"][1]])}
    if "query" in p:
        others = [w for w in p["words"] if w != p["query"]]
        best = max(others, key=lambda w: cos(V[p["query"]], V[w]))
        out["b"] = letter_of(problem.part("b"), best)
        sg = "c"
    else:
        a, b, c = (np.array(V[w], float) for w in p["analogy"])
        t = b - a + c
        out["b"] = t
        candidates = [w for w in p["words"] if w not in p["analogy"]]
        best = max(candidates, key=lambda w: cos(t, V[w]))
        out["c"] = letter_of(problem.part("c"), best)
        sg = "d"
    prob, grad = skipgram(p)
    out[sg] = prob
    if p["gradient"]:
        out["e"] = grad
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_numpy_and_autograd(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem)
        assert sorted(expected) == [q.key for q in problem.parts]
        assert_parts_match(problem, expected)  # choice parts compared exactly


def test_table_is_hand_workable_with_clear_answers():
    traps = 0
    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        V = p["vectors"]
        for v in V.values():
            length = np.linalg.norm(v)
            assert length == round(length) and all(x == int(x) for x in v)  # whole-number length
        assert len({tuple(v) for v in V.values()}) == len(V)
        assert np.dot(*(V[w] for w in p["cosine_pair"])) != 0, problem.seed  # not orthogonal: a cosine of 0 is trivial
        if "query" in p:
            q = V[p["query"]]
            sims = sorted((cos(q, V[w]) for w in p["words"] if w != p["query"]), reverse=True)
            assert sims[0] - sims[1] >= 0.15 - 1e-12 and sims[0] < 0.99
            best = max((w for w in p["words"] if w != p["query"]), key=lambda w: cos(q, V[w]))
            traps += max((w for w in p["words"] if w != p["query"]), key=lambda w: np.dot(q, V[w])) != best
        else:
            a, b, c = (np.array(V[w], float) for w in p["analogy"])
            t = b - a + c
            cands = [w for w in p["words"] if w not in p["analogy"]]
            sims = sorted((cos(t, V[w]) for w in cands), reverse=True)
            assert len(cands) == 3 and sims[0] - sims[1] >= 0.15 - 1e-12 and sims[0] < 0.999
            assert not any(np.array_equal(t, V[w]) for w in p["analogy"])
        prob = problem.parts[-2 if p["gradient"] else -1].answer
        assert 0.03 < prob < 0.95
    assert traps > 0  # the dot-product trap appears in some easy tables


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for _, problem in sweep(FAMILY):
        p = problem.params
        V = p["vectors"]
        u, v = (np.array(V[w], float) for w in p["cosine_pair"])
        U = np.array([p["sg_u"][w] for w in p["sg_vocab"]], float)
        s = U @ np.array(p["sg_v"], float)
        o = p["sg_vocab"].index(p["sg_context"])
        sg = [q for q in problem.parts if q.kind == "number"][-1].key
        expected = {
            ("a", "gave the dot product without dividing by the lengths"): u @ v,
            ("a", "gave the Euclidean distance"): np.linalg.norm(u - v),
            ("a", "divided by the squared lengths"): u @ v / ((u @ u) * (v @ v)),
            (sg, "used the sigmoid of the score (negative-sampling style) instead of the softmax"): 1 / (1 + np.exp(-s[o])),
            (sg, "left the context word out of the denominator"): np.exp(s[o]) / (np.exp(s).sum() - np.exp(s[o])),
        }
        if "query" in p:
            q = np.array(V[p["query"]], float)
            others = [w for w in p["words"] if w != p["query"]]
            expected["b", "ranked by dot product instead of cosine"] = letter_of(
                problem.part("b"), max(others, key=lambda w: q @ V[w]))
            expected["b", "ranked by Euclidean distance instead of cosine"] = letter_of(
                problem.part("b"), min(others, key=lambda w: np.linalg.norm(q - V[w])))
        else:
            names = p["analogy"]
            a, b, c = (np.array(V[w], float) for w in names)
            expected["b", f"computed {names[0]} − {names[1]} + {names[2]}"] = a - b + c
            expected["b", f"computed {names[1]} − {names[2]} + {names[0]}"] = b - c + a
            expected["b", f"computed {names[1]} + {names[0]} + {names[2]}"] = a + b + c
            cands = [w for w in p["words"] if w not in names]
            expected["c", "ranked by dot product instead of cosine"] = letter_of(
                problem.part("c"), max(cands, key=lambda w: (b - a + c) @ V[w]))
        if p["gradient"]:
            probs = np.exp(s) / np.exp(s).sum()
            expected["e", "flipped the sign (u_o − Σ p u)"] = U[o] - probs @ U
            expected["e", "forgot the −u_o term"] = probs @ U
        for part in problem.parts:
            for m in part.misconceptions:
                assert (part.key, m.name) in expected, (problem.seed, part.key, m.name)
                if part.kind == "choice":
                    assert m.value == expected[part.key, m.name]
                else:
                    np.testing.assert_allclose(m.value, expected[part.key, m.name], rtol=1e-9, atol=1e-12)
                seen.add(m.name.split(" ")[0] if m.name.startswith("computed ") else m.name)
    assert len(seen) == 10  # every kind of named mistake occurs and was checked (the analogy's three as one)


# The English completion of each analogy, written out here (not read from the family's themes):
# a key that contradicts English ("big : bigger :: small : smallest") reads as a wrong key.
ENGLISH_COMPLETION = {("man", "king", "woman"): "queen", ("france", "paris", "italy"): "rome",
                      ("walk", "walked", "swim"): "swam", ("big", "bigger", "small"): "smaller",
                      ("slow", "slowly", "quick"): "quickly"}


@pytest.mark.parametrize("difficulty", ["medium", "hard"])
def test_analogy_key_is_the_english_completion(difficulty):
    seen = set()
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        p = problem.params
        analogy = tuple(p["analogy"])
        assert analogy in ENGLISH_COMPLETION, analogy
        part = problem.part("c")
        assert part.choices[part.answer] == ENGLISH_COMPLETION[analogy], (problem.seed, analogy)
        seen.add(analogy)
    assert seen == set(ENGLISH_COMPLETION)  # every theme was drawn and checked


def test_related_words_never_have_a_negative_cosine():
    """TA re-rating: cos(slow, slowly) = -11/21, two related words pointing apart. The analogy's
    four words are pairwise at cosine >= 0.2 (NumPy), so the asked cosine (part a) is positive;
    easy's asked pair (two neighbours of the query) is positive too."""
    import itertools

    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        vec = {w: np.array(v, dtype=float) for w, v in p["vectors"].items()}

        def cos(u, v):
            return float(vec[u] @ vec[v] / (np.linalg.norm(vec[u]) * np.linalg.norm(vec[v])))

        assert cos(*p["cosine_pair"]) > 0, (difficulty, problem.seed, p["cosine_pair"])
        if "analogy" in p:
            a, b, c = p["analogy"]
            d = next(w for w in p["words"] if w not in (a, b, c) and problem.part("c").choices[
                problem.part("c").answer] == w)
            for u, v in itertools.combinations((a, b, c, d), 2):
                assert cos(u, v) >= 0.2 - 1e-12, (difficulty, problem.seed, u, v, cos(u, v))
