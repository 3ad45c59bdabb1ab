"""rnn-concepts: every keyed claim that can be run is checked with torch autograd (the products of
w_h·tanh′ factors through time, LSTM gates and the cell's Jacobian, shared weights' gradients), over
every instance of a 300-seed sweep, and the pool varies enough over seeds."""

from __future__ import annotations

import math
import re

import pytest
import torch

from concept_checks import assert_explained_and_distinct, assert_variety, sweep300

FID = "rnn-concepts"


def _num(text: str) -> float:
    """The number an option shows: '$3.375$', '$1.23 \\times 10^{-5}$: it vanishes'."""
    m = re.match(r"\$(-?[\d.]+)(?: \\times 10\^\{(-?\d+)\})?\$", text)
    return float(m.group(1)) * 10 ** int(m.group(2) or 0)


def _bptt(w: float, tanh_primes: list[float]) -> float:
    """∂h_T/∂h_0 by torch autograd for h_t = tanh(w h_{t-1} + b_t), each b_t chosen so that
    tanh′(a_t) is the given value (the b_t are constants: computed from detached states)."""
    h0 = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    h = h0
    for c in tanh_primes:
        a = math.atanh(math.sqrt(1 - c))
        b = a - w * h.detach().item()
        h = torch.tanh(w * h + b)
        assert abs((1 - h.item() ** 2) - c) < 1e-9
    (g,) = torch.autograd.grad(h, h0)
    return g.item()


def _lstm_cell(bias_f=0.0, bias_i=0.0, bias_o=0.0, seed=0):
    torch.manual_seed(seed)
    cell = torch.nn.LSTMCell(3, 4).double()
    with torch.no_grad():  # torch's gate order in the weights: i, f, g, o
        cell.bias_ih[0:4] += bias_i
        cell.bias_ih[4:8] += bias_f
        cell.bias_ih[12:16] += bias_o
    return cell


def _state(seed=1):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(1, 3, generator=g, dtype=torch.float64), torch.randn(1, 4, generator=g, dtype=torch.float64),
            torch.randn(1, 4, generator=g, dtype=torch.float64))


def _gate_activations() -> dict:
    """Recompute LSTMCell by hand; which nonlinearity makes it match, per gate."""
    cell = _lstm_cell()
    x, h, c = _state()
    z = x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh
    zi, zf, zg, zo = z.chunk(4, dim=1)
    h1, c1 = cell(x, (h, c))

    def matches(act_i, act_f, act_g, act_o):
        cc = act_f(zf) * c + act_i(zi) * act_g(zg)
        return torch.allclose(cc, c1) and torch.allclose(act_o(zo) * torch.tanh(cc), h1)

    s, t = torch.sigmoid, torch.tanh
    std = matches(s, s, t, s)  # sigmoid gates, tanh candidate: what LSTMCell computes
    return {"the forget gate $f_t$": std and not matches(s, t, t, s), "the input gate $i_t$": std and not matches(t, s, t, s),
            "the output gate $o_t$": std and not matches(s, s, t, t), "the candidate $g_t$": matches(s, s, s, s),
            "the squashing of the cell, $\\tanh(c_t)$": False}


def _gates() -> dict:
    x, h, c = _state()
    keep = _lstm_cell(bias_f=50, bias_i=-50)(x, (h, c))[1]
    erase = _lstm_cell(bias_f=-50, bias_i=-50)(x, (h, c))[1]
    write = _lstm_cell(bias_f=-50, bias_i=50)
    h_w, c_w = write(x, (h, c))
    zg = (x @ write.weight_ih.T + write.bias_ih + h @ write.weight_hh.T + write.bias_hh).chunk(4, dim=1)[2]
    hidden_off = _lstm_cell(bias_o=-50)(x, (h, c))
    return {"forget1_keeps": torch.allclose(keep, c) and torch.allclose(erase, torch.zeros_like(c)),
            "input_writes_g": torch.allclose(c_w, torch.tanh(zg)),
            "output_exposes": torch.allclose(hidden_off[0], torch.zeros_like(h), atol=1e-12)
            and not torch.allclose(hidden_off[1], torch.zeros_like(c))}


def _cell_jacobian_is_diag_f() -> bool:
    cell = _lstm_cell(seed=3)
    x, h, c = _state(4)
    jac = torch.autograd.functional.jacobian(lambda cc: cell(x, (h, cc))[1], c).reshape(4, 4)
    z = x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh
    f = torch.sigmoid(z.chunk(4, dim=1)[1])[0]
    return torch.allclose(jac, torch.diag(f))


def _shared_grad_is_sum() -> bool:
    torch.manual_seed(5)
    w_x, w_h = torch.randn(3, 2, dtype=torch.float64), torch.randn(3, 3, dtype=torch.float64)
    xs = torch.randn(4, 2, dtype=torch.float64)
    shared = w_h.clone().requires_grad_()
    copies = [w_h.clone().requires_grad_() for _ in range(4)]

    def run(ws):
        h = torch.zeros(3, dtype=torch.float64)
        for t in range(4):
            h = torch.tanh(w_x @ xs[t] + ws[t] @ h + 0.1)
        return (h ** 2).sum()

    run([shared] * 4).backward()
    run(copies).backward()
    return torch.allclose(shared.grad, sum(c.grad for c in copies)) and not torch.allclose(shared.grad, copies[-1].grad)


def _rnn_facts() -> dict:
    rnn = torch.nn.RNN(2, 3, batch_first=True)
    n = sum(p.numel() for p in rnn.parameters())
    out3, _ = rnn(torch.randn(1, 3, 2))
    out300, _ = rnn(torch.randn(1, 300, 2))
    states_differ = not torch.allclose(out3[0, 0], out3[0, 1])
    return {"params_fixed": n == sum(p.numel() for p in rnn.parameters()) and out300.shape[1] == 300 and n == 3 * 2 + 3 * 3 + 3 + 3,
            "states_differ": states_differ}


def _tanh_prime_max() -> float:
    a = torch.linspace(-5, 5, 10001, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(torch.tanh(a).sum(), a)
    assert abs(a[g.argmax()].item()) < 1e-9
    return g.max().item()


def _derivative_is_w_one_minus_h2() -> bool:
    h_prev = torch.tensor(0.4, dtype=torch.float64, requires_grad=True)
    w = 1.7
    h = torch.tanh(0.5 * 0.8 + w * h_prev - 0.2)
    (g,) = torch.autograd.grad(h, h_prev)
    return math.isclose(g.item(), w * (1 - h.item() ** 2), rel_tol=1e-12)


@pytest.fixture(scope="module")
def facts():
    return {"acts": _gate_activations(), "gates": _gates(), "jac": _cell_jacobian_is_diag_f(),
            "sum": _shared_grad_is_sum(), "rnn": _rnn_facts(), "tanh_max": _tanh_prime_max(),
            "deriv": _derivative_is_w_one_minus_h2(),
            "explodes_bounded": abs(_bptt(2.5, [0.8] * 30)) > 1e2,
            "long_range": abs(_bptt(1.0, [0.5] * 20)) < 1e-3 and abs(_bptt(1.0, [0.5])) == pytest.approx(0.5)}


def test_torch_facts_behind_the_items(facts):
    assert facts["acts"] == {"the forget gate $f_t$": True, "the input gate $i_t$": True, "the output gate $o_t$": True,
                             "the candidate $g_t$": False, "the squashing of the cell, $\\tanh(c_t)$": False}
    assert all(facts["gates"].values()) and facts["jac"] and facts["sum"] and all(facts["rnn"].values())
    assert facts["tanh_max"] == pytest.approx(1.0) and facts["deriv"]
    assert facts["explodes_bounded"] and facts["long_range"]


def _tf(flag: bool) -> str:
    return "T" if flag else "F"


def test_every_key_agrees_with_torch_independent(facts):
    truth = {"tf-tanh-bounded": _tf(not facts["explodes_bounded"]), "tf-long-range": _tf(facts["long_range"]),
             "tf-cell-copy": _tf(facts["gates"]["forget1_keeps"]), "tf-cell-grad": _tf(facts["jac"]),
             "tf-params-length": _tf(not facts["rnn"]["params_fixed"])}
    same_step = {"the recurrent weights $W_h$": True, "the input weights $W_x$": True, "the bias $b$": True,
                 "the hidden state $h_t$": not facts["rnn"]["states_differ"], "the input $x_t$": False,
                 "the pre-activation $a_t$": not facts["rnn"]["states_differ"]}
    cache = {}
    for difficulty, problem in sweep300(FID):
        for inst, part in zip(problem.params["items"], problem.parts):
            item, at = inst["id"], (problem.seed, difficulty, inst["id"])
            keyed = part.choices[part.answer] if part.kind == "choice" else None
            if item == "bptt-three-steps":
                want = _bptt(inst["w_h"], inst["tanh_primes"])
                assert _num(keyed) == pytest.approx(want, rel=1e-3), at
            elif item == "vanish-or-explode":
                args = (inst["w_h"], (inst["tanh_prime"],) * inst["T"])
                if args not in cache:
                    cache[args] = _bptt(args[0], list(args[1]))
                want = cache[args]  # the option shows 3 significant figures
                assert _num(keyed) == pytest.approx(want, rel=5e-3), at
                assert min(part.choices.values(), key=lambda o: abs(math.log(_num(o) / want))) == keyed, at
                assert keyed.endswith("it vanishes" if want < 1e-2 else "it explodes"), at
            elif item == "tanh-prime-max":
                assert keyed.startswith("1, at $a = 0$") and facts["tanh_max"] == pytest.approx(1.0), at
            elif item == "gate-activations":
                shown = {part.choices[k] for k in part.choices}
                assert {part.choices[k] for k in part.answer} == {t for t in shown if facts["acts"][t]}, at
            elif item == "same-every-step":
                shown = {part.choices[k] for k in part.choices}
                assert {part.choices[k] for k in part.answer} == {t for t in shown if same_step[t]}, at
            elif item == "forget-gate":
                assert keyed.startswith("It scales the old cell state") and facts["gates"]["forget1_keeps"], at
            elif item == "input-gate":
                assert "candidate $g_t$ is written" in keyed and facts["gates"]["input_writes_g"], at
            elif item == "output-gate":
                assert "exposed as the hidden state" in keyed and facts["gates"]["output_exposes"], at
            elif item == "lstm-why":
                assert "additively" in keyed and facts["jac"], at
            elif item == "shared-gradient":
                assert keyed.startswith("As the sum") and facts["sum"], at
            elif item == "derive-bptt":
                assert "$w_h (1 - h_t^2)$" in part.model_answer and facts["deriv"], at
            elif item in truth:
                assert part.answer == truth[item], at


def test_every_item_has_explanations_and_distinct_options():
    assert_explained_and_distinct(sweep300(FID))


def test_variety_over_300_seeds():
    """Distinct items and orders over 300 seeds; no letter keyed in more than 40% of choice parts."""
    assert_variety(FID)
