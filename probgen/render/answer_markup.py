"""A part's final answer as markup (exact form and decimal), for the answer key.

Formats what the part already holds (Part.latex, Part.answer, Part.exact); computes nothing."""

from __future__ import annotations

import re

from ..core.numfmt import group, num, short_exact, tnum


def _dec(x) -> str:
    """A decimal as LaTeX; a whole number of five or more digits in thin-space groups
    (2\\,655\\,744), as every other number on the sheets."""
    return group(x) if float(x).is_integer() and abs(x) >= 1e4 and abs(x) < 1e15 else tnum(x, 6)


def _close(a: str, b: str) -> bool:
    return a.replace(" ", "") == b.replace(" ", "")


def answer_markup(part) -> str:
    """The final answer of a part as markup: exact form and decimal."""
    if part.kind == "number":
        dec = _dec(part.answer)
        exact = part.latex if short_exact(part.exact) else None
        if exact and not _close(exact, dec) and not _close(exact, num(part.answer, 15)):
            rel = "=" if num(part.answer, 15) == num(part.answer, 6) else r"\approx"
            return f"${exact} {rel} {dec}$"
        return f"${dec}$"
    if part.kind in ("vector", "matrix"):
        rows = part.answer if part.kind == "matrix" else [part.answer]
        dec = [[_dec(v) for v in row] for row in rows]
        # the exact form only where the build's policy gave one (core.build.show_exact)
        ex = part.latex or None
        if part.kind == "vector":
            fmt = lambda row: r"\left[" + r",\ ".join(row[0]) + r"\right]"  # noqa: E731
            same = ex is not None and all(num(v, 15) == num(v, 6) for v in part.answer)
        else:
            fmt = lambda m: r"\begin{bmatrix} " + r" \\ ".join(" & ".join(r) for r in m) + r" \end{bmatrix}"  # noqa: E731
            same = ex is not None and all(num(v, 15) == num(v, 6) for row in part.answer for v in row)
        rel = "=" if same else r"\approx"
        body = fmt(dec) if ex is None else f"{ex} {rel} {fmt(dec)}"
        return f"$${body}$$" if part.kind == "matrix" else f"${body}$"
    if part.kind == "shape":
        return "$" + r" \times ".join(_dim(d) for d in part.answer) + "$"
    if part.kind == "expression":
        return f"${part.latex}$" if part.latex else f"`{part.answer}`"
    if part.kind == "choice":
        text = (part.choices or {}).get(part.answer, "")
        return f"**({part.answer})** {text}".strip()
    return f"`{part.answer}`"


def _dim(d: str) -> str:
    d = str(d)
    if re.fullmatch(r"\d+|[A-Za-z]", d):
        return d
    if re.fullmatch(r"[A-Za-z]+_[A-Za-z0-9]+", d):
        base, sub = d.split("_", 1)
        return rf"{base}_{{\mathrm{{{sub}}}}}"
    return rf"\mathrm{{{d}}}"
