"""losses-concepts: the saturation item's numbers by torch autograd, and every keyed claim that
can be run (cross-entropy = −log ŷ_c ≥ 0, BCE = Bernoulli NLL, MSE = Gaussian NLL up to
constants, the triplet hinge, ∂ℓ/∂z = ŷ − y) in torch or NumPy."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from concept_checks import assert_explained_and_distinct, assert_variety, item_parts
from sweep import sweep

FID = "losses-concepts"


def _grads(z: float, y: float):
    out = []
    for loss in (lambda s: (s - y) ** 2, lambda s: F.binary_cross_entropy(s, torch.tensor(float(y), dtype=torch.float64))):
        zt = torch.tensor(float(z), dtype=torch.float64, requires_grad=True)
        loss(torch.sigmoid(zt)).backward()
        out.append(abs(zt.grad.item()))
    return out


def test_saturation_independent():
    count = 0
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            if inst["id"] != "saturation":
                continue
            count += 1
            mse, bce = _grads(inst["z"], inst["y"])
            got = [float(x) for x in re.findall(r"\$([0-9.e-]+)\$", part.choices[part.answer])]
            assert got == pytest.approx([mse, bce], rel=2e-3), (problem.seed, got, mse, bce)
            assert mse < 0.04 and bce > 0.98  # the point of the item: MSE's gradient has vanished
    assert count > 10


def test_binary_task_never_offers_two_equivalent_losses():
    """Softmax + cross-entropy over two classes is the same model as a sigmoid with BCE, so the
    yes/no task must not offer both (both would be right)."""
    seen = 0
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            if inst["id"] == "task-loss" and inst["task"] == "spam":
                seen += 1
                texts = " | ".join(part.choices.values())
                assert not ("softmax" in texts and "binary cross-entropy" in texts), (problem.seed, texts)
    assert seen > 3


@pytest.fixture(scope="module")
def facts():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(64, 5, generator=g) * 4
    target = torch.randint(0, 5, (64,), generator=g)
    ce = F.cross_entropy(logits, target, reduction="none")
    p = F.softmax(logits, dim=1)
    out = {
        "ce_is_minus_log_true": torch.allclose(ce, -torch.log(p[torch.arange(64), target]), atol=1e-5),
        "ce_nonnegative": bool((ce >= 0).all()),
        "ce_near_zero_only_when_sure": F.cross_entropy(torch.tensor([[30.0, 0, 0]]), torch.tensor([0])).item() < 1e-6,
        "ce_unbounded": F.cross_entropy(torch.tensor([[-30.0, 30.0]]), torch.tensor([0])).item() > 50,
        "ce_is_nll": torch.allclose(F.cross_entropy(logits, target), F.nll_loss(F.log_softmax(logits, 1), target)),
    }
    yhat, y = torch.tensor([0.2, 0.7, 0.9]), torch.tensor([1.0, 0.0, 1.0])
    bern = -torch.log(yhat ** y * (1 - yhat) ** (1 - y))
    out["bce_is_bernoulli_nll"] = torch.allclose(F.binary_cross_entropy(yhat, y, reduction="none"), bern)
    grid = np.linspace(-3, 3, 6001)
    yv, sigma = 1.234, 0.7
    gauss_nll = -np.log(np.exp(-(yv - grid) ** 2 / (2 * sigma ** 2)) / np.sqrt(2 * np.pi * sigma ** 2))
    out["mse_is_gaussian_nll"] = grid[np.argmin(gauss_nll)] == grid[np.argmin((yv - grid) ** 2)]
    a, pos, neg = torch.zeros(1, 2), torch.tensor([[1.0, 0.0]]), torch.tensor([[0.0, 2.5]])
    out["triplet_zero_with_margin"] = torch.nn.TripletMarginLoss(margin=1.0)(a, pos, neg).item() == 0.0
    pos2, neg2 = torch.tensor([[1.0, 0.0]], requires_grad=True), torch.tensor([[0.0, 1.2]], requires_grad=True)
    torch.nn.TripletMarginLoss(margin=1.0)(a, pos2, neg2).backward()
    # a gradient step moves p towards a (the step −grad points from p to a) and n away from a
    out["triplet_pulls_p_pushes_n"] = bool((-pos2.grad * (a - pos2.detach())).sum() > 0 and
                                           (-neg2.grad * (neg2.detach() - a)).sum() > 0)
    z = torch.randn(5, generator=g, requires_grad=True)
    onehot = F.one_hot(torch.tensor(2), 5).float()
    (-(onehot * F.log_softmax(z, 0)).sum()).backward()
    out["grad_is_p_minus_y"] = torch.allclose(z.grad, F.softmax(z.detach(), 0) - onehot, atol=1e-6)
    return out


def test_torch_facts_behind_the_items(facts):
    assert all(facts.values()), facts


def test_keys_agree_with_the_facts_independent(facts):
    tf = {
        "tf-ce-negative": "F" if facts["ce_nonnegative"] else "T",
        "tf-triplet-zero": "F" if facts["triplet_zero_with_margin"] else "T",  # states: still positive
        "tf-mse-gaussian": "T" if facts["mse_is_gaussian_nll"] else "F",
        "tf-lower-better": "T",  # the deck's 'LOWER IS BETTER' (l. 303), a definition
        "tf-simclr-labels": "F",  # Chen et al. 2020: positives are augmentations of one image
    }
    texts = {
        "ce-nll": "maximizing the likelihood" if facts["ce_is_nll"] else None,
        "bce-bernoulli": "$y \\in \\{0, 1\\}$ is Bernoulli" if facts["bce_is_bernoulli_nll"] else None,
        "mse-gaussian": "$y$ is the prediction plus Gaussian noise" if facts["mse_is_gaussian_nll"] else None,
        "triplet-pull": "pulls $p$ towards $a$ and pushes $n$ away" if facts["triplet_pulls_p_pushes_n"] else None,
    }
    one_hot_true = {"it equals $-\\log \\hat y_c$": facts["ce_is_minus_log_true"],
                    "it is 0 only when $\\hat y_c = 1$": facts["ce_near_zero_only_when_sure"],
                    "it grows without bound as $\\hat y_c \\to 0$": facts["ce_unbounded"],
                    "it can be negative when the prediction is very good": not facts["ce_nonnegative"]}
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            iid = inst["id"]
            if iid in tf:
                assert part.answer == tf[iid], (problem.seed, iid)
            if iid in texts:
                assert part.choices[part.answer].startswith(texts[iid]), (problem.seed, iid)
            if iid == "ce-one-hot":
                for k, text in part.choices.items():
                    if text in one_hot_true:
                        assert (k in part.answer) == one_hot_true[text], (problem.seed, text)


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
