"""vae-concepts: the claims that can be run are run (autograd through z = μ + σε at the drawn ε;
`sample` vs `rsample`; the Gaussian KL against torch.distributions; the ELBO ≤ log p(x) on a small
discrete model with NumPy; the Gaussian log-density as a squared error), and the pool varies
enough over seeds. The rest is cited in the family doc."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
import torch
from torch.distributions import Normal, kl_divergence

from concept_checks import assert_explained_and_distinct, assert_variety
from sweep import sweep

FID = "vae-concepts"


def _reparam(mu, sigma, eps) -> tuple[float, float]:
    m = torch.tensor(float(mu), dtype=torch.float64, requires_grad=True)
    s = torch.tensor(float(sigma), dtype=torch.float64, requires_grad=True)
    (m + s * torch.tensor(float(eps), dtype=torch.float64)).backward()
    return float(m.grad), float(s.grad)


def _sample_has_grad() -> tuple[bool, bool]:
    m = torch.tensor(0.5, requires_grad=True)
    s = torch.tensor(2.0, requires_grad=True)
    return Normal(m, s).sample().requires_grad, Normal(m, s).rsample().requires_grad


def _kl_formula_ok() -> bool:
    for mu, sigma in ((0.0, 1.0), (1.5, 0.5), (-2.0, 3.0), (0.3, 1.7)):
        want = float(kl_divergence(Normal(mu, sigma), Normal(0.0, 1.0)))
        got = 0.5 * (mu ** 2 + sigma ** 2 - 1 - math.log(sigma ** 2))
        if abs(want - got) > 1e-6:
            return False
    return True


def _kl_zero_only_at_standard() -> bool:
    zero = float(kl_divergence(Normal(0.0, 1.0), Normal(0.0, 1.0))) == 0
    others = [float(kl_divergence(Normal(m, s), Normal(0.0, 1.0))) for m, s in ((0.1, 1.0), (0.0, 0.9), (0.0, 1.2))]
    return zero and all(v > 0 for v in others)


def _elbo_below_log_px() -> bool:
    """A 3-state latent: for random q, ELBO = Σ q (log p(x, z) − log q) ≤ log p(x), equal at the posterior."""
    rng = np.random.default_rng(0)
    pz = np.array([0.2, 0.5, 0.3])
    px_given_z = np.array([0.7, 0.1, 0.4])
    log_px = np.log(np.sum(pz * px_given_z))
    ok = True
    for _ in range(50):
        q = rng.dirichlet(np.ones(3))
        ok &= np.sum(q * (np.log(pz * px_given_z) - np.log(q))) <= log_px + 1e-12
    post = pz * px_given_z / np.sum(pz * px_given_z)
    return bool(ok and abs(np.sum(post * (np.log(pz * px_given_z) - np.log(post))) - log_px) < 1e-12)


def _gauss_is_mse() -> bool:
    x, xh = torch.tensor([0.3, -1.2, 2.0, 0.5]), torch.tensor([0.1, -1.0, 1.5, 0.9])
    logp = Normal(xh, 1.0).log_prob(x).sum()
    return bool(torch.isclose(logp, -0.5 * ((x - xh) ** 2).sum() - 2 * math.log(2 * math.pi)))


@pytest.fixture(scope="module")
def facts():
    sample_grad, rsample_grad = _sample_has_grad()
    return {"sample_grad": sample_grad, "rsample_grad": rsample_grad, "kl": _kl_formula_ok(),
            "kl_zero": _kl_zero_only_at_standard(), "elbo_lower": _elbo_below_log_px(), "mse": _gauss_is_mse()}


def test_facts_behind_the_items(facts):
    assert not facts["sample_grad"] and facts["rsample_grad"]
    assert facts["kl"] and facts["kl_zero"] and facts["elbo_lower"] and facts["mse"]


def _tf(facts) -> dict[str, str]:
    tf = lambda b: "T" if b else "F"  # noqa: E731
    return {"tf-rsample": tf(facts["sample_grad"]), "tf-lower-bound": tf(facts["elbo_lower"]),
            "tf-kl-zero": tf(not facts["kl_zero"]), "tf-mse": tf(facts["mse"])}


PREFIX = {"why-reparam": "So that $\\mathbf{z}$ is a differentiable function",
          "kl-gauss": "$(1/2)(\\mu^2 + \\sigma^2 - 1 - \\log \\sigma^2)$"}
MULTI = {  # elbo-maximize: the options a computation supports (the rest follow from the ELBO's sign)
    "It raises a lower bound on $\\log p(\\mathbf{x})$.": "elbo_lower",
    "It raises an upper bound on $\\log p(\\mathbf{x})$.": None,
}
CITED = {"vae-vs-ae", "elbo-terms", "generate", "tf-no-kl", "elbo-maximize", "log-var"}


def test_every_key_agrees_with_the_computation_independent(facts):
    tf, checked = _tf(facts), Counter()
    for difficulty, problem in sweep(FID):
        for inst, part in zip(problem.params["items"], problem.parts):
            item = inst["id"]
            if item == "reparam-grad":
                dmu, dsigma = _reparam(inst["mu"], inst["sigma"], inst["eps"])
                want = f"$({dmu:g},\\ {dsigma:g})$"
                assert part.choices[part.answer] == want, (problem.seed, inst)
                assert list(part.choices.values()).count(want) == 1
            elif item in tf:
                assert part.answer == tf[item], (problem.seed, item)
            elif item in PREFIX:
                assert facts["kl"] and facts["rsample_grad"]
                assert part.choices[part.answer] == PREFIX[item] or part.choices[part.answer].startswith(PREFIX[item])
            elif item == "elbo-maximize":
                keyed = {part.choices[k] for k in part.answer}
                for text, fact in MULTI.items():
                    if text in part.choices.values():
                        assert (text in keyed) == bool(fact and facts[fact]), (problem.seed, text)
                continue
            else:
                assert part.kind == "short" or item in CITED, item
                continue
            checked[item] += 1
    assert set(checked) == {"reparam-grad", *tf, *PREFIX}, checked


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
