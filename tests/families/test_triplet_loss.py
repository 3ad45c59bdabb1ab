"""Triplet loss: answers against torch.nn.functional.triplet_margin_with_distance_loss + autograd."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from probgen.core.registry import get_family
from sweep import assert_parts_match, sweep

FAMILY = "triplet-loss"


def distance_fn(kind):
    if kind == "squared":
        return lambda u, v: ((u - v) ** 2).sum(-1)
    return lambda u, v: torch.linalg.vector_norm(u - v, dim=-1)


def t(values, grad=False):
    return torch.tensor([values], dtype=torch.float64, requires_grad=grad)


def independent(params):
    d = distance_fn(params["distance"])
    a = t(params["anchor"], grad=True)
    p, n = t(params["positive"]), t(params["negative"])
    loss = F.triplet_margin_with_distance_loss(a, p, n, distance_function=d, margin=params["margin"])
    loss.backward()
    out = {"a": d(a, p).item(), "b": d(a, n).item(), "c": loss.item(), "f": a.grad[0].numpy()}
    if "negative2" in params:
        n2 = t(params["negative2"])
        out["d"] = F.triplet_margin_with_distance_loss(a, p, n2, distance_function=d, margin=params["margin"]).item()
        out["e"] = d(a, n2).item() - d(a, p).item()
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        assert_parts_match(problem, expected)


def _loss(params, anchor, negative_key="negative", margin=None):
    a = np.array(anchor)
    p, n = np.array(params["positive"]), np.array(params[negative_key])
    sq = params["distance"] == "squared"
    d = (lambda u, v: np.sum((u - v) ** 2)) if sq else (lambda u, v: np.linalg.norm(u - v))
    return max(0.0, d(a, p) - d(a, n) + (params["margin"] if margin is None else margin))


def test_gradient_matches_finite_differences():
    h = 1e-6
    for _, problem in sweep(FAMILY, difficulties=["hard"]):
        a = np.array(problem.params["anchor"])
        fd = [(_loss(problem.params, a + h * e) - _loss(problem.params, a - h * e)) / (2 * h) for e in np.eye(len(a))]
        np.testing.assert_allclose(problem.part("f").answer, fd, atol=1e-5, err_msg=f"seed {problem.seed}")


def test_zero_loss_reasoning_and_margin_threshold():
    """The second negative is easy (loss 0, strictly inside the hinge) or semi-hard (loss > 0, farther
    than the positive), both kinds occur, and e is exactly where the loss turns on."""
    kinds = set()
    for _, problem in sweep(FAMILY, difficulties=["medium", "hard"]):
        p = problem.params
        e = problem.part("e").answer
        d = problem.part("d").answer
        kinds.add(d == 0)
        assert (d == 0 and e > p["margin"]) or (d > 0 and 0 < e < p["margin"])  # never on the edge
        assert _loss(p, p["anchor"], "negative2", margin=e) == pytest.approx(0, abs=1e-12)
        assert _loss(p, p["anchor"], "negative2", margin=e + 0.01) > 0
    assert kinds == {True, False}


def test_instances_are_hand_workable_and_not_degenerate():
    for _, problem in sweep(FAMILY):
        p = problem.params
        loss = problem.part("c").answer
        assert loss > 0 and loss != p["margin"]  # the first triplet is hard or semi-hard, never trivial
        for key in ("a", "b", "e"):
            if key in {q.key for q in problem.parts}:
                value = problem.part(key).answer
                assert value > 0 and (2 * value) == int(2 * value), (problem.seed, key, value)  # whole or half
        for key in ("anchor", "positive", "negative", "negative2"):
            assert all(abs(v) <= 9 and 2 * v == int(2 * v) for v in p.get(key, []))
        if "f" in {q.key for q in problem.parts}:
            assert any(abs(g) > 1e-9 for g in problem.part("f").answer)


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for _, problem in sweep(FAMILY, difficulties=["hard"]):
        p = problem.params
        a, pos, neg, neg2 = (np.array(p[k]) for k in ("anchor", "positive", "negative", "negative2"))
        m = p["margin"]
        sq = p["distance"] == "squared"
        d = (lambda u, v: np.sum((u - v) ** 2)) if sq else (lambda u, v: np.linalg.norm(u - v))
        o = (lambda u, v: np.linalg.norm(u - v)) if sq else (lambda u, v: np.sum((u - v) ** 2))
        other = "used the plain Euclidean distance (no square)" if sq else "used the squared distance"
        l1 = lambda u, v: np.sum(np.abs(u - v))  # noqa: E731
        grad = 2 * (neg - pos) if sq else (a - pos) / d(a, pos) - (a - neg) / d(a, neg)
        expected = {
            "a": {other: o(a, pos), "used the Manhattan (L1) distance": l1(a, pos)},
            "b": {other: o(a, neg), "used the Manhattan (L1) distance": l1(a, neg)},
            "c": {"swapped the positive and the negative": max(0, d(a, neg) - d(a, pos) + m),
                  "forgot the margin": max(0, d(a, pos) - d(a, neg)),
                  other: max(0, o(a, pos) - o(a, neg) + m)},
            "d": {"forgot the max(0, ·): reported the negative value": d(a, pos) - d(a, neg2) + m,
                  "swapped the positive and the negative": max(0, d(a, neg2) - d(a, pos) + m)},
            "e": {"gave the slack d(a,n₂) − d(a,p) − m instead of the threshold": d(a, neg2) - d(a, pos) - m,
                  "subtracted the wrong way round: d(a,p) − d(a,n₂)": d(a, pos) - d(a, neg2)},
            "f": {"flipped the sign of the whole gradient": -grad,
                  ("forgot the factor 2 of the squared distance" if sq
                   else "differentiated the squared distance instead"): (neg - pos) if sq else 2 * (neg - pos)},
        }
        for part in problem.parts:
            for mis in part.misconceptions:
                np.testing.assert_allclose(mis.value, expected[part.key][mis.name], rtol=1e-9, atol=1e-12,
                                           err_msg=f"seed {problem.seed} {part.key}: {mis.name}")
                seen.add(mis.name)
    assert "forgot the max(0, ·): reported the negative value" in seen
    assert "used the squared distance" in seen and "used the plain Euclidean distance (no square)" in seen


def test_follow_on_uses_students_distances():
    problem = next(p for _, p in sweep(FAMILY, difficulties=["easy"]))
    follow = get_family(FAMILY).follow_on(problem.params, {"a": 7.0, "b": 2.0})
    assert follow["c"] == pytest.approx(5.0 + problem.params["margin"])
    follow = get_family(FAMILY).follow_on(problem.params, {"a": 1.0, "b": 9.0})
    assert follow["c"] == 0


def test_plain_instances_agree_with_torch_triplet_margin_loss():
    """PyTorch's stock triplet_margin_loss (p = 2) uses the plain distance of a − p + eps (eps = 1e-6),
    hence the looser tolerance; the exact check above uses a custom distance function."""
    checked = 0
    for _, problem in sweep(FAMILY):
        p = problem.params
        if p["distance"] != "euclidean":
            continue
        loss = F.triplet_margin_loss(t(p["anchor"]), t(p["positive"]), t(p["negative"]), margin=p["margin"], p=2)
        assert loss.item() == pytest.approx(problem.part("c").answer, abs=1e-5)
        checked += 1
    assert checked > 100
