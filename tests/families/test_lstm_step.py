"""LSTM step: gates, cell and hidden state from a NumPy re-implementation of the rounding rule
and from torch.nn.LSTMCell with the problem's weights; parameter counts from torch.nn.LSTM."""

from functools import lru_cache

import numpy as np
import pytest
import torch
from torch import nn

from sweep import assert_parts_match, sweep

FAMILY = "lstm-step"
TORCH_ORDER = "ifgo"  # the row blocks of LSTMCell.weight_ih
torch.set_num_threads(1)


def sig(z):
    return 1 / (1 + np.exp(-z))


def gates(p):
    z = {g: p["w"][g] * p["x"] + p["u"][g] * p["h_prev"] + p["b"][g] for g in "figo"}
    return z, {g: (np.tanh(z[g]) if g == "g" else sig(z[g])) for g in "figo"}


def independent(p):
    _, act = gates(p)
    r = {g: np.round(v, 4) for g, v in act.items()}  # what the student carries forward
    c = r["f"] * p["c_prev"] + r["i"] * r["g"]
    out = {"a": act["f"], "b": act["i"], "c": act["g"], "d": act["o"], "e": c, "f": r["o"] * np.tanh(c)}
    if "input_size" in p:
        d, H = p["input_size"], p["hidden_size"]
        full = lstm_count(d, H, False)
        out["g"] = full - 4 * H  # one bias vector per gate: drop b_hh
        if p["torch_biases"]:
            out["h"] = full
            out["i"] = lstm_count(d, H, True)
    return out


@lru_cache(maxsize=None)
def lstm_count(d, H, bidirectional):
    return sum(q.numel() for q in nn.LSTM(d, H, bidirectional=bidirectional, device="meta").parameters())


def torch_step(p):
    cell = nn.LSTMCell(1, 1).double()
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor([[p["w"][g]] for g in TORCH_ORDER]))
        cell.weight_hh.copy_(torch.tensor([[p["u"][g]] for g in TORCH_ORDER]))
        cell.bias_ih.copy_(torch.tensor([p["b"][g] for g in TORCH_ORDER]))
        cell.bias_hh.zero_()
        h, c = cell(torch.tensor([[p["x"]]], dtype=torch.float64),
                    (torch.tensor([[p["h_prev"]]], dtype=torch.float64), torch.tensor([[p["c_prev"]]], dtype=torch.float64)))
    return h.item(), c.item()


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_numpy(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        assert sorted(expected) == [q.key for q in problem.parts]
        assert_parts_match(problem, expected)


def test_cell_and_hidden_state_match_torch_lstm_cell():
    """torch runs the step unrounded; the rounding rule moves c and h by well under 1e-3."""
    for _, problem in sweep(FAMILY):
        h, c = torch_step(problem.params)
        assert abs(problem.part("e").answer - c) < 5e-4, problem.seed
        assert abs(problem.part("f").answer - h) < 5e-4, problem.seed


def test_gates_are_not_saturated_and_the_step_does_something():
    for _, problem in sweep(FAMILY):
        p = problem.params
        z, act = gates(p)
        assert all(0.2 - 1e-9 <= abs(v) <= 1.5 + 1e-9 for v in z.values()), (problem.seed, z)
        assert p["c_prev"] != 0 and p["x"] != 0
        c = problem.part("e").answer
        assert abs(c - p["c_prev"]) > 0.04 and abs(c) > 0.04  # the cell state changes; h is not ~0


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for _, problem in sweep(FAMILY):
        p = problem.params
        z, act = gates(p)
        r = {g: np.round(v, 4) for g, v in act.items()}
        c = r["f"] * p["c_prev"] + r["i"] * r["g"]
        expected = {
            ("c", "used the sigmoid instead of tanh for the candidate"): sig(z["g"]),
            ("c", "forgot the tanh (gave the pre-activation)"): z["g"],
            ("e", "left out the forget gate (c = c_prev + i g)"): p["c_prev"] + r["i"] * r["g"],
            ("e", "swapped the gates (c = i c_prev + f g)"): r["i"] * p["c_prev"] + r["f"] * r["g"],
            ("e", "left out the input gate (c = f c_prev + g)"): r["f"] * p["c_prev"] + r["g"],
            ("e", "used the candidate's pre-activation instead of tanh of it"): r["f"] * p["c_prev"] + r["i"] * z["g"],
            ("f", "forgot the tanh on the cell (h = o c)"): r["o"] * c,
            ("f", "used the previous cell state (h = o tanh(c_prev))"): r["o"] * np.tanh(p["c_prev"]),
            ("f", "applied tanh after the gate (h = tanh(o c))"): np.tanh(r["o"] * c),
        }
        for key, gate in zip("abd", "fio"):
            expected[key, "used tanh instead of the sigmoid for a gate"] = np.tanh(z[gate])
            expected[key, "forgot the sigmoid (gave the pre-activation)"] = z[gate]
        if "input_size" in p:
            d, H = p["input_size"], p["hidden_size"]
            one_bias = lstm_count(d, H, False) - 4 * H  # nn.LSTM without b_hh
            expected.update({
                ("g", "left out the biases"): 4 * H * (H + d),
                ("g", "counted one gate only"): one_bias / 4,
                ("g", "left out the recurrent weights"): one_bias - 4 * H * H,
                ("g", "counted three weight blocks (forgot the candidate)"): 3 * one_bias / 4,
            })
        if p.get("torch_biases"):
            expected.update({
                ("h", "counted one bias vector per gate (nn.LSTM has b_ih and b_hh)"): one_bias,
                ("h", "left out the biases"): 4 * H * (H + d),
                ("i", "counted one direction only"): lstm_count(d, H, False),
                ("i", "doubled the hidden size instead of the directions"): lstm_count(d, 2 * H, False),
                ("i", "counted one bias vector per gate"): 2 * one_bias,
            })
        listed = {(part.key, m.name): m.value for part in problem.parts for m in part.misconceptions}
        assert set(listed) <= set(expected), (problem.seed, set(listed) - set(expected))
        for key, value in listed.items():
            np.testing.assert_allclose(float(value), expected[key], rtol=1e-9, err_msg=f"{problem.seed} {key}")
            seen.add(key)
    assert len(seen) == 24  # every named mistake occurs somewhere in the sweep and was checked


def test_follow_on_uses_the_students_values():
    from probgen.core.registry import get_family

    fam = get_family(FAMILY)
    for _, problem in sweep(FAMILY, difficulties=["medium"]):
        p = problem.params
        follow = fam.follow_on(p, {"a": 0.5, "b": 0.25, "c": -0.5, "d": 0.75})
        c = 0.5 * p["c_prev"] + 0.25 * -0.5
        np.testing.assert_allclose(follow["e"], c)
        np.testing.assert_allclose(follow["f"], 0.75 * np.tanh(c))
        np.testing.assert_allclose(fam.follow_on(p, {"d": 0.5, "e": 0.2})["f"], 0.5 * np.tanh(0.2))


def test_follow_on_ignores_values_that_are_not_finite_numbers():
    from probgen.core.registry import get_family

    fam = get_family(FAMILY)
    problem = next(p for _, p in sweep(FAMILY, difficulties=["medium"]))
    for bad in (float("nan"), float("inf"), "x", True, [0.5]):
        assert fam.follow_on(problem.params, {"a": bad, "b": 0.5, "c": 0.5, "d": bad}) == {}
    assert fam.follow_on(problem.params, {"d": 0.5, "e": float("nan")}) == {}
