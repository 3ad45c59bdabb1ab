"""gan-concepts: the claims that can be run are run (autograd through D = σ(a) for the minimax and
non-saturating generator losses; the optimal discriminator by maximizing p log D + q log(1 − D)
numerically), and the pool varies enough over seeds. The rest is cited in the family doc."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import torch

from concept_checks import assert_explained_and_distinct, assert_variety, item_parts
from sweep import sweep

FID = "gan-concepts"


def _grads(d: float) -> tuple[float, float]:
    """(|∂ log(1 − σ(a))/∂a|, |∂(−log σ(a))/∂a|) at σ(a) = d, by autograd."""
    out = []
    for loss in (lambda s: torch.log(1 - s), lambda s: -torch.log(s)):
        a = torch.logit(torch.tensor(d, dtype=torch.float64)).requires_grad_(True)
        loss(torch.sigmoid(a)).backward()
        out.append(abs(float(a.grad)))
    return out[0], out[1]


def _signs(d: float) -> tuple[float, float]:
    out = []
    for loss in (lambda s: torch.log(1 - s), lambda s: -torch.log(s)):
        a = torch.logit(torch.tensor(d, dtype=torch.float64)).requires_grad_(True)
        loss(torch.sigmoid(a)).backward()
        out.append(float(a.grad))
    return out[0], out[1]


def _best_d(p: float, q: float) -> float:
    grid = np.linspace(1e-4, 1 - 1e-4, 200001)
    return float(grid[np.argmax(p * np.log(grid) + q * np.log(1 - grid))])


@pytest.fixture(scope="module")
def facts():
    mm, ns = _grads(0.01)
    s_mm, s_ns = _signs(0.3)
    return {"saturates": mm < 0.02 and ns > 0.9, "same_direction": s_mm < 0 and s_ns < 0,
            "best_d": [(p, q, _best_d(p, q)) for p, q in ((0.3, 0.1), (0.05, 0.2), (0.7, 0.7))]}


def test_facts_behind_the_items(facts):
    assert facts["saturates"] and facts["same_direction"]
    for p, q, d in facts["best_d"]:
        assert abs(d - p / (p + q)) < 1e-4


def _tf(facts) -> dict[str, str]:
    tf = lambda b: "T" if b else "F"  # noqa: E731
    half = [d for p, q, d in facts["best_d"] if p == q]
    return {"tf-minimax-strong": tf(not facts["saturates"]), "tf-same-direction": tf(facts["same_direction"]),
            "tf-half": tf(all(abs(d - 0.5) < 1e-4 for d in half))}


def _optimal_text(facts) -> str:
    ok = all(abs(d - p / (p + q)) < 1e-4 for p, q, d in facts["best_d"])
    return "$D^*(\\mathbf{x}) = p_{data}(\\mathbf{x})/(p_{data}(\\mathbf{x}) + p_g(\\mathbf{x}))$" if ok else None


PREFIX = {"why-ns": "Early on the discriminator rejects the fakes"}
CITED = {"players", "g-input", "mode-collapse", "mode-signs", "alternating", "tf-d-zero", "tf-g-sees-data",
         "tf-likelihood"}


def test_every_key_agrees_with_the_computation_independent(facts):
    tf, checked = _tf(facts), Counter()
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            item = inst["id"]
            if item == "ns-gradients":
                mm, ns = _grads(inst["d"])
                want = f"minimax ${round(mm, 6):g}$, non-saturating ${round(ns, 6):g}$"
                assert part.choices[part.answer] == want, (problem.seed, inst)
                assert list(part.choices.values()).count(want) == 1
            elif item in tf:
                assert part.answer == tf[item], (problem.seed, item)
            elif item == "optimal-d":
                assert part.choices[part.answer] == _optimal_text(facts)
            elif item == "why-ns":
                assert facts["saturates"] and part.choices[part.answer].startswith(PREFIX[item])
            else:
                assert part.kind == "short" or item in CITED, item
                continue
            checked[item] += 1
    assert set(checked) == {"ns-gradients", "optimal-d", "why-ns", *tf}, checked


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
