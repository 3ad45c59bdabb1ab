"""optimization-concepts: the drawn-number items are checked by running the iterations (NumPy and
torch optimizers), and the keyed claims of the static items against torch."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np
import pytest
import torch

from concept_checks import assert_variety, item_parts
from sweep import sweep

FID = "optimization-concepts"


def _alpha(text: str) -> float:
    return float(text.strip("$").split("=")[1])


def _run_gd(a, alpha, steps=60):
    w, path = 1.0, [1.0]
    for _ in range(steps):
        w = w - alpha * (a * w)  # the gradient of (a/2) w²
        path.append(w)
    return np.array(path)


@lru_cache(maxsize=None)
def _torch_gd(a, alpha, steps=60):
    w = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=alpha)
    for _ in range(steps):
        opt.zero_grad()
        (0.5 * a * w ** 2).sum().backward()
        opt.step()
    return w.item()


def _behaviour(path) -> str:
    if path[1] == 0 and path[-1] == 0:
        return "reaches 0 in a single step"
    if abs(path[-1]) > 1e3:
        return "diverges"
    alternating = all(path[i] * path[i + 1] < 0 for i in range(10))
    return "alternating in sign" if alternating else "without changing sign"


def test_gradient_descent_items_independent():
    seen = Counter()
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            if inst["id"] == "gd-diverge":
                a = inst["a"]
                grows = {k for k, text in part.choices.items() if abs(_run_gd(a, _alpha(text))[-1]) > 1e3}
                assert set(part.answer) == grows and grows, (problem.seed, inst)
                for k, text in part.choices.items():  # torch's SGD agrees
                    assert (abs(_torch_gd(a, _alpha(text))) > 1e3) == (k in grows)
                seen["diverge"] += 1
            if inst["id"] == "gd-behaviour":
                path = _run_gd(inst["a"], inst["alpha"])
                want = _behaviour(path)
                got = part.choices[part.answer]
                assert want in got, (problem.seed, inst, got, want)
                seen[want] += 1
    assert seen["diverge"] > 10 and len(seen) == 5, seen


def test_updates_per_epoch_independent():
    from torch.utils.data import DataLoader

    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            if inst["id"] == "updates-per-epoch":
                batches = len(DataLoader(range(inst["n"]), batch_size=inst["b"]))
                # the sheets group digits with a narrow no-break space (U+202F), never a comma (a decimal point in many locales)
                assert part.choices[part.answer] == f"{batches:,}".replace(",", "\u202f")


@lru_cache(maxsize=None)
def _momentum_step(alpha, mu, grad):
    """The step torch's SGD with momentum settles to under a constant gradient."""
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=alpha, momentum=mu)
    before = step = 0.0
    for _ in range(300):
        opt.zero_grad()
        (grad * w).sum().backward()
        opt.step()
        step, before = w.item() - before, w.item()
    return step


def test_momentum_limit_independent():
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            if inst["id"] != "momentum-limit":
                continue
            step = _momentum_step(inst["alpha"], inst["mu"], inst["grad"])
            assert float(part.choices[part.answer].strip("$")) == pytest.approx(step, rel=1e-6)
            values = [float(v.strip("$")) for v in part.choices.values()]
            assert len(set(values)) == 4, (problem.seed, part.choices)  # μ = 1 − μ made two options equal


def test_adam_without_bias_correction_independent():
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            if inst["id"] != "adam-no-bias":
                continue
            b1, b2, alpha = inst["beta1"], inst["beta2"], 0.01
            for g in (0.3, -5.0):
                m, v = (1 - b1) * g, (1 - b2) * g * g
                step = abs(alpha * m / (np.sqrt(v) + 1e-15))
                want = float(part.choices[part.answer].strip("$").replace("\\approx", "").replace("\\,\\alpha", ""))
                assert step / alpha == pytest.approx(want, rel=5e-3)


@pytest.fixture(scope="module")
def facts():
    out = {}
    # Adam's corrected first step is α whatever the gradient
    steps = []
    for g in (0.001, 3.0, -40.0):
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.Adam([p], lr=0.01, eps=1e-12)
        p.grad = torch.tensor([g])
        opt.step()
        steps.append(abs(p.item()))
    out["adam_first_step_alpha"] = np.allclose(steps, 0.01, rtol=1e-4)
    # AdamW's decay is not divided by sqrt(v): with a zero gradient it shrinks θ by lr·λ·θ exactly
    p = torch.tensor([2.0, -0.5], requires_grad=True)
    opt = torch.optim.AdamW([p], lr=0.1, weight_decay=0.5)
    p.grad = torch.zeros(2)
    opt.step()
    out["adamw_decoupled"] = torch.allclose(p.detach(), torch.tensor([2.0, -0.5]) * (1 - 0.1 * 0.5))
    q = torch.tensor([2.0, -0.5], requires_grad=True)
    opt = torch.optim.Adam([q], lr=0.1, weight_decay=0.5)  # Adam + L2: λθ inside the gradient, scaled
    q.grad = torch.zeros(2)
    opt.step()
    out["adam_l2_scaled"] = torch.allclose(q.detach(), torch.tensor([1.9, -0.4]), atol=1e-6)
    # Adagrad's accumulator never decreases; RMSProp's decays
    p = torch.zeros(3, requires_grad=True)
    ada, sums = torch.optim.Adagrad([p], lr=0.1), []
    r = torch.zeros(3, requires_grad=True)
    rms, avgs = torch.optim.RMSprop([r], lr=0.1, alpha=0.9), []
    grads = [torch.tensor([5.0, -4.0, 3.0])] + [torch.tensor([0.1, 0.1, -0.1])] * 20
    for g in grads:
        p.grad, r.grad = g.clone(), g.clone()
        ada.step()
        rms.step()
        sums.append(ada.state[p]["sum"].clone())
        avgs.append(rms.state[r]["square_avg"].clone())
    out["adagrad_monotone"] = all(bool((b >= a).all()) for a, b in zip(sums, sums[1:]))
    out["rmsprop_forgets"] = bool((avgs[-1] < 0.2 * avgs[0]).all())
    # a saddle: zero gradient, not a minimum
    xy = torch.zeros(2, requires_grad=True)
    (xy[0] ** 2 - xy[1] ** 2).backward()
    out["saddle_zero_grad"] = bool((xy.grad == 0).all()) and (0.0 ** 2 - 0.1 ** 2) < 0
    # b = n mini-batch is the full gradient
    X = torch.randn(8, 3, generator=torch.Generator().manual_seed(0))
    w = torch.randn(3, requires_grad=True, generator=torch.Generator().manual_seed(1))
    ((X @ w) ** 2).mean().backward()
    full = w.grad.clone()
    per = torch.stack([torch.autograd.grad(((X[i] @ w) ** 2), w)[0] for i in range(8)])
    out["minibatch_n_is_gd"] = torch.allclose(per.mean(0), full)
    out["per_example_nonzero_at_min"] = True  # see test_noise_ball_independent
    return out


def test_torch_facts_behind_the_items(facts):
    assert all(facts.values()), facts


def test_noise_ball_independent():
    """At the least-squares minimum the average gradient is 0 but single examples' are not."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 2)), rng.normal(size=50)
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    per = 2 * (X @ w - y)[:, None] * X
    assert np.allclose(per.mean(0), 0, atol=1e-10) and np.abs(per).max() > 0.1


def test_keys_agree_with_the_facts_independent(facts):
    expect = {
        "tf-saddle-grad": "T" if facts["saddle_zero_grad"] else "F",
        "tf-adagrad-monotone": "T" if facts["adagrad_monotone"] else "F",
        "tf-adamw-scaled": "F" if facts["adamw_decoupled"] and facts["adam_l2_scaled"] else "T",
        "tf-minibatch-n": "F" if facts["minibatch_n_is_gd"] else "T",  # states: noisier than GD
        "tf-small-lr-diverge": "F" if abs(_run_gd(4, 0.01, 200)[-1]) < 1 else "T",
    }
    starts = {"rmsprop-fix": "It replaces the running sum by an exponentially decaying average" if facts["rmsprop_forgets"] else None,
              "bias-correction": "Because $m$ starts at 0" if facts["adam_first_step_alpha"] else None,
              "adamw-where": "In the update (line 12)" if facts["adamw_decoupled"] else None,
              "adagrad-stall": "$v$ only grows" if facts["adagrad_monotone"] else None}
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            if inst["id"] in expect:
                assert part.answer == expect[inst["id"]], (problem.seed, inst["id"])
            if inst["id"] in starts:
                assert part.choices[part.answer].startswith(starts[inst["id"]]), (problem.seed, inst["id"])


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
