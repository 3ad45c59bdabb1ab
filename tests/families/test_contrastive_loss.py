"""Contrastive (NT-Xent) loss: answers against torch.nn.functional.cross_entropy over masked
similarity logits, the way SimCLR implementations compute it."""

import math
import re

import numpy as np
import pytest
import sympy
import torch
import torch.nn.functional as F

from sweep import assert_parts_match, sweep

FAMILY = "contrastive-loss"


def nt_xent_rows(sim, tau):
    """Per-anchor NT-Xent losses for a full (2N x 2N) cosine-similarity matrix; positives are (0,1), (2,3), ..."""
    sim = torch.tensor(sim, dtype=torch.float64)
    n2 = sim.shape[0]
    logits = sim / tau
    logits = logits.masked_fill(torch.eye(n2, dtype=torch.bool), float("-inf"))  # k != i
    targets = torch.arange(n2) ^ 1  # partner index: 0<->1, 2<->3, ...
    return F.cross_entropy(logits, targets, reduction="none")


def row_loss(sims, tau, positive=0):
    """One anchor's loss from its similarities to the other views (cross_entropy on one row)."""
    logits = torch.tensor([sims], dtype=torch.float64) / tau
    return F.cross_entropy(logits, torch.tensor([positive])).item()


def independent(params):
    tau = params["tau"]
    if "sim_row" in params:
        logits = torch.tensor(params["sim_row"], dtype=torch.float64) / tau
        return {"a": torch.softmax(logits, 0)[0].item(), "b": row_loss(params["sim_row"], tau)}
    if "sim" in params:
        losses = nt_xent_rows(params["sim"], tau)
        return {"a": losses[0].item(), "b": losses[1].item(), "c": losses.mean().item()}
    z = torch.tensor(params["z"], dtype=torch.float64)
    cos = F.cosine_similarity(z[0:1], z[1:], dim=1).tolist()  # views 2..6
    hardest = int(np.argmax(cos[1:]))
    return {"a": cos[0], "b": row_loss(cos, tau), "c": row_loss(cos, params["tau2"]), "d": "abcd"[hardest]}


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        assert_parts_match(problem, expected, atol=0)


def test_full_batch_loss_matches_hand_written_formula():
    """A second, loop-by-loop reading of the NT-Xent formula (medium's batch loss)."""
    for _, problem in sweep(FAMILY, difficulties=["medium"]):
        sim, tau = problem.params["sim"], problem.params["tau"]
        total = 0.0
        for i in range(4):
            j = i ^ 1
            denom = sum(math.exp(sim[i][k] / tau) for k in range(4) if k != i)
            total += -math.log(math.exp(sim[i][j] / tau) / denom)
        assert problem.part("c").answer == pytest.approx(total / 4, rel=1e-12)


def test_exact_forms_evaluate_to_the_answer():
    """The hand-written exact strings are valid SymPy syntax for the same number."""
    for difficulty in ("easy", "medium", "hard"):
        for _, problem in list(sweep(FAMILY, difficulties=[difficulty]))[:20]:
            for part in problem.parts:
                if part.kind == "number":
                    value = float(sympy.sympify(part.exact))
                    assert value == pytest.approx(part.answer, rel=1e-12), (problem.seed, part.key)


def test_instances_are_hand_workable():
    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        taus = [p["tau"]] + ([p["tau2"]] if "tau2" in p else [])
        if "z" in p:
            z = np.array(p["z"])
            norms = np.linalg.norm(z, axis=1)
            assert np.allclose(norms, np.round(norms)) and set(np.round(norms)) <= {1, 2, 5, 10}
            cos = [float(np.dot(z[0], v) / (norms[0] * np.linalg.norm(v))) for v in z[1:]]
            assert all(abs(c * 100 - round(c * 100)) < 1e-9 for c in cos)  # two decimals at most
            negatives = cos[1:]
            assert sorted(negatives)[-1] > sorted(negatives)[-2]  # a unique hardest negative
            sims = cos
        else:
            sims = p["sim_row"] if "sim_row" in p else [v for row in p["sim"] for v in row if v != 1.0]
        # logits s / tau stay within a calculator-friendly range
        assert max(abs(s) / t for s in sims for t in taus) <= 5
        for part in problem.parts:
            if part.kind == "number":
                assert part.answer > 0


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for _, problem in sweep(FAMILY, difficulties=["easy", "medium"]):
        p = problem.params
        tau = p["tau"]
        rows = [p["sim_row"]] if "sim_row" in p else [[p["sim"][0][k] for k in (1, 2, 3)],
                                                       [p["sim"][1][k] for k in (0, 2, 3)]]
        for key, sims in zip("ab" if "sim" in p else "b", rows):
            logits = np.array(sims) / tau
            expected = {
                "forgot the temperature (used τ = 1)": row_loss(sims, 1.0),
                "included the anchor itself (k = i) in the denominator": row_loss([1.0] + list(sims), tau, positive=1),
                "left the positive out of the denominator": float(np.log(np.sum(np.exp(logits[1:]))) - logits[0]),
                "used log base 10": row_loss(sims, tau) / np.log(10),
                "forgot the minus sign": -row_loss(sims, tau),
            }
            if key == "b" and "sim" in p:
                expected["reused the row of view 1 (ℓ(2,1) is not ℓ(1,2))"] = row_loss(rows[0], tau)
            for m in problem.part(key).misconceptions:
                assert m.value == pytest.approx(expected[m.name], rel=1e-9), (problem.seed, key, m.name)
                seen.add(m.name)
        if "sim" in p:
            losses = nt_xent_rows(p["sim"], tau).numpy()
            expected = {"averaged over the N = 2 pairs instead of the 2N = 4 anchors": losses.sum() / 2,
                        "used one direction per pair, (ℓ(1,2) + ℓ(3,4))/2": (losses[0] + losses[2]) / 2,
                        "summed without averaging": losses.sum()}
            for m in problem.part("c").misconceptions:
                assert m.value == pytest.approx(expected[m.name], rel=1e-9)
                seen.add(m.name)
    assert "included the anchor itself (k = i) in the denominator" in seen
    assert "averaged over the N = 2 pairs instead of the 2N = 4 anchors" in seen


def test_misconceptions_of_the_probability_and_embedding_parts():
    """Easy's softmax probability (part a) and hard's cosine, two temperatures and hardest negative."""
    seen = set()
    for difficulty, problem in sweep(FAMILY, difficulties=["easy", "hard"]):
        p = problem.params
        tau = p["tau"]
        if difficulty == "easy":
            sims = np.array(p["sim_row"])
            e = np.exp(sims / tau)
            expected = {"a": {
                "forgot the temperature (used τ = 1)": np.exp(sims[0]) / np.exp(sims).sum(),
                "included the anchor itself (k = i) in the denominator": e[0] / (e.sum() + np.exp(1 / tau)),
            }}
            if sims.sum() != 0:  # (the mistake is not offered when the similarities sum to 0)
                expected["a"]["used the similarities directly instead of a softmax"] = sims[0] / sims.sum()
        else:
            z = torch.tensor(p["z"], dtype=torch.float64)
            cos = F.cosine_similarity(z[0:1], z[1:], dim=1).tolist()  # views 2..6, the positive first
            negatives = cos[1:]
            tau2 = p["tau2"]
            expected = {
                "a": {"used the dot product without normalising": float(z[0] @ z[1])},
                "b": {"forgot the temperature (used τ = 1)": row_loss(cos, 1.0),
                      "included the anchor itself (k = i) in the denominator": row_loss([1.0] + cos, tau, positive=1),
                      "left the positive out of the denominator": math.log(sum(math.exp(c / tau) for c in negatives)) - cos[0] / tau,
                      "used log base 10": row_loss(cos, tau) / math.log(10)},
                "c": {"kept the old temperature τ instead of the new one": row_loss(cos, tau),
                      "forgot the temperature (used τ = 1)": row_loss(cos, 1.0),
                      "included the anchor itself (k = i) in the denominator": row_loss([1.0] + cos, tau2, positive=1)},
                "d": {"picked the least similar negative": "abcd"[int(np.argmin(negatives))]},
            }
        for key, by_name in expected.items():
            for m in problem.part(key).misconceptions:
                assert m.name in by_name, (difficulty, problem.seed, key, m.name)
                if isinstance(by_name[m.name], str):
                    assert m.value == by_name[m.name], (problem.seed, key, m.name)
                else:
                    assert m.value == pytest.approx(by_name[m.name], rel=1e-9), (difficulty, problem.seed, key, m.name)
                seen.add((difficulty, key, m.name))
    assert {("hard", "c", "kept the old temperature τ instead of the new one"),
            ("hard", "a", "used the dot product without normalising"),
            ("easy", "a", "used the similarities directly instead of a softmax")} <= seen


def test_follow_on_uses_students_earlier_answers():
    from probgen.core.registry import get_family

    fam = get_family(FAMILY)
    easy = next(p for _, p in sweep(FAMILY, difficulties=["easy"]))
    assert fam.follow_on(easy.params, {"a": 0.5})["b"] == pytest.approx(math.log(2))
    medium = next(p for _, p in sweep(FAMILY, difficulties=["medium"]))
    losses = nt_xent_rows(medium.params["sim"], medium.params["tau"]).numpy()
    follow = fam.follow_on(medium.params, {"a": 1.0, "b": 2.0})
    assert follow["c"] == pytest.approx((1.0 + 2.0 + losses[2] + losses[3]) / 4, rel=1e-12)


def test_medium_is_hand_workable_in_its_points():
    """TA re-rating: medium asked for all four anchors' losses, 12 exponentials, for 4 points.
    Now anchors 3 and 4's losses are given (to 4 decimals, as torch computes them), and each
    anchor a student works (three exponentials and a log) is worth 2 points."""
    for _, problem in sweep(FAMILY, difficulties=["medium"]):
        losses = nt_xent_rows(problem.params["sim"], problem.params["tau"]).numpy()
        prompt = problem.part("c").prompt
        given = [float(v) for v in re.findall(r"= (-?\d+\.\d+)\$", prompt)]
        assert r"\ell(3, 4)" in prompt and r"\ell(4, 3)" in prompt, prompt
        assert given == pytest.approx(losses[2:], abs=5.1e-5), (problem.seed, prompt)
        # a student who averages the printed values lands inside part c's accepted range
        low, high = problem.part("c").accepted
        assert low <= (problem.part("a").answer + problem.part("b").answer + sum(given)) / 4 <= high
        exponentials = sum(p.ops.get("lookup", 0) for p in problem.parts)
        assert exponentials <= 8 and problem.minutes <= 8, (problem.seed, exponentials, problem.minutes)
        assert [problem.part(k).points for k in "abc"] == [2, 2, 1], problem.seed
    for _, problem in sweep(FAMILY, difficulties=["easy"]):
        assert problem.part("a").ops["lookup"] == 3 and problem.part("a").points == 2, problem.seed
