"""The figure-reading items (issue 11): loss curves for several learning rates
(optimization-concepts), an activation and its derivative (backprop-concepts), an attention
heatmap (transformers-concepts). Each figure's drawn values and each key are recomputed
independently: gradient descent in NumPy and torch.optim.SGD, activations and their derivatives
with torch autograd, the attention weights as a masked torch softmax. The figures reach the PDF
(as vector graphics with their numbers) and the terminal (as a table)."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
import torch

from probgen.core.build import build_problem
from probgen.render.text_chart import figure_lines

SEEDS = range(120)


def _figure_parts(fid: str, item: str, difficulties=("easy", "medium", "hard")):
    """(problem, instance, its 3 parts) for every problem of the sweep that drew `item`. The
    figure item's parts come first, right under the figure."""
    for d in difficulties:
        for seed in SEEDS:
            p = build_problem(fid, seed, d)
            ids = [i["id"] for i in p.params["items"]]
            if item in ids:
                assert ids.index(item) == 0, (fid, seed, d, ids)
                yield p, p.params["items"][0], p.parts[:3]


def _num(text: str) -> float:
    return float(re.findall(r"-?\d+(?:\.\d+)?", text)[-1])


# ------------------------------------------------------------------ learning rates

def _gd_losses(a, alpha, steps):
    w, out = 1.0, []
    for _ in range(steps + 1):
        out.append(0.5 * a * w * w)
        w = w - alpha * a * w
    return np.array(out)


def _torch_final_w(a, alpha, steps):
    w = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=alpha)
    for _ in range(steps):
        opt.zero_grad()
        (0.5 * a * w ** 2).sum().backward()
        opt.step()
    return abs(w.item())


def test_learning_rate_curves_independent():
    seen = 0
    for p, inst, (big, small, bound) in _figure_parts("optimization-concepts", "lr-curves"):
        fig, a = p.figure, inst["a"]
        steps = len(fig["x"]) - 1
        alphas = [float(s["name"].split("=")[1]) for s in fig["series"]]
        for al, s in zip(alphas, fig["series"]):  # the figure draws the run it names
            assert s["y"] == pytest.approx(_gd_losses(a, al, steps), abs=6e-5)
        finals = {al: _gd_losses(a, al, steps)[-1] for al in alphas}
        grows = [al for al in alphas if _torch_final_w(a, al, steps) > 1]
        assert len(grows) == 1 and finals[grows[0]] > 0.5 * a  # exactly one diverging run
        assert _num(big.choices[big.answer]) == pytest.approx(grows[0])
        slowest = max((al for al in alphas if al not in grows), key=finals.get)
        assert _num(small.choices[small.answer]) == pytest.approx(slowest)
        v = _num(bound.choices[bound.answer])  # "α > v": just above v diverges, just below converges
        assert abs(_gd_losses(a, v * 1.02, 400)[-1]) > 1e3 and abs(_gd_losses(a, v * 0.98, 400)[-1]) < 1e-3
        assert grows[0] > v and all(al < v for al in alphas if al not in grows)
        seen += 1
    assert seen > 30


# ------------------------------------------------------------------ activations

TORCH = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "ReLU max": torch.relu}


def _candidates():
    out = dict(TORCH)
    for s in (0.1, 0.2):
        out[f"leaky {s}"] = lambda x, s=s: torch.nn.functional.leaky_relu(x, s)
    return out


def _f_and_grad(fn, xs):
    x = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    y = fn(x)
    y.sum().backward()
    return y.detach().numpy(), x.grad.numpy()


def test_activation_plot_independent():
    seen = set()
    for p, inst, (which, where, peak) in _figure_parts("backprop-concepts", "activation-plot"):
        fig = p.figure
        # a repeated x is a step drawn at a kink (ReLU′ at 0): its second value is the right-hand limit
        xs = [x + 1e-9 if i and x == fig["x"][i - 1] else x for i, x in enumerate(fig["x"])]
        f, df = fig["series"][0]["y"], fig["series"][1]["y"]
        matches = [name for name, fn in _candidates().items()
                   if np.allclose(_f_and_grad(fn, xs)[0], f, atol=1e-4)
                   and np.allclose(_f_and_grad(fn, xs)[1], df, atol=1e-4)]
        assert len(matches) == 1, (p.seed, matches)  # the drawn curves are one activation and its derivative
        name = matches[0]
        if "ReLU" in name or "leaky" in name:  # drawn as a step: f′ changes only where x repeats, never along a segment
            x0, d = fig["x"], df
            assert all(d[i] == d[i + 1] for i in range(len(x0) - 1) if x0[i] != x0[i + 1]), (p.seed, name)
        keyed = which.choices[which.answer]
        assert name.split()[0] in keyed and (("leaky" in keyed) == name.startswith("leaky")), (name, keyed)
        _, grad = _f_and_grad(dict(_candidates())[name], xs)
        low = np.array(xs)[grad < 0.05]
        region = ("nowhere" if low.size == 0 else
                  "x < 0" if low.max() <= 0 and (grad[np.array(xs) < 0] < 0.05).all() else
                  "both sides" if low.min() == xs[0] and low.max() == xs[-1] else "near")
        assert region in where.choices[where.answer], (p.seed, name, where.choices[where.answer])
        assert _num(peak.choices[peak.answer]) == pytest.approx(grad.max(), abs=1e-9)
        seen.add(name)
    assert {"sigmoid", "tanh", "ReLU max"} <= seen and any(s.startswith("leaky") for s in seen)


def test_activation_and_derivative_stay_apart_where_they_coincide():
    """TA re-rating: for the ReLU, f and f′ are both 0 for x < 0, and the dashed f′ vanished under
    the solid f. The derivative carries hollow squares at whole x, drawn in the PDF (and shown in
    the legend), wherever the two curves coincide or not."""
    from reportlab.pdfgen.canvas import Canvas

    from probgen.render.pdf_plot import CurvesFigure

    coincide = 0
    for p, inst, _ in _figure_parts("backprop-concepts", "activation-plot", ("medium",)):
        fig = p.figure
        f, df = fig["series"][0]["y"], fig["series"][1]["y"]
        coincide += any(abs(a - b) < 1e-9 for a, b in zip(f, df))
        assert fig["series"][1].get("markers") is True and not fig["series"][0].get("markers")
        assert "squares" in p.statement
        buf = io.BytesIO()
        canvas = Canvas(buf, pageCompression=0)
        flow = CurvesFigure(fig)
        flow.wrap(500, 800)
        flow.drawOn(canvas, 0, 0)
        canvas.save()
        whole = {x for x in fig["x"] if float(x).is_integer()}
        # the plot frame is one rectangle; the squares: one per whole x (two at a ReLU's jump), one in the legend
        squares = len(re.findall(rb" re\b", buf.getvalue())) - 1
        jumps = sum(1 for i in range(1, len(fig["x"])) if fig["x"][i] == fig["x"][i - 1] and df[i] != df[i - 1])
        assert squares == len(whole) + jumps + 1, (p.seed, squares, len(whole), jumps)
    assert coincide > 0  # the ReLU case, where the curves run together, was seen


# ------------------------------------------------------------------ attention heatmap

def test_attention_heatmap_independent():
    kinds = set()
    for p, inst, (most, mask, sums) in _figure_parts("transformers-concepts", "attention-heatmap"):
        fig = p.figure
        scores = torch.tensor([[float("-inf") if s is None else float(s) for s in row] for row in inst["scores"]],
                              dtype=torch.float64)
        w = torch.softmax(scores, dim=-1)
        shown = torch.tensor(fig["values"], dtype=torch.float64)
        assert torch.allclose(shown, w, atol=0.0101), p.seed  # rounded to hundredths
        assert torch.allclose(shown.sum(dim=1), torch.ones(len(shown), dtype=torch.float64), atol=1e-9)
        q = inst["query"]
        best = int(torch.argmax(w[q]))
        assert int(torch.argmax(shown[q])) == best  # the figure shows the same favourite
        assert most.choices[most.answer].endswith(f"(token {best + 1})"), (p.seed, most.choices)
        causal = bool((torch.triu(shown, diagonal=1) == 0).all())
        assert mask.choices[mask.answer].startswith("causal: every weight above" if causal else "not causal: some tokens")
        assert (torch.triu(shown, diagonal=1) == 0).all() == torch.isinf(scores).any()
        assert sums.choices[sums.answer].startswith("each row")
        assert not torch.allclose(shown.sum(dim=0), torch.ones(len(shown), dtype=torch.float64), atol=0.05)
        assert abs(float(torch.diagonal(shown).sum()) - 1) > 0.05
        kinds.add(causal)
    assert kinds == {True, False}


# ------------------------------------------------------------------ rendering

def _first(fid, item):
    p, _, _ = next(_figure_parts(fid, item, ("hard",)))
    return p


def test_heatmap_and_curves_as_terminal_tables():
    heat = _first("transformers-concepts", "attention-heatmap")
    lines = figure_lines(heat.figure)
    for row, values in zip(heat.figure["rows"], heat.figure["values"]):
        line = next(l for l in lines if l.strip().startswith(row))
        assert [float(v) for v in line.split("|")[1:]] == values
    act = _first("backprop-concepts", "activation-plot")
    rows = [l for l in figure_lines(act.figure) if re.match(r"\s+[-\u2212]?\d", l)]
    distinct = sorted(set(act.figure["x"]))  # a step (ReLU′ at 0) repeats its x
    assert len(rows) == len(distinct[::4])  # a densely sampled function: every 4th x


@pytest.mark.parametrize("fid,item", [("transformers-concepts", "attention-heatmap"),
                                      ("backprop-concepts", "activation-plot"),
                                      ("optimization-concepts", "lr-curves")])
def test_figures_reach_the_pdf_and_the_student_sheet_holds_no_answer(fid, item):
    from pypdf import PdfReader

    from probgen.render.mathtype import ISSUES
    from probgen.render.pdf import render_sheet
    from probgen.sheets.assemble import Sheet

    p = _first(fid, item)
    ISSUES.clear()
    sheet = Sheet(kind="worksheet", title="t", seed=p.seed, problems=[p])
    student = "".join(pg.extract_text() for pg in PdfReader(io.BytesIO(render_sheet(sheet, False))).pages)
    assert not [i for i in ISSUES if "not drawn" in i]
    if item == "attention-heatmap":
        assert all(f"{v:.2f}" in student for row in p.figure["values"] for v in row)
    else:
        assert all(s["name"] in student for s in p.figure["series"])  # the legend
    assert "Answer" not in student and "right:" not in student and "Worked solution" not in student


def test_heatmap_in_the_browser_and_the_lms_export():
    from probgen.render.plot_image import heatmap_png
    from probgen.web.figure import figure_svg

    heat = _first("transformers-concepts", "attention-heatmap")
    svg = figure_svg(heat.figure)
    assert svg.startswith("<svg") and all(f">{v:.2f}<" in svg for row in heat.figure["values"] for v in row)
    assert all(f">{c}<" in svg for c in heat.figure["cols"])
    assert heatmap_png(heat.figure).startswith(b"\x89PNG")
