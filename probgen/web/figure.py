"""A problem's figure as inline SVG: the computational graph (`figure["type"] == "graph"`),
laid out like the PDF's (layers by longest path from an input, left to right), or a line plot
(`"curves"`, web/plot.py)."""

from __future__ import annotations

import html
import math

from ..render.plain_math import latex_to_text

LAYER_GAP, ROW_GAP, RADIUS = 210, 120, 24


def figure_svg(figure: dict | None) -> str:
    if figure and figure.get("type") == "curves" and figure.get("series"):
        from .plot import curves_svg

        return curves_svg(figure)
    if figure and figure.get("type") == "heatmap" and figure.get("values"):
        return heatmap_svg(figure)
    if not figure or figure.get("type") != "graph" or not figure.get("nodes"):
        return ""
    nodes, edges = figure["nodes"], figure.get("edges", [])
    depth = _layers(nodes, edges)
    columns: dict[int, list[str]] = {}
    for n in nodes:
        columns.setdefault(depth[n["id"]], []).append(n["id"])
    tallest = max(len(c) for c in columns.values())
    pos = {}
    for layer, ids in columns.items():
        offset = (tallest - len(ids)) * ROW_GAP / 2
        for row, node_id in enumerate(ids):
            pos[node_id] = (70 + layer * LAYER_GAP, 50 + offset + row * ROW_GAP)
    width = 140 + max(columns) * LAYER_GAP + 120
    height = 60 + tallest * ROW_GAP
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="computational graph">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>']
    for e in edges:
        if e.get("from") not in pos or e.get("to") not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
        length = math.hypot(x2 - x1, y2 - y1) or 1
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        sx, sy, ex, ey = x1 + ux * RADIUS, y1 + uy * RADIUS, x2 - ux * (RADIUS + 2), y2 - uy * (RADIUS + 2)
        out.append(f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="#444" '
                   f'stroke-width="1.4" marker-end="url(#arrow)"/>')
        if e.get("label"):
            t = 0.45 if abs(ey - sy) < 1 else 0.3  # crossing edges: labels near their start, apart
            mx, my = sx + (ex - sx) * t, sy + (ey - sy) * t - 6
            out.append(f'<text x="{mx:.1f}" y="{my:.1f}" class="edge-label" text-anchor="middle">'
                       f'{_t(e["label"])}</text>')
    for n in nodes:
        x, y = pos[n["id"]]
        output = n["id"] == figure.get("output")
        out.append(f'<circle cx="{x}" cy="{y}" r="{RADIUS}" fill="{"#fdf1d6" if output else "#eef3fb"}" '
                   f'stroke="#2f6db5" stroke-width="1.5"/>')
        out.append(f'<text x="{x}" y="{y + 5}" text-anchor="middle" class="node-label">{_t(n.get("label", ""))}</text>')
        if n.get("op"):
            out.append(f'<text x="{x}" y="{y + RADIUS + 16}" text-anchor="middle" class="op-label">'
                       f'{_t(n["op"])}</text>')
    out.append("</svg>")
    return "".join(out)


def heatmap_svg(figure: dict) -> str:
    """Attention weights as the PDF draws them: gray cells (darker = larger), each with its value."""
    rows, cols, values = figure["rows"], figure["cols"], figure["values"]
    cw, ch, left, top = 72, 30, 24 + 8 * max(len(r) for r in rows), 46
    w, h = left + cw * len(cols) + 10, top + ch * len(rows) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
           f'aria-label="{html.escape(figure.get("ylabel", ""))} by {html.escape(figure.get("xlabel", ""))}" class="heatmap">',
           f'<text x="{left + cw * len(cols) / 2}" y="14" text-anchor="middle">{html.escape(figure.get("xlabel", ""))}</text>']
    for j, c in enumerate(cols):
        out.append(f'<text x="{left + (j + 0.5) * cw}" y="{top - 8}" text-anchor="middle">{html.escape(c)}</text>')
    for i, r in enumerate(rows):
        y = top + i * ch
        out.append(f'<text x="{left - 6}" y="{y + ch / 2 + 5}" text-anchor="end">{html.escape(r)}</text>')
        for j, v in enumerate(values[i]):
            g = round(255 * (1 - 0.8 * max(0.0, min(1.0, v))))
            ink = "#fff" if g < 140 else "#000"
            out.append(f'<rect x="{left + j * cw}" y="{y}" width="{cw}" height="{ch}" fill="rgb({g},{g},{g})" '
                       f'stroke="#999"/><text x="{left + (j + 0.5) * cw}" y="{y + ch / 2 + 5}" text-anchor="middle" '
                       f'fill="{ink}">{v:.2f}</text>')
    out.append("</svg>")
    return "".join(out)


def _t(tex: str) -> str:
    return html.escape(latex_to_text(str(tex)))


def _layers(nodes, edges) -> dict[str, int]:
    preds: dict[str, list[str]] = {n["id"]: [] for n in nodes}
    for e in edges:
        if e.get("from") in preds and e.get("to") in preds:
            preds[e["to"]].append(e["from"])
    depth: dict[str, int] = {}

    def visit(node_id, trail=()):
        if node_id in depth:
            return depth[node_id]
        if node_id in trail:
            return 0
        depth[node_id] = 1 + max((visit(p, trail + (node_id,)) for p in preds[node_id]), default=-1)
        return depth[node_id]

    for node_id in preds:
        visit(node_id)
    return depth
