"""The statement markup (probgen.core.markup) as HTML for a learning management system.

Math stays TeX, between the delimiters MathJax reads by default and Moodle's MathJax filter and
Canvas both render: `\\( ... \\)` inline and `\\[ ... \\]` displayed. Everything else is escaped
HTML: paragraphs, **bold**, `code`, bullet lists, tables (first row the header) and the problem's
figure as an <img> whose source the caller names.
"""

from __future__ import annotations

import html
import re

_INLINE = re.compile(r"(\$[^$]+\$|\*\*|`[^`]*`)")
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)


def inline(text: str) -> str:
    """One paragraph's text: `$math$`, **bold**, `code`; line breaks become spaces."""
    out, bold = [], False
    for piece in _INLINE.split(" ".join(text.split("\n"))):
        if not piece:
            continue
        if piece == "**":
            out.append("</b>" if bold else "<b>")
            bold = not bold
        elif piece.startswith("$") and len(piece) > 2:
            out.append(math(piece[1:-1]))
        elif piece.startswith("`") and piece.endswith("`") and len(piece) >= 2:
            out.append(f"<code>{html.escape(piece[1:-1], quote=False)}</code>")
        else:
            out.append(html.escape(piece, quote=False))
    if bold:
        out.append("</b>")
    return "".join(out)


def math(tex: str, display: bool = False) -> str:
    tex = " ".join(tex.split())
    body = html.escape(tex, quote=False)  # the browser turns &lt; back into < before MathJax reads it
    return rf"\[{body}\]" if display else rf"\({body}\)"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def blocks(markup: str, figure_html: str = "") -> str:
    """HTML for a statement, prompt or solution step. `figure_html` replaces `[[figure]]`."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", markup.strip()):
        block = block.strip()
        if not block:
            continue
        if block == "[[figure]]":
            if figure_html:
                out.append(figure_html)
            continue
        lines = block.splitlines()
        if all(line.lstrip().startswith("|") for line in lines):
            rows = [_cells(line) for line in lines if not set(line.replace("|", "").strip()) <= set("-: ")]
            head, body = rows[0], rows[1:]
            cells = "".join(f"<th>{inline(c)}</th>" for c in head)
            trs = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>" for row in body)
            out.append(f'<table class="probgen-table"><thead><tr>{cells}</tr></thead><tbody>{trs}</tbody></table>')
            continue
        if lines[0].startswith("- ") and all(line.startswith("- ") or line.startswith("  ") for line in lines):
            items: list[str] = []
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:])
                else:
                    items[-1] += " " + line.strip()
            out.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>")
            continue
        pos = 0
        for m in _DISPLAY.finditer(block):
            text = block[pos:m.start()].strip()
            if text:
                out.append(f"<p>{inline(text)}</p>")
            out.append(f'<p class="probgen-display">{math(m.group(1), display=True)}</p>')
            pos = m.end()
        text = block[pos:].strip()
        if text:
            out.append(f"<p>{inline(text)}</p>")
    return "\n".join(out)
