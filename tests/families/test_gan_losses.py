"""GAN losses: every part against torch's binary cross-entropy and autograd, the optimal
discriminator by maximizing the pointwise objective numerically, V(D*, G) against -ln 4 + 2 JSD."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from family_checks import assert_answers_by_role, checked_mistakes_by_role
from sweep import sweep

FAMILY = "gan-losses"
torch.set_num_threads(1)  # tiny tensors: thread start-up would dominate on a shared machine


def roles(params):
    out = ["loss_d", "sat", "nonsat"]
    if len(params.get("p_g", ())) == 4:
        out.append("gradients")
    if "p_g" in params:
        out.append("optimal")
    if len(params.get("p_g", ())) == 4:
        out.append("value")
    return out


def t(values):
    return torch.tensor(values, dtype=torch.float64)


def kl(p, q):
    return float(np.sum(p * np.log(p / q)))


def independent(params):
    real, fake = t(params["d_real"]), t(params["d_fake"])
    out = {
        # BCE with target 1 on real and target 0 on fake, each averaged over the batch.
        "loss_d": (F.binary_cross_entropy(real, torch.ones_like(real)) + F.binary_cross_entropy(fake, torch.zeros_like(fake))).item(),
        "sat": -F.binary_cross_entropy(fake, torch.zeros_like(fake)).item(),
        "nonsat": F.binary_cross_entropy(fake, torch.ones_like(fake)).item(),
    }
    a = torch.logit(fake[:1]).detach().requires_grad_(True)
    torch.log(1 - torch.sigmoid(a)).sum().backward()
    grad_sat = a.grad.item()
    a.grad = None
    (-torch.log(torch.sigmoid(a))).sum().backward()
    out["gradients"] = [grad_sat, a.grad.item()]
    if "p_g" in params:
        pd, pg = np.array(params["p_data"]), np.array(params["p_g"])
        # Maximize p_d ln D + p_g ln(1 - D) over a fine grid, then polish with Newton steps.
        grid = np.linspace(1e-3, 1 - 1e-3, 999)
        d = np.array([grid[np.argmax(a_ * np.log(grid) + b_ * np.log(1 - grid))] for a_, b_ in zip(pd, pg)])
        for _ in range(20):
            d = d - (pd / d - pg / (1 - d)) / (-pd / d ** 2 - pg / (1 - d) ** 2)
        out["optimal"] = d
        mix = (pd + pg) / 2
        out["value"] = -math.log(4) + 2 * (0.5 * kl(pd, mix) + 0.5 * kl(pg, mix))
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    assert_answers_by_role(FAMILY, difficulty, independent, roles)


def mistake_values(params):
    r, f = np.array(params["d_real"]), np.array(params["d_fake"])
    loss_d = -np.log(r).mean() - np.log(1 - f).mean()
    sat, nonsat = np.log(1 - f).mean(), -np.log(f).mean()
    values = {
        "loss_d": {"forgot the minus sign": -loss_d,
                   "used ln D(G(z)) in place of ln(1 − D(G(z)))": -np.log(r).mean() - np.log(f).mean(),
                   "swapped real and fake (ln(1 − D(x)) + ln D(G(z)))": -np.log(1 - r).mean() - np.log(f).mean(),
                   "used log base 10 instead of the natural log": -np.log10(r).mean() - np.log10(1 - f).mean(),
                   "summed over the batch instead of averaging": -np.log(r).sum() - np.log(1 - f).sum()},
        "sat": {"used the non-saturating loss −ln D(G(z))": nonsat, "flipped the sign (−ln(1 − D(G(z))))": -sat,
                "used log base 10 instead of the natural log": np.log10(1 - f).mean()},
        "nonsat": {"used the saturating loss ln(1 − D(G(z)))": sat, "forgot the minus sign": -nonsat,
                   "used log base 10 instead of the natural log": -np.log10(f).mean()},
        "gradients": {"flipped both signs": [f[0], 1 - f[0]], "swapped the two gradients": [f[0] - 1, -f[0]],
                      "differentiated with respect to D instead of the logit": [-1 / (1 - f[0]), -1 / f[0]]},
    }
    if "p_g" in params:
        pd, pg = np.array(params["p_data"]), np.array(params["p_g"])
        v = float(np.sum(pd * np.log(pd / (pd + pg)) + pg * np.log(pg / (pd + pg))))
        values["optimal"] = {"swapped p_data and p_g": pg / (pd + pg), "took the ratio p_data / p_g": pd / pg,
                             "assumed D* = 1/2 everywhere (that holds only when p_g = p_data)": np.full(len(pd), 0.5)}
        values["value"] = {"gave the Jensen–Shannon divergence (V + ln 4)/2": (v + math.log(4)) / 2,
                           "gave −ln 4, the value when p_g = p_data": -math.log(4),
                           "used log base 10 instead of the natural log": v / math.log(10)}
    return values


def test_misconceptions_independent_values():
    seen = checked_mistakes_by_role(FAMILY, mistake_values, roles)
    _, last = list(sweep(FAMILY))[-1]  # the sweep's last problem (hard): every role, every mistake
    assert {(role, name) for role, names in mistake_values(last.params).items() for name in names} <= seen


def test_not_degenerate_and_hand_workable():
    for difficulty, problem in sweep(FAMILY):
        params = problem.params
        assert all(0.5 < r < 1 for r in params["d_real"]) and all(0 < f < 0.5 for f in params["d_fake"])
        if "p_g" in params:
            pd, pg = params["p_data"], params["p_g"]
            assert pd != pg, "D* would be 1/2 everywhere"
            for dist in (pd, pg):
                twentieths = [round(v * 20) for v in dist]
                assert sum(twentieths) == 20 and all(v >= 1 for v in twentieths)
                assert all(abs(v * 20 - round(v * 20)) < 1e-12 for v in dist)
        if "gradients" in roles(params):
            g = problem.part("d").answer
            assert abs(g[1]) > abs(g[0]) > 0, "the non-saturating gradient is the larger one"


def test_follow_on_uses_students_optimal_discriminator():
    from probgen.core.registry import get_family

    for _, problem in sweep(FAMILY, difficulties=["hard"]):
        pd, pg = np.array(problem.params["p_data"]), np.array(problem.params["p_g"])
        d = np.clip(np.array(problem.part("e").answer) * 0.9, 0.01, 0.99)  # a student's wrong D*
        follow = get_family(FAMILY).follow_on(problem.params, {"e": d.tolist()})
        # the objective as torch's binary cross-entropy, weighted by p_data (target 1) and p_g (target 0)
        dt = torch.tensor(d)
        bce_real = F.binary_cross_entropy(dt, torch.ones_like(dt), weight=torch.tensor(pd), reduction="sum")
        bce_fake = F.binary_cross_entropy(dt, torch.zeros_like(dt), weight=torch.tensor(pg), reduction="sum")
        assert math.isclose(follow["f"], -(bce_real + bce_fake).item(), rel_tol=1e-9)
        assert get_family(FAMILY).follow_on(problem.params, {"e": [0.5, 1.0, 0.5, 0.5]}) == {}
