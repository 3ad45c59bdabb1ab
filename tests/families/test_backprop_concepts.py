"""backprop-concepts: the drawn-number items by torch autograd (a chain of sigmoids, a ReLU's
backward, the gradient shapes of a linear layer) and the keyed claims (σ′ ≤ 1/4, tanh′(0) = 1,
dead ReLU, zero initialization's symmetry)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import torch

from concept_checks import assert_explained_and_distinct, assert_variety, item_parts
from sweep import sweep

FID = "backprop-concepts"


def _chain_grad(n: int) -> float:
    """Largest |dh_n/dh_0| through n sigmoids with weights 1: every pre-activation at 0."""
    h0 = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    h = torch.sigmoid(h0)
    for _ in range(n - 1):
        h = torch.sigmoid(1.0 * h - 0.5)  # bias −1/2 puts the pre-activation at 0
    h.backward()
    return h0.grad.item()


def test_drawn_items_independent():
    seen = Counter()
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            text = part.choices[part.answer] if part.kind == "choice" else ""
            if inst["id"] == "sigmoid-chain":
                n = inst["n"]
                best = _chain_grad(n)
                assert best == pytest.approx(0.25 ** n, rel=1e-12)
                g = torch.Generator().manual_seed(problem.seed)
                for _ in range(5):  # any biases and input do no better
                    h0 = torch.randn(1, dtype=torch.float64, generator=g, requires_grad=True)
                    h = h0
                    for _ in range(n):
                        h = torch.sigmoid(h + torch.randn(1, dtype=torch.float64, generator=g))
                    h.backward()
                    assert abs(h0.grad.item()) <= best * (1 + 1e-12)
                assert float(re.search(r"\\approx ([0-9.e-]+)", text).group(1)) == pytest.approx(best, rel=4e-3)  # 3 figures
                seen["chain"] += 1
            if inst["id"] == "relu-backward":
                z = torch.tensor(inst["z"], requires_grad=True)
                (torch.relu(z) * inst["g"]).backward()
                assert float(text.strip("$")) == z.grad.item()
                seen["relu"] += 1
            if inst["id"] == "grad-shape":
                m, n = inst["m"], inst["n"]
                layer = torch.nn.Linear(n, m)
                x = torch.randn(n, requires_grad=True)
                layer(x).sum().backward()
                shape = {"W": tuple(layer.weight.grad.shape), "x": (n, 1), "b": (m, 1)}[inst["target"]]
                assert tuple(x.grad.shape) == (n,) and tuple(layer.bias.grad.shape) == (m,)
                assert text == f"${shape[0]} \\times {shape[1]}$", (problem.seed, inst)
                seen[inst["target"]] += 1
    assert all(seen[k] > 5 for k in ("chain", "relu", "W", "x", "b")), seen


@pytest.fixture(scope="module")
def facts():
    z = torch.linspace(-10, 10, 20001, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(z).sum().backward()
    sig = z.grad.clone()
    z2 = torch.zeros(1, requires_grad=True)
    torch.tanh(z2).backward()
    # a dead ReLU: negative pre-activation on every example, zero gradient for its weights
    w = torch.tensor([-1.0, -2.0], requires_grad=True)
    b = torch.tensor(-0.5, requires_grad=True)
    X = torch.rand(50, 2)
    torch.relu(X @ w + b).sum().backward()
    # zero initialization: identical hidden units get identical gradients
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    for p in net.parameters():
        torch.nn.init.constant_(p, 0.0)
    torch.nn.init.constant_(net[2].weight, 0.3)  # even with the output weights equal, not zero
    net(torch.randn(8, 3)).pow(2).sum().backward()
    g = net[0].weight.grad
    s = torch.tensor(30.0, requires_grad=True)
    torch.sigmoid(s).backward()
    # one backward pass: every layer's parameters get their gradient, not only the last layer's
    deep = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 4), torch.nn.Tanh(),
                               torch.nn.Linear(4, 1))
    deep(torch.randn(8, 3)).pow(2).sum().backward()
    one_pass = all(p.grad is not None and bool(p.grad.abs().sum() > 0) for p in deep.parameters())
    return {"sigma_max": sig.max().item(), "sigma_argmax": z.detach()[sig.argmax()].item(),
            "tanh0": z2.grad.item(), "dead_zero": bool((w.grad == 0).all() and b.grad == 0),
            "zero_init_symmetric": bool(torch.allclose(g, g[0].expand_as(g))),
            "saturated_grad": s.grad.item(), "one_pass_all_layers": one_pass}


def test_torch_facts_behind_the_items(facts):
    assert facts["sigma_max"] == pytest.approx(0.25, abs=1e-9) and abs(facts["sigma_argmax"]) < 1e-9
    assert facts["tanh0"] == 1.0 and facts["dead_zero"] and facts["zero_init_symmetric"]
    assert facts["saturated_grad"] < 1e-10 and facts["one_pass_all_layers"]


def test_keys_agree_with_the_facts_independent(facts):
    tf = {"tf-relu-passes": "T", "tf-dead-recovers": "F" if facts["dead_zero"] else "T",
          "tf-sat-sigmoid": "F" if facts["saturated_grad"] < 1e-3 else "T",
          "tf-zero-init": "T" if facts["zero_init_symmetric"] else "F",
          "tf-one-pass": "F" if facts["one_pass_all_layers"] else "T"}  # 'a pass per layer' is false
    starts = {"sigma-max": "$1/4$, at $z = 0$" if facts["sigma_max"] == pytest.approx(0.25) else None,
              "tanh-vs-sigmoid": "$\\tanh'(0) = 1$" if facts["tanh0"] == 1.0 else None,
              "dead-relu": "They stop changing" if facts["dead_zero"] else None}
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            if inst["id"] in tf:
                assert part.answer == tf[inst["id"]], (problem.seed, inst["id"])
            if inst["id"] in starts:
                assert part.choices[part.answer].startswith(starts[inst["id"]]), (problem.seed, inst["id"])


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
