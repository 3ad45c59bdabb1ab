"""Subscripts written in prose (TA defect 7: "k·k·C_in", "x_3", "√d_k", "p_data", "E_q[…]" printed
with a raw underscore; "h_t" beside "hₜ₋₁" in one formula) are typeset as math subscripts; code
identifiers keep their underscores."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from probgen.render.pdf import render_sheet
from probgen.render.pdf_paragraphs import prose_subscripts
from probgen.sheets.assemble import worksheet_sheet


@pytest.mark.parametrize("text,expected", [
    ("k·k·C_in weights", r"k·k·$C_{\mathrm{in}}$ weights"),
    ("∂y/∂x_3", r"∂y/∂$x_{3}$"),
    ("p_data and p_g", r"$p_{\mathrm{data}}$ and $p_{g}$"),
    ("E_q[log p]", r"$E_{q}$[log p]"),
    ("w_h hₜ₋₁", r"$w_{h}$ $h_{t−1}$"),
    ("`input_size` and num_heads", "`input_size` and num_heads"),  # code and identifiers stay
    ("$x_3$ stays", "$x_3$ stays"),  # math already
    ("file_name.py", "file_name.py"),
])
def test_prose_subscripts(text, expected):
    assert prose_subscripts(text) == expected


RAW = re.compile(r"(?<![\w_])[A-Za-z]{1,2}_[A-Za-z0-9]{1,4}(?![\w_])")


@pytest.mark.parametrize("section,count,seed", [("cnn", 8, 58), ("nlp", 9, 23), ("generative", 5, 91)])
def test_keys_print_no_raw_underscore_subscripts(section, count, seed):
    sheet = worksheet_sheet(section, count, seed)
    reader = PdfReader(io.BytesIO(render_sheet(sheet, show_solution=True)))
    for i, page in enumerate(reader.pages, start=1):
        raw = RAW.findall(page.extract_text() or "")
        assert not raw, f"{section} {seed} key p.{i}: {raw}"


# Unicode has subscript forms for these only; x_T, W_Q, d_model keep the plain-text underscore
CONVERTIBLE = set("0123456789aehijklmnoprstuvx")
TERMINAL_RAW = re.compile(r"(?<![\w`])[A-Za-z\u03b1-\u03c9]{1,2}_([A-Za-z0-9]{1,4})(?!\w)")


@pytest.mark.parametrize("family_id", ["rnn-concepts", "transformers-concepts", "diffusion-concepts",
                                       "pooling-concepts", "gan-concepts", "vae-concepts", "lstm-step",
                                       "backprop-concepts", "losses-concepts", "convolution-concepts"])
def test_terminal_prints_subscripts_it_can_as_unicode(family_id):
    """TA re-rating: `probgen practice` (the terminal renderer) printed x_t, w_h, a_t with raw
    underscores. Every subscript Unicode can write is printed as one (xₜ, wₕ); code stays."""
    from probgen.core.build import build_problem
    from probgen.render.text import render_problem

    for seed in range(6):
        text = render_problem(build_problem(family_id, seed, "hard"), show_solution=True)
        text = re.sub(r"`[^`]*`", "", text)
        raw = [m.group(0) for m in TERMINAL_RAW.finditer(text) if set(m.group(1)) <= CONVERTIBLE]
        assert not raw, (family_id, seed, sorted(set(raw)))
