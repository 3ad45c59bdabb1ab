"""A problem's computational graph as a drawing: operation nodes, arrows, labels.

`problem.figure` = {"type": "graph", "nodes": [{"id", "label", "op"?}], "edges": [{"from", "to",
"label"?}], "output": id}; labels are LaTeX-subset text without dollars. Nodes sit in layers by
their longest path from an input, left to right; within a layer they are ordered by the mean
position of their predecessors so arrows cross little."""

from __future__ import annotations

import math

from reportlab.lib import colors
from reportlab.platypus import Flowable

from . import mathtype as M

NODE_SIZE = 10.0
EDGE_SIZE = 8.5
LAYER_GAP = 92.0
ROW_GAP = 58.0
OP_SYMBOLS = {"mul": r"\times", "*": r"\times", "times": r"\times", "add": "+", "+": "+", "sub": "-",
              "-": "-", "div": r"\div", "/": r"\div", "pow": "x^n", "square": "x^2", "exp": r"\exp",
              "log": r"\log", "neg": "-", "relu": r"\mathrm{ReLU}", "sigmoid": r"\sigma", "tanh": r"\tanh",
              "max": r"\max", "sum": r"\sum", "dot": r"\cdot", "matmul": r"\times", "sqrt": r"\sqrt{\ }"}


def layers(nodes: list[dict], edges: list[dict]) -> dict[str, int]:
    ids = [n["id"] for n in nodes]
    preds: dict[str, list[str]] = {i: [] for i in ids}
    for e in edges:
        if e["from"] in preds and e["to"] in preds:
            preds[e["to"]].append(e["from"])
    depth: dict[str, int] = {}

    def visit(i, trail=()):
        if i in depth:
            return depth[i]
        if i in trail:  # a cycle is a bug in the family; draw it flat rather than recurse forever
            return 0
        depth[i] = 1 + max((visit(p, trail + (i,)) for p in preds[i]), default=-1)
        return depth[i]

    for i in ids:
        visit(i)
    return depth


class GraphFigure(Flowable):
    def __init__(self, figure: dict, indent: float = 0.0):
        super().__init__()
        self.fig, self.indent = figure, indent
        self.spaceBefore, self.spaceAfter = 4.0, 10.0
        nodes, edges = figure.get("nodes", []), figure.get("edges", [])
        self.nodes = {n["id"]: n for n in nodes}
        self.edges = edges
        depth = layers(nodes, edges)
        by_layer: dict[int, list[str]] = {}
        for n in nodes:
            by_layer.setdefault(depth[n["id"]], []).append(n["id"])
        # order within a layer by the mean row of predecessors (barycentre), one pass left to right
        row: dict[str, float] = {}
        preds = {i: [e["from"] for e in edges if e["to"] == i] for i in self.nodes}
        for d in sorted(by_layer):
            members = by_layer[d]
            if d:
                members.sort(key=lambda i: (sum(row[p] for p in preds[i] if p in row) / max(1, len([p for p in preds[i] if p in row]))
                                            if preds[i] else 0.0))
            for k, i in enumerate(members):
                row[i] = k - (len(members) - 1) / 2
        # nodes are rounded boxes showing the operation ("x = tanh(u)") or the input's name
        self.boxes, self.half = {}, {}
        for i, n in self.nodes.items():
            op = n.get("op")
            text = OP_SYMBOLS.get(op, op) if op else (n.get("label") or i)
            box = M.typeset(text, NODE_SIZE)
            self.boxes[i] = box
            self.half[i] = (max(box.w / 2 + 8.0, 13.0), max((box.h + box.d) / 2 + 6.0, 11.0))
        ncols = max(by_layer) + 1 if by_layer else 1
        col_w = [max(2 * self.half[i][0] for i in by_layer.get(d, [])) for d in range(ncols)]
        self.edge_boxes = [M.typeset(e["label"], EDGE_SIZE) if e.get("label") else None for e in edges]
        widest = max((b.w for b in self.edge_boxes if b is not None), default=0.0)
        gap = max(46.0, 1.8 * widest + 24.0)  # room for the weights written on the arrows
        xs, x = [], 0.0
        for d in range(ncols):
            xs.append(x + col_w[d] / 2)
            x += col_w[d] + gap
        row_gap = max(42.0, 2 * max((h for _, h in self.half.values()), default=11) + 24
                      + (16.0 if widest else 0.0))
        self.pos = {i: (xs[depth[i]], -row[i] * row_gap) for i in self.nodes}
        nrows = max(len(m) for m in by_layer.values()) if by_layer else 1
        self.graph_w = x - gap + 8
        self.graph_h = (nrows - 1) * row_gap + 2 * max((h for _, h in self.half.values()), default=11) + 30
        # An edge that skips a layer and whose straight line would run through another node
        # (u -> w past x and y in a chain) is drawn as an arc, alternately above and below, so no path of the graph hides.
        self.bows: list[float] = []
        arcs = 0
        for e in edges:
            bow = 0.0
            if (e["from"] in self.pos and e["to"] in self.pos
                    and depth[e["to"]] - depth[e["from"]] > 1 and self._blocked(e["from"], e["to"])):
                arcs += 1
                bow = (0.55 * row_gap + 12.0 * ((arcs - 1) // 2)) * (1 if arcs % 2 else -1)
            self.bows.append(bow)
        tallest_bow = max((abs(b) for b in self.bows), default=0.0)
        self.graph_h += 2 * tallest_bow

    def wrap(self, aw, ah):
        avail = aw - self.indent
        self.scale = min(1.0, avail / self.graph_w)
        self.width = aw
        self.height = self.graph_h * self.scale
        return aw, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        x0 = self.indent + max(0.0, (self.width - self.indent - self.graph_w * self.scale) / 2)
        c.translate(x0, 0)
        c.scale(self.scale, self.scale)
        c.translate(4, self.graph_h / 2)
        c.setStrokeColor(colors.black)
        c.setFillColor(colors.black)
        self._placed = []
        labels = [self._arc(c, e, bow) if bow else self._edge(c, e) for e, bow in zip(self.edges, self.bows)]
        for e, box, seg in zip(self.edges, self.edge_boxes, labels):
            if box is not None and seg is not None:
                self._label(c, box, *seg)
        out = self.fig.get("output")
        for i, n in self.nodes.items():
            x, y = self.pos[i]
            hw, hh = self.half[i]
            c.setLineWidth(0.9)
            c.setFillColor(colors.HexColor("#f2f2f2") if n.get("op") else colors.white)
            c.roundRect(x - hw, y - hh, 2 * hw, 2 * hh, min(hh, 9), stroke=1, fill=1)
            if i == out:
                c.roundRect(x - hw - 2.5, y - hh - 2.5, 2 * hw + 5, 2 * hh + 5, min(hh, 9) + 2, stroke=1, fill=0)
            c.setFillColor(colors.black)
            box = self.boxes[i]
            M.draw(c, box, x - box.w / 2, y - (box.h - box.d) / 2)
            label = n.get("label")
            op = n.get("op") or ""
            if op and label and not op.replace(" ", "").startswith(label.replace(" ", "")):
                lab = M.typeset(label, EDGE_SIZE)
                M.draw(c, lab, x - lab.w / 2, y + hh + 4 + lab.d)
        c.restoreState()

    def _boundary(self, i, ux, uy):
        hw, hh = self.half[i]
        t = min(hw / abs(ux) if ux else 1e9, hh / abs(uy) if uy else 1e9)
        return t

    def _edge(self, c, e):
        """Draw the arrow; return its visible segment (for the label)."""
        if e["from"] not in self.pos or e["to"] not in self.pos:
            return None
        (x1, y1), (x2, y2) = self.pos[e["from"]], self.pos[e["to"]]
        dx, dy = x2 - x1, y2 - y1
        dist = math.hypot(dx, dy) or 1.0
        ux, uy = dx / dist, dy / dist
        t1, t2 = self._boundary(e["from"], ux, uy), self._boundary(e["to"], ux, uy) + 1.5
        sx, sy = x1 + ux * t1, y1 + uy * t1
        ex, ey = x2 - ux * t2, y2 - uy * t2
        c.setLineWidth(0.8)
        c.line(sx, sy, ex - ux * 5, ey - uy * 5)
        head = c.beginPath()
        px, py = -uy, ux
        head.moveTo(ex, ey)
        head.lineTo(ex - ux * 7 + px * 3, ey - uy * 7 + py * 3)
        head.lineTo(ex - ux * 7 - px * 3, ey - uy * 7 - py * 3)
        head.close()
        c.drawPath(head, stroke=0, fill=1)
        return sx, sy, ex, ey

    def _blocked(self, a: str, b: str) -> bool:
        """Whether the straight line from node a to node b passes through another node's box."""
        (x1, y1), (x2, y2) = self.pos[a], self.pos[b]
        for i, (x, y) in self.pos.items():
            if i in (a, b):
                continue
            hw, hh = self.half[i]
            for k in range(1, 40):
                t = k / 40
                px, py = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
                if abs(px - x) <= hw + 2 and abs(py - y) <= hh + 2:
                    return True
        return False

    def _arc(self, c, e, bow: float):
        """A curved arrow leaving the top (bow > 0) or bottom of one box and entering the same
        side of the other; returns a short segment at its apex for the label."""
        (x1, y1), (x2, y2) = self.pos[e["from"]], self.pos[e["to"]]
        side = 1 if bow > 0 else -1
        sx, sy = x1 + self.half[e["from"]][0] * 0.4, y1 + side * self.half[e["from"]][1]
        ex, ey = x2 - self.half[e["to"]][0] * 0.4, y2 + side * (self.half[e["to"]][1] + 1.5)
        c1 = (sx, sy + bow)
        c2 = (ex, ey + bow)
        c.setLineWidth(0.8)
        path = c.beginPath()
        path.moveTo(sx, sy)
        path.curveTo(c1[0], c1[1], c2[0], c2[1] - side * 5, ex, ey + side * 5)
        c.drawPath(path, stroke=1, fill=0)
        head = c.beginPath()  # the arrow enters vertically, pointing at the box
        head.moveTo(ex, ey)
        head.lineTo(ex - 3, ey + side * 7)
        head.lineTo(ex + 3, ey + side * 7)
        head.close()
        c.drawPath(head, stroke=0, fill=1)
        mx = 0.125 * sx + 0.375 * c1[0] + 0.375 * c2[0] + 0.125 * ex
        my = 0.125 * sy + 0.375 * c1[1] + 0.375 * c2[1] + 0.125 * ey
        return mx - 1, my, mx + 1, my

    def _label(self, c, box, sx, sy, ex, ey):
        """An edge's label on the arrow (white backing), slid along it to miss earlier labels."""
        w, h = box.w + 3, box.h + box.d + 2
        best = None
        for t in (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8):
            cx, cy = sx + (ex - sx) * t, sy + (ey - sy) * t
            rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            clash = sum(_overlap(rect, r) for r in self._placed)
            if best is None or clash < best[0]:
                best = (clash, cx, cy, rect)
            if clash == 0:
                break
        _, cx, cy, rect = best
        self._placed.append(rect)
        c.setFillColor(colors.white)
        c.rect(rect[0], rect[1], w, h, stroke=0, fill=1)
        c.setFillColor(colors.black)
        M.draw(c, box, cx - box.w / 2, cy - (box.h - box.d) / 2)


def _overlap(a, b) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def figure_flowable(figure: dict, indent: float = 0.0) -> Flowable | None:
    if figure.get("type") == "graph" and figure.get("nodes"):
        return GraphFigure(figure, indent)
    if figure.get("type") == "curves":
        from .pdf_plot import CurvesFigure

        return CurvesFigure(figure, indent)
    M.ISSUES.append(f"figure type {figure.get('type')!r} is not drawn")
    return None
