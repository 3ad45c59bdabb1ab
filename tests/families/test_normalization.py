"""Normalization: numeric parts against torch.nn.functional (batch_norm with training=True and its
running-mean update, layer_norm, batch_norm in eval mode), shapes against torch reductions and
module parameters, the axes choice against F.batch_norm / layer_norm / instance_norm / group_norm."""

import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from sweep import sweep

# Tiny tensors: thread start-up dominates on a shared machine (100 ms vs 0.4 ms per check).
torch.set_num_threads(1)

FAMILY = "normalization"
SIZES = {"N": 2, "C": 6, "H": 5, "W": 7, "D": 3}  # distinct sizes, so a shape names its axes
LETTER = {v: k for k, v in SIZES.items()}


def roles(params):
    out = ["mean_shape", "affine_shape"]
    if "axes_norm" in params:
        out.append("axes")
    out += ["mean", "var", "output"]
    if "running_mean" in params:
        out.append("running")
    if "x_test" in params:
        out += ["test", "train_test"]
    return out


def letters(shape):
    return [LETTER[s] if s != 1 else "1" for s in shape]


def torch_shapes(inp, norm):
    """μ's shape from a torch reduction over the axes the norm averages, γ's from the nn module."""
    if inp == "fc":
        x = torch.randn(SIZES["N"], SIZES["D"], dtype=torch.float64)
        axes = {"batch": (0,), "layer": (1,)}[norm]
        module = {"batch": torch.nn.BatchNorm1d, "layer": torch.nn.LayerNorm}[norm](SIZES["D"])
        gamma = [1] + list(module.weight.shape)
    else:
        x = torch.randn(*(SIZES[a] for a in "NCHW"), dtype=torch.float64)
        axes = {"batch": (0, 2, 3), "instance": (2, 3)}[norm]
        module = {"batch": torch.nn.BatchNorm2d, "instance": torch.nn.InstanceNorm2d}[norm](SIZES["C"], affine=True)
        gamma = [1] + list(module.weight.shape) + [1, 1]
    return letters(x.mean(dim=axes, keepdim=True).shape), letters(gamma)


def independent(params):
    X = torch.tensor(params["X"], dtype=torch.float64)
    gamma = torch.tensor(params["gamma"], dtype=torch.float64)
    beta = torch.tensor(params["beta"], dtype=torch.float64)
    eps = params["eps"]
    mean_shape, affine_shape = torch_shapes(params["input"], params["norm"])
    out = {"mean_shape": mean_shape, "affine_shape": affine_shape}
    if params["numeric"] == "batch":
        out["mean"] = X.mean(0).numpy()
        out["var"] = X.var(0, unbiased=False).numpy()
        running_mean = torch.tensor(params.get("running_mean", [0.0, 0.0]), dtype=torch.float64)
        running_var = torch.ones(X.shape[1], dtype=torch.float64)
        Y = F.batch_norm(X, running_mean, running_var, gamma, beta, training=True,
                         momentum=params.get("momentum", 0.1), eps=eps)
        out["output"] = Y.numpy()
        out["running"] = running_mean.numpy()  # updated in place by PyTorch
    else:
        out["mean"] = X.mean(1).numpy()
        out["var"] = X.var(1, unbiased=False).numpy()
        out["output"] = F.layer_norm(X, (X.shape[1],), gamma, beta, eps=eps).numpy()
    if "x_test" in params:
        x = torch.tensor([params["x_test"]], dtype=torch.float64)
        rm = torch.tensor(params["test_mean"], dtype=torch.float64)
        rv = torch.tensor(params["test_var"], dtype=torch.float64)
        out["test"] = F.batch_norm(x, rm, rv, gamma, beta, training=False, eps=eps)[0].numpy()
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        layout = roles(problem.params)
        assert [p.key for p in problem.parts] == list("abcdefghi"[: len(layout)])
        for part, role in zip(problem.parts, layout):
            where = f"seed {problem.seed} part {part.key} ({role})"
            if role in ("mean_shape", "affine_shape"):
                assert part.answer == expected[role], where
            elif role in expected:
                np.testing.assert_allclose(np.array(part.answer, dtype=float), expected[role],
                                           rtol=1e-9, atol=1e-12, err_msg=where)


def _axes_of(option_text):
    """The axes an option names, e.g. '$N$, $H$ and $W$ (...)' -> {0, 2, 3}."""
    named = re.findall(r"\$([NCHW])\$", option_text.split("(")[0])
    return tuple(sorted("NCHW".index(a) for a in named))


def test_axes_choice_matches_what_torch_normalizes_over():
    """Normalize a random tensor by hand over the chosen option's axes and compare with torch."""
    torch.manual_seed(0)
    n, c, h, w = 3, 8, 4, 5
    x = torch.randn(n, c, h, w, dtype=torch.float64)
    checked = set()
    for _, problem in sweep(FAMILY, difficulties=["medium", "hard"]):
        norm = problem.params["axes_norm"]
        part = problem.part("c")
        text = part.choices[part.answer]
        if norm == "group":
            g = problem.params["groups"]
            xg = x.reshape(n, g, c // g, h, w)
            mu = xg.mean(dim=(2, 3, 4), keepdim=True)
            var = xg.var(dim=(2, 3, 4), unbiased=False, keepdim=True)
            manual = ((xg - mu) / torch.sqrt(var + 1e-5)).reshape(n, c, h, w)
            reference = F.group_norm(x, g, eps=1e-5)
            assert "group" in text
        else:
            axes = _axes_of(text)
            mu = x.mean(dim=axes, keepdim=True)
            var = x.var(dim=axes, unbiased=False, keepdim=True)
            manual = (x - mu) / torch.sqrt(var + 1e-5)
            reference = {
                "batch": lambda: F.batch_norm(x, None, None, training=True, eps=1e-5),
                "layer": lambda: F.layer_norm(x, (c, h, w), eps=1e-5),
                "instance": lambda: F.instance_norm(x, eps=1e-5),
            }[norm]()
        torch.testing.assert_close(manual, reference, rtol=1e-9, atol=1e-9)
        checked.add(norm)
    assert checked == {"batch", "layer", "instance", "group"}


def test_train_test_choice():
    """Only batch norm changes between train and eval mode: check with torch modules."""
    torch.manual_seed(1)
    x = torch.randn(4, 6, 3, 3)
    changes = {}
    for name, module in {"batch": torch.nn.BatchNorm2d(6), "layer": torch.nn.LayerNorm((6, 3, 3)),
                         "instance": torch.nn.InstanceNorm2d(6), "group": torch.nn.GroupNorm(3, 6)}.items():
        train_out = module.train()(x)
        eval_out = module.eval()(x)
        changes[name] = not torch.allclose(train_out, eval_out)
    assert changes == {"batch": True, "layer": False, "instance": False, "group": False}
    for _, problem in sweep(FAMILY, difficulties=["hard"]):
        part = problem.part("i")
        text = part.choices[part.answer]
        same = {n for n in changes if n in text and not changes[n]}
        assert same == {n for n, c in changes.items() if not c} and "not batch" in text


def mistake_values(params):
    X = np.array(params["X"], dtype=float)
    g, b, eps = np.array(params["gamma"]), np.array(params["beta"]), params["eps"]
    axis = 0 if params["numeric"] == "batch" else 1
    other = 1 - axis

    def norm(ax, ddof=0, e=eps, affine=True):
        mu = X.mean(axis=ax, keepdims=True)
        xhat = (X - mu) / np.sqrt(X.var(axis=ax, ddof=ddof, keepdims=True) + e)
        return g * xhat + b if affine else xhat

    var = X.var(axis=axis)
    n = X.shape[axis]
    # batch norm averages over the N examples, layer norm over the D features
    unbiased = "unbiased variance (divided by N − 1)" if params["numeric"] == "batch" else "unbiased variance (divided by D − 1)"
    if params["numeric"] == "batch":
        averaged_wrong = "averaged each example (row) instead of each feature (column): that is layer norm"
        normalized_wrong = "normalized each example (row) instead of each feature (column): that is layer norm"
    else:
        averaged_wrong = "averaged each feature (column) instead of each example (row): that is batch norm"
        normalized_wrong = "normalized each feature (column) instead of each example (row): that is batch norm"
    values = {
        "mean": {averaged_wrong: X.mean(axis=other)},
        "var": {unbiased: X.var(axis=axis, ddof=1),
                averaged_wrong: X.var(axis=other),
                "gave the standard deviation, not the variance": np.sqrt(var)},
        "output": {unbiased: norm(axis, ddof=1),
                   normalized_wrong: norm(other),
                   "forgot ε": norm(axis, e=0.0),
                   "forgot γ and β (stopped at x̂)": norm(axis, affine=False)},
    }
    assert n == 4
    if "running_mean" in params:
        m, old, mu = params["momentum"], np.array(params["running_mean"]), X.mean(axis=0)
        values["running"] = {
            "swapped the weights: momentum·running + (1 − momentum)·batch (Keras's convention)": m * old + (1 - m) * mu,
            "replaced the running mean by the batch mean": mu,
        }
    if "x_test" in params:
        x, rm, rv = np.array(params["x_test"]), np.array(params["test_mean"]), np.array(params["test_var"])
        values["test"] = {
            "used the current batch's statistics at test time": g * (x - X.mean(0)) / np.sqrt(X.var(0) + eps) + b,
            "forgot ε": g * (x - rm) / np.sqrt(rv) + b,
            "forgot γ and β (stopped at x̂)": (x - rm) / np.sqrt(rv + eps),
        }
    return values


def test_misconceptions_independent_values():
    seen = set()
    for difficulty, problem in sweep(FAMILY):
        values = mistake_values(problem.params)
        for part, role in zip(problem.parts, roles(problem.params)):
            if role not in values:
                continue
            for m in part.misconceptions:
                np.testing.assert_allclose(np.array(m.value, dtype=float), values[role][m.name], rtol=1e-9, atol=1e-12,
                                           err_msg=f"{difficulty} seed {problem.seed} {role}: {m.name}")
                seen.add((role, m.name))
    for role, name in [("var", "unbiased variance (divided by N − 1)"), ("var", "unbiased variance (divided by D − 1)"),
                       ("output", "unbiased variance (divided by N − 1)"), ("output", "unbiased variance (divided by D − 1)"),
                       ("output", "forgot ε"),
                       ("output", "normalized each example (row) instead of each feature (column): that is layer norm"),
                       ("output", "normalized each feature (column) instead of each example (row): that is batch norm"),
                       ("output", "forgot γ and β (stopped at x̂)"), ("test", "used the current batch's statistics at test time")]:
        assert (role, name) in seen


def test_shape_misconceptions_name_other_norms():
    for _, problem in sweep(FAMILY, difficulties=["medium"]):
        params = problem.params
        names = {m.name: m.value for m in problem.part("a").misconceptions}
        for (inp, norm) in [("fc", "batch"), ("fc", "layer"), ("conv", "batch"), ("conv", "instance")]:
            if inp == params["input"] and norm != params["norm"]:
                label = next(n for n in names if n.startswith(f"gave {norm} normalization's shape"))
                assert names[label] == torch_shapes(inp, norm)[0]


def test_numbers_are_hand_workable():
    for difficulty, problem in sweep(FAMILY):
        params = problem.params
        X = np.array(params["X"], dtype=float)
        axis = 0 if params["numeric"] == "batch" else 1
        eps = params["eps"]
        roots = np.sqrt(X.var(axis=axis) + eps)
        assert np.all(roots * 2 == np.round(roots * 2)), "√(σ² + ε) is a multiple of 0.5"
        assert np.all(X * 2 == np.round(X * 2)) and np.abs(X).max() <= 8
        assert len({tuple(sorted(v - v.mean())) for v in (X.T if axis == 0 else X)}) == X.shape[1 - axis], \
            "each column (row) has its own pattern"
        assert eps in (0.25, 0.5, 0.75, 1.0)
        if "running_mean" in params:
            assert np.all(np.array(params["running_mean"]) != X.mean(axis=0)), "the running mean moves"
        if "x_test" in params:
            rv = np.array(params["test_var"])
            assert np.all(rv > 0)
            r = np.sqrt(rv + eps)
            assert np.all(r * 2 == np.round(r * 2))


def test_follow_on_uses_students_mean_and_variance():
    from probgen.core.registry import get_family

    for difficulty, problem in sweep(FAMILY):
        params = problem.params
        layout = roles(params)
        key = {role: part.key for role, part in zip(layout, problem.parts)}
        X = np.array(params["X"], dtype=float)
        axis = 0 if params["numeric"] == "batch" else 1
        mu = np.array(problem.part(key["mean"]).answer) + 0.5  # a student's wrong means
        follow = get_family(FAMILY).follow_on(params, {key["mean"]: mu.tolist()})
        shaped_mu = mu[None, :] if axis == 0 else mu[:, None]
        var = ((X - shaped_mu) ** 2).mean(axis=axis)
        np.testing.assert_allclose(follow[key["var"]], var, rtol=1e-12)
        shaped_var = var[None, :] if axis == 0 else var[:, None]
        expected = np.array(params["gamma"]) * (X - shaped_mu) / np.sqrt(shaped_var + params["eps"]) + np.array(params["beta"])
        np.testing.assert_allclose(follow[key["output"]], expected, rtol=1e-12)
        if "running" in key:
            m = params["momentum"]
            np.testing.assert_allclose(follow[key["running"]], (1 - m) * np.array(params["running_mean"]) + m * mu, rtol=1e-12)
        # the reference values carry forward to the reference answers
        back = get_family(FAMILY).follow_on(params, {key["mean"]: problem.part(key["mean"]).answer,
                                                     key["var"]: problem.part(key["var"]).answer})
        np.testing.assert_allclose(back[key["output"]], problem.part(key["output"]).answer, rtol=1e-12)


def test_axes_mistakes_name_the_norm_whose_axes_were_chosen():
    """Each wrong option of the axes question is another norm's axes, and its name says which:
    the option's axes are the ones that norm's torch function reduces over."""
    torch.manual_seed(2)
    x = torch.randn(3, 4, 2, 5, dtype=torch.float64)
    reference = {"batch": F.batch_norm(x, None, None, training=True, eps=1e-5),
                 "layer": F.layer_norm(x, (4, 2, 5), eps=1e-5), "instance": F.instance_norm(x, eps=1e-5)}
    checked = 0
    for _, problem in sweep(FAMILY, difficulties=["medium"]):
        part = problem.part("c")
        for m in part.misconceptions:
            named = re.match(r"gave (batch|layer|instance) norm's axes", m.name).group(1)
            axes = _axes_of(part.choices[m.value])
            mu = x.mean(dim=axes, keepdim=True)
            manual = (x - mu) / torch.sqrt(x.var(dim=axes, unbiased=False, keepdim=True) + 1e-5)
            torch.testing.assert_close(manual, reference[named], rtol=1e-9, atol=1e-9)
            assert named != problem.params["axes_norm"], m.name
            checked += 1
    assert checked > 0


def test_not_degenerate_no_repeated_variance_and_y_is_not_x():
    """TA re-rating: γ₁ = σ₁ and β₁ = μ₁ made column 1 of Y equal column 1 of X, and both columns
    had σ² = 5.25. Every instance: the normalized vectors' variances differ and no column of
    Y (torch's forward pass) equals that column of X."""
    for difficulty, problem in sweep(FAMILY):
        params = problem.params
        X = np.array(params["X"], dtype=float)
        ref = independent(params)
        assert len(set(np.round(ref["var"], 9))) == len(ref["var"]), (difficulty, problem.seed, ref["var"])
        Y = ref["output"]
        for j in range(X.shape[1]):
            assert not np.allclose(Y[:, j], X[:, j]), (difficulty, problem.seed, j)


def _vector(latex):
    """[a, b, ...] from the worked solution's \\left[a,\\ b\\right] (numbers only)."""
    inner = latex.replace(r"\left[", "").replace(r"\right]", "").replace(r"\ ", "")
    return [float(v) for v in inner.split(",")]


def test_variance_worked_solution_shows_squared_deviations():
    """TA re-rating: σ² was given without the squared deviations. Each normalized vector's line
    holds x − μ, the squares and their mean, all as NumPy computes them from X."""
    line = re.compile(r"(column|row) (\d): \$x - \\mu_\{\d\} = (.+?)\$, squared \$(.+?)\$, "
                      r"so \$\\sigma\^2_\{\d\} = \((.+?)\)/(\d) = (-?[\d.]+)\$")
    for _, problem in sweep(FAMILY):
        p = problem.params
        X = np.array(p["X"], dtype=float)
        vectors = X.T if p["numeric"] == "batch" else X
        var_key = "abcdefghi"[roles(p).index("var")]
        text = " ".join(s.text for s in problem.steps if s.part == var_key)
        found = line.findall(text)
        assert len(found) == len(vectors), (problem.seed, text)
        for (kind, j, devs, squares, terms, count, var), v in zip(found, vectors):
            assert kind == ("column" if p["numeric"] == "batch" else "row")
            dev = v - v.mean()
            np.testing.assert_allclose(_vector(devs), dev)
            np.testing.assert_allclose(_vector(squares), dev ** 2)
            np.testing.assert_allclose([float(t) for t in terms.split(" + ")], dev ** 2)
            assert int(count) == len(v) and float(var) == pytest.approx(np.var(v))
