"""architectures-concepts: every keyed claim that can be run is run in torch (grouped and 1 × 1
convolutions' weight counts, autograd through residual stacks, a depthwise convolution's channel
dependence, self-attention's reach and permutation equivariance, a frozen backbone under an
optimizer step), and the pool varies enough over seeds. The rest is cited in the family doc."""

from __future__ import annotations

import math
from collections import Counter

import pytest
import torch
import torch.nn.functional as F

from concept_checks import assert_explained_and_distinct, assert_variety, item_parts
from sweep import sweep

FID = "architectures-concepts"


def _rand(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def _numel(cin, cout, k, groups=1) -> int:
    return torch.nn.Conv2d(cin, cout, k, groups=groups, bias=False).weight.numel()


def _residual_grad(upstream, fprime) -> float:
    """∂L/∂x for y = x + F(x), F(x) = fprime · sin(x) at x = 0 (F′(0) = fprime), L = upstream · y."""
    x = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    y = x + fprime * torch.sin(x)
    (upstream * y).backward()
    return float(x.grad)


def _deep_grads(blocks=30, scale=0.05) -> tuple[float, float]:
    """|∂L/∂x| at the input of a plain stack x ← F(x) and a residual stack x ← x + F(x)."""
    out = []
    for residual in (False, True):
        x0 = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
        x = x0
        for i in range(blocks):
            f = scale * torch.sin(x + 0.1 * i)
            x = x + f if residual else f
        x.backward()
        out.append(abs(float(x0.grad)))
    return out[0], out[1]


def _zero_block_identity() -> bool:
    conv1, conv2 = torch.nn.Conv2d(8, 8, 3, padding=1), torch.nn.Conv2d(8, 8, 3, padding=1)
    for layer in (conv1, conv2):
        torch.nn.init.zeros_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
    x = torch.randn(2, 8, 6, 6)
    return bool(torch.equal(x + conv2(torch.relu(conv1(x))), x))


def _depthwise_channels() -> tuple[bool, bool]:
    """(depthwise output channel 0 depends only on input channel 0, pointwise output 0 on all)."""
    x = _rand(1, 4, 7, 7, seed=1).requires_grad_(True)
    F.conv2d(x, _rand(4, 1, 3, 3, seed=2), groups=4)[0, 0].sum().backward()
    dw_only_own = bool((x.grad[0, 1:] == 0).all() and (x.grad[0, 0] != 0).any())
    x.grad = None
    F.conv2d(x, _rand(6, 4, 1, 1, seed=3))[0, 0].sum().backward()
    pw_all = all(bool((x.grad[0, c] != 0).any()) for c in range(4))
    return dw_only_own, pw_all


def _attention() -> tuple[bool, bool, bool]:
    """(a first-layer attention output depends on every patch, a 3 × 3 conv output does not,
    attention without position embeddings is permutation equivariant)."""
    torch.manual_seed(0)
    mha = torch.nn.MultiheadAttention(16, 2, batch_first=True).double()
    patches = _rand(1, 9, 16, seed=4).requires_grad_(True)
    out, _ = mha(patches, patches, patches)
    out[0, 0].sum().backward()
    reaches_all = all(bool((patches.grad[0, j] != 0).any()) for j in range(9))
    img = _rand(1, 1, 9, 9, seed=5).requires_grad_(True)
    F.conv2d(img, _rand(1, 1, 3, 3, seed=6))[0, 0, 0, 0].backward()
    conv_local = int((img.grad != 0).sum()) == 9
    perm = torch.tensor([3, 0, 8, 1, 5, 2, 7, 4, 6])
    with torch.no_grad():
        a, _ = mha(patches, patches, patches)
        p = patches[:, perm]
        b, _ = mha(p, p, p)
    return reaches_all, conv_local, bool(torch.allclose(a[:, perm], b, atol=1e-12))


def _frozen_unchanged() -> bool:
    torch.manual_seed(1)
    backbone, head = torch.nn.Linear(6, 4), torch.nn.Linear(4, 3)
    for p in backbone.parameters():
        p.requires_grad = False
    before_b = [p.clone() for p in backbone.parameters()]
    before_h = [p.clone() for p in head.parameters()]
    opt = torch.optim.SGD(head.parameters(), lr=0.5)
    loss = F.cross_entropy(head(torch.relu(backbone(torch.randn(5, 6)))), torch.tensor([0, 1, 2, 0, 1]))
    loss.backward()
    opt.step()
    unchanged = all(torch.equal(a, b) for a, b in zip(before_b, backbone.parameters()))
    head_moved = any(not torch.equal(a, b) for a, b in zip(before_h, head.parameters()))
    return unchanged and head_moved and all(p.grad is None for p in backbone.parameters())


@pytest.fixture(scope="module")
def facts():
    plain, residual = _deep_grads()
    dw_own, pw_all = _depthwise_channels()
    reaches_all, conv_local, perm_equiv = _attention()
    bottleneck = _numel(256, 64, 1) + _numel(64, 64, 3) + _numel(64, 256, 1)
    keeps_hw = torch.nn.Conv2d(256, 64, 1)(torch.zeros(1, 256, 14, 14)).shape[-2:] == (14, 14)
    return {"plain": plain, "residual": residual, "zero_identity": _zero_block_identity(),
            "dw_own": dw_own, "pw_all": pw_all, "reaches_all": reaches_all, "conv_local": conv_local,
            "perm_equiv": perm_equiv, "bottleneck": bottleneck, "single3x3": _numel(256, 256, 3),
            "keeps_hw": keeps_hw, "frozen_unchanged": _frozen_unchanged()}


def test_torch_facts_behind_the_items(facts):
    assert facts["plain"] < 1e-30 and facts["residual"] > 0.1
    assert facts["zero_identity"] and facts["dw_own"] and facts["pw_all"]
    assert facts["reaches_all"] and facts["conv_local"] and facts["perm_equiv"]
    assert facts["bottleneck"] == 69632 and facts["single3x3"] == 589824 and facts["keeps_hw"]
    assert facts["frozen_unchanged"]


def _tf(facts) -> dict[str, str]:
    tf = lambda b: "T" if b else "F"  # noqa: E731
    return {
        "tf-skip-product": tf(facts["residual"] < 1e3 * facts["plain"]),
        "tf-zero-identity": tf(facts["zero_identity"]),
        "tf-bottleneck-weights": tf(facts["bottleneck"] < facts["single3x3"]),
        "tf-depthwise-mix": tf(not facts["dw_own"]),
        "tf-vit-global": tf(not facts["reaches_all"]),  # states: only the neighbours
        "tf-vit-permute": tf(facts["perm_equiv"]),
        "tf-frozen-updates": tf(not facts["frozen_unchanged"]),
        "tf-vit-data": "T",  # an empirical result (Dosovitskiy et al., 2021), cited in the doc
    }


def _prefix(facts) -> dict[str, str]:
    """Fixed choice items whose keyed option a torch fact supports: its opening words."""
    return {
        "residual-what": "The residual $F(x) = H(x) - x$" if facts["zero_identity"] else None,
        "bottleneck-why": "They shrink the channels" if facts["bottleneck"] < facts["single3x3"] and facts["keeps_hw"] else None,
        "separable-parts": "A depthwise $k \\times k$ convolution, one filter per channel" if facts["dw_own"] and facts["pw_all"] else None,
        "vit-bias": "Locality and translation equivariance" if facts["reaches_all"] and facts["conv_local"] else None,
    }


CITED = {"degradation", "adapt-small", "adapt-large-different", "finetune-practice"}  # see the doc


def _drawn_key(inst) -> str:
    if inst["id"] == "separable-savings":
        k, ci, co = inst["k"], inst["cin"], inst["cout"]
        std, sep = _numel(ci, co, k), _numel(ci, ci, k, groups=ci) + _numel(ci, co, 1)
        assert math.isclose(sep / std, 1 / co + 1 / k ** 2)
        return f"{sep:,} weights: the standard layer has {std / sep:.3g} times as many".replace(",", "\u202f")
    g = _residual_grad(inst["upstream"], inst["fprime"])
    return f"${round(g, 6):g}$"


def test_every_key_agrees_with_torch_independent(facts):
    tf, prefix = _tf(facts), _prefix(facts)
    checked = Counter()
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            item = inst["id"]
            if part.kind == "truefalse":
                assert part.answer == tf[item], (problem.seed, item)
            elif item in prefix:
                assert prefix[item] and part.choices[part.answer].startswith(prefix[item]), (problem.seed, item)
                assert sum(t.startswith(prefix[item]) for t in part.choices.values()) == 1
            elif item in ("separable-savings", "residual-gradient"):
                want = _drawn_key(inst)
                assert part.choices[part.answer] == want, (problem.seed, inst)
                assert list(part.choices.values()).count(want) == 1
            else:
                assert part.kind == "short" or item in CITED, item
                continue
            checked[item] += 1
    assert len(checked) >= 13, checked


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
