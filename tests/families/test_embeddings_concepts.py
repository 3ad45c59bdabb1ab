"""embeddings-concepts: every keyed claim that can be run is checked with torch (cosines and the
nearest word, analogy targets, skip-gram windows and parameter counts, cosine's invariances), over
every instance of a 300-seed sweep; and the pool varies enough over seeds."""

from __future__ import annotations

import re

import pytest
import torch

from concept_checks import assert_explained_and_distinct, assert_variety, sweep300, item_parts

FID = "embeddings-concepts"


def _vecs(text: str) -> dict[str, torch.Tensor]:
    """'Q has embedding $(2, 1)$' / 'A = $(3, 4)$' -> {name: tensor}."""
    out = {}
    for name, x, y in re.findall(r"([A-Z])(?: has embedding| =) \$\((-?\d+), (-?\d+)\)\$", text):
        out[name] = torch.tensor([float(x), float(y)], dtype=torch.float64)
    return out


def _cos(u, v) -> float:
    return float(torch.nn.functional.cosine_similarity(u, v, dim=0))


def _skipgram_pairs(tokens: list[str], m: int) -> list[tuple[str, str]]:
    """Skip-gram training pairs as word2vec's reference code builds them: for each position, every
    other position within distance m."""
    pairs = []
    for i, center in enumerate(tokens):
        for off in range(-m, m + 1):
            if off and 0 <= i + off < len(tokens):
                pairs.append((center, tokens[i + off]))
    return pairs


def _skipgram_params(v: int, d: int) -> int:
    inp = torch.nn.Embedding(v, d, device="meta")
    out = torch.nn.Linear(d, v, bias=False, device="meta")
    return sum(p.numel() for p in [*inp.parameters(), *out.parameters()])


def _cosine_facts() -> dict:
    g = torch.Generator().manual_seed(0)
    u, v = torch.randn(500, 6, generator=g, dtype=torch.float64), torch.randn(500, 6, generator=g, dtype=torch.float64)
    cos = lambda a, b: torch.nn.functional.cosine_similarity(a, b, dim=1)  # noqa: E731
    c = cos(u, v)
    perp = torch.stack([v[:, 1], -v[:, 0]] + [torch.zeros(500, dtype=torch.float64)] * 4, 1)
    vv = torch.cat([v[:, :2], torch.zeros(500, 4, dtype=torch.float64)], 1)
    return {
        "It always lies between $-1$ and $1$.": bool((c.abs() <= 1 + 1e-12).all()),
        "It does not change when $u$ is multiplied by a positive number.": torch.allclose(cos(3.7 * u, v), c),
        "It is 0 for orthogonal vectors.": torch.allclose(cos(perp, vv), torch.zeros(500, dtype=torch.float64), atol=1e-12),
        "It does not change when $u$ is multiplied by a negative number.": torch.allclose(cos(-2.0 * u, v), c),
        "It grows when the vectors get longer.": bool((cos(5 * u, 5 * v) > c + 1e-9).any()),
        "It is $-1$ for orthogonal vectors.": torch.allclose(cos(perp, vv), -torch.ones(500, dtype=torch.float64)),
    }


@pytest.fixture(scope="module")
def facts():
    u, v = torch.tensor([1.0, 2.0, -0.5]), torch.tensor([0.3, -1.0, 2.0])
    return {"cos": _cosine_facts(), "scale_changes": not torch.isclose(torch.nn.functional.cosine_similarity(10 * u, v, dim=0),
                                                                       torch.nn.functional.cosine_similarity(u, v, dim=0))}


def test_torch_facts_behind_the_items(facts):
    assert [k for k, ok in facts["cos"].items() if ok] == [
        "It always lies between $-1$ and $1$.", "It does not change when $u$ is multiplied by a positive number.",
        "It is 0 for orthogonal vectors."]
    assert not facts["scale_changes"]
    assert _skipgram_params(10_000, 300) == 6_000_000


def _num(text: str) -> float:
    return float(text.strip("$").replace("{,}", ""))


def test_every_key_agrees_with_torch_independent(facts):
    for difficulty, problem in sweep300(FID):
        for inst, part in item_parts(problem):
            item, at = inst["id"], (problem.seed, difficulty, inst["id"])
            keyed = part.choices[part.answer] if part.kind == "choice" else None
            prompt = part.prompt
            if item == "nearest-cosine":
                q = _vecs(prompt)["Q"]
                opts = {k: _vecs(t) for k, t in part.choices.items()}
                cos = {k: _cos(q, next(iter(o.values()))) for k, o in opts.items()}
                dot = {k: float(q @ next(iter(o.values()))) for k, o in opts.items()}
                assert max(cos, key=cos.get) == part.answer, at
                assert max(dot, key=dot.get) != part.answer, at  # the longest-dot distractor is there
            elif item == "analogy-offset":
                g = _vecs(prompt)
                target = g["A"] - g["B"] + g["C"]
                vecs = {k: next(iter(_vecs(t).values())) for k, t in part.choices.items()}
                assert torch.equal(vecs[part.answer], target), at
                assert all(not torch.equal(v, target) for k, v in vecs.items() if k != part.answer), at
            elif item == "skipgram-window":
                tokens = re.search(r"sentence '([a-z ]+)'", prompt).group(1).split()
                center = re.search(r"center word '([a-z])'", prompt).group(1)
                want = {c for w, c in _skipgram_pairs(tokens, inst["m"]) if w == center}
                assert set(re.findall(r"[a-z]", keyed)) == want, at
            elif item == "cosine-value":
                u, v = (torch.tensor([float(a), float(b)], dtype=torch.float64)
                        for a, b in re.findall(r"\((-?\d+), (-?\d+)\)", prompt))
                assert _num(keyed) == pytest.approx(_cos(u, v), abs=1e-12), at
            elif item == "skipgram-params":
                assert _num(keyed) == _skipgram_params(inst["V"], inst["d"]), at
            elif item == "cosine-facts":
                shown = {part.choices[k] for k in part.choices}
                assert {part.choices[k] for k in part.answer} == {t for t in shown if facts["cos"][t]}, at
            elif item == "tf-cosine-scale":
                assert part.answer == ("T" if facts["scale_changes"] else "F"), at


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep300(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)


def test_the_analogy_target_is_never_a_b_or_c():
    """A − B + C read off the printed vectors (not the family's own arithmetic) is a fourth vector:
    the keyed word never shares A's, B's or C's embedding (the search excludes them)."""
    seen = set()
    for difficulty, problem in sweep300(FID):
        for inst, part in item_parts(problem):
            if inst["id"] != "analogy-offset":
                continue
            found = re.findall(r"([ABC]) = \$\((-?\d+), (-?\d+)\)\$", part.prompt)
            vec = {name: (int(x), int(y)) for name, x, y in found}
            target = tuple(vec["A"][i] - vec["B"][i] + vec["C"][i] for i in range(2))
            keyed = re.search(r"\((-?\d+), (-?\d+)\)", part.choices[part.answer])
            assert tuple(map(int, keyed.groups())) == target, (problem.seed, part.prompt)
            assert target not in vec.values(), (problem.seed, vec)
            seen.add((inst["scenario"], tuple(inst["symmetry"])))
    assert len(seen) >= 16  # most scenario x symmetry pairs were drawn
