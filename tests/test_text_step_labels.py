"""The terminal key (`probgen generate FAMILY --answers`, render/text.py) says which part each
worked-solution block belongs to, as the PDF key does (10a, 10b): '(a) ...' in the left margin.
A concept problem's option bullets '- (a) right: ...' were otherwise unattributed."""

from __future__ import annotations

from probgen.core.build import build_problem
from probgen.render.text import render_problem


def _solution(problem) -> list[str]:
    text = render_problem(problem, show_solution=True)
    return text.split("Worked solution:\n", 1)[1].splitlines()


def test_concept_bullets_carry_their_part_label():
    for family in ("losses-concepts", "regularization-concepts", "transformers-concepts"):
        for seed in (1, 2, 3):
            problem = build_problem(family, seed, "easy", None)
            lines = _solution(problem)
            labels = [line[:4] for line in lines if line[:1] == "(" and line[2:4] == ") "]
            assert labels == [f"({p.key}) " for p in problem.parts], (family, seed, lines[:3])
            # the option bullets sit after their part's label, one part's bullets never before it
            first = next(i for i, line in enumerate(lines) if line.strip())
            assert lines[first].startswith(f"({problem.parts[0].key}) "), lines[first]


def test_numeric_family_labels_each_part_once():
    problem = build_problem("tiny-network", 1, "hard", None)
    lines = _solution(problem)
    labels = [line[:4] for line in lines if line[:1] == "(" and line[2:4] == ") "]
    assert labels == [f"({p.key}) " for p in problem.parts if any(s.part == p.key for s in problem.steps)]
