"""Tiny network: every part against PyTorch autograd and finite differences.

The network is rebuilt here from its params in NumPy and in torch (float64), from the
documented formulas (docs/families/tiny-network.md); nothing is shared with the solver.
"""

import math

import numpy as np
import pytest
import torch

from sweep import sweep

FAMILY = "tiny-network"
H = 1e-6


def act_np(name, z):
    z = np.asarray(z, dtype=float)
    return {"relu": np.maximum(z, 0.0), "sigmoid": 1 / (1 + np.exp(-z)), "tanh": np.tanh(z), "identity": z}[name]


def act_torch(name, z):
    return {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "identity": lambda t: t}[name](z)


def np_forward(p, theta=None):
    """Forward pass from params (theta: optional overrides of W1, b1, w2, b2)."""
    theta = theta or {}
    x = np.array(p["x"], dtype=float)
    if "W1" in p:
        W1 = np.array(theta.get("W1", p["W1"]), dtype=float)
        b1 = np.array(theta.get("b1", p["b1"]), dtype=float)
        z1 = W1 @ x + b1
        h = act_np(p["hidden"], z1)
    else:
        z1 = None
        h = x
    z2 = float(np.dot(np.array(theta.get("w2", p["w2"]), dtype=float), h) + theta.get("b2", p["b2"]))
    yhat = float(act_np(p["output"], z2))
    y = p["y"]
    if p["loss"] == "mse":
        loss = (yhat - y) ** 2
    else:
        loss = -(y * math.log(yhat) + (1 - y) * math.log(1 - yhat))
    return {"z1": z1, "h": h, "z2": z2, "yhat": yhat, "loss": loss}


def torch_pass(p):
    """Forward values and every parameter gradient by autograd."""
    t = lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True)  # noqa: E731
    x = torch.tensor(p["x"], dtype=torch.float64)
    params = {"w2": t(p["w2"]), "b2": t(float(p["b2"]))}
    if "W1" in p:
        params["W1"], params["b1"] = t(p["W1"]), t(p["b1"])
        h = act_torch(p["hidden"], params["W1"] @ x + params["b1"])
    else:
        h = x
    yhat = act_torch(p["output"], params["w2"] @ h + params["b2"])
    y = torch.tensor(float(p["y"]), dtype=torch.float64)
    if p["loss"] == "mse":
        loss = (yhat - y) ** 2
    else:
        loss = torch.nn.functional.binary_cross_entropy(yhat, y)
    loss.backward()
    return float(yhat.detach()), float(loss.detach()), {k: v.grad.numpy() for k, v in params.items()}


def fd_grad(p, name, index):
    """Central difference of the loss w.r.t. one parameter entry."""
    def at(delta):
        value = np.array(p[name], dtype=float)
        if value.ndim == 0:
            value = float(value) + delta
        else:
            value[index] += delta
        return np_forward(p, {name: value})["loss"]
    return (at(H) - at(-H)) / (2 * H)


def asked(p):
    """(part key, param name, index) of each gradient part, in order."""
    if "W1" in p:
        j, k = p["ask"]
        return [("e", "w2", (j - 1,)), ("f", "b2", ()), ("g", "W1", (j - 1, k - 1)), ("h", "b1", (j - 1,))]
    return [("c", "w2", (0,)), ("d", "w2", (1,)), ("e", "b2", ())]


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch_and_finite_differences(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        p, where = problem.params, f"seed {problem.seed}"
        fw = np_forward(p)
        yhat, loss, grads = torch_pass(p)
        if "W1" in p:
            np.testing.assert_allclose(problem.part("a").answer, fw["z1"], rtol=1e-12, atol=1e-12, err_msg=where)
            np.testing.assert_allclose(problem.part("b").answer, fw["h"], rtol=1e-12, err_msg=where)
            forward_keys = ("c", "d")
        else:
            forward_keys = ("a", "b")
        assert math.isclose(problem.part(forward_keys[0]).answer, yhat, rel_tol=1e-12), where
        assert math.isclose(problem.part(forward_keys[0]).answer, fw["yhat"], rel_tol=1e-12), where
        assert math.isclose(problem.part(forward_keys[1]).answer, loss, rel_tol=1e-12), where
        assert math.isclose(problem.part(forward_keys[1]).answer, fw["loss"], rel_tol=1e-12), where
        for key, name, index in asked(p):
            got = problem.part(key).answer
            assert math.isclose(got, float(grads[name][index]), rel_tol=1e-10, abs_tol=1e-14), (where, key)
            assert math.isclose(got, fd_grad(p, name, index), rel_tol=1e-6, abs_tol=1e-8), (where, key)
        assert [part.key for part in problem.parts] == list("abcdefgh" if "W1" in p else "abcde")


def test_instances_are_hand_workable_and_not_degenerate():
    for difficulty, problem in sweep(FAMILY):
        p, where = problem.params, (difficulty, problem.seed)
        fw = np_forward(p)
        numbers = list(p["x"]) + list(p["w2"]) + [p["b2"], p["y"]] + sum(p.get("W1", []), []) + list(p.get("b1", []))
        assert all(float(2 * v).is_integer() and abs(v) <= 2.5 for v in numbers), where  # the 0.5 grid
        assert abs(fw["yhat"] - p["y"]) >= 0.2, where
        for key, _, _ in asked(p):
            assert 0.01 <= abs(problem.part(key).answer) <= 60, (where, key)
        if "W1" in p:
            assert np.all(np.abs(fw["z1"]) >= 0.25), where  # never at a ReLU kink
            assert len(set(np.round(fw["z1"], 9))) == len(fw["z1"]), where  # no two units alike
            assert 1 <= p["ask"][0] <= len(p["W1"]) and 1 <= p["ask"][1] <= len(p["x"]), where
        if p["output"] == "relu":
            assert fw["z2"] > 0, where
        if p["loss"] == "bce":
            assert p["y"] in (0, 1) and p["output"] == "sigmoid", where
        if difficulty == "easy":
            assert "W1" not in p and len(p["x"]) == 2 and p["loss"] == "mse", where
        elif difficulty == "medium":
            assert len(p["W1"]) == 2 and p["hidden"] == "relu" and p["output"] == "identity", where
        else:
            assert len(p["W1"]) in (2, 3) and len(p["x"]) == 2, where


def test_relu_networks_have_one_inactive_unit():
    """A ReLU layer where every unit is active makes h = z⁽¹⁾ (part b repeats part a; TA
    re-rating, exam seed 11 problem 1): every ReLU network has exactly one inactive unit, never
    the asked one (its gradients would all be 0). Over 1,000 seeds (before: about half)."""
    from probgen.core.registry import get_family
    from probgen.core.rng import Draw

    fam = get_family(FAMILY)
    for difficulty in ("medium", "hard"):
        relu_nets = with_inactive = 0
        for seed in range(1000):
            p = fam.generate(Draw("probgen", fam.id, fam.version, seed, difficulty, None), difficulty, None)
            if p["hidden"] != "relu":
                continue
            relu_nets += 1
            z1 = np_forward(p)["z1"]
            inactive = [j for j, z in enumerate(z1, start=1) if z < 0]
            assert len(inactive) <= 1 and p["ask"][0] not in inactive, (difficulty, seed, z1)
            with_inactive += bool(inactive)
        assert relu_nets > 100 and with_inactive == relu_nets, (difficulty, with_inactive, relu_nets)


def test_misconceptions_are_the_named_mistakes():
    names_seen = set()
    for _, problem in sweep(FAMILY):
        p = problem.params
        fw = np_forward(p)
        _, _, grads = torch_pass(p)
        y, yhat, z2 = p["y"], fw["yhat"], fw["z2"]
        out_slope = {"sigmoid": yhat * (1 - yhat), "relu": 1.0, "identity": 1.0}[p["output"]]
        for part in problem.parts:
            for m in part.misconceptions:
                names_seen.add(m.name)
                where = (problem.seed, part.key, m.name)
                grad = None
                for key, name, index in asked(p):
                    if key == part.key:
                        grad = float(grads[name][index])
                        unit = index[0] if name in ("W1", "b1") else None
                if m.name == "dropped the factor 2 of the squared error":
                    want = grad / 2
                elif m.name == "sign error: used (y − ŷ) instead of (ŷ − y)":
                    want = -grad
                elif m.name == "forgot the derivative of the output activation":
                    want = grad / out_slope
                elif m.name == "forgot the derivative of the hidden activation":
                    z, a = fw["z1"][unit], fw["h"][unit]
                    want = grad / {"relu": 1.0, "sigmoid": a * (1 - a), "tanh": 1 - a * a}[p["hidden"]]
                elif m.name == "forgot the output weight on the way back to the hidden layer":
                    want = grad / p["w2"][unit]
                elif m.name == "forgot the bias b⁽¹⁾":
                    want = np.array(p["W1"]) @ np.array(p["x"])
                elif m.name in ("passed a negative pre-activation through the ReLU",
                                "forgot the activation (used the pre-activations)"):
                    want = fw["z1"]
                elif m.name == "forgot the output activation":
                    want = z2
                elif m.name == "used ½(ŷ − y)² instead of (ŷ − y)²":
                    want = 0.5 * (yhat - y) ** 2
                elif m.name == "forgot to square: |ŷ − y|":
                    want = abs(yhat - y)
                elif m.name == "used log base 10 instead of ln":
                    want = -(y * math.log10(yhat) + (1 - y) * math.log10(1 - yhat))
                else:
                    raise AssertionError(f"unchecked misconception {where}")
                np.testing.assert_allclose(m.value, want, rtol=1e-9, atol=1e-12, err_msg=str(where))
    for name in ("dropped the factor 2 of the squared error", "sign error: used (y − ŷ) instead of (ŷ − y)",
                 "forgot the derivative of the output activation", "forgot the derivative of the hidden activation",
                 "forgot the output weight on the way back to the hidden layer"):
        assert name in names_seen, name


def test_follow_on_uses_the_students_forward_values():
    from probgen.core.registry import get_family

    fam = get_family(FAMILY)
    for _, problem in sweep(FAMILY):
        p = problem.params
        if "W1" in p:
            # a wrong pre-activation vector: everything after follows from it
            z1 = np.array(problem.part("a").answer) + 0.5
            follow = fam.follow_on(p, {"a": list(z1)})
            h = act_np(p["hidden"], z1)
            yhat = float(act_np(p["output"], float(np.dot(p["w2"], h) + p["b2"])))
            slope_h = {"relu": (z1 > 0).astype(float), "sigmoid": h * (1 - h), "tanh": 1 - h * h}[p["hidden"]]
            keys = ("d", "e", "f", "g", "h")
        else:
            h = np.array(p["x"], dtype=float)
            yhat = problem.part("a").answer + 0.5
            if p["output"] == "sigmoid":
                yhat = min(yhat, 0.99)
            follow = fam.follow_on(p, {"a": yhat})
            keys = ("b", "c", "d", "e")
        y = p["y"]
        if p["loss"] == "mse":
            loss = (yhat - y) ** 2
            slope_out = {"sigmoid": yhat * (1 - yhat), "relu": 1.0, "identity": 1.0}[p["output"]]
            delta = 2 * (yhat - y) * slope_out
        else:
            loss = -(y * math.log(yhat) + (1 - y) * math.log(1 - yhat))
            delta = yhat - y
        want = [loss]
        if "W1" in p:
            j, k = p["ask"]
            d1 = delta * p["w2"][j - 1] * slope_h[j - 1]
            want += [delta * h[j - 1], delta, d1 * p["x"][k - 1], d1]
        else:
            want += [delta * h[0], delta * h[1], delta]
        assert sorted(follow) == sorted(keys), problem.seed
        for key, value in zip(keys, want):
            assert math.isclose(follow[key], value, rel_tol=1e-9, abs_tol=1e-12), (problem.seed, key)
        # the reference forward values give back the reference answers
        right = fam.follow_on(p, {problem.parts[0].key: problem.parts[0].answer})
        for key in keys:
            assert math.isclose(right[key], problem.part(key).answer, rel_tol=1e-9, abs_tol=1e-12), (problem.seed, key)
        for key in keys:
            assert problem.part(key).depends_on, (problem.seed, key)


def test_figure_is_the_network():
    for _, problem in sweep(FAMILY):
        p, fig = problem.params, problem.figure
        assert fig["type"] == "graph" and fig["output"] == "yhat" and "$" not in str(fig)
        ids = {n["id"] for n in fig["nodes"]}
        assert all(e["from"] in ids and e["to"] in ids for e in fig["edges"])
        n_edges = len(p["x"]) * len(p.get("W1", [[0]])) + (len(p["w2"]) if "W1" in p else 0)
        assert len(fig["edges"]) == n_edges
        if "W1" in p:
            for j, row in enumerate(p["W1"], start=1):
                for k, w in enumerate(row, start=1):
                    (edge,) = [e for e in fig["edges"] if e["from"] == f"x{k}" and e["to"] == f"h{j}"]
                    assert float(edge["label"].split("=")[1]) == w
        assert "[[figure]]" in problem.statement


def test_follow_on_survives_odd_student_values():
    from probgen.core.registry import get_family

    fam = get_family(FAMILY)
    for _, problem in sweep(FAMILY):
        first = problem.parts[0]
        n = len(first.answer) if isinstance(first.answer, list) else 1
        for value in (3.0, ["x"] * n, [float("nan")] * n, [1e300] * n, [-1e300] * n, 2.0, -7.0, 1e300, True):
            out = fam.follow_on(problem.params, {first.key: value})
            assert all(math.isfinite(v) for v in out.values()), (problem.seed, value, out)
