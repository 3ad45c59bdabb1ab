"""diffusion-concepts: the claims that can be run are run, sharing no code with the family: ᾱ₃
and the mean and variance of q(x_t | x₀) from the one-step recursions (mean ← √α·mean,
variance ← α·variance + β) instead of the closed-form product; the closed form against a
simulated chain (NumPy); DDPM's x_T ≈ noise; the variance-preserving step and the falling SNR
(torch); the two-step identity (sympy). The pool varies enough over seeds. The rest is cited in
docs/families/diffusion-concepts.md."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
import sympy
import torch

from concept_checks import assert_explained_and_distinct, assert_variety, item_parts
from sweep import sweep

FID = "diffusion-concepts"


def _recursion(betas, x0=1.0) -> tuple[float, float]:
    """Mean and variance of x_T given x₀, one forward step at a time."""
    mean, var = float(x0), 0.0
    for b in betas:
        mean, var = np.sqrt(1 - b) * mean, (1 - b) * var + b
    return mean, var


def _chain_matches_closed_form() -> bool:
    """Simulate 100 forward steps for 200k samples; compare with N(√ᾱ x₀, 1 − ᾱ) for ᾱ = Π(1 − β)."""
    rng = np.random.default_rng(1)
    betas = np.linspace(0.001, 0.03, 100)
    x = np.full(200_000, 1.5)
    for b in betas:
        x = np.sqrt(1 - b) * x + np.sqrt(b) * rng.standard_normal(x.shape)
    ab = np.prod(1 - betas)
    return abs(x.mean() - np.sqrt(ab) * 1.5) < 0.01 and abs(x.var() - (1 - ab)) < 0.01


def _ddpm_xT_is_noise() -> bool:
    ab = np.prod(1 - np.linspace(1e-4, 0.02, 1000))
    return bool(ab < 1e-4)


def _unit_variance_kept() -> bool:
    gen = torch.Generator().manual_seed(0)
    for beta in (0.02, 0.3, 0.7):
        x = torch.randn(400_000, generator=gen, dtype=torch.float64)
        x = (1 - beta) ** 0.5 * x + beta ** 0.5 * torch.randn(400_000, generator=gen, dtype=torch.float64)
        if abs(float(x.var()) - 1) > 0.01:
            return False
    return True


def _snr_falls() -> bool:
    rng = np.random.default_rng(2)
    for _ in range(50):
        ab = np.cumprod(1 - rng.uniform(0.001, 0.999, 20))
        snr = ab / (1 - ab)
        if not np.all(np.diff(snr) < 0):
            return False
    return True


def _same_shape() -> bool:
    x0 = torch.zeros(2, 3, 32, 32)
    xt = 0.8 * x0 + 0.6 * torch.randn_like(x0)
    return xt.shape == x0.shape


def _two_step_identity() -> bool:
    a1, a2 = sympy.symbols("alpha1 alpha2", positive=True)
    return sympy.simplify(a2 * (1 - a1) + (1 - a2) - (1 - a1 * a2)) == 0


@pytest.fixture(scope="module")
def facts():
    return {"chain": _chain_matches_closed_form(), "xT": _ddpm_xT_is_noise(), "unit": _unit_variance_kept(),
            "snr": _snr_falls(), "shape": _same_shape(), "two_step": _two_step_identity()}


def test_facts_behind_the_items(facts):
    assert all(facts.values()), facts


def _tf(facts) -> dict[str, str]:
    tf = lambda b: "T" if b else "F"  # noqa: E731
    # tf-closed-form claims you must run the chain: false because the closed form matches the chain
    return {"tf-closed-form": tf(not facts["chain"]), "tf-xT-noise": tf(facts["xT"]),
            "tf-unit-variance": tf(facts["unit"]), "tf-snr": tf(not facts["snr"]), "tf-latent-dim": tf(not facts["shape"])}


NUM = r"-?\d+(?:\.\d+)?"


def _numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(NUM, text.replace("−", "-"))]


CITED = {"reverse-process", "what-learned", "objective", "training-step", "tf-sampling-cost", "elbo-link",
         "schedule-role", "t-input", "vs-gan"}


def test_every_key_agrees_with_the_computation_independent(facts):
    tf, checked = _tf(facts), Counter()
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            item = inst["id"]
            if item == "alphabar":
                mean, _ = _recursion(inst["betas"])
                (got,) = _numbers(part.choices[part.answer])
                assert got == pytest.approx(mean ** 2, abs=1e-9), (problem.seed, inst)
                others = [_numbers(t)[0] for k, t in part.choices.items() if k != part.answer]
                assert all(abs(o - mean ** 2) > 1e-6 for o in others)
            elif item == "marginal":
                steps = 4  # any schedule with the same product: four equal steps
                a = inst["alpha_bar"] ** (1 / steps)
                mean, var = _recursion([1 - a] * steps, inst["x0"])
                got = _numbers(part.choices[part.answer])
                assert got == pytest.approx([mean, var], abs=1e-9), (problem.seed, inst)
                for k, t in part.choices.items():
                    if k != part.answer:
                        assert _numbers(t) != pytest.approx([mean, var], abs=1e-6)
            elif item in tf:
                assert part.answer == tf[item], (problem.seed, item)
            elif item == "two-steps":
                assert facts["two_step"] and "1 − α₁α₂" in part.model_answer
            else:
                assert part.kind == "short" or item in CITED, item
                continue
            checked[item] += 1
    assert set(checked) == {"alphabar", "marginal", "two-steps", *tf}, checked


def test_the_objective_item_keys_the_noise():
    """The keyed output of ε_θ is the noise (the loss's target); no distractor says so."""
    for difficulty, problem in sweep(FID):
        for inst, part in item_parts(problem):
            if inst["id"] == "objective":
                assert part.choices[part.answer].startswith("The noise")
                assert not any(t.startswith("The noise") for k, t in part.choices.items() if k != part.answer)


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
