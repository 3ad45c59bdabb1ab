"""No stacked fraction in running text, where it comes out tall and tiny in the PDF: a formula
worth stacking is a display ($$...$$), an inline one a slash form (a/b), as a textbook sets them
(a number over a number, like 1/4, may stay stacked). Every family's statement, prompts, options,
explanations, model answers and worked steps. The slash forms written instead still compute
the answer."""

from __future__ import annotations

import re

import pytest

from probgen.core.build import build_problem
from probgen.core.registry import get_family, load_all

INLINE_MATH = re.compile(r"(?<!\$)\$(?!\$)([^$]*)\$")
FRAC = re.compile(r"\\[dt]?frac")
# a number over a number ($1 - p = \frac{1}{4}$, $\frac{\sqrt{91}}{10}$) reads like ¼ in a line
NUMBER_OVER_NUMBER = re.compile(r"\\frac\{(?:\d+|\\sqrt\{\d+\})\}\{\d+\}")
FAMILIES = sorted(load_all())


def _texts(problem):
    yield "statement", problem.statement
    for part in problem.parts:
        yield f"part {part.key}", part.prompt
        yield f"model answer {part.key}", part.model_answer or ""
        for letter, text in (part.choices or {}).items():
            yield f"option {part.key}{letter}", text
        for letter, text in (part.explanations or {}).items():
            yield f"why {part.key}{letter}", text
    for step in problem.steps:
        yield f"step {step.part}", step.text


@pytest.mark.parametrize("family", FAMILIES)
def test_no_inline_stacked_fraction(family):
    fam = get_family(family)
    found = []
    for difficulty in fam.difficulties:
        for convention in fam.conventions or (None,):
            for seed in range(1, 13):
                problem = build_problem(family, seed, difficulty, convention)
                found += [f"{difficulty}/{convention}/{seed} {where}: {m.group(0)[:90]}"
                          for where, text in _texts(problem) for m in INLINE_MATH.finditer(text)
                          if FRAC.search(NUMBER_OVER_NUMBER.sub("", m.group(1)))]
    assert not found, "\n".join(found[:5])


def test_the_sigma_derivation_is_shown_as_a_display():
    problem = build_problem("backprop-concepts", 9, "medium")
    part = next(p for p in problem.parts if p.prompt.startswith("Derive"))
    assert re.search(r"\$\$\\sigma'\(z\) = \\frac\{e\^\{-z\}\}\{\(1 \+ e\^\{-z\}\)\^2\}.*\$\$", part.model_answer)


def _number(text: str) -> float:
    return float(text.replace("\\,", "").replace(" ", ""))


def test_the_cosine_slash_form_computes_the_answer():
    for seed in range(1, 9):
        problem = build_problem("word-embeddings", seed, "medium")
        step = next(s.text for s in problem.steps if s.part == "a")
        dot, n1, n2, value = re.search(r"\\cos = (-?[\d.]+)/\(([\d.]+) \\cdot ([\d.]+)\) = (-?[\d.]+)", step).groups()
        assert abs(_number(dot) / (_number(n1) * _number(n2)) - problem.part("a").answer) < 1e-9
        assert abs(_number(value) - problem.part("a").answer) < 1e-6


def test_the_adagrad_step_slash_form_computes_the_weight():
    """One weight: w_1 = w_0 - (lr/root) g (course) or w_0 - lr g/(root + eps) (PyTorch), checked
    against the numbers it shows and the problem's parameters."""
    course = re.compile(r"= (-?[\d.]+) - \(([\d.]+)/([\d.]+)\) \\cdot \(?(-?[\d.]+)\)? = (-?[\d.]+)\$")
    pytorch = re.compile(r"= (-?[\d.]+) - ([\d.]+) \\cdot \(?(-?[\d.]+)\)?/\(([\d.]+) \+ ([\d.]+)\) = (-?[\d.]+)\$")
    checked = {"course": 0, "pytorch": 0}
    for convention, pattern in (("course", course), ("pytorch", pytorch)):
        for seed in range(1, 13):
            problem = build_problem("adaptive-trace", seed, "easy", convention)
            if len(problem.params["w0"]) != 1:
                continue
            for step in problem.steps:
                m = pattern.search(step.text)
                if not m:
                    continue
                if convention == "course":
                    w, lr, root, g, new = map(float, m.groups())
                    expected = w - lr / root * g
                else:
                    w, lr, g, root, eps, new = map(float, m.groups())
                    expected = w - lr * g / (root + eps)
                    assert eps == problem.params["eps"]
                assert lr == problem.params["lr"]
                assert abs(expected - new) <= 1e-5 * max(1, abs(expected)), (convention, seed, step.text)
                checked[convention] += 1
    assert all(checked.values()), checked
