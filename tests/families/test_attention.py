"""Attention: every part against NumPy and torch.nn.functional.scaled_dot_product_attention."""

import numpy as np
import pytest
import torch

from sweep import assert_parts_match, sweep

FAMILY = "attention"
torch.set_num_threads(1)  # tiny tensors: thread hand-offs cost more than the arithmetic


def softmax(row):
    e = np.exp(row - np.max(row))
    return e / e.sum()


def independent(params):
    Q, K, V = (np.array(params[k], dtype=float) for k in "QKV")
    n, t = len(Q), params["token"]
    S = Q @ K.T / np.sqrt(Q.shape[1])
    mask = np.tril(np.ones((n, n), dtype=bool)) if params["causal"] else np.ones((n, n), dtype=bool)
    A = np.array([softmax(np.where(mask[i], S[i], -np.inf)) for i in range(n)])
    out = {"a": S, "b": A[t - 1], "c": (A @ V)[t - 1]}
    if params["causal"]:
        out["d"] = (A @ V)[0]
    return out


def torch_outputs(params):
    q, k, v = (torch.tensor(params[x], dtype=torch.float64)[None] for x in "QKV")
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=params["causal"])[0].numpy()


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_numpy_and_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        params = problem.params
        expected = independent(params)
        assert sorted(expected) == [p.key for p in problem.parts]
        assert_parts_match(problem, expected)
        by_torch = torch_outputs(params)
        np.testing.assert_allclose(problem.part("c").answer, by_torch[params["token"] - 1], rtol=1e-9)
        if params["causal"]:
            np.testing.assert_allclose(problem.part("d").answer, by_torch[0], rtol=1e-9)


def test_instances_are_hand_workable_and_not_degenerate():
    for difficulty, problem in sweep(FAMILY):
        params = problem.params
        assert all(x in (-1, 0, 1) for row in params["Q"] + params["K"] for x in row)
        assert all(any(row) for row in params["Q"] + params["K"])
        # d_k = 4: every score is a multiple of 1/2
        assert all((2 * s).is_integer() for row in problem.part("a").answer for s in row)
        w = np.array(problem.part("b").answer)
        visible = w[: params["token"]] if params["causal"] else w
        assert abs(w.sum() - 1) < 1e-12
        assert visible.max() < 0.99 and visible.min() > 0.01, (problem.seed, w)  # not one-hot
        assert np.ptp(visible) > 0  # not uniform: the scores matter
        if params["causal"]:
            assert params["token"] >= 2 and all(x == 0 for x in w[params["token"]:])


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for difficulty, problem in sweep(FAMILY):
        params = problem.params
        Q, K, V = (np.array(params[k], dtype=float) for k in "QKV")
        n, t = len(Q), params["token"]
        visible = t if params["causal"] else n  # keys the asked token attends to
        raw = Q @ K.T
        unscaled = np.zeros(n)
        unscaled[:visible] = softmax(raw[t - 1][:visible])
        column = np.zeros(n)
        column[:visible] = softmax(raw[:, t - 1][:visible] / 2)
        expected = {
            ("b", "normalised down the column (over queries) instead of along the row"): column,
            ("c", "averaged the values uniformly (skipped the weights)"): V.mean(axis=0),
            ("a", "forgot to divide by √d_k"): raw,
            ("a", "divided by d_k instead of √d_k"): raw / 4,
            ("a", "computed K Q^T (rows are keys, not queries)"): (raw / 2).T,
            ("b", "softmax of the unscaled scores q·k"): unscaled,
            ("c", "used the unscaled scores"): unscaled @ V,
            ("c", "summed the values without weights"): V.sum(axis=0),
        }
        if params["causal"]:
            expected.update({
                ("b", "ignored the causal mask"): softmax(raw[t - 1] / 2),
                ("c", "ignored the causal mask"): softmax(raw[t - 1] / 2) @ V,
                ("d", "ignored the causal mask"): softmax(raw[0] / 2) @ V,
            })
        listed = {(part.key, m.name): m.value for part in problem.parts for m in part.misconceptions}
        assert set(listed) <= set(expected), (problem.seed, set(listed) - set(expected))
        for key, value in listed.items():
            np.testing.assert_allclose(value, expected[key], rtol=1e-9, atol=1e-12, err_msg=f"{problem.seed} {key}")
            seen.add((difficulty, key))
    assert len({key for _, key in seen}) == 11  # every named mistake occurs and was checked
    assert {d for d, _ in seen} == {"easy", "medium", "hard"}


def test_follow_on_uses_the_students_values():
    from probgen.core.registry import get_family

    fam = get_family(FAMILY)
    for _, problem in sweep(FAMILY, difficulties=["medium"]):
        params = problem.params
        wrong_w = [0.5, 0.25, 0.25]
        follow = fam.follow_on(params, {"b": wrong_w})
        np.testing.assert_allclose(follow["c"], np.array(wrong_w) @ np.array(params["V"], dtype=float))
        wrong_S = (np.array(problem.part("a").answer) * 2).tolist()  # forgot the 1/sqrt(d_k)
        follow = fam.follow_on(params, {"a": wrong_S})
        np.testing.assert_allclose(follow["b"], softmax(np.array(wrong_S[params["token"] - 1])))


def test_follow_on_ignores_values_that_are_not_finite_numbers():
    from probgen.core.registry import get_family

    fam = get_family(FAMILY)
    problem = next(p for _, p in sweep(FAMILY, difficulties=["medium"]))
    for bad in ([float("nan"), 0.5, 0.5], [float("inf"), 0, 0], ["x", 0.5, 0.5], [True, 0, 0], 0.5, [0.5, 0.5]):
        assert "c" not in fam.follow_on(problem.params, {"b": bad})
    assert fam.follow_on(problem.params, {"a": [[float("nan")] * 3] * 3}) == {}
