"""The terminal's plain-text form of the markup's LaTeX subset."""

import pytest

from probgen.render.plain_math import latex_to_text, markup_to_text


@pytest.mark.parametrize("latex, text", [
    (r"\frac{\partial z}{\partial u} = 2u\cos(x) + y", "∂z/∂u = 2u cos(x) + y"),
    (r"\hat{m}_t = m_t/(1-\beta_1^t)", "m̂ₜ = mₜ/(1-β₁ᵗ)"),
    (r"w \leftarrow w - \frac{\alpha}{\sqrt{v + \epsilon}} \odot g", "w ← w - α/√(v + ε) ⊙ g"),
    (r"W = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", "W = [[1, 2], [3, 4]]"),
    (r"\mathbf{x}: N \times C \times H \times W", "x: N × C × H × W"),
    (r"\ell = -\ln{\left(5 \right)}", "ℓ = -ln(5)"),
    (r"y \ln \hat{y}", "y ln y\u0302"),
    (r"\lfloor 9/2 \rfloor + 1", "⌊ 9/2 ⌋ + 1"),
    (r"10^{-8}", "10⁻⁸"),
    (r"\left[0.1,\ -0.2\right]", "[0.1, -0.2]"),
    # a function call needs no extra brackets over a fraction bar; a sum of calls does
    (r"\frac{\ln{\left(40 \right)}}{2}", "ln(40)/2"),
    (r"\frac{\ln(2) + \ln(3)}{2}", "(ln(2) + ln(3))/2"),
    (r"\frac{\ln(2)(3)}{2}", "(ln(2)(3))/2"),
])
def test_latex_to_text(latex, text):
    assert latex_to_text(latex) == text


def test_markup_to_text_replaces_math_and_bold():
    assert markup_to_text(r"Let $u = 2$ and **compute** $$\sigma(u)$$") == "Let u = 2 and compute σ(u)"


@pytest.mark.parametrize("latex, text", [
    # a product after the slash is bracketed: 1/2N reads as N/2
    (r"L = \frac{1}{2N} \sum_{k=1}^N \ell_k", "L = (1/(2N)) Σₖ₌₁^N ℓₖ"),
    (r"\frac{a}{bc}", "a/(bc)"),
    (r"\frac{1}{2\sigma^2}", "1/(2σ²)"),
    # a slash form multiplied by what follows is bracketed: 1/2μ² reads as 1/(2μ²)
    (r"\frac{1}{2}\mu^2", "(1/2)μ²"),
    (r"L(w) = \frac{a}{2} w^2", "L(w) = (a/2) w²"),
    (r"\frac{1}{4}\left(a + b\right)", "(1/4)(a + b)"),
    (r"\frac{\partial L}{\partial y} \frac{\partial y}{\partial x}", "(∂L/∂y) (∂y/∂x)"),
    (r"2\frac{1}{N}", "2(1/N)"),
    # one thing after the slash, or nothing multiplied: no brackets added
    (r"\frac{1}{N} + \frac{x}{2}", "1/N + x/2"),
    (r"\frac{\partial L}{\partial W^{(1)}_{12}} = 3", "∂L/∂W⁽¹⁾₁₂ = 3"),
    (r"\frac{1}{\sqrt{d_k}}", "1/√dₖ"),
    (r"\frac{1}{K^2}, \frac{y}{C_{out}}", "1/K², y/Cₒᵤₜ"),
    (r"\frac{dz}{du} = 1", "dz/du = 1"),
    (r"\frac{3}{2.5} \cdot 4", "3/2.5 · 4"),
    (r"\frac{e^{-z}}{(1 + e^{-z})^2}", "e^(-z)/(1 + e^(-z))²"),
    (r"\frac{1}{(a + b)}", "1/(a + b)"),
    (r"\frac{1}{(a)(b)}", "1/((a)(b))"),
])
def test_slash_forms_read_one_way(latex, text):
    assert latex_to_text(latex) == text


def test_no_family_prints_a_slash_form_that_reads_two_ways():
    """Every family's terminal text (statement, parts, worked solution), all difficulties: no
    number after a slash runs into a factor (1/2N, 1/2μ², a/2w², 1/4(…))."""
    import re

    from probgen.core.build import build_problem
    from probgen.core.registry import load_all
    from probgen.render.text import render_problem

    ambiguous = re.compile(r"/\d+(?:\.\d+)?[^\W\d_(√∂]|/\d+(?:\.\d+)?\(")
    seen = []
    for fid, fam in sorted(load_all().items()):
        for difficulty in fam.difficulties:
            for seed in (1, 2):
                text = render_problem(build_problem(fid, seed, difficulty), number=1, show_solution=True)
                seen += [f"{fid} {difficulty} {seed}: {line.strip()}" for line in text.splitlines()
                         if ambiguous.search(line)]
    assert not seen, "\n".join(seen[:10])
