"""Figures as terminal text: a plot (`{"type": "curves"}`) becomes a small table, one row per x.
Other figure types (computational graphs) print nothing: their content is in the statement."""

from __future__ import annotations

from ..core.numfmt import num


def figure_lines(figure: dict | None) -> list[str]:
    if not figure or figure.get("type") != "curves":
        return []
    series = figure["series"]
    head = [figure.get("xlabel", "x")] + [s["name"] for s in series]
    minus = lambda text: text.replace("-", "\u2212")  # noqa: E731  (cells are numbers: a true minus)
    rows = [[minus(num(x))] + [minus(num(s["y"][i], 3)) for s in series] for i, x in enumerate(figure["x"])]
    widths = [max(len(r[c]) for r in [head] + rows) for c in range(len(head))]
    fmt = lambda r: "  " + " | ".join(cell.rjust(w) for cell, w in zip(r, widths))  # noqa: E731
    title = figure.get("title")
    out = [f"  {title}"] if title else []
    out += [fmt(head), "  " + "-+-".join("-" * w for w in widths)] + [fmt(r) for r in rows]
    return out + [""]
