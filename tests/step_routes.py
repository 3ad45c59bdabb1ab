"""Students who round INSIDE a part: each family's worked route, every intermediate value written to
3 significant figures (a function key's result, a sum, a product, a ratio), written here from the
problem's params with no code shared with the families.

`ROUTES[family](problem)` -> {part key: [answer, ...]}: one answer per route the worked solution
teaches (the key's "Equivalently ..." routes too), a number or a list like the part's answer. A
later part is worked from the student's own rounded earlier answers, as the student would.
Families not listed in ROUTES: see `UNCOVERED` in test_grading_step_rounding.py.
"""

from __future__ import annotations

import math

from probgen.core.tolerance import round_figures


def r(x, figures: int = 3):
    """x as the student writes it."""
    return round_figures(float(x), figures)


def rsum(values):
    return r(sum(values))


def exp(x):
    return r(math.exp(x))


def ln(x, figures: int = 3):
    return r(math.log(x), figures)


# --- contrastive-loss -------------------------------------------------------------------------

def _nt_xent(logits, positive):
    """(probability, [loss by each route]) for one anchor's row of logits s/τ."""
    exps = [exp(z) for z in logits]
    total = rsum(exps)
    p = r(exps[positive] / total)
    by_ratio = r(-math.log(p))
    # log of the sum less the positive's logit: the statement asks 4 figures for that log
    by_log_of_sum = r(ln(total, 4) - logits[positive])
    inside = r(1 + sum(exp(z - logits[positive]) for i, z in enumerate(logits) if i != positive))
    by_exact_form = ln(inside)
    return p, [by_ratio, by_log_of_sum, by_exact_form], r(1 / inside)


def contrastive_loss(problem):
    p = problem.params
    tau = p["tau"]
    if "sim_row" in p:
        prob, losses, prob2 = _nt_xent([s / tau for s in p["sim_row"]], 0)
        return {"a": [prob, prob2], "b": losses + [r(-math.log(prob2))]}
    if "sim" in p:
        S = p["sim"]
        out, mine = {}, []
        for key, i, partner in (("a", 0, 1), ("b", 1, 0)):
            others = [k for k in range(4) if k != i]
            _, losses, _ = _nt_xent([S[i][k] / tau for k in others], others.index(partner))
            out[key] = losses
            mine.append(losses[0])
        # ℓ(3,4) and ℓ(4,3) are given in the prompt to 4 figures
        given = []
        for i, partner in ((2, 3), (3, 2)):
            row = [S[i][k] / tau for k in range(4) if k != i]
            pos = [k for k in range(4) if k != i].index(partner)
            given.append(r(math.log(sum(math.exp(z) for z in row)) - row[pos], 4))
        out["c"] = [r(rsum(mine + given) / 4)]
        return out
    z = p["z"]
    norms = [math.hypot(*v) for v in z]
    sims = [r((z[0][0] * v[0] + z[0][1] * v[1]) / (norms[0] * norms[k]))
            for k, v in enumerate(z) if k > 0]
    return {"b": _nt_xent([s / tau for s in sims], 0)[1],
            "c": _nt_xent([s / p["tau2"] for s in sims], 0)[1]}


# --- diffusion-forward ------------------------------------------------------------------------

def diffusion_forward(problem):
    p = problem.params
    running, bars = 1.0, []
    for b in p["betas"]:
        running = r(running * (1 - b))
        bars.append(running)
    ab = bars[-1]
    signal, spread = r(math.sqrt(ab)), r(math.sqrt(r(1 - ab)))
    xt = [r(r(signal * x) + r(spread * e)) for x, e in zip(p["x0"], p["noise"])]
    x0_hat = [r(r(x - r(spread * e)) / signal) for x, e in zip(xt, p["predicted_noise"])]
    ab_snr = bars[p.get("snr_step", len(bars)) - 1]
    one = len(p["x0"]) == 1
    return {"a": [bars if p["steps_asked"] == "all" else ab],
            "b": [xt[0] if one else xt],
            "c": [r(ab_snr / r(1 - ab_snr))],
            "d": [x0_hat[0] if one else x0_hat]}


# --- cross-entropy ----------------------------------------------------------------------------

def _bce(labels, predictions):
    terms = [ln(y_hat) if y == 1 else ln(r(1 - y_hat)) for y, y_hat in zip(labels, predictions)]
    return r(-rsum(terms) / len(terms))


def cross_entropy(problem):
    p = problem.params
    z, t = p["logits"], p["target"] - 1  # classes are numbered from 1
    exps = [exp(v) for v in z]
    total = rsum(exps)
    probs = [r(e / total) for e in exps]
    out = {"a": [probs], "b": [r(-math.log(probs[t])), r(ln(total, 4) - z[t])]}  # the key asks 4 figures of that log
    keys = {"easy": "abc", "medium": "abcde", "hard": "abcdefg"}[problem.difficulty]
    if problem.difficulty != "easy":
        out["c"] = [[r(q - (1 if i == t else 0)) for i, q in enumerate(probs)]]
        bce_key = keys[3] if problem.difficulty == "medium" else keys[4]
        out[bce_key] = [_bce(p["labels"], p["predictions"])]
    return out


# --- gan-losses -------------------------------------------------------------------------------

def gan_losses(problem):
    p = problem.params
    real = [ln(d) for d in p["d_real"]]
    fake = [ln(r(1 - d)) for d in p["d_fake"]]
    m_real, m_fake = len(real), len(fake)
    out = {"a": [r(-r(rsum(real) / m_real) - r(rsum(fake) / m_fake))],
           "b": [r(rsum(fake) / m_fake)],
           "c": [r(-rsum([ln(d) for d in p["d_fake"]]) / m_fake)]}
    if "p_data" in p:
        d_star = [r(a / r(a + g)) for a, g in zip(p["p_data"], p["p_g"])]
        key = "d" if problem.difficulty == "medium" else "e"
        out[key] = [d_star]
        if problem.difficulty == "hard":
            terms = [r(r(a * ln(d)) + r(g * ln(r(1 - d)))) for a, g, d in zip(p["p_data"], p["p_g"], d_star)]
            out["f"] = [rsum(terms)]
    return out


# --- vae-elbo ---------------------------------------------------------------------------------

def vae_elbo(problem):
    p = problem.params
    mu = p["mu"]
    if "log_var" in p:
        lv = p["log_var"]
        sigma = [exp(v / 2) for v in lv]
        var = [exp(v) for v in lv]
        var_from_sigma = [r(s * s) for s in sigma]
        kl = [r(sum(r(r(r(m * m) + v - 1 - l) / 2) for m, v, l in zip(mu, vs, lv))) for vs in (var, var_from_sigma)]
        z = [r(m + r(s * e)) for m, s, e in zip(mu, sigma, p["noise"])]
        keys = dict(sigma="a", kl="b", z="c", rec="d", total="e")
    else:
        sigma = p["sigma"]
        kl = [r(sum(r(r(r(m * m) + r(s * s) - 1 - ln(r(s * s))) / 2) for m, s in zip(mu, sigma)))]
        z = [r(m + r(s * e)) for m, s, e in zip(mu, sigma, p["noise"])]
        keys = dict(kl="a", z="b", rec="c", total="d")
    if p["decoder"] == "bernoulli":
        terms = [ln(xh) if x == 1 else ln(r(1 - xh)) for x, xh in zip(p["x"], p["x_hat"])]
        rec = -rsum(terms)
    else:
        rec = r(rsum([r((x - xh) ** 2) for x, xh in zip(p["x"], p["x_hat"])]) / 2)
    one = len(mu) == 1
    out = {keys["kl"]: kl, keys["z"]: [z[0] if one else z], keys["rec"]: [rec]}
    if "sigma" in keys:
        out[keys["sigma"]] = [sigma[0] if one else sigma]
        out[keys["total"]] = [r(-rec - k) for k in kl]  # the ELBO
        out["f"] = [[mu[0], r((var[0] - 1) / 2)]]
    else:
        out[keys["total"]] = [r(rec + k) for k in kl]  # the negative ELBO
    return out


# --- attention --------------------------------------------------------------------------------

def attention(problem):
    p = problem.params
    Q, K, V, t = p["Q"], p["K"], p["V"], p["token"] - 1
    d = len(Q[0])
    scores = [sum(a * b for a, b in zip(Q[t], k)) / math.sqrt(d) for k in K]  # short: √d_k is 2
    visible = len(K) if not p["causal"] else t + 1
    exps = [exp(s) for s in scores[:visible]]
    total = rsum(exps)
    alpha = [r(e / total) for e in exps] + [0.0] * (len(K) - visible)
    out = [rsum([r(a * row[j]) for a, row in zip(alpha, V)]) for j in range(len(V[0]))]
    return {"b": [alpha], "c": [out]}


ROUTES = {
    "attention": attention,
    "contrastive-loss": contrastive_loss,
    "diffusion-forward": diffusion_forward,
    "cross-entropy": cross_entropy,
    "gan-losses": gan_losses,
    "vae-elbo": vae_elbo,
}
