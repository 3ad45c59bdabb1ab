"""Cross-entropy: every part against PyTorch (softmax, F.cross_entropy, autograd, binary cross-entropy)
and plain math; misconception values re-derived from their names."""

import math
from fractions import Fraction

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from sweep import sweep

# Tiny tensors: thread start-up dominates on a shared machine (100 ms vs 0.4 ms per check).
torch.set_num_threads(1)

FAMILY = "cross-entropy"


def roles(params):
    """The parts in order, from which givens the statement has."""
    out = ["softmax", "loss"]
    if "labels" in params:
        out.append("gradient")
    if "probabilities" in params:
        out.append("from_probabilities")
    if "labels" in params:
        out.append("binary")
    if "example" in params:
        out.append("binary_gradient")
    return out + ["uniform"]


def independent(params):
    """Reference values by role, from torch (float64) and math."""
    z = torch.tensor(params["logits"], dtype=torch.float64, requires_grad=True)
    target = torch.tensor([params["target"] - 1])
    loss = F.cross_entropy(z[None], target)
    loss.backward()
    k = len(params["logits"])
    out = {
        "softmax": torch.softmax(z.detach(), dim=0).numpy(),
        "loss": loss.item(),
        "gradient": z.grad.numpy(),
        # equal logits over the part's own K classes (any target gives the same loss)
        "uniform": F.cross_entropy(torch.zeros(1, params["uniform_classes"], dtype=torch.float64),
                                   torch.tensor([0])).item(),
    }
    if "probabilities" in params:
        q = torch.tensor(params["probabilities"], dtype=torch.float64)
        out["from_probabilities"] = F.nll_loss(torch.log(q)[None], target).item()
    if "labels" in params:
        yhat = torch.tensor(params["predictions"], dtype=torch.float64)
        labels = torch.tensor(params["labels"], dtype=torch.float64)
        out["binary"] = F.binary_cross_entropy(yhat, labels).item()
        if "example" in params:
            s = torch.logit(yhat).detach().requires_grad_(True)  # the logits behind the predictions
            j = params["example"] - 1
            F.binary_cross_entropy_with_logits(s, labels, reduction="none")[j].backward()
            out["binary_gradient"] = s.grad[j].item()
    return out


def mistake_values(params):
    """Independent value of each named mistake, by role."""
    z = np.array(params["logits"], dtype=float)
    c = params["target"] - 1
    k = len(z)
    e = np.exp(z)
    p = e / e.sum()
    onehot = np.eye(k)[c]
    loss = -math.log(p[c])
    values = {
        "softmax": {"forgot to normalise (wrote e^z, not e^z / Σ e^z)": e},
        "loss": {
            "used log base 10 instead of the natural log": -math.log10(p[c]),
            "forgot the minus sign (ln p instead of −ln p)": -loss,
            "used the logit instead of the probability (−z_c)": -z[c],
            "summed −ln p over every class, not only the true one": -np.log(p).sum(),
        },
        "gradient": {
            "sign flipped: y − p instead of p − y": onehot - p,
            "forgot to subtract the one-hot target (wrote p)": p,
            "took the derivative with respect to p (−1/p_c at the true class)": -onehot / p[c],
        },
        "uniform": {
            "used log base 10 instead of the natural log": math.log10(params["uniform_classes"]),
            "gave the probability 1/K, not the loss": 1 / params["uniform_classes"],
            "forgot the minus sign (ln(1/K) = −ln K)": -math.log(params["uniform_classes"]),
        },
    }
    if "probabilities" in params:
        q = np.array(params["probabilities"])
        values["from_probabilities"] = {
            "used log base 10 instead of the natural log": -math.log10(q[c]),
            "forgot the minus sign (ln q instead of −ln q)": math.log(q[c]),
            "applied softmax to the probabilities again, as if they were logits": -math.log(np.exp(q[c]) / np.exp(q).sum()),
        }
    if "labels" in params:
        y = np.array(params["labels"], dtype=float)
        h = np.array(params["predictions"])
        per = -(y * np.log(h) + (1 - y) * np.log(1 - h))
        values["binary"] = {
            "used log base 10 instead of the natural log": per.mean() / math.log(10),
            "forgot the minus sign": -per.mean(),
            "summed over the batch instead of averaging": per.sum(),
            "used −ln ŷ for every example, ignoring the label": -np.log(h).mean(),
            "swapped the terms (ln(1 − ŷ) for y = 1, ln ŷ for y = 0)": -(y * np.log(1 - h) + (1 - y) * np.log(h)).mean(),
        }
        if "example" in params:
            j = params["example"] - 1
            values["binary_gradient"] = {
                "sign flipped: y − ŷ instead of ŷ − y": y[j] - h[j],
                "took the derivative with respect to ŷ, not the logit": -y[j] / h[j] + (1 - y[j]) / (1 - h[j]),
                "divided by the batch size (that is the batch mean's gradient)": (h[j] - y[j]) / len(y),
            }
    return values


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        layout = roles(problem.params)
        assert [p.key for p in problem.parts] == list("abcdefg"[: len(layout)])
        for part, role in zip(problem.parts, layout):
            np.testing.assert_allclose(part.answer, expected[role], rtol=1e-9, atol=1e-12,
                                       err_msg=f"seed {problem.seed} part {part.key} ({role})")


def test_misconceptions_independent_values():
    seen, named = set(), set()
    for difficulty, problem in sweep(FAMILY):
        values = mistake_values(problem.params)
        named |= {(role, name) for role, mistakes in values.items() for name in mistakes}
        for part, role in zip(problem.parts, roles(problem.params)):
            for m in part.misconceptions:
                assert m.name in values[role], f"unexpected mistake {m.name!r} on {role}"
                np.testing.assert_allclose(m.value, values[role][m.name], rtol=1e-9, atol=1e-12,
                                           err_msg=f"{difficulty} seed {problem.seed} {role}: {m.name}")
                seen.add((role, m.name))
    assert named == seen, f"mistakes never offered over the sweep: {named - seen}"


def test_instances_are_hand_workable_and_not_degenerate():
    for difficulty, problem in sweep(FAMILY):
        params = problem.params
        z = params["logits"]
        k = {"easy": 3, "medium": 3, "hard": 4}[difficulty]
        assert len(z) == k and all(isinstance(v, int) and -2 <= v <= 3 for v in z)
        assert len(set(z)) > 1, "equal logits make the softmax trivial"
        assert 1 <= params["target"] <= k
        assert 3 <= params["uniform_classes"] <= 12 and params["uniform_classes"] != k
        loss = problem.part("b").answer
        assert 0.05 < loss < 6, "neither a near-zero nor a huge loss"
        if "probabilities" in params:
            q = [Fraction(str(v)) for v in params["probabilities"]]
            assert sum(q) == 1 and all(v > 0 and (v * 20).denominator == 1 for v in q)
        if "labels" in params:
            assert set(params["labels"]) == {0, 1}
            assert all(0 < h < 1 and h != 0.5 and len(str(h)) <= 4 for h in params["predictions"])


def test_binary_loss_exact_form_is_the_deck_formula():
    """The exact string (one log of a product) equals the per-example sum it replaces."""
    import sympy

    for _, problem in sweep(FAMILY, difficulties=["medium"]):
        y, h = problem.params["labels"], problem.params["predictions"]
        direct = -sum(yi * math.log(hi) + (1 - yi) * math.log(1 - hi) for yi, hi in zip(y, h)) / len(y)
        assert math.isclose(float(sympy.sympify(problem.part("d").exact)), direct, rel_tol=1e-12)


def test_follow_on_uses_students_probabilities():
    from probgen.core.registry import get_family

    for _, problem in sweep(FAMILY, difficulties=["medium", "hard"]):
        p = np.array(problem.part("a").answer) * 1.1  # a student's slightly wrong softmax
        follow = get_family(FAMILY).follow_on(problem.params, {"a": p.tolist()})
        c = problem.params["target"] - 1
        target = torch.tensor([c])
        # loss and gradient as functions of the student's p: −ln p_c and p − onehot
        assert math.isclose(follow["b"], F.nll_loss(torch.log(torch.tensor(p))[None], target).item(), rel_tol=1e-12)
        np.testing.assert_allclose(follow["c"], p - np.eye(len(p))[c], rtol=1e-12)
        assert get_family(FAMILY).follow_on(problem.params, {"a": [0.5]}) == {}
