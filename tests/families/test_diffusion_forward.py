"""Diffusion forward process: ᾱ by iterating the one-step process's variances in NumPy, x_t by
composing the one-step means, x₀ recovered by solving the linear equation, loss by torch's MSE."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from sweep import assert_parts_match, sweep

FAMILY = "diffusion-forward"
torch.set_num_threads(1)  # tiny tensors: thread start-up would dominate on a shared machine


def roles(params):
    base = ["alpha_bar", "xt", "snr", "x0_hat"]
    return base + ["loss"] if params["steps_asked"] == "all" else base


def independent(params):
    """ᾱ_t as the coefficient of x₀ squared after t one-step updates, without the closed form:
    x_t = √(1 − β_t) x_{t−1} + √β_t ε_t, so the signal coefficient c_t = √(1 − β_t) c_{t−1} and the
    noise variance v_t = (1 − β_t) v_{t−1} + β_t; ᾱ_t = c_t² and 1 − ᾱ_t = v_t."""
    coefficient, variance, alpha_bars, variances = 1.0, 0.0, [], []
    for beta in params["betas"]:
        coefficient *= math.sqrt(1 - beta)
        variance = (1 - beta) * variance + beta
        alpha_bars.append(coefficient ** 2)
        variances.append(variance)
    assert math.isclose(alpha_bars[-1] + variances[-1], 1.0)
    x0, eps, eps_hat = (np.array(params[k], dtype=float) for k in ("x0", "noise", "predicted_noise"))
    xt = coefficient * x0 + math.sqrt(variances[-1]) * eps
    # x̂₀ solves x_t = c x̂₀ + √v ε̂ for x̂₀ (np.linalg.solve on the 1×1 system per coordinate).
    x0_hat = np.array([np.linalg.solve([[coefficient]], [x - math.sqrt(variances[-1]) * e])[0] for x, e in zip(xt, eps_hat)])
    one = (lambda v: v) if len(x0) > 1 else (lambda v: v[0])
    out = {
        "alpha_bar": alpha_bars if params["steps_asked"] == "all" else alpha_bars[-1],
        "xt": one(xt),
        # the SNR at the asked step, from that step's signal coefficient and noise variance
        "snr": alpha_bars[params["snr_step"] - 1] / variances[params["snr_step"] - 1],
        "x0_hat": one(x0_hat),
        "loss": F.mse_loss(torch.tensor(eps_hat), torch.tensor(eps), reduction="sum").item(),
    }
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        layout = roles(problem.params)
        assert [p.key for p in problem.parts] == list("abcde"[: len(layout)])
        assert_parts_match(problem, {part.key: expected[role] for part, role in zip(problem.parts, layout)})


def mistake_values(params):
    betas = np.array(params["betas"])
    ab_all = np.cumprod(1 - betas)
    ab = ab_all[-1]
    abs_ = ab_all[params["snr_step"] - 1]  # ᾱ at the step whose SNR is asked
    x0, eps, eps_hat = (np.array(params[k], dtype=float) for k in ("x0", "noise", "predicted_noise"))
    xt = math.sqrt(ab) * x0 + math.sqrt(1 - ab) * eps
    every = params["steps_asked"] == "all"
    pick = (lambda v: v) if every else (lambda v: v[-1])
    one = (lambda v: v) if len(x0) > 1 else (lambda v: v[0])
    return {
        "alpha_bar": {"summed the betas: 1 − Σ β_s": pick(1 - np.cumsum(betas)),
                      "multiplied the betas: Π β_s": pick(np.cumprod(betas)),
                      "used only the last step's α_t = 1 − β_t": pick(1 - betas)},
        "xt": {"used ᾱ and 1 − ᾱ without square roots": one(ab * x0 + (1 - ab) * eps),
               "swapped the weights: √(1 − ᾱ) x₀ + √ᾱ ε": one(math.sqrt(1 - ab) * x0 + math.sqrt(ab) * eps),
               "forgot the noise term": one(math.sqrt(ab) * x0)},
        "snr": {"inverted: (1 − ᾱ)/ᾱ": (1 - abs_) / abs_, "used the square roots √ᾱ/√(1 − ᾱ)": math.sqrt(abs_ / (1 - abs_)),
                "gave ᾱ itself": abs_},
        "x0_hat": {"forgot to divide by √ᾱ": one(xt - math.sqrt(1 - ab) * eps_hat),
                   "added the noise instead of subtracting it": one((xt + math.sqrt(1 - ab) * eps_hat) / math.sqrt(ab)),
                   "divided by ᾱ instead of √ᾱ": one((xt - math.sqrt(1 - ab) * eps_hat) / ab),
                   "used the true noise ε instead of the prediction ε̂ (gives back x₀)": one(x0)},
        "loss": {"forgot to square: Σ |ε − ε̂|": np.abs(eps - eps_hat).sum(),
                 "averaged over the coordinates instead of summing": ((eps - eps_hat) ** 2).mean(),
                 "took the norm without squaring: ‖ε − ε̂‖": np.linalg.norm(eps - eps_hat)},
    }


def test_misconceptions_independent_values():
    seen, named = set(), set()
    for difficulty, problem in sweep(FAMILY):
        values = mistake_values(problem.params)
        for part, role in zip(problem.parts, roles(problem.params)):
            named |= {(role, n) for n in values[role]}
            for m in part.misconceptions:
                np.testing.assert_allclose(m.value, values[role][m.name], rtol=1e-9, atol=1e-12,
                                           err_msg=f"{difficulty} seed {problem.seed} {role}: {m.name}")
                seen.add((role, m.name))
    assert named == seen, f"never offered: {named - seen}"


def test_follow_on_uses_students_xt():
    from probgen.core.registry import get_family

    for _, problem in sweep(FAMILY, difficulties=["easy", "medium"]):
        params = problem.params
        wrong = problem.part("b").answer
        wrong = [v + 1 for v in wrong] if isinstance(wrong, list) else wrong + 1
        follow = get_family(FAMILY).follow_on(params, {"b": wrong})
        ab = float(np.prod(1 - np.array(params["betas"])))
        xt = np.atleast_1d(wrong)
        expected = (xt - math.sqrt(1 - ab) * np.array(params["predicted_noise"])) / math.sqrt(ab)
        np.testing.assert_allclose(np.atleast_1d(follow["d"]), expected, rtol=1e-12)
        # the reference x_t gives back the reference answer
        back = get_family(FAMILY).follow_on(params, {"b": problem.part("b").answer})
        np.testing.assert_allclose(back["d"], problem.part("d").answer, rtol=1e-12)


def test_schedules_are_friendly_and_not_degenerate():
    for difficulty, problem in sweep(FAMILY):
        params = problem.params
        betas = params["betas"]
        assert betas == sorted(betas), "β grows with t"
        assert all(0 < b < 1 and len(repr(b)) <= 6 for b in betas)
        ab = float(np.prod(1 - np.array(betas)))
        root = math.sqrt(ab)
        assert abs(root * 100 - round(root * 100)) < 1e-9, "√ᾱ_T is a short decimal"
        if difficulty != "hard":
            comp = math.sqrt(1 - ab)
            assert abs(comp * 100 - round(comp * 100)) < 1e-9, "√(1 − ᾱ_T) is a short decimal"
        assert all(v != 0 for v in params["x0"] + params["noise"])
        assert all(a != b for a, b in zip(params["noise"], params["predicted_noise"])), "the prediction misses"


def test_no_entry_of_xt_or_recovered_x0_is_zero_by_coincidence():
    """x₂ = [0.06, 0] (TA defect 13): a 0 that falls out of the numbers is a trivial part."""
    for difficulty, problem in sweep(FAMILY):
        values = independent(problem.params)
        for role in ("xt", "x0_hat"):
            assert np.all(np.abs(np.atleast_1d(values[role])) > 1e-9), (difficulty, problem.seed, role)
