"""A student's feedback as PDF: the `probgen check` text report, set in a monospaced face on A4
(the text version is the same report; the PDF is for LMS upload or printing)."""

from __future__ import annotations

import io
import textwrap

SIZE, LEADING, MARGIN = 8.5, 11.0, 42.0


def feedback_pdf(report: str, title: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from ..render import mathtype as M

    font = M.face(M.FACES["tt"]).name
    width, height = A4
    columns = int((width - 2 * MARGIN) / (0.602 * SIZE))  # DejaVu Sans Mono: 0.602 em per character
    lines: list[str] = []
    for raw in report.split("\n"):
        indent = " " * (len(raw) - len(raw.lstrip(" ")))
        lines += textwrap.wrap(M.printable(raw), columns, subsequent_indent=indent + "  ",
                               drop_whitespace=False) or [""]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title)
    c.setAuthor("probgen")
    per_page = int((height - 2 * MARGIN) / LEADING)
    for start in range(0, len(lines), per_page):
        c.setFont(font, SIZE)
        y = height - MARGIN
        for line in lines[start:start + per_page]:
            c.drawString(MARGIN, y, line.rstrip())
            y -= LEADING
        c.setFont(font, 7)
        c.drawRightString(width - MARGIN, MARGIN / 2, f"{title} · page {start // per_page + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()
