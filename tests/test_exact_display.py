"""Exact forms in the keys of backprop-chain and tiny-network are short or absent (issue 10's
policy): a fraction of integers of at most 5 digits, or a closed form a reader recognises; a
long or nested exact form gives way to the decimal. Checked on the LaTeX the keys print."""

import re

import pytest

from sweep import sweep

FUNCTION = re.compile(r"\\ln|\\log|\\sin|\\cos|\\tanh|e\^")


def _argument(tex: str, start: int) -> str:
    """The text inside the \\left( ... \\right) that opens at or after `start`."""
    i = tex.index(r"\left(", start) + len(r"\left(")
    depth = 1
    j = i
    while depth:
        if tex.startswith(r"\left(", j):
            depth += 1
        elif tex.startswith(r"\right)", j):
            depth -= 1
            if not depth:
                return tex[i:j]
        j += 1
    raise AssertionError(tex)


def _group(tex: str, i: int) -> tuple[str, int]:
    """The brace group that opens at tex[i] == '{': (its inside, the index after it)."""
    depth, j = 0, i
    while True:
        depth += {"{": 1, "}": -1}.get(tex[j], 0)
        j += 1
        if not depth:
            return tex[i + 1:j - 1], j


def _without_exponents(tex: str) -> str:
    """Exponents and the plain-fraction arguments of functions (cos(1/2)) left out."""
    tex = re.sub(r"\{\\left\(-? ?\\frac\{\d+\}\{\d+\} \\right\)\}", "{(arg)}", tex)
    while "^{" in tex:
        i = tex.index("^{")
        _, end = _group(tex, i + 1)
        tex = tex[:i] + tex[end:]
    return tex


def nested_fraction(tex: str) -> bool:
    """A fraction inside a fraction's numerator or denominator (exponents and a function's
    plain-fraction argument aside)."""
    for m in re.finditer(r"\\frac\{", tex):
        num, end = _group(tex, m.end() - 1)
        den, _ = _group(tex, end)
        if "\\frac" in _without_exponents(num) + _without_exponents(den):
            return True
    return False


def readable(tex: str) -> bool:
    if nested_fraction(tex):
        return False
    if any(len(d) > 5 for d in re.findall(r"\d+", tex)):
        return False
    if len(FUNCTION.findall(tex)) > 2:
        return False
    for m in re.finditer(r"\\(ln|log|sin|cos|tanh)\{\\left\(", tex):  # a function of a plain fraction
        arg = _argument(tex, m.start())
        if FUNCTION.search(arg) or "+" in arg or " - " in arg:
            return False
    return True


def test_the_checker_itself():
    assert readable(r"- \frac{7}{4}") and readable(r"\frac{1}{1 + e^{\frac{1}{2}}}")
    assert readable(r"e^{- \frac{1}{2}} + \sin{\left(\frac{1}{2} \right)}")
    assert not readable(r"\frac{123456}{7}")
    assert not readable(r"- \ln{\left(\frac{1}{1 + e^{\frac{5}{2}}} \right)}")
    assert readable(r"\frac{3 \cos{\left(\frac{1}{2} \right)}}{2}")
    assert not readable(r"\frac{1 - \frac{1}{1 + e^{\frac{1}{2}}}}{\left(1 + e^{\frac{1}{2}}\right)^{2}}")


@pytest.mark.parametrize("family", ["backprop-chain", "tiny-network"])
def test_printed_exact_forms_are_short(family):
    shown = 0
    for _, problem in sweep(family):
        for part in problem.parts:
            if part.kind == "number" and part.latex:
                shown += 1
                assert readable(part.latex), (problem.difficulty, problem.seed, part.key, part.latex)
                assert r"\log" not in part.latex  # the course writes ln
    assert shown > 0  # short exact forms are still printed where they help
