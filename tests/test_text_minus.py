"""Issue 10 §3: the terminal shows a true minus sign (U+2212) wherever a number is negative, as
the PDF does, and what a student types back, with either sign, is still read."""

import re

import pytest

from probgen.core.build import build_problem
from probgen.core.registry import get_family
from probgen.grading.judge import CORRECT, grade_problem
from probgen.render.text import format_answer, minus_signs, render_problem
from probgen.render.text_chart import figure_lines

MINUS = "\u2212"
# a hyphen-minus that stands for a minus: before a digit, not inside a word or "1e-8"
HYPHEN_NUMBER = re.compile(r"(?<![\w.])-\d|(?<=\S) - (?=\S)")

# (family, seed, difficulty, convention): instances with negative givens, answers and steps
NEGATIVE = [("adaptive-trace", 9, "easy", "course"), ("tiny-network", 1, "medium", None),
            ("attention", 1, "hard", None), ("conv2d-numeric", 1, "medium", None),
            ("backprop-chain", 2, "easy", None), ("lstm-step", 2, "medium", None),
            ("rnn-forward", 1, "medium", None)]


@pytest.mark.parametrize("case", NEGATIVE, ids=lambda c: c[0])
def test_numbers_print_a_true_minus(case):
    family, seed, difficulty, convention = case
    text = render_problem(build_problem(family, seed, difficulty, convention), show_solution=True)
    assert MINUS in text
    assert not HYPHEN_NUMBER.findall(text), HYPHEN_NUMBER.findall(text)[:5]


@pytest.mark.parametrize("case", NEGATIVE, ids=lambda c: c[0])
def test_what_the_terminal_shows_typed_back_is_correct(case):
    """Each shown reference decimal typed back as printed (U+2212) and with a hyphen: correct."""
    family, seed, difficulty, convention = case
    problem = build_problem(family, seed, difficulty, convention)
    negative = 0
    for part in problem.parts:
        if part.kind not in ("number", "vector", "matrix"):
            continue
        shown = format_answer(part).split("≈")[-1].strip()  # the decimal, after any exact form
        negative += MINUS in shown
        assert "-" not in shown, shown
        for typed in (shown, shown.replace(MINUS, "-")):
            result = grade_problem(problem, 1, {part.key: typed}, get_family(family)).parts
            verdict = next(r for r in result if r.key == part.key).verdict
            assert verdict == CORRECT, (family, part.key, typed, verdict)
    assert negative, f"{family}: no negative reference answer to type back"


def test_minus_signs_leave_hyphens_in_words_and_code_alone():
    cases = {"[-0.5, -1]": "[−0.5, −1]", "w₀ - α g": "w₀ − α g", "(1-p) x": "(1−p) x", "d(K-1) + 1": "d(K−1) + 1",
             "-ln(21/25)": "−ln(21/25)", "= -9/34": "= −9/34", "e^(- 1/2)": "e^(−1/2)"}
    kept = ["2-D convolution", "x-axis", "1e-8", "10-fold saving", "non-overlapping", "step-by-step",
            "    - 1 pt: a list item", "JFT-300M", "(adam-trace, seed 3)", "8-bit integers"]
    for text, expected in cases.items():
        assert minus_signs(text) == expected, text
    for text in kept:
        assert minus_signs(text) == text, text


def test_text_chart_cells_use_the_minus_sign():
    figure = {"type": "curves", "x": [-1, 0, 1], "series": [{"name": "f", "y": [-0.25, 0.0, 0.5]}]}
    rows = "\n".join(figure_lines(figure))
    assert "−1" in rows and "−0.25" in rows and not re.search(r"-\d", rows)


def test_one_minus_sign_helper_for_plot_ticks_and_chart_cells():
    """The PDF plot's tick labels and the terminal chart's cells print a true minus sign through
    one helper, core.numfmt.minus_sign (they had one copy each)."""
    from probgen.core.numfmt import minus_sign
    from probgen.render import pdf_plot, text_chart
    from probgen.render.text_chart import figure_lines

    assert minus_sign("-1.5") == "\u22121.5" and minus_sign("2") == "2"
    assert pdf_plot._label(-2.5) == "\u22122.5" and pdf_plot._label(3) == "3"
    assert not hasattr(text_chart, "_minus")
    lines = figure_lines({"type": "curves", "x": [-1, 0, 1], "xlabel": "x",
                          "series": [{"name": "f", "y": [-0.5, 0.0, 0.5]}]})
    assert any("\u22121" in line and "\u22120.5" in line for line in lines), lines
    assert not any(re.search(r"-\d", line) for line in lines), lines
