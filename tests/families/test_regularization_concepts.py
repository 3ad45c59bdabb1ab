"""regularization-concepts: the loss-curve answers recomputed from the drawn curves with NumPy,
the figure drawn from the same numbers, dropout's test-time rule run in torch, the L1 proximal
step's exact zeros (and none from L2), the skip connection's 1 + F′ gradient with autograd."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import torch

from concept_checks import assert_explained_and_distinct, assert_variety
from sweep import sweep

FID = "regularization-concepts"


def _regime(train, val) -> str:
    """Overfitting: validation minimum more than 2 epochs before the end and the last value at
    least 0.1 above it; still improving: training loss falling by 0.02+ at the end; else underfitting."""
    train, val = np.array(train), np.array(val)
    best = int(np.argmin(val))
    if best < len(val) - 3 and val[-1] - val[best] >= 0.1:
        return "overfit"
    return "improving" if train[-2] - train[-1] >= 0.02 else "underfit"


DIAGNOSIS_WORD = {"overfit": "overfitting:", "underfit": "underfitting:", "improving": "neither yet:"}
REMEDY_WORD = {"overfit": "early stopping", "underfit": "more capacity", "improving": "train for more epochs"}


def test_curves_answers_independent():
    seen = Counter()
    for difficulty, problem in sweep(FID):
        inst = problem.params["items"][0]
        assert inst["id"] == "loss-curves"
        train, val = np.array(inst["train"]), np.array(inst["val"])
        # the figure draws exactly the params' numbers
        fig = problem.figure
        assert fig["x"] == list(range(1, len(val) + 1))
        assert fig["series"][0]["y"] == inst["train"] and fig["series"][1]["y"] == inst["val"]
        regime = _regime(train, val)
        seen[regime] += 1
        parts = iter(problem.parts)
        if regime == "overfit":
            epoch = next(parts)
            best = int(np.argmin(val)) + 1
            assert epoch.choices[epoch.answer] == f"epoch {best}"
            others = sorted(val)[1]
            assert others > val[best - 1], "unique minimum"
            for k, text in epoch.choices.items():  # distractors are far from the minimum, visibly higher
                e = int(text.split()[1])
                if e != best:
                    assert abs(e - best) >= 3 and val[e - 1] - val[best - 1] >= 0.05, (problem.seed, e)
            assert f"epoch {len(val)}" in epoch.choices.values()  # the lowest training loss, as a distractor
            assert np.all(np.diff(train) <= 0) and np.all(train < val)
        diagnosis, remedy = next(parts), next(parts)
        assert diagnosis.choices[diagnosis.answer].startswith(DIAGNOSIS_WORD[regime]), problem.seed
        assert REMEDY_WORD[regime] in remedy.choices[remedy.answer], problem.seed
        if regime == "underfit":
            assert train[-1] >= 0.8 and abs(train[-1] - train[-5]) < 0.05 and np.all(val - train < 0.15)
        # as printed: one minimum, strictly falling to it and strictly rising after it (a TA found the
        # validation loss flat at 0.96 from epoch 18 to 24, seed 3 easy: tied minima)
        best = int(np.argmin(val))
        assert np.sum(val == val[best]) == 1, (problem.seed, difficulty)
        assert np.all(np.diff(val[:best + 1]) < 0) and np.all(np.diff(val[best:]) > 0), (problem.seed, difficulty)
        if best < len(val) - 1:
            assert val[-1] - val[best] >= 0.02, (problem.seed, difficulty)  # a rise the table and plot show
        assert np.all(np.diff(train) <= 0)
        if regime == "improving":
            assert np.all(np.diff(val) < 0) and int(np.argmin(val)) == len(val) - 1
    assert all(seen[r] > 20 for r in ("overfit", "underfit", "improving")), seen


def _printed(x: float) -> str:
    return f"{x:g}"


def test_curve_explanations_say_what_the_printed_values_show():
    """Every 'lowest at epoch E (V)', 'V at epoch E', 'rose only D after epoch E' and 'still falling'
    in the diagnosis and remedy explanations is checked against the printed curves (the TA saw
    'lowest at the last epoch' and 'has risen since epoch 18' beside a flat validation loss)."""
    import re

    claims = 0
    for difficulty, problem in sweep(FID):
        inst = problem.params["items"][0]
        train, val = inst["train"], inst["val"]
        n, best = len(val), int(np.argmin(val)) + 1
        parts = problem.parts[1:3] if "epoch_options" in inst else problem.parts[0:2]
        for part in parts:
            for why in part.explanations.values():
                at = (problem.seed, difficulty, why)
                for e, v in re.findall(r"lowest at epoch (\d+) \(([\d.]+)\)", why):
                    assert int(e) == best and v == _printed(val[best - 1]), at
                    claims += 1
                for v, e in re.findall(r"([\d.]+) at epoch (\d+)", why):
                    assert v in (_printed(val[int(e) - 1]), _printed(train[int(e) - 1])), at
                    claims += 1
                for d, e in re.findall(r"rose only ([\d.]+) after epoch (\d+)", why):
                    assert int(e) == best and d == _printed(round(val[-1] - val[best - 1], 3)) and val[-1] > val[best - 1], at
                if "still falling at the last epoch (" in why or "lowest at the last epoch" in why:
                    assert val[-1] < val[-2] and best == n, at
                if "has risen" in why or "rises after it" in why:
                    assert best < n and val[-1] > val[best - 1], at
    assert claims > 500, claims


def test_ta_seed_3_easy_no_longer_contradicts_its_figure():
    from sweep import built

    problem = built(FID, "easy", 3, None)
    val = problem.params["items"][0]["val"]
    assert val.count(min(val)) == 1
    text = " ".join(w for p in problem.parts for w in (p.explanations or {}).values())
    assert "lowest at the last epoch" not in text and "has risen since" not in text


def _soft_threshold(w, t):
    return torch.nn.functional.softshrink(torch.tensor(w, dtype=torch.float64), t).numpy()


def test_l1_proximal_step_gives_exact_zeros_independent():
    count = 0
    for difficulty, problem in sweep(FID):
        for inst, part in _items(problem):
            if inst["id"] != "l1-proximal":
                continue
            count += 1
            w, t = np.array(inst["weights"]), inst["threshold"]
            after = _soft_threshold(w, t)
            zero = {f"$w_{i + 1} = {x:g}$" for i, x in enumerate(w) if after[i] == 0.0}
            assert {part.choices[k] for k in part.answer} == zero and zero
            assert np.all(after[after != 0] != 0) and np.all(np.abs(w) != t)  # no weight on the threshold
            l2 = w * (1 - 2 * t)  # the L2 step sets none to zero
            assert np.all(l2 != 0)
    assert count > 10


def _items(problem):
    """(item instance, its first part) pairs; the loss-curve item gives 2 or 3 parts."""
    parts = list(problem.parts)
    first = problem.params["items"][0]
    n = 3 if "epoch_options" in first else 2
    out = [(first, parts[0])]
    out += list(zip(problem.params["items"][1:], parts[n:]))
    return out


@pytest.fixture(scope="module")
def facts():
    x = torch.randn(2000, 50, generator=torch.Generator().manual_seed(0))
    drop = torch.nn.Dropout(p=0.25)
    drop.eval()
    eval_identity = torch.equal(drop(x), x)
    drop.train()
    ratio = (drop(torch.ones(200000)).mean()).item()  # inverted dropout keeps the mean
    u = torch.tensor([0.7], requires_grad=True)
    y = u + 1e-4 * torch.tanh(u)  # y = x + F(x), F' ≈ 0
    y.backward()
    return {"eval_identity": eval_identity, "train_mean": ratio, "skip_grad": u.grad.item()}


def test_torch_facts_behind_the_items(facts):
    assert facts["eval_identity"]
    assert abs(facts["train_mean"] - 1) < 0.01
    assert abs(facts["skip_grad"] - 1) < 1e-3


def test_keys_agree_with_the_facts_independent(facts):
    expect = {
        "tf-inverted-test": "T" if facts["eval_identity"] else "F",
        "tf-skip": "F" if facts["skip_grad"] > 0.9 else "T",
        "tf-l2-zeros": "F",  # checked by test_l1_proximal_step_gives_exact_zeros_independent
        "tf-es-train": "F",  # the curve test: the training minimum is the last epoch, not the best
        "dropout-inverted-test": "Nothing: keep every unit and scale nothing.",
        "dropout-plain-test": "Keep every unit and multiply each activation by $1 - p$.",
        "sparse-penalty": "L1, $\\lambda \\sum_i |w_i|$",
    }
    for difficulty, problem in sweep(FID):
        for inst, part in _items(problem):
            want = expect.get(inst["id"])
            if want is None:
                continue
            got = part.answer if part.kind == "truefalse" else part.choices[part.answer]
            assert got == want, (problem.seed, inst["id"])


def test_plain_dropout_needs_the_test_time_factor():
    """Plain dropout (no scaling in training): E[train output] = (1 − p)x, so test time multiplies by 1 − p."""
    p = 0.25
    x = torch.full((400000,), 2.0)
    mask = (torch.rand(x.shape, generator=torch.Generator().manual_seed(1)) > p).float()
    assert abs((x * mask).mean().item() - (1 - p) * 2.0) < 0.01


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
