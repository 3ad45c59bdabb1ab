"""Problems as readable terminal text."""

from __future__ import annotations

import re
import textwrap

from ..model import Part, Problem
from ..numfmt import num
from .plain_math import latex_to_text, markup_to_text

WIDTH = 88
_DECIMAL = re.compile(r"-?\d+\.\d*")


def markup_lines(markup: str, indent: str = "") -> list[str]:
    lines: list[str] = []
    for block in markup.split("\n\n"):
        block = block.strip()
        if not block:
            continue
        if block == "[[figure]]":
            continue  # the figure's content is in the statement's text too; PDFs draw it
        if block.startswith("|") or block.startswith("- ") or block.startswith("$$"):
            for line in block.splitlines():
                if set(line.replace("|", "").strip()) <= set("-: "):
                    continue  # a markdown table rule
                if line.startswith("|"):
                    cells = [markup_to_text(c.strip()) for c in line.strip().strip("|").split("|")]
                    lines.append(indent + "  " + " | ".join(cells))
                elif line.startswith("$$"):
                    lines.append(indent + "    " + latex_to_text(line.strip().strip("$")))
                else:
                    lines.append(indent + markup_to_text(line))
        else:
            text = markup_to_text(" ".join(block.splitlines()))
            lines.extend(textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [""])
        lines.append("")
    return lines


def format_answer(part: Part) -> str:
    """The reference answer of a part, exact form first where it says more than the decimal."""
    value = part.answer
    if part.kind == "number":
        decimal = num(value, 10)
        exact = latex_to_text(part.latex) if part.latex else decimal  # no display form: decimal alone, as in the PDF key
        if exact == decimal or _DECIMAL.fullmatch(exact):  # a long decimal says nothing the rounded one doesn't
            return decimal
        return f"{exact} ≈ {decimal}"
    if part.kind == "vector":
        return "[" + ", ".join(num(v, 10) for v in value) + "]"
    if part.kind == "matrix":
        return "[" + ", ".join("[" + ", ".join(num(v, 10) for v in row) + "]" for row in value) + "]"
    if part.kind == "shape":
        return " × ".join(value)
    if part.kind == "expression":
        return latex_to_text(part.latex) if part.latex else str(value)
    if part.kind == "choice":
        text = (part.choices or {}).get(value, "")
        return f"({value}) {markup_to_text(text)}".strip()
    return str(value)


def render_problem(problem: Problem, number: int | None = None, show_solution: bool = False) -> str:
    label = f"Problem {number}" if number is not None else "Problem"
    conv = f", {problem.convention} convention" if problem.convention else ""
    head = f"{label}: {problem.title}  [{problem.points} pts]"
    meta = f"({problem.family}, seed {problem.seed}, {problem.difficulty}{conv})"
    lines = [head, meta, ""]
    lines += markup_lines(problem.statement)
    for part in problem.parts:
        tag = f"({part.key}) [{part.points} pt{'s' if part.points != 1 else ''}] "
        body = markup_lines(part.prompt, indent="    ")
        if body:
            body[0] = tag + body[0].lstrip()
        lines += body
        if part.choices:
            for letter, text in part.choices.items():
                lines.append(f"      ({letter}) {markup_to_text(text)}")
            lines.append("")
        if show_solution:
            lines.append(f"    Answer: {format_answer(part)}")
            lines.append("")
    if show_solution and problem.steps:
        lines.append("Worked solution:")
        for step in problem.steps:
            lines += markup_lines(step.text, indent="    " if step.part else "  ")
    return "\n".join(lines).rstrip() + "\n"
