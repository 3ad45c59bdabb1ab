"""One-hot / bag of words / embeddings: answers against torch one_hot, bincount and embedding."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from probgen.core.registry import get_family
from sweep import assert_parts_match, sweep

FAMILY = "one-hot-encoding"


def token_ids(params):
    vocab = params["vocab"]
    ids = []
    for word in params["sentence"].lower().split():
        ids.append(vocab.index(word) if word in vocab else vocab.index("<unk>"))
    return torch.tensor(ids)


def independent(params):
    V = len(params["vocab"])
    out = {
        "a": F.one_hot(torch.tensor(params["vocab"].index(params["word"])), V).numpy(),
        "b": torch.bincount(token_ids(params), minlength=V).numpy(),
    }
    if "embedding" in params:
        E = torch.tensor(params["embedding"], dtype=torch.float64)
        j = torch.tensor([params["vocab"].index(params["lookup_word"])])
        out["c"] = F.embedding(j, E)[0].numpy()
        # the same lookup as a matrix product, x^T E
        np.testing.assert_array_equal(out["c"], (F.one_hot(j, V).double() @ E)[0].numpy())
    if "big_vocab" in params:
        out["d"] = F.embedding(token_ids(params), E).sum(0).numpy()  # b^T E = sum of token embeddings
        out["e"] = params["big_vocab"] * params["big_dim"]  # and see the nn.Embedding test below
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        assert_parts_match(problem, expected, rtol=1e-12, atol=0)
        assert all(part.tolerance == 0 or part.key in ("c", "d") for part in problem.parts), problem.seed


def test_embedding_parameter_count_matches_torch_module():
    sizes = {(p.params["big_vocab"], p.params["big_dim"]) for _, p in sweep(FAMILY, difficulties=["hard"])}
    for n, dim in sorted(sizes)[:4]:  # a real nn.Embedding for a few sizes (allocation is the slow part)
        count = sum(t.numel() for t in torch.nn.Embedding(n, dim).parameters())
        problem = next(p for _, p in sweep(FAMILY, difficulties=["hard"])
                       if (p.params["big_vocab"], p.params["big_dim"]) == (n, dim))
        assert problem.part("e").answer == count


def test_instances_are_well_posed():
    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        tokens = p["sentence"].split()
        counts = problem.part("b").answer
        assert max(counts) >= 2, "a repeated word makes counts differ from presence"
        assert sum(counts) == len(tokens)
        assert p["word"] in p["vocab"] and p["word"] != "<unk>"
        if difficulty == "hard":
            assert p["vocab"][0] == "<unk>"
            assert sum(1 for t in tokens if t not in p["vocab"]) == 1  # exactly one OOV word
        if "embedding" in p:
            assert p["lookup_word"] != p["word"]
            assert all(v != 0 for row in p["embedding"] for v in row)
        if "d" in {q.key for q in problem.parts}:
            assert any(v != 0 for v in problem.part("d").answer)


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for _, problem in sweep(FAMILY):
        p = problem.params
        V = len(p["vocab"])
        k = p["vocab"].index(p["word"])
        counts = np.bincount(token_ids(p).numpy(), minlength=V)
        expected = {
            "a": {"counted the positions from 1 instead of 0": np.eye(V)[k - 1]},
            "b": {"marked presence (0/1) instead of counting": (counts > 0).astype(int),
                  "dropped the out-of-vocabulary word instead of counting it as <unk>":
                      counts - np.eye(V, dtype=int)[0]},
        }
        if "embedding" in p:
            E = np.array(p["embedding"])
            j = p["vocab"].index(p["lookup_word"])
            expected["c"] = {"took the row of the previous index (positions counted from 1)": E[j - 1],
                             "took a column of E instead of a row": E[:, j] if j < E.shape[1] else None}
        if "big_vocab" in p:
            n, dim = p["big_vocab"], p["big_dim"]
            expected["d"] = {"used the presence vector instead of the counts": (counts > 0) @ E,
                             "averaged over the tokens instead of summing": counts @ E / counts.sum()}
            expected["e"] = {"added a bias per dimension (an embedding table has none)": n * dim + dim,
                             "added the sizes instead of multiplying": n + dim}
        for part in problem.parts:
            for m in part.misconceptions:
                np.testing.assert_allclose(m.value, expected[part.key][m.name], rtol=1e-12,
                                           err_msg=f"seed {problem.seed} {part.key}: {m.name}")
                seen.add(m.name)
    assert len(seen) == 9


def test_follow_on_uses_students_counts():
    problem = next(p for _, p in sweep(FAMILY, difficulties=["hard"]))
    V = len(problem.params["vocab"])
    given = [1] * V
    follow = get_family(FAMILY).follow_on(problem.params, {"b": given})
    np.testing.assert_allclose(follow["d"], np.array(problem.params["embedding"]).sum(0))
