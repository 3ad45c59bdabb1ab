"""A problem's computational graph as a drawing: operation nodes, arrows, labels.

`problem.figure` = {"type": "graph", "nodes": [{"id", "label", "op"?}], "edges": [{"from", "to",
"label"?}], "output": id}; labels are LaTeX-subset text without dollars. Nodes sit in layers by
their longest path from an input, left to right; within a layer they are ordered by the mean
position of their predecessors so arrows cross little."""

from __future__ import annotations

import json
import math

from reportlab.lib import colors
from .platypus import Flowable

from . import mathtype as M
from .pdf_paragraphs import draw_saved

NODE_SIZE = 10.0
EDGE_SIZE = 8.5
LAYER_GAP = 92.0
ROW_GAP = 58.0
CLEAR = 3.0  # no other arrow, label or node comes nearer an edge label than this
ROOMY = 9.0  # ... and, where the drawing allows, not nearer than this
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


_LAID_OUT: dict = {}  # (figure as JSON, indent) -> a GraphFigure's layout; the last few kept
_KEEP = 16


class GraphFigure(Flowable):
    drawOn = draw_saved  # (Flowable.drawOn's output, settings put back without its loop)

    def __init__(self, figure: dict, indent: float = 0.0):
        super().__init__()
        self.fig, self.indent = figure, indent
        self.spaceBefore, self.spaceAfter = 4.0, 10.0
        # a sheet's key draws the same figure as its student copy, and versions often repeat a
        # graph: the layout (label placement is most of it) is made once; nothing changes it later
        try:
            key = (json.dumps(figure, sort_keys=True, default=lambda o: ["<python>", type(o).__name__, repr(o)]),
                   indent)
        except (TypeError, ValueError):  # keys that do not sort: laid out, not kept
            key = None
        laid_out = _LAID_OUT.get(key)
        if laid_out is None:
            self._lay_out(figure)
            if key is None:
                return
            if len(_LAID_OUT) >= _KEEP:
                del _LAID_OUT[next(iter(_LAID_OUT))]
            laid_out = _LAID_OUT[key] = {k: v for k, v in self.__dict__.items() if k in _LAYOUT}
        self.__dict__.update(laid_out)

    def _lay_out(self, figure: dict) -> None:
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
        self.depth, self.by_layer, self.row = depth, by_layer, row
        self.edge_boxes = [M.typeset(e["label"], EDGE_SIZE) if e.get("label") else None for e in edges]
        # Every label sits on its own arrow where no other arrow, label or node touches it; where
        # the arrows between two layers cross too densely for that, those gaps widen (up to 4
        # times), and the figure is scaled to the page as a whole.
        widen = [1.0] * max(1, len(by_layer))
        for _ in range(5):
            self._layout(widen)
            self.label_places, crowded = self._place_labels()
            if not crowded:
                break
            for d in crowded:
                widen[d] *= 1.3

    def _layout(self, widen):  # (called by _lay_out, for each widening tried)
        """Node positions, arcs and the edges' drawn paths for the given widening of each gap."""
        depth, by_layer, row = self.depth, self.by_layer, self.row
        edges = self.edges
        ncols = max(by_layer) + 1 if by_layer else 1
        col_w = [max(2 * self.half[i][0] for i in by_layer.get(d, [])) for d in range(ncols)]
        widest = max((b.w for b in self.edge_boxes if b is not None), default=0.0)
        gap = max(46.0, 1.8 * widest + 24.0)  # room for the weights written on the arrows
        xs, x = [], 0.0
        for d in range(ncols):
            xs.append(x + col_w[d] / 2)
            x += col_w[d] + gap * widen[min(d, len(widen) - 1)]
        row_gap = max(42.0, 2 * max((h for _, h in self.half.values()), default=11) + 24
                      + (16.0 if widest else 0.0))
        self.pos = {i: (xs[depth[i]], -row[i] * row_gap) for i in self.nodes}
        nrows = max(len(m) for m in by_layer.values()) if by_layer else 1
        self.graph_w = x - gap * widen[min(ncols - 1, len(widen) - 1)] + 8
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
        self.paths = [self._path(e, bow) for e, bow in zip(edges, self.bows)]

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
        for path in self.paths:
            if path is not None:
                self._draw_path(c, path)
        for box, place in zip(self.edge_boxes, self.label_places):
            if box is not None and place is not None:
                cx, cy, rect = place
                c.setFillColor(colors.white)
                c.rect(rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1], stroke=0, fill=1)
                c.setFillColor(colors.black)
                M.draw(c, box, cx - box.w / 2, cy - (box.h - box.d) / 2)
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

    def _path(self, e, bow: float):
        """An edge's drawn path: a straight arrow between the boxes, or (bow != 0) a curve
        leaving the top (bow > 0) or bottom of one box and entering the same side of the other.
        `points` is the path as a polyline; `spots` the places (fraction along the path) where
        its label may sit."""
        if e["from"] not in self.pos or e["to"] not in self.pos:
            return None
        (x1, y1), (x2, y2) = self.pos[e["from"]], self.pos[e["to"]]
        if not bow:
            dx, dy = x2 - x1, y2 - y1
            dist = math.hypot(dx, dy) or 1.0
            ux, uy = dx / dist, dy / dist
            t1, t2 = self._boundary(e["from"], ux, uy), self._boundary(e["to"], ux, uy) + 1.5
            start, end = (x1 + ux * t1, y1 + uy * t1), (x2 - ux * t2, y2 - uy * t2)
            spots = [0.5 + sign * k / 40 for k in range(0, 17) for sign in ((1,) if k == 0 else (-1, 1))]
            return {"kind": "line", "points": [start, end], "dir": (ux, uy), "spots": spots}
        side = 1 if bow > 0 else -1
        sx, sy = x1 + self.half[e["from"]][0] * 0.4, y1 + side * self.half[e["from"]][1]
        ex, ey = x2 - self.half[e["to"]][0] * 0.4, y2 + side * (self.half[e["to"]][1] + 1.5)
        ctrl = [(sx, sy), (sx, sy + bow), (ex, ey + bow - side * 5), (ex, ey + side * 5)]
        points = [_bezier(ctrl, k / 24) for k in range(25)]
        return {"kind": "arc", "points": points, "ctrl": ctrl, "end": (ex, ey), "side": side,
                "spots": [0.5, 0.42, 0.58, 0.34, 0.66]}

    def _draw_path(self, c, path):
        c.setLineWidth(0.8)
        head = c.beginPath()
        if path["kind"] == "line":
            (sx, sy), (ex, ey) = path["points"]
            ux, uy = path["dir"]
            c.line(sx, sy, ex - ux * 5, ey - uy * 5)
            px, py = -uy, ux
            head.moveTo(ex, ey)
            head.lineTo(ex - ux * 7 + px * 3, ey - uy * 7 + py * 3)
            head.lineTo(ex - ux * 7 - px * 3, ey - uy * 7 - py * 3)
        else:
            (sx, sy), c1, c2, c3 = path["ctrl"]
            curve = c.beginPath()
            curve.moveTo(sx, sy)
            curve.curveTo(c1[0], c1[1], c2[0], c2[1], c3[0], c3[1])
            c.drawPath(curve, stroke=1, fill=0)
            (ex, ey), side = path["end"], path["side"]
            head.moveTo(ex, ey)  # the arrow enters vertically, pointing at the box
            head.lineTo(ex - 3, ey + side * 7)
            head.lineTo(ex + 3, ey + side * 7)
        head.close()
        c.drawPath(head, stroke=0, fill=1)

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

    def _place_labels(self):
        """A place for each edge's label on its own path (white backing, the arrow visibly
        entering and leaving it) that no other path, node or label touches, nearest the
        middle of the path. Labels with the fewest free places go first. Returns the places
        ((cx, cy, rect) or None) and the layers whose outgoing gap was too crowded."""
        node_rects = [(x - hw, y - hh, x + hw, y + hh) for (x, y), (hw, hh)
                      in ((self.pos[i], self.half[i]) for i in self.nodes)]
        options = {}
        others = {k: [j for j, other in enumerate(self.paths) if j != k and other is not None]
                  for k in range(len(self.paths))}
        for k, (box, path) in enumerate(zip(self.edge_boxes, self.paths)):
            if box is None or path is None:
                continue
            w, h = box.w + 3, box.h + box.d + 2
            spots = []
            length = sum(math.dist(a, b) for a, b in zip(path["points"], path["points"][1:]))
            for t in path["spots"]:
                if path["kind"] == "line":  # the arrow shows before the label and after it
                    ux, uy = path["dir"]
                    reach = min(w / 2 / abs(ux) if ux else 1e9, h / 2 / abs(uy) if uy else 1e9)
                    if t * length - reach < 6 or (1 - t) * length - reach < 12:
                        continue
                cx, cy = _along(path["points"], t)
                rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                near, far = _grow(rect, CLEAR), _grow(rect, ROOMY)
                hits = sum(_crosses(self.paths[j]["points"], near) for j in others[k])
                hits += sum(_overlap(near, r) > 0 for r in node_rects)
                crowding = sum(_crosses(self.paths[j]["points"], far) for j in others[k])
                spots.append((hits, crowding, abs(t - 0.5), cx, cy, rect))
            if not spots:  # too short an arrow for any room around the label: its middle
                cx, cy = _along(path["points"], 0.5)
                spots.append((1, 0, 0.0, cx, cy, (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)))
            options[k] = spots
        places: list = [None] * len(self.edges)
        crowded = set()
        placed: list = []

        def cost(spot):
            hits, crowding, off_middle, _, _, rect = spot
            clash = sum(_overlap(_grow(rect, CLEAR), r) > 0 for r in placed)
            close = sum(_overlap(_grow(rect, ROOMY), r) > 0 for r in placed)
            return hits + clash, crowding + close, off_middle

        # labels with the fewest free places go first
        for k in sorted(options, key=lambda k: (sum(s[0] == 0 for s in options[k]), k)):
            best = min(options[k], key=cost)
            if cost(best)[0]:
                crowded.add(self.depth[self.edges[k]["from"]])
            placed.append(best[5])
            places[k] = best[3:]
        return places, crowded


_LAYOUT = {"nodes", "edges", "boxes", "half", "depth", "by_layer", "row", "edge_boxes", "pos", "graph_w",
           "graph_h", "bows", "paths", "label_places"}


def _grow(rect, by):
    return rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by


def _bezier(ctrl, t):
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ctrl
    a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3
    return a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3


def _along(points, t):
    """The point a fraction t of the way along a polyline."""
    lengths = [math.dist(p, q) for p, q in zip(points, points[1:])]
    goal = t * sum(lengths)
    for (p, q), n in zip(zip(points, points[1:]), lengths):
        if goal <= n or q == points[-1]:
            f = goal / n if n else 0.0
            return p[0] + (q[0] - p[0]) * f, p[1] + (q[1] - p[1]) * f
        goal -= n
    return points[-1]


def _crosses(points, rect) -> bool:
    """Whether a polyline passes through a rectangle (x0, y0, x1, y1)."""
    return any(_segment_in_rect(p, q, rect) for p, q in zip(points, points[1:]))


def _segment_in_rect(p, q, rect) -> bool:
    x0, y0, x1, y1 = rect
    # Liang–Barsky clipping: is any part of the segment inside the rectangle?
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for edge_p, edge_q in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        r = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return False
    return True


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
    if figure.get("type") == "heatmap":
        from .pdf_plot import HeatmapFigure

        return HeatmapFigure(figure, indent)
    M.ISSUES.append(f"figure type {figure.get('type')!r} is not drawn")
    return None
