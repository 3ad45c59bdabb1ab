"""VAE ELBO: KL from torch.distributions, the Gaussian reconstruction from Normal.log_prob, the
Bernoulli one from F.binary_cross_entropy, the KL gradient by autograd; misconceptions with math."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

from family_checks import assert_answers_by_role, checked_mistakes_by_role
from sweep import sweep

FAMILY = "vae-elbo"
torch.set_num_threads(1)  # tiny tensors: thread start-up would dominate on a shared machine


def roles(params):
    if "log_var" in params:
        return ["sigma", "kl", "z", "recon", "elbo", "kl_gradient"]
    return ["kl", "z", "recon", "loss"]


def t(values):
    return torch.tensor(values, dtype=torch.float64)


def independent(params):
    mu = t(params["mu"]).requires_grad_(True)
    if "log_var" in params:
        log_var = t(params["log_var"]).requires_grad_(True)
        sigma = torch.exp(0.5 * log_var)
    else:
        sigma = t(params["sigma"])
    kl = kl_divergence(Normal(mu, sigma), Normal(torch.zeros_like(mu), torch.ones_like(mu))).sum()
    x, x_hat = t(params["x"]), t(params["x_hat"])
    if params["decoder"] == "bernoulli":
        recon = F.binary_cross_entropy(x_hat, x, reduction="sum").item()
    else:
        constant = len(params["x"]) * 0.5 * math.log(2 * math.pi)
        recon = -Normal(x_hat, torch.ones_like(x_hat)).log_prob(x).sum().item() - constant
    z = (mu + sigma * t(params["noise"])).detach().numpy()
    out = {"kl": kl.item(), "z": z if len(z) > 1 else z[0], "recon": recon,
           "loss": recon + kl.item(), "elbo": -(recon + kl.item()), "sigma": sigma.detach().numpy()}
    if "log_var" in params:
        kl.backward()
        out["kl_gradient"] = [mu.grad[0].item(), log_var.grad[0].item()]
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    assert_answers_by_role(FAMILY, difficulty, independent, roles)


def mistake_values(params):
    mu = np.array(params["mu"], dtype=float)
    eps = np.array(params["noise"], dtype=float)
    if "log_var" in params:
        lv = np.array(params["log_var"], dtype=float)
        sigma = np.exp(lv / 2)
    else:
        sigma = np.array(params["sigma"], dtype=float)
        lv = np.log(sigma ** 2)
    var = sigma ** 2

    def kl(v, logv, half=0.5, one=1.0):
        return float(np.sum(half * (mu ** 2 + v - one - logv)))

    true_kl = kl(var, lv)
    x, xh = np.array(params["x"], dtype=float), np.array(params["x_hat"], dtype=float)
    if params["decoder"] == "bernoulli":
        per = -(x * np.log(xh) + (1 - x) * np.log(1 - xh))
        recon = per.sum()
        recon_m = {"used log base 10 instead of the natural log": -(x * np.log10(xh) + (1 - x) * np.log10(1 - xh)).sum(),
                   "averaged over the pixels instead of summing": per.mean(),
                   "used −ln x̂ for every pixel, ignoring x": -np.log(xh).sum(),
                   "forgot the minus sign": -recon}
    else:
        recon = 0.5 * np.sum((x - xh) ** 2)
        recon_m = {"forgot the ½": 2 * recon, "took the mean over pixels instead of the sum": recon / len(x),
                   "forgot to square (½ Σ |x − x̂|)": 0.5 * np.abs(x - xh).sum()}
    one = (lambda v: v) if len(mu) > 1 else (lambda v: v[0])
    values = {
        "kl": {"forgot the ½": 2 * true_kl, "flipped the sign of ln σ²": kl(var, -lv), "forgot the −1": kl(var, lv, one=0.0),
               "read log σ² as log σ (σ² = e^{2ℓ})": kl(np.exp(2 * lv), 2 * lv),
               "used σ where σ² belongs": kl(sigma, np.log(sigma))},
        "z": {"used the variance: z = μ + σ²ε": one(mu + var * eps), "forgot σ: z = μ + ε": one(mu + eps),
              "swapped μ and σ: z = σ + μ ε": one(sigma + mu * eps),
              "used log σ² as σ: z = μ + (log σ²) ε": one(mu + lv * eps)},
        "recon": recon_m,
        "loss": {"subtracted the KL term instead of adding it": recon - true_kl, "left out the KL term": recon,
                 "gave the ELBO (sign flipped)": -(recon + true_kl)},
        "elbo": {"gave the loss −ELBO (sign flipped)": recon + true_kl,
                 "added the KL term instead of subtracting it": true_kl - recon, "left out the KL term": -recon},
        "kl_gradient": {"differentiated with respect to σ instead of log σ²": [mu[0], sigma[0] - 1 / sigma[0]],
                        "forgot the ½": [2 * mu[0], var[0] - 1]},
        "sigma": {"took σ = e^{log σ²} (forgot the square root)": np.exp(lv), "took σ = log σ² directly": lv},
    }
    return values


def test_misconceptions_independent_values():
    seen = checked_mistakes_by_role(FAMILY, mistake_values, roles)
    assert {("kl", "forgot the ½"), ("z", "used the variance: z = μ + σ²ε"),
            ("loss", "subtracted the KL term instead of adding it"), ("elbo", "gave the loss −ELBO (sign flipped)"),
            ("recon", "forgot the ½"), ("recon", "averaged over the pixels instead of summing")} <= seen


def test_not_degenerate_and_hand_workable():
    for difficulty, problem in sweep(FAMILY):
        params = problem.params
        kl_part = problem.part("b" if "log_var" in params else "a")
        assert kl_part.answer > 0.01, "the KL term is never (nearly) zero"
        if "sigma" in params:
            for m, s in zip(params["mu"], params["sigma"]):
                assert (m, s) != (0, 1), "a dimension equal to the prior adds nothing"
        assert all(e != 0 for e in params["noise"])
        if "log_var" in params:
            assert all(g != 0 for g in problem.part("f").answer), "no zero gradient"
        if params["decoder"] == "bernoulli":
            assert set(params["x"]) == {0, 1} and all(0 < h < 1 for h in params["x_hat"])
        else:
            assert all(0 <= v <= 1 for v in params["x"] + params["x_hat"])
            assert all(a != b for a, b in zip(params["x"], params["x_hat"]))
        for part in problem.parts:
            for v in np.ravel(part.answer):
                assert abs(v) < 50


def test_follow_on_uses_students_values():
    from probgen.core.registry import get_family

    fam = get_family(FAMILY)
    for difficulty, problem in sweep(FAMILY):
        params = problem.params
        if "log_var" in params:
            sigma = [s * 1.2 for s in problem.part("a").answer]  # a student's wrong σ
            follow = fam.follow_on(params, {"a": sigma})
            mu, s = t(params["mu"]), t(sigma)
            kl = kl_divergence(Normal(mu, s), Normal(torch.zeros_like(mu), torch.ones_like(mu))).sum().item()
            assert math.isclose(follow["b"], kl, rel_tol=1e-9)
            np.testing.assert_allclose(follow["c"], (mu + s * t(params["noise"])).numpy(), rtol=1e-12)
            assert math.isclose(follow["f"][1], (sigma[0] ** 2 - 1) / 2, rel_tol=1e-12)
            follow = fam.follow_on(params, {"b": 1.5, "d": 0.25})
            assert math.isclose(follow["e"], -1.75)
        else:
            follow = fam.follow_on(params, {"a": 1.5, "c": 0.25})
            assert math.isclose(follow["d"], 1.75)
            follow = fam.follow_on(params, {"a": 1.5})  # reconstruction from the reference
            assert math.isclose(follow["d"], 1.5 + independent(params)["recon"], rel_tol=1e-9)


def test_logarithms_print_decimal_arguments():
    """TA re-rating: the Bernoulli reconstruction loss was printed as ln(800/9). Its closed form
    is −ln of the product of the probabilities the pixels keep, a decimal (−ln(0.01125)): checked
    against that product computed here and against the answer; no fraction inside a logarithm
    in the key, and D_KL is printed as a decimal, never as 11/4 or ln(16)/2 + 53/32."""
    import re

    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        steps = " ".join(s.text for s in problem.steps)
        assert not re.search(r"\\ln\s*\\left\(|\\ln\(\s*\\frac|\\log\(\s*\\frac", steps), (problem.seed, steps)
        assert "D_{\\mathrm{KL}} = \\frac" not in steps and "\\ln{\\left(" not in steps, (problem.seed, steps)
        if p["decoder"] != "bernoulli":
            continue
        kept = np.prod([h if x == 1 else 1 - h for x, h in zip(p["x"], p["x_hat"])])
        recon = problem.part(dict(zip(roles(p), "abcdef"))["recon"])
        found = re.findall(r"-\\ln\(([0-9.]+)\)", steps)
        assert found and math.isclose(float(found[0]), kept, rel_tol=1e-12), (problem.seed, found, kept)
        assert math.isclose(-math.log(float(found[0])), recon.answer, rel_tol=1e-12)
        if recon.latex:
            assert recon.latex == f"-\\ln({found[0]})", recon.latex
