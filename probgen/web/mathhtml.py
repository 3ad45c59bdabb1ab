"""Problem markup (see `core.markup`) as HTML, with the math typeset server-side as MathML
(latex2mathml): no script, no CDN, works offline. Text outside math is escaped; a formula that
cannot be converted falls back to its plain-text form."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup

from ..render.plain_math import latex_to_text

_INLINE = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_CODE = re.compile(r"`([^`\n]+)`")


@lru_cache(maxsize=4096)
def math(tex: str, display: bool = False) -> str:
    from latex2mathml.converter import convert

    try:
        mathml = convert(tex, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - an unknown command: the plain-text form still reads
        return f'<span class="math-text">{html.escape(latex_to_text(tex))}</span>'
    alt = html.escape(latex_to_text(tex), quote=True)
    return mathml.replace("<math ", f'<math aria-label="{alt}" ', 1)


def inline(text: str) -> str:
    """A paragraph's text: escaped, **bold**, $math$."""
    out, last = [], 0
    for m in _INLINE.finditer(text):
        out.append(_text(text[last:m.start()]))
        out.append(math(m.group(1) or m.group(2), display=m.group(1) is not None))
        last = m.end()
    out.append(_text(text[last:]))
    return "".join(out)


def _text(text: str) -> str:
    return _CODE.sub(r"<code>\1</code>", _BOLD.sub(r"<strong>\1</strong>", html.escape(text, quote=False)))


def markup_html(markup: str, figure_svg: str = "") -> Markup:
    """Blocks separated by blank lines: paragraphs, $$display$$, | tables |, - lists, [[figure]]."""
    out: list[str] = []
    for block in markup.split("\n\n"):
        block = block.strip()
        if not block:
            continue
        if block == "[[figure]]":
            if figure_svg:
                out.append(f'<figure class="figure">{figure_svg}</figure>')
            continue
        lines = block.splitlines()
        if all(line.startswith("|") for line in lines):
            out.append(_table(lines))
        elif all(line.startswith("- ") for line in lines):
            out.append("<ul>" + "".join(f"<li>{inline(line[2:])}</li>" for line in lines) + "</ul>")
        elif all(line.startswith("$$") for line in lines):
            out += [f'<div class="display">{math(line.strip().strip("$"), display=True)}</div>' for line in lines]
        else:
            out.append(_mixed(lines))
    return Markup("\n".join(out))


def _mixed(lines: list[str]) -> str:
    """A paragraph, possibly with display lines or table rows inside it."""
    parts, para = [], []

    def flush():
        if para:
            parts.append(f"<p>{inline(' '.join(para))}</p>")
            para.clear()

    rows: list[str] = []
    for line in lines:
        if line.startswith("|"):
            flush()
            rows.append(line)
            continue
        if rows:
            parts.append(_table(rows))
            rows = []
        if line.startswith("$$") and line.rstrip().endswith("$$"):
            flush()
            parts.append(f'<div class="display">{math(line.strip().strip("$"), display=True)}</div>')
        else:
            para.append(line)
    if rows:
        parts.append(_table(rows))
    flush()
    return "\n".join(parts)


def _table(lines: list[str]) -> str:
    rows = [line for line in lines if not set(line.replace("|", "").strip()) <= set("-: ")]
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    if not cells:
        return ""
    head = "".join(f'<th scope="col">{inline(c)}</th>' for c in cells[0])
    body = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>" for row in cells[1:])
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def tex_html(tex: str | None) -> Markup:
    return Markup(math(tex) if tex else "")
