"""A derivative asked for in a part's prompt is written ∂L/∂w, not as an inline stacked fraction:
inline, \\frac sets both halves at script size (TA re-rating: tiny-network's 8e–8h printed ∂L/∂w
too small to read at body size). Displays ($$…$$) and worked solutions keep \\frac."""

import re

import pytest

from probgen.core.registry import load_all
from sweep import built

# one inline math span ($…$, not $$…$$) holding a \frac whose numerator is a derivative
INLINE_DERIVATIVE = re.compile(r"(?<!\$)\$(?!\$)[^$]*\\frac\s*\{\s*(?:\\partial|d\s*[a-zA-Z]?\s*\})[^$]*\$")


def test_the_pattern_finds_what_the_sheets_printed():
    assert INLINE_DERIVATIVE.search(r"Compute $\frac{\partial L}{\partial b^{(2)}}$.")
    assert INLINE_DERIVATIVE.search(r"compute $\frac{dz}{du}$ at $u = 1$")
    assert INLINE_DERIVATIVE.search(r"$\left[\frac{\partial}{\partial a} \ln(1 - D)\right]$")
    assert not INLINE_DERIVATIVE.search(r"Compute $\partial L/\partial w_1$.")
    assert not INLINE_DERIVATIVE.search(r"$$\frac{\partial L}{\partial Y} = 1$$")
    assert not INLINE_DERIVATIVE.search(r"$L = \frac{1}{n} \sum_i (y_i - t_i)^2$")


@pytest.mark.parametrize("family_id", sorted(load_all()))
def test_prompts_write_derivatives_inline(family_id):
    fam = load_all()[family_id]
    for difficulty in fam.difficulties:
        for seed in range(4):
            problem = built(family_id, difficulty, seed, None)
            for part in problem.parts:
                texts = [part.prompt, *(part.choices or {}).values()]
                for text in texts:
                    assert not INLINE_DERIVATIVE.search(text), (family_id, difficulty, seed, part.key, text)
