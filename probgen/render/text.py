"""Problems as readable terminal text."""

from __future__ import annotations

import re
import textwrap
import unicodedata

from ..core.model import Part, Problem
from ..core.numfmt import num, short_exact
from . import concepts
from ..core.tolerance import accepted_text
from .plain_math import latex_to_text, markup_to_text, prose_subscripts
from .text_chart import figure_lines

WIDTH = 88
_DECIMAL = re.compile(r"[-\u2212]?\d+\.\d*")
_NUMBER = re.compile(r"[-\u2212]?(\d[\d\u2009\u202f]*)?\.?\d+(e[-\u2212]?\d+)?")  # a table cell set flush right
# A hyphen-minus that is a minus sign: a unary minus (before a number, a bracket, a root or a
# letter, not after a word or a closing bracket: "x-axis" and "1e-8" keep theirs) and a binary
# minus between spaces. A list item's leading "- " is left alone.
_UNARY_MINUS = re.compile(r"(?<![\w.)\]}'’])-(?=[\d.(\[{√∞\w])")
_BINARY_MINUS = re.compile(r"(?<=\S) - (?=\S)")
# ... and an unspaced one between two one-character operands, as in (1-p), K-1 or 1-β₁ᵗ (the right
# one lower case, a digit or Greek, so "2-D", "x-axis" and "10-fold" stay hyphenated).
_TIGHT_MINUS = re.compile(r"(?<![\w.])([A-Za-z0-9\u03b1-\u03c9])-(?=[a-z0-9\u03b1-\u03c9](?![A-Za-z0-9.]))")
_OPEN_MINUS = re.compile(r"(?<=\()- (?=\d)")  # "e^(- 1/2)"


def _plain(markup: str) -> str:
    # x_t, w_h written in prose print as xₜ, w_h -> wₕ, as the PDF typesets them (TA re-rating)
    return minus_signs(markup_to_text(prose_subscripts(markup, unicode=False)))


def plain_text(markup: str) -> str:
    """One line of prose markup as the terminal prints it: math as Unicode, prose subscripts
    (x_t, β_t) as subscripts (xₜ, βₜ), true minus signs."""
    return _plain(markup)


def minus_signs(text: str) -> str:
    """`text` with a true minus sign (U+2212) wherever a hyphen-minus stands for one, as the PDF
    prints it. What a student types back is read either way (the grader's lexer maps U+2212 to -)."""
    text = _BINARY_MINUS.sub(" \u2212 ", _UNARY_MINUS.sub("\u2212", text))
    return _OPEN_MINUS.sub("\u2212", _TIGHT_MINUS.sub("\\1\u2212", text))


_LATEX_TOKEN = re.compile(r"\\(?:[A-Za-z]+|.)|.", re.S)
_OPEN, _CLOSE = {"{", r"\left", r"\begin"}, {"}", r"\right", r"\end"}


def _latex_pieces(latex: str) -> list[str]:
    r"""A display formula cut where a line may break: after its top-level commas and at its
    \quad spaces (the comma stays with the piece before it, the space goes)."""
    pieces, current, depth = [], [], 0
    for tok in _LATEX_TOKEN.findall(latex):
        depth += (tok in _OPEN) - (tok in _CLOSE)
        if depth == 0 and tok in (r"\quad", r"\qquad"):
            pieces.append("".join(current))
            current = []
            continue
        current.append(tok)
        if depth == 0 and tok == ",":
            pieces.append("".join(current))
            current = []
    pieces.append("".join(current))
    return [p.strip() for p in pieces if p.strip()]


def _matrix_rows(line: str, width: int) -> list[str]:
    """A line still too wide whose only matrix can go one row per line, under its first row."""
    start = line.find("[[")
    if len(line) <= width or start < 0 or line.find("[[", start + 2) >= 0:
        return [line]
    rows, depth, cut = [], 0, start + 1
    for i in range(start + 1, len(line)):
        depth += (line[i] == "[") - (line[i] == "]")
        if depth == 0 and line[i] == ",":
            rows.append(line[cut:i + 1].strip())
            cut = i + 1
    rows.append(line[cut:].strip())
    head = line[:start + 1]
    return [head + rows[0]] + [" " * len(head) + row for row in rows[1:]]


def display_lines(latex: str, width: int) -> list[str]:
    """A display formula as terminal lines of at most `width` where it can: equations side by
    side while they fit, then one per line, and a matrix one row per line."""
    text = minus_signs(latex_to_text(latex))
    if len(text) <= width:
        return [text]
    out, current = [], ""
    for piece in (minus_signs(latex_to_text(p)) for p in _latex_pieces(latex)):
        if current and len(current) + 1 + len(piece) > width:
            out.append(current)
            current = piece
        else:
            current = f"{current} {piece}" if current else piece
    out.append(current)
    return [row for line in out for row in _matrix_rows(line, width)]


def _width(text: str) -> int:
    """Columns a terminal gives the text: combining marks (the hat of ŷ) take none."""
    return sum(not unicodedata.combining(ch) for ch in text)


def _aligned(rows: list[list[str]]) -> list[str]:
    """A table's rows with its columns lined up: labels to the left, numbers to the right."""
    widths = [max(_width(r[i]) for r in rows if i < len(r)) for i in range(max(map(len, rows), default=0))]

    def cell(text: str, i: int) -> str:
        pad = " " * (widths[i] - _width(text))
        return pad + text if _NUMBER.fullmatch(text) else text + pad

    return [" | ".join(cell(c, i) for i, c in enumerate(r)).rstrip() for r in rows]


def markup_lines(markup: str, indent: str = "", first: str | None = None, figure=None) -> list[str]:
    """`first`: the first line's lead instead of `indent` (a part's "(a) [2 pts] "), counted
    in the wrapping width. `figure`: the problem's figure, for figures drawn as text."""
    lines: list[str] = []
    for block in markup.split("\n\n"):
        block = block.strip()
        if not block:
            continue
        if block == "[[figure]]":
            # a graph's content is in the statement's text too; a plot becomes a text chart
            lines += [indent + line for line in figure_lines(figure)] if figure else []
            continue
        if block.startswith("|") or block.startswith("- ") or block.startswith("$$"):
            rows = [[_plain(c.strip()) for c in line.strip().strip("|").split("|")]
                    for line in block.splitlines() if line.startswith("|")
                    and not set(line.replace("|", "").strip()) <= set("-: ")]  # not a markdown rule
            table = iter(_aligned(rows))
            for line in block.splitlines():
                if set(line.replace("|", "").strip()) <= set("-: "):
                    continue  # a markdown table rule
                if line.startswith("|"):
                    lines.append(indent + "  " + next(table))
                elif line.startswith("$$"):
                    lead = indent + "    "
                    lines.extend(lead + piece for piece in display_lines(line.strip().strip("$"),
                                                                         WIDTH - len(lead)))
                elif line.startswith("- "):  # a list item wraps under its text
                    lines.extend(textwrap.wrap(_plain(line[2:]), WIDTH, initial_indent=indent + "- ",
                                               subsequent_indent=indent + "  ") or [indent + "-"])
                else:
                    lines.append(indent + _plain(line))
        else:
            text = _plain(" ".join(block.splitlines()))
            lead = first if first is not None and not lines else indent
            lines.extend(textwrap.wrap(text, WIDTH, initial_indent=lead, subsequent_indent=indent) or [""])
        lines.append("")
    return lines


def format_answer(part: Part, digits: int = 10) -> str:
    """The reference answer of a part, exact form first where it says more than the decimal;
    decimals to `digits` significant figures; negative numbers with a true minus sign."""
    return minus_signs(_answer_text(part, digits))


def _answer_text(part: Part, digits: int) -> str:
    value = part.answer
    if part.kind == "number":
        decimal = num(value, digits)
        # no display form, or a long one: the decimal alone, as in the PDF key
        exact = latex_to_text(part.latex) if part.latex and short_exact(part.exact) else decimal
        if exact == decimal or _DECIMAL.fullmatch(exact):  # a long decimal says nothing the rounded one doesn't
            return decimal
        return f"{exact} ≈ {decimal}"
    if part.kind == "vector":
        return "[" + ", ".join(num(v, digits) for v in value) + "]"
    if part.kind == "matrix":
        return "[" + ", ".join("[" + ", ".join(num(v, digits) for v in row) + "]" for row in value) + "]"
    if part.kind == "shape":
        return " × ".join(value)
    if part.kind == "expression":
        return latex_to_text(part.latex) if part.latex else str(value)
    if part.kind == "choice":
        text = (part.choices or {}).get(value, "")
        return f"({value}) {_plain(text)}".strip()
    if part.kind in concepts.KINDS:  # prose subscripts (β_t) as the worked solution prints them (βₜ)
        return _plain(concepts.answer_text(part))
    return str(value)


def render_problem(problem: Problem, number: int | None = None, show_solution: bool = False) -> str:
    label = f"Problem {number}" if number is not None else "Problem"
    conv = f", {problem.convention} convention" if problem.convention else ""
    head = f"{label}: {problem.title}  [{problem.points} pts]"
    meta = f"({problem.family}, seed {problem.seed}, {problem.difficulty}{conv})"
    lines = [head, meta, ""]
    lines += markup_lines(problem.statement, figure=problem.figure)
    for part in problem.parts:
        tag = f"({part.key}) [{part.points} pt{'s' if part.points != 1 else ''}] "
        body = markup_lines(part.prompt, indent="    ", first=tag, figure=problem.figure)
        if body and not body[0].startswith(tag):  # the prompt opens with a table or formula
            body[0] = tag + body[0].lstrip()
        lines += body
        if part.choices:
            for letter, text in part.choices.items():
                lines += textwrap.wrap(_plain(text), WIDTH, initial_indent=f"      ({letter}) ",
                                       subsequent_indent=" " * (9 + len(letter)))
            lines.append("")
        if concepts.instruction(part):
            lines += markup_lines(concepts.instruction(part), indent="    ")
        if show_solution and part.kind in concepts.KINDS:
            lines += markup_lines(concepts.key_markup(part, label=True), indent="    ")
        elif show_solution:
            lines += textwrap.wrap(f"Answer: {format_answer(part)}", WIDTH, initial_indent="    ",
                                   subsequent_indent="    ")
            accepted = accepted_text(part)
            if accepted:
                lines += textwrap.wrap(minus_signs(f"({accepted})"), WIDTH, initial_indent="    ", subsequent_indent="    ")
            lines.append("")
    if show_solution and problem.steps:
        lines.append("Worked solution:")
        before = None
        for step in problem.steps:  # a part's first step carries its key in the margin
            body = markup_lines(step.text, indent="    " if step.part else "  ")
            lines += _labelled(body, step.part) if step.part != before else body
            before = step.part
    return "\n".join(lines).rstrip() + "\n"


def _labelled(lines: list[str], part: str | None) -> list[str]:
    """A part's worked-solution lines with its key in the left margin, '(a) ...', as the PDF key
    labels them (10a): a concept problem's option bullets '- (a) right: ...' say which part they
    belong to."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if not part or first is None:
        return lines
    tag = f"({part})"
    if len(tag) < 4 and lines[first].startswith("    "):
        return lines[:first] + [tag.ljust(4) + lines[first][4:]] + lines[first + 1:]
    return lines[:first] + [tag] + lines[first:]

