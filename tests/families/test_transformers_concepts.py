"""transformers-concepts: every keyed claim that can be run is checked with torch / NumPy (the variance
of q·k, the causal mask, permutation equivariance, the block's parts, head parameter counts), and the
pool varies enough over seeds."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from concept_checks import assert_explained_and_distinct, assert_variety, item_parts, sweep300

FID = "transformers-concepts"


def _num(text: str) -> float:
    """The number an option shows: '$64$', '$1/8$'."""
    body = text.strip("$")
    if "/" in body:
        a, b = body.split("/")
        return float(a) / float(b)
    return float(body)


def _dot_variance(d: int, scaled: bool) -> float:
    """Monte Carlo, NumPy: q, k with independent N(0, 1) entries."""
    rng = np.random.default_rng(d)
    q, k = rng.standard_normal((40_000, d)), rng.standard_normal((40_000, d))
    s = (q * k).sum(axis=1)
    return float((s / np.sqrt(d)).var() if scaled else s.var())


def _causal_nonzero(t: int, i: int) -> set[int]:
    """Positions (1-based) with a nonzero weight in row i of a causally masked softmax, in torch."""
    g = torch.Generator().manual_seed(t * 10 + i)
    scores = torch.randn(t, t, generator=g)
    mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    w = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
    assert torch.allclose(w.sum(-1), torch.ones(t))
    return {j + 1 for j in range(t) if w[i - 1, j] > 0}


def _permutation_equivariant() -> bool:
    torch.manual_seed(0)
    mha = torch.nn.MultiheadAttention(8, 2, batch_first=True).eval()
    x = torch.randn(1, 5, 8)
    perm = torch.tensor([3, 0, 4, 1, 2])
    y, _ = mha(x, x, x)
    yp, _ = mha(x[:, perm], x[:, perm], x[:, perm])
    return torch.allclose(yp, y[:, perm], atol=1e-6)


def _block() -> dict:
    torch.manual_seed(1)
    layer = torch.nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0,
                                             batch_first=True).eval()
    kinds = {type(m) for m in layer.modules()}
    x = torch.randn(2, 5, 8)
    sa = layer.self_attn(x, x, x, need_weights=False)[0]
    h = layer.norm1(x + sa)
    ffn = lambda z: layer.linear2(torch.relu(layer.linear1(z)))  # noqa: E731
    residual_ln = torch.allclose(layer(x), layer.norm2(h + ffn(h)), atol=1e-5)
    position_wise = torch.allclose(ffn(h)[:, 2], ffn(h[:, 2:3])[:, 0], atol=1e-6)
    return {
        "multi-head self-attention": torch.nn.MultiheadAttention in kinds,
        "a position-wise feed-forward network": torch.nn.Linear in kinds and position_wise,
        "residual connections around each sub-layer": residual_ln,
        "layer normalization": torch.nn.LayerNorm in kinds and residual_ln,
        "batch normalization": any(issubclass(k, torch.nn.modules.batchnorm._BatchNorm) for k in kinds),
        "a recurrent connection from one time step to the next": any(issubclass(k, torch.nn.RNNBase) for k in kinds),
        "max pooling over the sequence": any("Pool" in k.__name__ for k in kinds),
        "position_wise": position_wise,
    }


def _argmax_kept() -> bool:
    g = torch.Generator().manual_seed(2)
    s = torch.randn(200, 9, generator=g) * 5
    return bool((torch.softmax(s, -1).argmax(-1) == torch.softmax(s / 8.0, -1).argmax(-1)).all())


def _unscaled_peaked() -> bool:
    g = torch.Generator().manual_seed(3)
    d = 512
    q, k = torch.randn(300, 1, d, generator=g), torch.randn(300, 10, d, generator=g)
    s = (q * k).sum(-1)
    unscaled = torch.softmax(s, -1).max(-1).values.mean()
    scaled = torch.softmax(s / d ** 0.5, -1).max(-1).values.mean()
    return bool(unscaled > 0.9 and scaled < 0.6)


def _heads_count(h: int) -> int:
    return sum(p.numel() for p in torch.nn.MultiheadAttention(512, h).parameters())


def _heads_same_params() -> bool:
    return _heads_count(8) == _heads_count(1)


def _mask_after_softmax_sums_to_1() -> bool:
    """Zero the later positions' weights after a softmax over all keys: does the row still sum to 1?"""
    w = torch.softmax(torch.tensor([1.0, 2.0, 0.5, -1.0]), -1)
    w[2:] = 0
    return bool(torch.isclose(w.sum(), torch.tensor(1.0)))


def _score_shape(t: int) -> tuple:
    mha = torch.nn.MultiheadAttention(4, 1, batch_first=True)
    x = torch.randn(1, t, 4)
    return tuple(mha(x, x, x)[1].shape[1:])


def _weighted_average() -> bool:
    g = torch.Generator().manual_seed(4)
    q, k, v = (torch.randn(5, 4, generator=g) for _ in range(3))
    w = torch.softmax(q @ k.T / 2.0, -1)
    out = torch.nn.functional.scaled_dot_product_attention(q[None], k[None], v[None])[0]
    return bool((w > 0).all() and torch.allclose(w.sum(-1), torch.ones(5)) and torch.allclose(out, w @ v, atol=1e-6))


def _mask_zero() -> bool:
    w = torch.softmax(torch.tensor([1.0, 2.0, float("-inf"), float("-inf")]), -1)
    return bool(w[2] == 0 and w[3] == 0 and torch.isclose(w.sum(), torch.tensor(1.0)))


@pytest.fixture(scope="module")
def facts():
    return {"perm": _permutation_equivariant(), "block": _block(), "argmax_kept": _argmax_kept(),
            "peaked": _unscaled_peaked(), "heads_same": _heads_same_params(),
            "quadratic": all(_score_shape(t) == (t, t) for t in (3, 6, 11)),
            "average": _weighted_average(), "mask_zero": _mask_zero(),
            "mask_after": _mask_after_softmax_sums_to_1(), "heads_8x": _heads_count(8) == 8 * _heads_count(1)}


def test_torch_facts_behind_the_items(facts):
    assert facts["perm"] and facts["argmax_kept"] and facts["peaked"] and facts["heads_same"]
    assert facts["quadratic"] and facts["average"] and facts["mask_zero"]
    assert not facts["mask_after"] and not facts["heads_8x"]
    b = facts["block"]
    assert b["multi-head self-attention"] and b["layer normalization"] and b["position_wise"]
    assert not (b["batch normalization"] or b["max pooling over the sequence"])
    assert abs(_dot_variance(64, False) - 64) < 2 and abs(_dot_variance(64, True) - 1) < 0.03


def _tf(flag: bool) -> str:
    return "T" if flag else "F"


def test_every_key_agrees_with_torch_independent(facts):
    variances = {}
    for difficulty, problem in sweep300(FID):
        for inst, part in item_parts(problem):
            item, keyed = inst["id"], part.choices[part.answer] if part.kind == "choice" else None
            at = (problem.seed, difficulty, item)
            if item == "sqrt-dk-variance":
                key = (inst["d_k"], inst["scaled"])
                if key not in variances:
                    variances[key] = _dot_variance(*key)
                v = variances[key]
                nearest = min(part.choices.values(), key=lambda o: abs(_num(o) - v))
                assert keyed == nearest and abs(_num(keyed) - v) / _num(keyed) < 0.05, at
            elif item == "causal-row":
                shown = {int(n) for n in re.findall(r"\d+", keyed)}
                assert shown == _causal_nonzero(inst["T"], inst["i"]), at
            elif item == "block-parts":
                shown = {part.choices[k] for k in part.choices}
                assert {part.choices[k] for k in part.answer} == {t for t in shown if facts["block"][t]}, at
            elif item == "ffn-role":
                assert ("each position separately" in keyed) == facts["block"]["position_wise"], at
            elif item == "why-positional":
                assert ("permutation equivariant" in keyed) == facts["perm"], at
            elif item == "attention-cost":
                assert ("T^2" in keyed) == facts["quadratic"], at
            elif item == "why-scale":
                assert "variance $d_k$" in keyed and abs(_dot_variance(36, False) - 36) < 1.5, at
            elif part.kind == "truefalse":
                want = {"tf-scale-argmax": _tf(not facts["argmax_kept"]), "tf-unscaled-peaked": _tf(facts["peaked"]),
                        "tf-mask-after": _tf(facts["mask_after"]), "tf-permutation": _tf(facts["perm"]),
                        "tf-heads-params": _tf(facts["heads_8x"]), "tf-weighted-average": _tf(facts["average"])}
                if item in want:
                    assert part.answer == want[item], at


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep300(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
