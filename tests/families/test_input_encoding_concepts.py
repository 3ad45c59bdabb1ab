"""input-encoding-concepts: every keyed claim that can be run is checked with torch / NumPy (one-hot
cosines and lengths, equal bag-of-words vectors, dense-layer parameter counts, embedding lookups and
their gradients), over every instance of a 300-seed sweep; and the pool varies enough over seeds."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
import torch

from probgen.families.input_encoding_concepts import SAME_BAG
from concept_checks import assert_explained_and_distinct, assert_variety, sweep300, item_parts

FID = "input-encoding-concepts"


def _int(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text.replace("{,}", "")))


def _onehot_cosine(v: int, i: int, j: int) -> float:
    a = torch.nn.functional.one_hot(torch.tensor(i), v).double()
    b = torch.nn.functional.one_hot(torch.tensor(j), v).double()
    return float(torch.nn.functional.cosine_similarity(a, b, dim=0))


def _bow(sentence: str, vocab: list[str]) -> np.ndarray:
    idx = torch.tensor([vocab.index(w) for w in sentence.split()])
    return torch.nn.functional.one_hot(idx, len(vocab)).sum(0).numpy()


def _dense_params(d: int, n: int) -> int:
    return sum(p.numel() for p in torch.nn.Linear(d, n, device="meta").parameters())


def _bow_readable() -> dict:
    """What can be read off a bag-of-words vector: a property is readable when it is a function of the
    vector (the vector gives it back) and not readable when two sentences with equal vectors differ in it."""
    out = {}
    props = {"the order of the words": lambda s: tuple(s.split()), "which word comes first": lambda s: s.split()[0],
             "which words are next to each other": lambda s: set(zip(s.split(), s.split()[1:]))}
    for name, prop in props.items():
        differs = False
        for s1, s2 in SAME_BAG:
            vocab = sorted(set(s1.split()))
            assert (_bow(s1, vocab) == _bow(s2, vocab)).all()
            differs |= prop(s1) != prop(s2)
        out[name] = not differs
    s = "to be or not to be that is the question"
    vocab = sorted(set(s.split())) + ["cat", "dog"]
    v = _bow(s, vocab)
    out["which vocabulary words occur in the sentence"] = {vocab[k] for k in np.nonzero(v)[0]} == set(s.split())
    out["how many times each word occurs"] = all(v[vocab.index(w)] == c for w, c in Counter(s.split()).items())
    out["the number of words in the sentence"] = v.sum() == len(s.split())
    return out


def _lookup_is_matmul() -> bool:
    torch.manual_seed(0)
    emb = torch.nn.Embedding(50, 8)
    k = torch.tensor([7, 31])
    return torch.allclose(emb(k), torch.nn.functional.one_hot(k, 50).float() @ emb.weight)


def _embedding_trained() -> bool:
    torch.manual_seed(1)
    emb = torch.nn.Embedding(20, 4)
    emb(torch.tensor([3, 5, 3])).pow(2).sum().backward()
    used = emb.weight.grad[[3, 5]].abs().sum(1)
    unused = emb.weight.grad[[0, 1, 2, 4, 6]].abs().sum()
    return any(p is emb.weight for p in emb.parameters()) and bool((used > 0).all()) and unused.item() == 0


def _fc_no_neighbours() -> bool:
    torch.manual_seed(2)
    fc = torch.nn.Linear(16, 5)
    x = torch.randn(3, 16)
    perm = torch.randperm(16)
    shuffled = torch.nn.Linear(16, 5)
    with torch.no_grad():
        shuffled.weight.copy_(fc.weight[:, perm])
        shuffled.bias.copy_(fc.bias)
    return torch.allclose(fc(x), shuffled(x[:, perm]), atol=1e-6)


@pytest.fixture(scope="module")
def facts():
    v = 1000
    dists = {round(float(np.linalg.norm(np.eye(v)[i] - np.eye(v)[j])), 9) for i, j in ((0, 1), (3, 900), (17, 18))}
    return {"dists_equal": dists == {round(2 ** 0.5, 9)}, "bow": _bow_readable(), "lookup": _lookup_is_matmul(),
            "trained": _embedding_trained(), "fc": _fc_no_neighbours(),
            "orthogonal": _onehot_cosine(v, 4, 5) == 0.0}


def test_torch_facts_behind_the_items(facts):
    assert facts["dists_equal"] and facts["lookup"] and facts["trained"] and facts["fc"] and facts["orthogonal"]
    assert facts["bow"] == {"the order of the words": False, "which word comes first": False,
                            "which words are next to each other": False,
                            "which vocabulary words occur in the sentence": True,
                            "how many times each word occurs": True, "the number of words in the sentence": True}
    assert _dense_params(224 * 224 * 3, 1000) == 150_529_000


def _tf(flag: bool) -> str:
    return "T" if flag else "F"


def test_every_key_agrees_with_torch_independent(facts):
    truth = {"tf-onehot-distances": _tf(not facts["dists_equal"]), "tf-lookup-is-matmul": _tf(facts["lookup"]),
             "tf-embedding-trained": _tf(facts["trained"]), "tf-fc-neighbours": _tf(not facts["fc"])}  # states that it knows
    for difficulty, problem in sweep300(FID):
        for inst, part in item_parts(problem):
            item, at = inst["id"], (problem.seed, difficulty, inst["id"])
            keyed = part.choices[part.answer] if part.kind == "choice" else None
            if item == "onehot-cosine":
                v = inst["V"]
                assert keyed == "$0$" and _onehot_cosine(v, 0, v - 1) == 0.0, at
            elif item == "onehot-size":
                v = inst["V"]
                words = torch.arange(12) * 37 % v
                length = (torch.nn.functional.one_hot(words, v).sum(0) if inst["bow"]
                          else torch.nn.functional.one_hot(words[3], v)).shape[0]
                assert _int(keyed) == length, at
            elif item == "bow-same-vector":
                s1, s2 = inst["sentences"]
                vocab = sorted(set(s1.split()) | set(s2.split()))
                assert s1 != s2 and (_bow(s1, vocab) == _bow(s2, vocab)).all(), at
                assert keyed.startswith("They are identical"), at
            elif item == "pixel-params":
                h, w, c = inst["image"]
                assert _int(keyed) == _dense_params(h * w * c, inst["units"]), at
            elif item == "bow-keeps":
                shown = {part.choices[k] for k in part.choices}
                assert {part.choices[k] for k in part.answer} == {t for t in shown if facts["bow"][t]}, at
            elif item == "onehot-why-poor":
                assert "orthogonal" in keyed and facts["orthogonal"], at
            elif item == "pixels-why-explode":
                assert "H \\cdot W \\cdot C \\times n" in keyed, at
            elif item in truth:
                assert part.answer == truth[item], at


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep300(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
