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
