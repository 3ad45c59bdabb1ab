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


# --- lstm-step, rnn-forward ------------------------------------------------------------------

def sigmoid(x):
    return r(1 / (1 + math.exp(-x)))


def tanh(x):
    return r(math.tanh(x))


def lstm_step(problem):
    p = problem.params
    z = {g: r(r(p["w"][g] * p["x"]) + r(p["u"][g] * p["h_prev"]) + p["b"][g]) for g in "figo"}
    f, i, o = sigmoid(z["f"]), sigmoid(z["i"]), sigmoid(z["o"])
    g = tanh(z["g"])
    c = r(r(f * p["c_prev"]) + r(i * g))
    return {"a": [f], "b": [i], "c": [g], "d": [o], "e": [c], "f": [r(o * tanh(c))]}


def rnn_forward(problem):
    p = problem.params
    if "W_h" in p:  # hard: 2-vectors
        Wx, Wh, b = p["W_x"], p["W_h"], p["b"]
        h, hs = [0.0] * len(b), []
        for x in p["x"]:
            a = [r(r(Wx[i] * x) + rsum([r(Wh[i][k] * h[k]) for k in range(len(h))]) + b[i]) for i in range(len(b))]
            h = [tanh(v) for v in a]
            hs.append(h)
        scale = [r(1 - r(v * v)) for v in hs[1]]
        jac = [[r(scale[i] * Wh[i][k]) for k in range(len(h))] for i in range(len(h))]
        return {"a": [hs[0]], "b": [hs[1]], "c": [jac], "e": [r(p["linear_w"] ** p["linear_steps"])]}
    h, hs = 0.0, []
    for x in p["x"]:
        h = tanh(r(r(p["w_x"] * x) + r(p["w_h"] * h) + p["b"]))
        hs.append(h)
    out = {k: [v] for k, v in zip("abc", hs)}
    if len(hs) == 3:
        factors = [r(p["w_h"] * r(1 - r(v * v))) for v in (hs[2], hs[1])]
        out["d"] = [r(factors[0] * factors[1])]
    return out


# --- word-embeddings, mse-loss, triplet-loss ---------------------------------------------------

def _cosine(u, v):
    return r(sum(a * b for a, b in zip(u, v)) / r(math.sqrt(sum(a * a for a in u)) * math.sqrt(sum(b * b for b in v))))


def word_embeddings(problem):
    p = problem.params
    u, v = (p["vectors"][w] for w in p["cosine_pair"])
    out = {"a": [_cosine(u, v)]}
    vocab, center = p["sg_vocab"], p["sg_v"]
    scores = [sum(a * b for a, b in zip(p["sg_u"][w], center)) for w in vocab]
    exps = [exp(s) for s in scores]
    total = rsum(exps)
    probs = [r(e / total) for e in exps]
    keys = [part.key for part in problem.parts]
    prob_key = next(part.key for part in problem.parts if "skip-gram" in part.prompt)
    out[prob_key] = [probs[vocab.index(p["sg_context"])]]
    if p["gradient"]:
        observed = p["sg_u"][p["sg_context"]]
        expected = [rsum([r(q * p["sg_u"][w][j]) for q, w in zip(probs, vocab)]) for j in range(len(center))]
        out[keys[keys.index(prob_key) + 1]] = [[r(e - o) for e, o in zip(expected, observed)]]
    return out


def mse_loss(problem):
    p = problem.params
    y = p["y"]
    y_hat = p["y_hat"] if "y_hat" in p else [r(r(p["w"] * x) + p["b"]) for x in p["x"]]
    errors = [r(a - b) for a, b in zip(y_hat, y)]
    n = len(y)
    grad = [r(r(2 / n) * e) for e in errors]
    out = {"a": [r(rsum([r(e * e) for e in errors]) / n)], "b": [grad, [r(2 * e / n) for e in errors]]}
    if "x" in p:
        dw = rsum([r(g * x) for g, x in zip(grad, p["x"])])
        out["c"] = [dw]
        if "lr" in p:
            out["d"] = [rsum(grad)]
            out["e"] = [r(p["w"] - r(p["lr"] * dw))]
    return out


def triplet_loss(problem):
    p = problem.params
    a = p["anchor"]

    def dist(v):
        sq = rsum([r((x - y) ** 2) for x, y in zip(a, v)])
        return sq if p["distance"] == "squared" else r(math.sqrt(sq))

    dp, dn = dist(p["positive"]), dist(p["negative"])
    out = {"a": [dp], "b": [dn], "c": [r(max(0.0, r(dp - dn) + p["margin"]))]}
    if "negative2" in p:
        dn2 = dist(p["negative2"])
        out["d"] = [r(max(0.0, r(dp - dn2) + p["margin"]))]
        out["e"] = [r(dn2 - dp)]
        if problem.difficulty == "hard" and out["c"][0] > 0:
            if p["distance"] == "squared":
                grad = [r(r(2 * (x - q)) - r(2 * (x - n))) for x, q, n in zip(a, p["positive"], p["negative"])]
            else:
                grad = [r(r((x - q) / dp) - r((x - n) / dn)) for x, q, n in zip(a, p["positive"], p["negative"])]
            out["f"] = [grad]
    return out


# --- weight-penalty, dropout, normalization --------------------------------------------------

def weight_penalty(problem):
    p = problem.params
    if "lr" not in p:
        return {}
    lam, w, g, lr = p["lam"], p["w"], p["grad"], p["lr"]
    k = lam if p["l2_form"] == "half" else r(2 * lam)
    l2 = [r(x - r(lr * r(gi + r(k * x)))) for x, gi in zip(w, g)]
    shrink = r(1 - r(lr * k))
    decay = [r(r(shrink * x) - r(lr * gi)) for x, gi in zip(w, g)]
    out = {"e": [l2, decay]}
    if problem.difficulty == "hard":
        out["f"] = [[r(x - r(lr * r(gi + lam * (1 if x > 0 else -1)))) for x, gi in zip(w, g)]]
    return out


def dropout(problem):
    p = problem.params
    keep = r(1 - p["p"])
    out = {"b": [[r(x / keep) if u > p["p"] else 0.0 for x, u in zip(p["x"], p["rand"])]]}
    if problem.difficulty != "easy":
        out["d"] = [[r(keep * x) for x in p["x"]]]
    return out


def normalization(problem):
    p = problem.params
    X, eps, gamma, beta = p["X"], p["eps"], p["gamma"], p["beta"]
    rows = p["numeric"] == "layer"
    groups = X if rows else [list(col) for col in zip(*X)]
    stats = []
    for values in groups:
        mu = r(sum(values) / len(values))
        var = r(rsum([r((v - mu) ** 2) for v in values]) / len(values))
        stats.append((mu, r(math.sqrt(r(var + eps)))))
    Y = [[0.0] * len(X[0]) for _ in X]
    for i, row in enumerate(X):
        for j, v in enumerate(row):
            mu, sd = stats[i] if rows else stats[j]
            Y[i][j] = r(r(gamma[j] * r(r(v - mu) / sd)) + beta[j])
    key = next(part.key for part in problem.parts if "output $Y$" in part.prompt)
    return {key: [Y]}


# --- positional-encoding, depthwise-separable ------------------------------------------------

def _pe(pos, column, d_model):
    divisor = r(10000 ** ((column - column % 2) / d_model))
    angle = r(pos / divisor)
    return r(math.sin(angle)) if column % 2 == 0 else r(math.cos(angle))


def positional_encoding(problem):
    p = problem.params
    d = p["d_model"]
    out = {"a": [_pe(p["pos"], p["dim_sin"], d)], "b": [_pe(p["pos"], p["dim_cos"], d)]}
    if problem.difficulty != "easy":
        out["c"] = [r(r(2 * r(math.pi)) * r(10000 ** (p["dim_sin"] / d)))]
    if "toy_p" in p:
        out["d"] = [[_pe(p["toy_p"], c, 4) for c in range(4)]]
    return out


def depthwise_separable(problem):
    p = problem.params
    counts = [float(part.answer) for part in problem.parts if part.kind == "number" and part.tolerance == 0]
    key = next(part.key for part in problem.parts if part.kind == "number" and part.tolerance > 0)
    shortcut = r(r(1 / p["c_out"]) + r(1 / p["k"] ** 2))
    return {key: [r(r(sum(counts[1:])) / counts[0]), shortcut]}


# --- the optimizer traces -----------------------------------------------------------------------

class R3(float):
    """A number whose every arithmetic result is written to 3 significant figures."""

    def _w(self, value):
        return R3(r(value))

    def __add__(self, o): return self._w(float(self) + float(o))
    def __radd__(self, o): return self._w(float(o) + float(self))
    def __sub__(self, o): return self._w(float(self) - float(o))
    def __rsub__(self, o): return self._w(float(o) - float(self))
    def __mul__(self, o): return self._w(float(self) * float(o))
    def __rmul__(self, o): return self._w(float(o) * float(self))
    def __truediv__(self, o): return self._w(float(self) / float(o))
    def __rtruediv__(self, o): return self._w(float(o) / float(self))
    def __pow__(self, o): return self._w(float(self) ** float(o))
    def __rpow__(self, o): return self._w(float(o) ** float(self))
    def __neg__(self): return R3(-float(self))
    def __abs__(self): return R3(abs(float(self)))


def _trace(module_name: str, steps_param: str):
    def route(problem):
        import importlib

        from probgen.kit.optim_trace import Ops, run_trace

        module = importlib.import_module(f"probgen.families.{module_name}")
        ops = Ops(num=lambda x: R3(float(x)), sqrt=lambda x: R3(r(math.sqrt(float(x)))))
        p = problem.params
        entries = run_trace(module.rules(p, ops), module.initial_state(p, ops), len(p[steps_param]))
        keys = {part.key for part in problem.parts}
        return {e.key: [e.value[0] if len(e.value) == 1 else list(e.value)] for e in entries if e.key in keys}
    return route


# --- skip-connection --------------------------------------------------------------------------

def _chain(start, factors):
    value = start
    for f in factors:
        value = r(value * f)
    return value


def skip_connection(problem):
    p = problem.params
    up = p["upstream"]
    if p["branch"] == "square":
        slope = r(r(2 * p["a"]) * p["x"])
        out = {"a": [slope]}
    else:
        pre = r(r(p["w1"] * p["x"]) + p["b1"])
        out = {"a": [r(p["x"] + r(p["w2"] * max(pre, 0.0)))]}
        slope = r(p["w2"] * p["w1"]) if pre > 0 else 0.0
    out["b"] = [r(up * slope)]
    out["c"] = [r(up * r(1 + slope))]
    if "blocks" in p:
        derivs = [p["block_derivative"]] * p["blocks"]
    elif "block_derivatives" in p:
        derivs = p["block_derivatives"]
    else:
        return out
    out["d"] = [_chain(up, derivs), r(up * _chain(1.0, derivs))]
    out["e"] = [_chain(up, [r(1 + d) for d in derivs])]
    return out


# --- the graph families: the family's own graph on numbers that round every result ------------

class RoundMath:
    """A math namespace (probgen.kit.scalar_math) whose every result is written to 3 figures."""

    @staticmethod
    def number(k):
        return R3(float(k))

    exp = staticmethod(lambda a: R3(r(math.exp(a))))
    log = staticmethod(lambda a: R3(r(math.log(a))))
    sin = staticmethod(lambda a: R3(r(math.sin(a))))
    cos = staticmethod(lambda a: R3(r(math.cos(a))))
    tanh = staticmethod(lambda a: R3(r(math.tanh(a))))
    sigmoid = staticmethod(lambda a: R3(r(1 / (1 + math.exp(-a)))))
    relu = staticmethod(lambda a: a if a > 0 else R3(0.0))
    step = staticmethod(lambda a: R3(1.0) if a > 0 else R3(0.0))

    def linear(self, weights, inputs, bias):
        return sum((w * a for w, a in zip(weights, inputs)), bias)


def backprop_chain(problem):
    from probgen.kit import graph

    p, m = problem.params, RoundMath()
    nodes = p["nodes"]
    values = graph.forward(m, nodes, {"u": R3(float(p["u"]))})
    local = graph.local_derivatives(m, nodes, values)
    c = graph.path_sum(graph.paths(nodes, "u"), local)
    return {"a": [[values[n["name"]] for n in nodes]], "b": [[local[e] for e in graph.edges(nodes)]], "c": [c]}


def tiny_network(problem):
    from probgen.families import tiny_network as tn

    p, m = problem.params, RoundMath()
    fw = tn.forward(m, p)
    grads = tn.backward(m, p, fw)
    if "W1" in p:
        j, k = p["ask"]
        values = [fw["z1"], fw["h"], fw["yhat"], fw["loss"],
                  grads["w2"][j - 1], grads["b2"], grads["W1"][j - 1][k - 1], grads["b1"][j - 1]]
    else:
        values = [fw["yhat"], fw["loss"]] + grads["w2"] + [grads["b2"]]
    return {key: [v] for key, v in zip("abcdefgh", values)}


ROUTES = {
    "backprop-chain": backprop_chain,
    "tiny-network": tiny_network,
    "skip-connection": skip_connection,
    "sgd-trace": _trace("sgd_trace", "batches"),
    "momentum-trace": _trace("momentum_trace", "grads"),
    "adam-trace": _trace("adam_trace", "grads"),
    "adaptive-trace": _trace("adaptive_trace", "grads"),
    "positional-encoding": positional_encoding,
    "depthwise-separable": depthwise_separable,
    "weight-penalty": weight_penalty,
    "dropout": dropout,
    "normalization": normalization,
    "word-embeddings": word_embeddings,
    "mse-loss": mse_loss,
    "triplet-loss": triplet_loss,
    "lstm-step": lstm_step,
    "rnn-forward": rnn_forward,
    "attention": attention,
    "contrastive-loss": contrastive_loss,
    "diffusion-forward": diffusion_forward,
    "cross-entropy": cross_entropy,
    "gan-losses": gan_losses,
    "vae-elbo": vae_elbo,
}
