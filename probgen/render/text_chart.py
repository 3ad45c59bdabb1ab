"""Figures as terminal text: a plot (`{"type": "curves"}`) becomes a small table, one row per x
(every `table_every`-th x for a densely sampled function), and a heatmap a table of its values.
Other figure types (computational graphs) print nothing: their content is in the statement."""

from __future__ import annotations

from ..core.numfmt import minus_sign, num


def _table(head: list[str], rows: list[list[str]], title: str | None = None) -> list[str]:
    widths = [max(len(r[c]) for r in [head] + rows) for c in range(len(head))]
    fmt = lambda r: "  " + " | ".join(cell.rjust(w) for cell, w in zip(r, widths))  # noqa: E731
    out = [f"  {title}"] if title else []
    out += [fmt(head), "  " + "-+-".join("-" * w for w in widths)] + [fmt(r) for r in rows]
    return out + [""]


def figure_lines(figure: dict | None) -> list[str]:
    if not figure:
        return []
    if figure.get("type") == "heatmap":
        head = [f"{figure.get('ylabel', '')} \\ {figure.get('xlabel', '')}".strip()] + list(figure["cols"])
        rows = [[name] + [minus_sign(f"{v:.2f}") for v in values] for name, values in zip(figure["rows"], figure["values"])]
        return _table(head, rows, figure.get("title"))
    if figure.get("type") != "curves":
        return []
    series = figure["series"]
    every = figure.get("table_every", 1)
    head = [figure.get("xlabel", "x")] + [s["name"] for s in series]
    xs = figure["x"]
    firsts = [i for i, x in enumerate(xs) if i == 0 or x != xs[i - 1]]  # a step repeats its x: its left value
    rows = [[minus_sign(num(xs[i]))] + [minus_sign(num(s["y"][i], 3)) for s in series] for i in firsts[::every]]
    return _table(head, rows, figure.get("title"))
