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
from .sheet import SheetEntry, SheetError


def grade_sheet(key: GradingKey, entries: dict[str, SheetEntry]) -> list[ProblemResult]:
    """Every part of the key graded from the sheet's entries (absent ones are 'missing')."""
    from ..core.registry import get_family

    results = []
    for kp in key.problems:
        answers = {p.key: entries[f"{kp.number}{p.key}"].text
                   for p in kp.problem.parts if f"{kp.number}{p.key}" in entries}
        for p in kp.problem.parts:  # a true/false part's justification may have its own 'why' line
            why = entries.get(f"{kp.number}{p.key} why")
            if why is not None and p.kind != "truefalse":
                raise SheetError(f"line {why.line}: part {kp.number}{p.key} is not true/false and takes "
                                 "no 'why' line")
            if why is not None and why.text:
                answers[p.key] = f"{answers.get(p.key, '')} {why.text}".strip()
        results.append(grade_problem(kp.problem, kp.number, answers, get_family(kp.problem.family)))
    return results
