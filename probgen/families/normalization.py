"""Batch vs layer (and instance, group) normalization: the shapes of μ, σ² and γ, β, the axes each
norm averages over, a numeric forward pass with the deck's biased variance, and train vs test:
the running mean (PyTorch's rule) and the test-time output from running statistics."""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import combinations_with_replacement

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import choice_part, exact, laid_out, matrix_part, shape_part, vector_part

# ε is shown larger than the usual 1e-5 so that it matters by hand; each column's σ² + ε is a
# perfect square (by construction), so √(σ² + ε) is 1, 1.5, 2, 2.5 or 3.
EPSILONS = (0.25, 0.5, 0.75, 1.0)
ROOTS = (1.0, 1.5, 2.0, 2.5, 3.0)
GAMMAS = (0.5, 1.5, 2.0, 2.5, 3.0)
MOMENTA = (0.1, 0.2, 0.25)
GROUPS = (2, 4, 8)
MAX_DRAWS = 50  # of X, γ and β, until no vector repeats a variance and no column of Y is X's

# (input, norm) for the shape questions; layer norm on conv inputs is left out because its γ, β
# shape differs between libraries (C×H×W in nn.LayerNorm, C in GroupNorm(1, C)).
SHAPE_SETUPS = (("fc", "batch"), ("fc", "layer"), ("conv", "batch"), ("conv", "instance"))
MEAN_SHAPES = {
    ("fc", "batch"): ["1", "D"], ("fc", "layer"): ["N", "1"],
    ("conv", "batch"): ["1", "C", "1", "1"], ("conv", "instance"): ["N", "C", "1", "1"],
}
AFFINE_SHAPES = {"fc": ["1", "D"], "conv": ["1", "C", "1", "1"]}
INPUT_SHAPES = {"fc": ["N", "D"], "conv": ["N", "C", "H", "W"]}
NORM_NAMES = {"batch": "batch normalization", "layer": "layer normalization",
              "instance": "instance normalization", "group": "group normalization"}

AXES_CHOICES = {
    "a": "$N$, $H$ and $W$ (one mean per channel)",
    "b": "$C$, $H$ and $W$ (one mean per example)",
    "c": "$H$ and $W$ only (one mean per example and channel)",
    "d": "$H$, $W$ and the $C/G$ channels of one group (one mean per example and group)",
    "e": "$N$ only (one mean per channel and position)",
}
AXES_ANSWER = {"batch": "a", "layer": "b", "instance": "c", "group": "d"}
AXES_MISTAKES = {  # each wrong option is another norm's axes: the name says which
    "batch": {"gave layer norm's axes (C, H, W) for batch norm": "b",
              "gave instance norm's axes (H, W only) for batch norm: batch norm also averages over N": "c"},
    "layer": {"gave batch norm's axes (N, H, W) for layer norm": "a",
              "gave instance norm's axes (H, W only) for layer norm: layer norm also averages over C": "c"},
    "instance": {"gave batch norm's axes (N, H, W) for instance norm": "a",
                 "gave layer norm's axes (C, H, W) for instance norm": "b"},
    "group": {"gave layer norm's axes (C, H, W): that is group norm with G = 1 only": "b",
              "gave instance norm's axes (H, W only): that is group norm with G = C only": "c"},
}

TRAIN_TEST_OPTIONS = {  # laid out under letters in an order drawn per instance
    "batch": "batch normalization only",
    "others": "layer, instance and group normalization, but not batch normalization",
    "all": "all four",
    "none": "none of them",
}


@lru_cache(maxsize=None)
def deviation_patterns(n: int) -> dict:
    """ε -> sorted deviation multisets (multiples of 0.5 in [-4, 4], summing to 0) whose biased
    variance plus ε is a perfect square in ROOTS; listed once, in a fixed order."""
    halves = [k / 2 for k in range(-8, 9)]
    table = {eps: [] for eps in EPSILONS}
    for devs in combinations_with_replacement(halves, n):
        if sum(devs) != 0 or len(set(devs)) < 2:
            continue
        var = sum(d * d for d in devs) / n
        for eps in EPSILONS:
            if math.sqrt(var + eps) in ROOTS:
                table[eps].append(devs)
    return table


def _draw_rows(draw, count, length, eps):
    """`count` vectors of `length` numbers: distinct deviation patterns, shuffled, plus integer means."""
    rows = []
    for pattern in draw.sample(deviation_patterns(length)[eps], count):
        devs = list(pattern)
        draw.shuffle(devs)
        mean = draw.integer(-2, 4)
        rows.append([mean + d for d in devs])
    return rows


def _stats(vectors):
    """Biased mean and variance of each vector (exact)."""
    out = []
    for v in vectors:
        v = [exact(x) for x in v]
        mu = sum(v, sp.Integer(0)) / len(v)
        out.append((mu, sum(((x - mu) ** 2 for x in v), sp.Integer(0)) / len(v)))
    return out


def _normalize(X, axis, gamma, beta, eps, *, ddof=0, use_eps=True, affine=True):
    """y = γ (x − μ)/√(σ² + ε) + β over rows (axis=1, layer norm) or columns (axis=0, batch norm), as
    floats: used for the misconception values only."""
    n_rows, n_cols = len(X), len(X[0])
    groups = [list(r) for r in X] if axis == 1 else [[X[i][j] for i in range(n_rows)] for j in range(n_cols)]
    out = [[0.0] * n_cols for _ in range(n_rows)]
    for g, vals in enumerate(groups):
        mu = sum(vals) / len(vals)
        var = sum((x - mu) ** 2 for x in vals) / (len(vals) - ddof)
        denom = math.sqrt(var + (eps if use_eps else 0.0))
        for t, x in enumerate(vals):
            i, j = (g, t) if axis == 1 else (t, g)
            xhat = (x - mu) / denom
            out[i][j] = gamma[j] * xhat + beta[j] if affine else xhat
    return out


def _rounding_ranges(vectors, mu, params, batch) -> tuple[list, list]:
    """(variance, Y): every value a student reaches who rounds each step to 3 significant
    figures (kit/rounding.py): the mean, each deviation and its square (12.25 written 12.2), the
    sum, the variance, √(σ² + ε), each x̂ and γ x̂, and γ x̂ + β, which may cancel
    (0.5·(−1.41) + 0.5 = −0.205 for −0.2)."""
    from ..kit.rounding import Rounded

    n, d = len(params["X"]), len(params["X"][0])
    var, Y = [], [[None] * d for _ in range(n)]
    for g, (values, m) in enumerate(zip(vectors, mu)):
        mean = Rounded(float(m)) + 0
        devs = [Rounded(float(x)) - mean for x in values]
        v = sum((e ** 2 for e in devs), Rounded(0.0)) / len(values)
        var.append(v.bounds())
        root = (v + float(params["eps"])).sqrt()
        for t, e in enumerate(devs):
            i, j = (t, g) if batch else (g, t)
            Y[i][j] = ((e / root) * float(params["gamma"][j]) + float(params["beta"][j])).bounds()
    return var, Y


def _degenerate(params) -> bool:
    """The normalized vectors share one variance, or some column of Y equals that column of X."""
    X, batch = params["X"], params["numeric"] == "batch"
    vectors = [[row[j] for row in X] for j in range(len(X[0]))] if batch else X
    variances = [float(v) for _, v in _stats(vectors)]
    if len(set(variances)) < len(variances):
        return True
    Y = _normalize(X, 0 if batch else 1, params["gamma"], params["beta"], params["eps"])
    return any(all(abs(Y[i][j] - X[i][j]) < 1e-9 for i in range(len(X))) for j in range(len(X[0])))


@family
class Normalization(Family):
    id = "normalization"
    section = "fundamentals"
    topic = "normalization"
    title = "Batch, layer, instance and group normalization"

    def generate(self, draw, difficulty, convention):
        if difficulty == "easy":
            setup = ("fc", draw.choice(("batch", "layer")))
            numeric = setup[1]
        else:
            setup = draw.choice(SHAPE_SETUPS)
            numeric = "batch"
        # Drawn again (TA re-rating): two vectors with the same variance, or a column of Y that
        # equals X's (γ_j = σ_j and β_j = μ_j: the normalization undoes itself).
        for _ in range(MAX_DRAWS):
            eps = draw.choice(EPSILONS)
            if numeric == "batch":  # 4 examples × 2 features; each column a pattern
                columns = _draw_rows(draw, 2, 4, eps)
                X = [[columns[j][i] for j in range(2)] for i in range(4)]
            else:  # 2 examples × 4 features; each row a pattern
                X = _draw_rows(draw, 2, 4, eps)
            d = len(X[0])
            params = {
                "input": setup[0], "norm": setup[1], "numeric": numeric, "X": X, "eps": eps,
                "gamma": [draw.choice(GAMMAS) for _ in range(d)],
                "beta": [draw.decimal(-2, 2, 0.5) for _ in range(d)],
            }
            if not _degenerate(params):
                break
        if difficulty != "easy":
            params["axes_norm"] = draw.choice(("batch", "layer", "instance", "group"))
            if params["axes_norm"] == "group":
                params["groups"] = draw.choice(GROUPS)
            params["momentum"] = draw.choice(MOMENTA)
            means = [sum(X[i][j] for i in range(len(X))) / len(X) for j in range(d)]
            # Running means that differ from this batch's, so the update moves them.
            params["running_mean"] = [draw.choice([v / 2 for v in range(-4, 5) if v / 2 != m]) for m in means]
        if difficulty == "hard":
            roots = [draw.choice([r for r in ROOTS if r * r > eps]) for _ in range(d)]
            test_mean = [draw.decimal(-2, 3, 0.5) for _ in range(d)]
            params["test_mean"] = test_mean
            params["test_var"] = [r * r - eps for r in roots]
            # The test input sits a half-integer number of running standard deviations from the mean.
            params["x_test"] = [m + r * draw.choice((-3, -2, -1, 1, 2, 3)) / 2 for m, r in zip(test_mean, roots)]
            order = list(TRAIN_TEST_OPTIONS)
            draw.shuffle(order)
            params["train_test_order"] = order
        return params

    def solve(self, params):
        X = params["X"]
        n, d = len(X), len(X[0])
        eps = exact(params["eps"])
        gamma = [exact(g) for g in params["gamma"]]
        beta = [exact(b) for b in params["beta"]]
        batch = params["numeric"] == "batch"
        vectors = [[X[i][j] for i in range(n)] for j in range(d)] if batch else X
        other = X if batch else [[X[i][j] for i in range(n)] for j in range(d)]
        stats = _stats(vectors)
        other_stats = _stats(other)
        mu = [m for m, _ in stats]
        var = [v for _, v in stats]
        count = len(vectors[0])
        Y = [[None] * d for _ in range(n)]
        Xhat = [[None] * d for _ in range(n)]
        for g, (m, v) in enumerate(stats):
            root = sp.sqrt(v + eps)
            for t in range(count):
                i, j = (t, g) if batch else (g, t)
                Xhat[i][j] = (exact(X[i][j]) - m) / root
                Y[i][j] = gamma[j] * Xhat[i][j] + beta[j]

        setup = (params["input"], params["norm"])
        mean_shape = MEAN_SHAPES[setup]
        x_shape = INPUT_SHAPES[params["input"]]
        shape_mistakes = {"kept the shape of x (no axis reduced)": x_shape}
        for (inp, norm), shape in MEAN_SHAPES.items():
            if inp == params["input"] and norm != params["norm"]:
                shape_mistakes[f"gave {NORM_NAMES[norm]}'s shape (normalized over the wrong axes)"] = shape
        affine_wrong = {"fc": {"one γ per example (N×1)": ["N", "1"], "kept the shape of x": ["N", "D"]},
                        "conv": {"one γ per example and channel (N×C×1×1)": ["N", "C", "1", "1"],
                                 "one γ per channel and position (1×C×H×W)": ["1", "C", "H", "W"]}}

        gf, bf, ef = params["gamma"], params["beta"], params["eps"]
        axis, wrong_axis = (0, 1) if batch else (1, 0)
        parts = [
            shape_part("a", mean_shape, 1, mistakes=shape_mistakes),
            shape_part("b", AFFINE_SHAPES[params["input"]], 1, mistakes=affine_wrong[params["input"]]),
        ]
        key_of = {}
        keys = iter("cdefghi")

        def next_key(role):
            key_of[role] = next(keys)
            return key_of[role]

        if "axes_norm" in params:
            norm = params["axes_norm"]
            parts.append(choice_part(next_key("axes"), AXES_ANSWER[norm], AXES_CHOICES, 1,
                                     mistakes=AXES_MISTAKES[norm]))
        wrong_var = [float(v) for _, v in other_stats]
        # The other numeric norm's statistics: layer norm's per row for batch norm, and back.
        averaged_wrong = ("averaged each example (row) instead of each feature (column): that is layer norm" if batch
                          else "averaged each feature (column) instead of each example (row): that is batch norm")
        normalized_wrong = ("normalized each example (row) instead of each feature (column): that is layer norm" if batch
                            else "normalized each feature (column) instead of each example (row): that is batch norm")
        # the count averaged over: N examples for batch norm, D features for layer norm
        unbiased = "unbiased variance (divided by N − 1)" if batch else "unbiased variance (divided by D − 1)"
        parts += [
            vector_part(next_key("mean"), mu, 1, mistakes={
                averaged_wrong: [m for m, _ in other_stats],
            }),
            vector_part(next_key("var"), var, 2, depends_on=[key_of["mean"]], mistakes={
                unbiased: [v * count / (count - 1) for v in var],
                averaged_wrong: wrong_var,
                "gave the standard deviation, not the variance": [math.sqrt(float(v)) for v in var],
            }),
            matrix_part(next_key("output"), Y, 3, depends_on=[key_of["mean"], key_of["var"]], mistakes={
                unbiased: _normalize(X, axis, gf, bf, ef, ddof=1),
                normalized_wrong: _normalize(X, wrong_axis, gf, bf, ef),
                "forgot ε": _normalize(X, axis, gf, bf, ef, use_eps=False),
                "forgot γ and β (stopped at x̂)": _normalize(X, axis, gf, bf, ef, affine=False),
            }),
        ]
        parts[-2].accepted, parts[-1].accepted = _rounding_ranges(vectors, mu, params, batch)
        devs = [[exact(x) - m for x in v] for v, m in zip(vectors, mu)]
        work = {"mu": mu, "var": var, "root": [sp.sqrt(v + eps) for v in var], "xhat": Xhat, "Y": Y,
                "count": count, "key_of": key_of, "devs": devs, "squares": [[e * e for e in v] for v in devs]}

        if "running_mean" in params:
            mom = exact(params["momentum"])
            old = [exact(r) for r in params["running_mean"]]
            new = [(1 - mom) * r + mom * m for r, m in zip(old, mu)]
            parts.append(vector_part(next_key("running"), new, 2, depends_on=[key_of["mean"]], mistakes={
                "swapped the weights: momentum·running + (1 − momentum)·batch (Keras's convention)":
                    [mom * r + (1 - mom) * m for r, m in zip(old, mu)],
                "replaced the running mean by the batch mean": mu,
            }))
            work["running"] = new
        if "x_test" in params:
            xt = [exact(v) for v in params["x_test"]]
            rm = [exact(v) for v in params["test_mean"]]
            rv = [exact(v) for v in params["test_var"]]
            roots = [sp.sqrt(v + eps) for v in rv]
            xhat_t = [(x - m) / r for x, m, r in zip(xt, rm, roots)]
            y_t = [g * h + b for g, h, b in zip(gamma, xhat_t, beta)]
            xf, rmf, rvf = params["x_test"], params["test_mean"], params["test_var"]
            parts.append(vector_part(next_key("test"), y_t, 2, mistakes={
                "used the current batch's statistics at test time": [
                    g * (x - float(m)) / math.sqrt(float(v) + ef) + b for g, x, m, v, b in zip(gf, xf, mu, var, bf)],
                "forgot ε": [g * (x - m) / math.sqrt(v) + b for g, x, m, v, b in zip(gf, xf, rmf, rvf, bf)],
                "forgot γ and β (stopped at x̂)": xhat_t,
            }))
            choices, letter = laid_out(TRAIN_TEST_OPTIONS, params.get("train_test_order", list(TRAIN_TEST_OPTIONS)))
            parts.append(choice_part(next_key("train_test"), letter["others"], choices, 1, mistakes={
                "picked batch norm, the one norm that does change between training and test (the others do not)":
                    letter["batch"],
                "forgot that batch norm switches to running averages at test time": letter["all"],
            }))
            work.update(test_root=roots, test_xhat=xhat_t)
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """σ², Y and the running mean from the student's own μ (and σ²)."""
        X, eps = params["X"], params["eps"]
        batch = params["numeric"] == "batch"
        groups = [[row[j] for row in X] for j in range(len(X[0]))] if batch else [list(r) for r in X]
        mean_key = "d" if "axes_norm" in params else "c"
        var_key, out_key, run_key = (chr(ord(mean_key) + i) for i in (1, 2, 3))

        def student(key):
            value = given.get(key)
            return value if isinstance(value, list) and len(value) == len(groups) else None

        mu = student(mean_key)
        var = student(var_key)
        if mu is None and var is None:
            return {}
        out = {}
        if mu is None:
            mu = [sum(g) / len(g) for g in groups]
        else:
            out[var_key] = [sum((x - m) ** 2 for x in g) / len(g) for g, m in zip(groups, mu)]
            if "running_mean" in params:
                mom = params["momentum"]
                out[run_key] = [(1 - mom) * r + mom * m for r, m in zip(params["running_mean"], mu)]
        if var is None:
            var = out.get(var_key) or [sum((x - m) ** 2 for x in g) / len(g) for g, m in zip(groups, mu)]
        if any(v + eps <= 0 for v in var):
            return out
        Y = [[0.0] * len(X[0]) for _ in X]
        for g, (vals, m, v) in enumerate(zip(groups, mu, var)):
            for t, x in enumerate(vals):
                i, j = (t, g) if batch else (g, t)
                Y[i][j] = params["gamma"][j] * (x - m) / math.sqrt(v + eps) + params["beta"][j]
        out[out_key] = Y
        return out
