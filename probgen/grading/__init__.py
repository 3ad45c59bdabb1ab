"""Grading hand-worked answers: key (verified by regeneration) + answer sheet -> report.

    parse     safe whitelist parser for typed answers (never eval/sympify on student text):
              lexer (tokens, limits) -> grammar (recursive descent) -> builders (float, SymPy)
    expr      expression equivalence after substituting the problem's definitions
    judge     per-part verdicts, tolerances, named mistakes, error carried forward
    keyfile   loading and verifying answer keys
    sheet     the answer-sheet format (read and write)
    report    text and JSON reports
"""

from __future__ import annotations

from .judge import ProblemResult, grade_problem
from .keyfile import GradingKey
from .sheet import SheetEntry


def grade_sheet(key: GradingKey, entries: dict[str, SheetEntry]) -> list[ProblemResult]:
    """Every part of the key graded from the sheet's entries (absent ones are 'missing')."""
    from ..core.registry import get_family

    results = []
    for kp in key.problems:
        answers = {p.key: entries[f"{kp.number}{p.key}"].text
                   for p in kp.problem.parts if f"{kp.number}{p.key}" in entries}
        results.append(grade_problem(kp.problem, kp.number, answers, get_family(kp.problem.family)))
    return results
