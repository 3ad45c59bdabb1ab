"""pooling-concepts: every keyed claim that can be run is run in torch (max_pool2d on shifted
inputs, its gradient on the drawn window, avg_pool2d's gradient, shapes, parameters, global
average pooling on two sizes, the receptive field through a pool by autograd), and the pool
varies enough over seeds."""

from __future__ import annotations

from collections import Counter

import pytest
import torch
import torch.nn.functional as F

from concept_checks import assert_explained_and_distinct, assert_variety, item_parts
from sweep import sweep

FID = "pooling-concepts"


def _rand(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def _max_grad(window, upstream) -> list[float]:
    x = torch.tensor(window, dtype=torch.float64).reshape(1, 1, 2, 2).requires_grad_(True)
    (upstream * F.max_pool2d(x, 2)).sum().backward()
    return x.grad.flatten().tolist()


def _shift_facts() -> tuple[bool, bool]:
    """(max moved inside its window: same output; shifted by 2 across windows: output changes)."""
    x = torch.zeros(1, 1, 4, 4, dtype=torch.float64)
    x[0, 0, 0, 0], x[0, 0, 2, 3] = 5.0, 7.0
    y = F.max_pool2d(x, 2)
    inside = torch.zeros_like(x)
    inside[0, 0, 1, 1], inside[0, 0, 3, 2] = 5.0, 7.0  # each maximum moved within its window
    across = torch.roll(x, 2, dims=3)
    return bool(torch.equal(F.max_pool2d(inside, 2), y)), bool(torch.equal(F.max_pool2d(across, 2), y))


def _rf_through_pool() -> int:
    """Width of the input region behind one output of conv 3 × 3, pool 2 × 2 / 2, conv 3 × 3 (autograd;
    average pooling, since max pooling routes the gradient through one input per window)."""
    ones = torch.ones(1, 1, 3, 3, dtype=torch.float64)
    x = torch.zeros(1, 1, 20, 20, dtype=torch.float64, requires_grad=True)
    F.conv2d(F.avg_pool2d(F.conv2d(x, ones), 2), ones)[0, 0, 3, 3].backward()
    cols = torch.nonzero(x.grad[0, 0].abs().sum(0)).flatten()
    return int(cols[-1] - cols[0]) + 1


@pytest.fixture(scope="module")
def facts():
    inside_same, across_same = _shift_facts()
    x = torch.zeros(1, 1, 2, 2, dtype=torch.float64)
    x[0, 0, 1, 0] = 8.0
    xa = torch.ones(1, 1, 2, 2, dtype=torch.float64, requires_grad=True)
    (3.0 * F.avg_pool2d(xa, 2)).sum().backward()
    gap = torch.nn.AdaptiveAvgPool2d(1)
    head = torch.nn.Linear(16, 5)
    shapes = [head(gap(torch.randn(1, 16, s, s)).flatten(1)).shape for s in (7, 13)]
    return {
        "no_params": len(list(torch.nn.MaxPool2d(2).parameters())) == 0,
        "inside_same": inside_same, "across_same": across_same,
        "max_keeps": float(F.max_pool2d(x, 2)) == 8.0, "avg_quarter": float(F.avg_pool2d(x, 2)) == 2.0,
        "avg_grad_quarter": xa.grad.flatten().tolist() == [0.75] * 4,
        "max_grad_one": _max_grad([1.0, 4.0, -2.0, 3.0], 5.0) == [0.0, 5.0, 0.0, 0.0],
        "shape": tuple(F.max_pool2d(torch.zeros(1, 6, 8, 10), 2).shape[1:]),
        "gap_shape": tuple(gap(torch.zeros(1, 16, 9, 11)).shape[1:]),
        "gap_any_size": all(s == (1, 5) for s in shapes), "rf": _rf_through_pool(),
    }


def test_torch_facts_behind_the_items(facts):
    assert facts["no_params"] and facts["inside_same"] and not facts["across_same"]
    assert facts["max_keeps"] and facts["avg_quarter"] and facts["avg_grad_quarter"] and facts["max_grad_one"]
    assert facts["shape"] == (6, 4, 5) and facts["gap_shape"] == (16, 1, 1) and facts["gap_any_size"]
    assert facts["rf"] == 8


def _tf(facts) -> dict[str, str]:
    tf = lambda b: "T" if b else "F"  # noqa: E731
    return {
        "tf-pool-params": tf(not facts["no_params"]), "tf-small-shift": tf(facts["inside_same"]),
        "tf-any-shift": tf(facts["across_same"]), "tf-avg-quarter": tf(facts["avg_grad_quarter"]),
        "tf-grad-max": tf(facts["max_grad_one"]), "tf-gap-size": tf(facts["gap_any_size"]),
        "tf-rf-pool": tf(facts["rf"] == 6),
    }


def _prefix(facts) -> dict[str, str]:
    return {
        "max-vs-avg": "Max pooling keeps the strong activation; average pooling reports a quarter"
        if facts["max_keeps"] and facts["avg_quarter"] else None,
        "pool-shape": "$C \\times H/2 \\times W/2$" if facts["shape"] == (6, 4, 5) else None,
        "global-avg": "It averages each channel's whole" if facts["gap_shape"] == (16, 1, 1) else None,
        "why-pool": "To shrink the height and width" if facts["inside_same"] and facts["shape"] == (6, 4, 5) else None,
    }


def _pool_facts(facts) -> dict[str, bool]:
    return {
        "It has no learnable parameters.": facts["no_params"],
        "It works on each channel separately.": facts["shape"][0] == 6,
        "It halves the height and width.": facts["shape"][1:] == (4, 5),
        "Its gradient goes only to each window's maximum.": facts["max_grad_one"],
        "It has $2 \\times 2$ weights per channel.": not facts["no_params"],
        "It mixes the channels of each pixel.": facts["shape"][0] != 6,
        "It spreads the gradient equally over each window.": not facts["max_grad_one"],
        "It makes the network invariant to rotations.": False,  # cited; not run
    }


def test_every_key_agrees_with_torch_independent(facts):
    tf, prefix, multi = _tf(facts), _prefix(facts), _pool_facts(facts)
    checked = Counter()
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            item = inst["id"]
            if part.kind == "truefalse":
                assert part.answer == tf[item], (problem.seed, item)
            elif item in prefix:
                assert prefix[item] and part.choices[part.answer].startswith(prefix[item]), (problem.seed, item)
                assert sum(t.startswith(prefix[item]) for t in part.choices.values()) == 1
            elif item == "pool-facts":
                assert {part.choices[k] for k in part.answer} == {t for t in part.choices.values() if multi[t]}
            elif item == "maxpool-grad":
                grad = _max_grad([float(v) for v in inst["window"]], float(inst["upstream"]))
                want = "$(" + ",\\ ".join(f"{g:g}" for g in grad) + ")$"
                assert part.choices[part.answer] == want, (problem.seed, inst)
                assert list(part.choices.values()).count(want) == 1
            else:
                assert part.kind == "short", item
                continue
            checked[item] += 1
    assert len(checked) >= 13, checked


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
