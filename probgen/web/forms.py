"""Answer inputs that fit each part, and the posted fields back into one answer text for the
grader's safe parser (the same one `probgen check` uses).

number, expression: one text box; vector: one box per entry; matrix: a grid; shape: one box per
dimension; choice: radio buttons; multi (select all that apply): a checkbox per option;
truefalse: T/F radio buttons and a labelled text area for the justification; short (and any other
kind): a text area. Each box must hold one value: a box with a bracket, comma or semicolon could change the answer's shape, so it
is refused ("could not read"), never joined in.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from ..grading.parse import ReadError, parse_number
from .mathhtml import inline

MAX_FIELD = 2000
_SEPARATORS = re.compile(r"[\[\];,\n\r]")


def grid_shape(part) -> tuple[int, ...]:
    """(n,) boxes for a vector or shape, (rows, cols) for a matrix, () for one field."""
    if part.kind in ("vector", "shape") and isinstance(part.answer, list):
        return (len(part.answer),)
    if part.kind == "matrix" and isinstance(part.answer, list) and part.answer and isinstance(part.answer[0], list):
        return (len(part.answer), len(part.answer[0]))
    return ()


def field_names(part) -> list[str]:
    if part.kind == "multi" and part.choices:
        return [f"ans_{part.key}_{letter}" for letter in sorted(part.choices)]
    if part.kind == "truefalse":
        return [f"ans_{part.key}", f"why_{part.key}"]
    shape = grid_shape(part)
    if len(shape) == 1:
        return [f"ans_{part.key}_{i}" for i in range(shape[0])]
    if len(shape) == 2:
        return [f"ans_{part.key}_{i}_{j}" for i in range(shape[0]) for j in range(shape[1])]
    return [f"ans_{part.key}"]


def _cell_values(answer: str | None, count: int) -> list[str]:
    """A stored answer split back into its boxes, to refill them (best effort, display only)."""
    if not answer or count <= 1:
        return [answer or ""] if count == 1 else [""] * count
    cells = [c.strip() for c in re.split(r"[\[\](),]+", answer) if c.strip()]
    return cells if len(cells) == count else [""] * count


def inputs_html(part, label: str, previous: str | None = None) -> Markup:
    """The part's input fields, labelled for screen readers, refilled with `previous`."""
    key, esc = part.key, (lambda s: html.escape(s or "", quote=True))
    shape = grid_shape(part)
    if part.kind == "choice" and part.choices:
        items = []
        for letter, text in sorted(part.choices.items()):
            checked = " checked" if previous and previous.strip().lower() == letter.lower() else ""
            items.append(f'<label class="choice"><input type="radio" name="ans_{key}" value="{esc(letter)}"{checked}> '
                         f"({esc(letter)}) {inline(text)}</label>")
        return Markup(f'<fieldset class="choices"><legend class="sr">Answer to {label}</legend>{"".join(items)}</fieldset>')
    if part.kind == "multi" and part.choices:
        marked = _marked(previous)
        items = [f'<label class="choice"><input type="checkbox" name="ans_{key}_{esc(letter)}" value="{esc(letter)}"'
                 f'{" checked" if letter in marked else ""}> ({esc(letter)}) {inline(text)}</label>'
                 for letter, text in sorted(part.choices.items())]
        return Markup(f'<fieldset class="choices"><legend class="sr">Answer to {label}: select all that apply</legend>'
                      f'{"".join(items)}</fieldset>')
    if part.kind == "truefalse":
        verdict, why = _tf_parts(previous)
        radios = "".join(f'<label class="choice tf"><input type="radio" name="ans_{key}" value="{v}"'
                         f'{" checked" if verdict == v else ""}> {word}</label>'
                         for v, word in (("T", "True"), ("F", "False")))
        return Markup(f'<div class="tf-answer"><fieldset class="choices"><legend class="sr">Answer to {label}: true or false'
                      f'</legend>{radios}</fieldset><label class="why" for="why_{key}">Justification for {label}</label>'
                      f'<textarea id="why_{key}" name="why_{key}" rows="3" cols="60">{esc(why)}</textarea></div>')
    if part.kind == "matrix" and len(shape) == 2:
        rows, cols = shape
        values = _cell_values(previous, rows * cols)
        cells = []
        for i in range(rows):
            row = "".join(
                f'<td><input class="cell" type="text" inputmode="decimal" autocomplete="off" name="ans_{key}_{i}_{j}" '
                f'aria-label="{label} row {i + 1} column {j + 1}" value="{esc(values[i * cols + j])}"></td>'
                for j in range(cols))
            cells.append(f"<tr>{row}</tr>")
        return Markup(f'<table class="grid" role="presentation" data-rows="{rows}" data-cols="{cols}">'
                      f'{"".join(cells)}</table>')
    if len(shape) == 1:
        values = _cell_values(previous, shape[0])
        what = "dimension" if part.kind == "shape" else "entry"
        boxes = "".join(
            f'<input class="cell" type="text" autocomplete="off" name="ans_{key}_{i}"'
            f'{"" if part.kind == "shape" else " inputmode=decimal"} aria-label="{label} {what} {i + 1}" '
            f'value="{esc(values[i])}">' for i in range(shape[0]))
        sep = "×" if part.kind == "shape" else ","
        joined = boxes.replace("><input", f'><span class="sep" aria-hidden="true">{sep}</span><input')
        left, right = ("(", ")") if part.kind == "shape" else ("[", "]")
        return Markup(f'<span class="boxes"><span aria-hidden="true">{left}</span>{joined}'
                      f'<span aria-hidden="true">{right}</span></span>')
    if part.kind in ("number", "expression"):
        mode = ' inputmode="decimal"' if part.kind == "number" else ""
        return Markup(f'<input class="wide" type="text" autocomplete="off" spellcheck="false" name="ans_{key}"{mode} '
                      f'aria-label="Answer to {label}" value="{esc(previous)}">')
    return Markup(f'<textarea name="ans_{key}" rows="4" cols="60" aria-label="Answer to {label}">{esc(previous)}</textarea>')


def _marked(previous: str | None) -> set[str]:
    """The letters of a stored select-all answer ("b, d"), to tick their boxes again."""
    return {c.lower() for c in re.findall(r"(?<![A-Za-z])([A-Za-z])(?![A-Za-z])", previous or "")}


def _tf_parts(previous: str | None) -> tuple[str, str]:
    from ..grading.choices import parse_truefalse

    if not previous:
        return "", ""
    try:
        return parse_truefalse(previous)
    except ReadError:
        return "", previous


class FieldError(ReadError):
    """A box that cannot be part of an answer (shown as 'could not read', like the parser's)."""


def answer_text(part, form) -> str | None:
    """The posted fields of `part` as one answer text; None when every field is empty. Raises
    FieldError for a box that would change the answer's structure or does not hold a number."""
    names = field_names(part)
    values = [str(form.get(name, "") or "") for name in names]
    if part.kind in ("multi", "truefalse"):
        return _concept_text(part, values)
    if any(len(v) > MAX_FIELD for v in values):
        raise FieldError(f"an entry is longer than {MAX_FIELD:,} characters")
    values = [v.strip() for v in values]
    if not any(values):
        return None
    shape = grid_shape(part)
    if not shape or part.kind == "choice":
        return values[0]
    what = "dimension" if part.kind == "shape" else "entry"
    for i, v in enumerate(values):
        where = f"{what} {i + 1}" if len(shape) == 1 else f"entry ({i // shape[1] + 1},{i % shape[1] + 1})"
        if not v:
            raise FieldError(f"{where} is empty")
        if _SEPARATORS.search(v):
            raise FieldError(f"{where}: one value per box (no brackets, commas or semicolons)")
        if part.kind != "shape":
            try:
                parse_number(v)
            except ReadError as exc:
                raise FieldError(f"{where}: {exc}") from None
    if part.kind == "shape":
        return "(" + ", ".join(values) + ")"
    if len(shape) == 1:
        return "[" + ", ".join(values) + "]"
    cols = shape[1]
    return "[" + ", ".join("[" + ", ".join(values[r * cols:(r + 1) * cols]) + "]" for r in range(shape[0])) + "]"


def _concept_text(part, values: list[str]) -> str | None:
    """multi: the ticked letters as "b, d"; truefalse: "T because <justification>". A posted value that
    is not the box's own (a hand-made form) is refused."""
    if any(len(v) > MAX_FIELD for v in values):
        raise FieldError(f"an entry is longer than {MAX_FIELD:,} characters")
    if part.kind == "multi":
        letters = sorted(part.choices)
        marked = []
        for letter, v in zip(letters, values):
            if v and v != letter:
                raise FieldError(f"option ({letter}) was posted as {v[:10]!r}, not as its letter")
            if v:
                marked.append(letter)
        return ", ".join(marked) or None
    verdict, why = values[0].strip(), " ".join(values[1].split())
    if verdict not in ("", "T", "F"):
        raise FieldError("true or false must be T or F")
    if not verdict:
        if why:
            raise FieldError("choose True or False as well as writing the justification")
        return None
    # "because" ends the verdict for the T/F reader: a justification starting "?" or "/" (or
    # "or ...") is the student's reasoning here, not a hedge (the verdict is a radio button)
    if not why:
        return verdict
    return f"{verdict} {why}" if why.lower().startswith("because ") else f"{verdict} because {why}"
