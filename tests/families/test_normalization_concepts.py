"""normalization-concepts: every keyed claim is checked by running torch (or NumPy on the deck's
formulas), and the pool varies enough over seeds."""

from __future__ import annotations


import numpy as np
import pytest
import torch

from concept_checks import assert_explained_and_distinct, assert_variety, item_parts
from sweep import sweep

FID = "normalization-concepts"


def _x(n, d, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, d, generator=g) * 3 + 2


def _bn_train_eval_differ() -> bool:
    bn = torch.nn.BatchNorm1d(4)
    x = _x(8, 4)
    bn.train()
    y_train = bn(x)
    bn.eval()
    return not torch.allclose(y_train, bn(x), atol=1e-4)


def _bn_eval_ignores_batchmates() -> bool:
    bn = torch.nn.BatchNorm1d(4)
    bn.train()
    for s in range(5):
        bn(_x(16, 4, s))
    bn.eval()
    x = _x(8, 4, 9)
    alone = bn(x[:1])
    return torch.allclose(bn(x)[:1], alone) and torch.allclose(bn(torch.cat([x[:1], _x(3, 4, 11)]))[:1], alone)


def _same_train_eval(module, x) -> bool:
    module.train()
    a = module(x)
    module.eval()
    return torch.allclose(a, module(x), atol=1e-6)


def _ln_batch_independent() -> bool:
    ln = torch.nn.LayerNorm(6)
    x = _x(64, 6, 3)
    return torch.allclose(ln(x)[:1], ln(x[:1]), atol=1e-6)


def _ln_stat_shape() -> tuple:
    x = _x(5, 6, 4)
    mu = x.mean(dim=1, keepdim=True)
    sd = torch.sqrt(x.var(dim=1, unbiased=False, keepdim=True) + 1e-5)
    assert torch.allclose(torch.nn.LayerNorm(6, elementwise_affine=False)(x), (x - mu) / sd, atol=1e-5)
    return tuple(mu.shape)  # (N, 1)


def _batch_of_one() -> str:
    """The deck's formulas with N = 1 give β (NumPy); PyTorch refuses the batch in training."""
    x = np.array([[3.0, -1.5, 7.0]])
    gamma, beta, eps = np.array([2.0, 0.5, 3.0]), np.array([0.25, -1.0, 4.0]), 1e-5
    mu, var = x.mean(axis=0), x.var(axis=0)
    y = gamma * (x - mu) / np.sqrt(var + eps) + beta
    assert np.allclose(y, beta)
    with pytest.raises(ValueError):
        torch.nn.BatchNorm1d(3).train()(torch.tensor(x, dtype=torch.float32))
    return "beta"


def _mean_is_beta() -> bool:
    x = _x(7, 3, 5).numpy().astype(float)
    gamma, beta = np.array([2.0, -0.5, 1.5]), np.array([0.3, -2.0, 1.0])
    y = gamma * (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5) + beta
    without_beta = y - beta
    return bool(np.allclose(y.mean(0), beta) and np.allclose(without_beta.mean(0), 0, atol=1e-12))


def _learned() -> set:
    bn = torch.nn.BatchNorm1d(3)
    names = {name for name, _ in bn.named_parameters()}
    buffers = {name for name, _ in bn.named_buffers()}
    assert names == {"weight", "bias"} and {"running_mean", "running_var"} <= buffers
    return {"gamma", "beta"}


@pytest.fixture(scope="module")
def facts():
    """What torch / NumPy say, in the vocabulary of the items' option texts."""
    x4 = _x(6, 4, 7).reshape(6, 4, 1, 1).repeat(1, 1, 3, 3) + torch.arange(9.0).reshape(1, 1, 3, 3)
    same = {
        "layer normalization": _same_train_eval(torch.nn.LayerNorm(4), _x(6, 4, 1)),
        "instance normalization": _same_train_eval(torch.nn.InstanceNorm2d(4, affine=True), x4),
        "group normalization": _same_train_eval(torch.nn.GroupNorm(2, 4), x4),
        "batch normalization": _same_train_eval(torch.nn.BatchNorm1d(4), _x(6, 4, 1)),
    }
    # running averages that have stopped changing: train to a fixed point on one batch, then compare
    bn = torch.nn.BatchNorm1d(4, momentum=1.0)
    x = _x(6, 4, 2)
    bn.train()
    bn(x)
    same["batch normalization, once its running averages have stopped changing"] = _same_train_eval(bn, x)
    return {
        "same": same,
        "bn_train_eval_differ": _bn_train_eval_differ(),
        "bn_eval_alone": _bn_eval_ignores_batchmates(),
        "ln_batch_independent": _ln_batch_independent(),
        "ln_stat_shape": _ln_stat_shape(),
        "affine_shape": tuple(torch.nn.BatchNorm1d(5).weight.shape),
        "instance_keeps_none": torch.nn.InstanceNorm2d(4).running_mean is None,
        "batch_of_one": _batch_of_one(),
        "mean_is_beta": _mean_is_beta(),
        "learned": _learned(),
    }


def test_torch_facts_behind_the_items(facts):
    """The facts themselves (so a torch change that breaks one fails here, loudly)."""
    assert facts["same"] == {"layer normalization": True, "instance normalization": True,
                             "group normalization": True, "batch normalization": False,
                             "batch normalization, once its running averages have stopped changing": False}
    assert facts["bn_train_eval_differ"] and facts["bn_eval_alone"] and facts["ln_batch_independent"]
    assert facts["ln_stat_shape"] == (5, 1) and facts["affine_shape"] == (5,)
    assert facts["instance_keeps_none"] and facts["mean_is_beta"]


def _expected(item: str, facts):
    """The key an item must have, from the facts (None: the item is checked by text only)."""
    same = facts["same"]
    return {
        "same-train-test": {name for name, ok in same.items() if ok},
        "tf-ln-batch-size": "T" if facts["ln_batch_independent"] else "F",
        "tf-train-eval": "F" if facts["bn_train_eval_differ"] else "T",
        "tf-instance-running": "F" if facts["instance_keeps_none"] else "T",
        "tf-mean-beta": "T" if facts["mean_is_beta"] else "F",
        "tf-running-backprop": "T" if facts["learned"] == {"gamma", "beta"} else "F",  # states: no gradient
        "tf-test-batch": "F" if facts["bn_eval_alone"] else "T",
        "affine-shape": "$1 \\times D$" if facts["affine_shape"] == (5,) else None,
        "ln-stat-shape": "$N \\times 1$" if facts["ln_stat_shape"] == (5, 1) else None,
        "batch-of-one": "beta",
        "learned": {"$\\gamma_j$, one per feature", "$\\beta_j$, one per feature"},
    }.get(item)


def test_every_key_agrees_with_torch_independent(facts):
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            want = _expected(inst["id"], facts)
            if want is None:
                continue
            if part.kind == "truefalse":
                assert part.answer == want, (problem.seed, inst["id"])
            elif part.kind == "multi":
                shown = {part.choices[k] for k in part.choices}
                assert {part.choices[k] for k in part.answer} == want & shown, (problem.seed, inst["id"])
            elif inst["id"] == "batch-of-one":
                assert part.choices[part.answer].startswith("$\\beta_j$"), problem.seed
            else:
                assert part.choices[part.answer] == want, (problem.seed, inst["id"])


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
