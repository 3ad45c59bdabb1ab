"""A problem's computational graph as a PNG image (for HTML: LMS exports), laid out exactly as
the PDF draws it (`pdf_graph.GraphFigure` computes the positions); drawn with matplotlib, whose
labels are the project's own typesetter's boxes (`mathtype`, as in the PDF), drawn glyph run by
glyph run with the same fonts."""

from __future__ import annotations

import io
import math

from . import mathtype as M
from .mathtype.fonts import FONT_DIR
from .pdf_graph import EDGE_SIZE, GraphFigure

DPI = 144


def graph_png(figure: dict) -> bytes | None:
    """PNG bytes of a graph figure, or None for a figure type that is not a graph."""
    if figure.get("type") != "graph" or not figure.get("nodes"):
        return None
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    g = GraphFigure(figure)
    pad = 12.0
    xs = [x for x, _ in g.pos.values()]
    ys = [y for _, y in g.pos.values()]
    hw = max(h for h, _ in g.half.values())
    hh = max(h for _, h in g.half.values())
    up = down = 0.0  # room for arcs, above (bow > 0) or below the nodes
    for e, b in zip(g.edges, g.bows):  # an arc bulges by 0.15 of its chord (arc3, rad 0.3)
        if b and e["from"] in g.pos and e["to"] in g.pos:
            sag = 0.15 * math.dist(g.pos[e["from"]], g.pos[e["to"]]) + 12
            up, down = (max(up, sag), down) if b > 0 else (up, max(down, sag))
    x0, x1 = min(xs) - hw - pad, max(xs) + hw + pad
    y0, y1 = min(ys) - hh - pad - down, max(ys) + hh + pad + up + 10
    width, height = (x1 - x0) / 72, (y1 - y0) / 72  # layout units are points
    fig = Figure(figsize=(width, height), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.axis("off")

    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Circle, PathPatch, Rectangle
    from matplotlib.path import Path as MPath

    fonts: dict[str, FontProperties] = {}

    def draw_box(box, bx: float, by: float, backing: bool = False):
        """A box of the project's typesetter with its baseline's left end at (bx, by)."""
        if backing:
            ax.add_patch(Rectangle((bx - 1.5, by - box.d - 1), box.w + 3, box.h + box.d + 2, facecolor="white",
                                   edgecolor="none", zorder=3))
        for it in box.items:
            if it[0] == "g":
                _, gx, gy, file, size, text, yscale = it
                font = fonts.setdefault(file, FontProperties(fname=str(FONT_DIR / file)))
                ax.text(bx + gx, by + gy, text, fontproperties=font, fontsize=size * (yscale if yscale > 1 else 1),
                        ha="left", va="baseline", zorder=4)
            elif it[0] == "r":
                _, rx, ry, rw, rh = it
                ax.add_patch(Rectangle((bx + rx, by + ry), rw, rh, facecolor="black", edgecolor="none", zorder=4))
            elif it[0] == "p":
                _, lw, ops = it
                verts, codes = [], []
                for op, *pts in ops:
                    pairs = [(bx + pts[k], by + pts[k + 1]) for k in range(0, len(pts), 2)]
                    verts += pairs
                    codes += ([MPath.MOVETO] if op == "M" else [MPath.LINETO] if op == "L" else [MPath.CURVE4] * 3)
                ax.add_patch(PathPatch(MPath(verts, codes), facecolor="none", edgecolor="black", lw=lw, zorder=4))
            else:
                _, dx, dy, r = it
                ax.add_patch(Circle((bx + dx, by + dy), r, facecolor="black", edgecolor="none", zorder=4))

    def centred(box, x: float, y: float, backing: bool = False):
        draw_box(box, x - box.w / 2, y - (box.h - box.d) / 2, backing)

    placed: list[tuple[float, float, float, float]] = []
    for e, b, box in zip(g.edges, g.bows, g.edge_boxes):
        if e["from"] not in g.pos or e["to"] not in g.pos:
            continue
        (ax_, ay), (bx, by) = g.pos[e["from"]], g.pos[e["to"]]
        if b:  # an arc over (or under) the nodes it skips, leaving and entering the boxes' sides
            side = 1 if b > 0 else -1
            start = (ax_ + g.half[e["from"]][0] * 0.4, ay + side * g.half[e["from"]][1])
            end = (bx - g.half[e["to"]][0] * 0.4, by + side * (g.half[e["to"]][1] + 1.5))
            style = f"arc3,rad={-0.3 * side}"
        else:
            dx, dy = bx - ax_, by - ay
            dist = math.hypot(dx, dy) or 1.0
            ux, uy = dx / dist, dy / dist
            t1, t2 = g._boundary(e["from"], ux, uy), g._boundary(e["to"], ux, uy) + 1.5
            start, end = (ax_ + ux * t1, ay + uy * t1), (bx - ux * t2, by - uy * t2)
            style = "arc3"
        ax.add_patch(FancyArrowPatch(start, end, connectionstyle=style, arrowstyle="-|>", mutation_scale=9,
                                     lw=0.8, color="black", zorder=1, shrinkA=0, shrinkB=0))
        if box is not None:
            lw, lh = box.w + 3, box.h + box.d + 2
            best = None
            for t in (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8):
                cx = start[0] + (end[0] - start[0]) * t
                cy = start[1] + (end[1] - start[1]) * t + (b * 0.55 if b else 0.0)
                rect = (cx - lw / 2, cy - lh / 2, cx + lw / 2, cy + lh / 2)
                clash = sum(_overlap(rect, r) for r in placed)
                if best is None or clash < best[0]:
                    best = (clash, cx, cy, rect)
                if clash == 0:
                    break
            placed.append(best[3])
            centred(box, best[1], best[2], backing=True)
    out = figure.get("output")
    for i, n in g.nodes.items():
        x, y = g.pos[i]
        w, h = g.half[i]
        face = "#f2f2f2" if n.get("op") else "white"
        ax.add_patch(FancyBboxPatch((x - w, y - h), 2 * w, 2 * h, boxstyle="round,pad=0,rounding_size=8",
                                    facecolor=face, edgecolor="black", lw=0.9, zorder=2))
        if i == out:
            ax.add_patch(FancyBboxPatch((x - w - 2.5, y - h - 2.5), 2 * w + 5, 2 * h + 5,
                                        boxstyle="round,pad=0,rounding_size=10", facecolor="none",
                                        edgecolor="black", lw=0.9, zorder=2))
        centred(g.boxes[i], x, y)
        op, name = n.get("op") or "", n.get("label")
        if op and name and not op.replace(" ", "").startswith(name.replace(" ", "")):
            lab = M.typeset(name, EDGE_SIZE)
            draw_box(lab, x - lab.w / 2, y + h + 4 + lab.d)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _overlap(a, b) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0
