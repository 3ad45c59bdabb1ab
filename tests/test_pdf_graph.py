"""Computational-graph drawings show every path: a skip edge never hides behind a chain."""

from probgen.render.pdf_graph import GraphFigure

CHAIN_WITH_SKIPS = {
    "type": "graph",
    "nodes": [{"id": "u", "label": "u"}, {"id": "x", "label": "x", "op": "x = \\sigma(u)"},
              {"id": "y", "label": "y", "op": "y = \\ln(x)"}, {"id": "w", "label": "w", "op": "w = u y"},
              {"id": "z", "label": "z", "op": "z = w x"}],
    "edges": [{"from": "u", "to": "x"}, {"from": "x", "to": "y"}, {"from": "y", "to": "w"},
              {"from": "u", "to": "w"}, {"from": "w", "to": "z"}, {"from": "x", "to": "z"}],
    "output": "z",
}


def test_skip_edges_through_a_chain_are_arcs_on_opposite_sides():
    fig = GraphFigure(CHAIN_WITH_SKIPS)
    bows = dict(zip([(e["from"], e["to"]) for e in CHAIN_WITH_SKIPS["edges"]], fig.bows))
    assert bows[("u", "w")] != 0 and bows[("x", "z")] != 0
    assert bows[("u", "w")] * bows[("x", "z")] < 0  # one above, one below
    assert all(bows[e] == 0 for e in [("u", "x"), ("x", "y"), ("y", "w"), ("w", "z")])


def test_fan_out_to_separate_rows_stays_straight():
    fig = GraphFigure({
        "type": "graph",
        "nodes": [{"id": "u", "label": "u"}, {"id": "x", "label": "x", "op": "x = u^2"},
                  {"id": "y", "label": "y", "op": "y = 3u"}, {"id": "z", "label": "z", "op": "z = x y"}],
        "edges": [{"from": "u", "to": "x"}, {"from": "u", "to": "y"}, {"from": "x", "to": "z"}, {"from": "y", "to": "z"}],
        "output": "z",
    })
    assert fig.bows == [0.0, 0.0, 0.0, 0.0]


def _inside(pt, rect, margin=0.0):
    return rect[0] - margin <= pt[0] <= rect[2] + margin and rect[1] - margin <= pt[1] <= rect[3] + margin


def _dense(points, step=0.5):
    """Points every `step` along a polyline (an independent walk, no clipping algebra)."""
    out = []
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        n = max(1, int(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 / step))
        out += [(x1 + (x2 - x1) * i / n, y1 + (y2 - y1) * i / n) for i in range(n + 1)]
    return out


def test_network_weight_labels_sit_on_their_own_arrow_and_nowhere_else():
    """tiny-network (issue 10): with crossing arrows, each weight label must read one way. Its
    own arrow runs through it and shows on both sides; no other arrow, label or node comes
    within 2 pt of it."""
    from probgen.core.build import build_problem

    checked = 0
    for difficulty in ("easy", "medium", "hard"):
        for seed in range(40):
            fig = GraphFigure(build_problem("tiny-network", seed, difficulty).figure)
            rects = [place[2] for place in fig.label_places if place is not None]
            assert len(rects) == len(fig.edges)
            nodes = [(x - hw, y - hh, x + hw, y + hh) for (x, y), (hw, hh)
                     in ((fig.pos[i], fig.half[i]) for i in fig.nodes)]
            for k, rect in enumerate(rects):
                own = _dense(fig.paths[k]["points"])
                inside = [i for i, p in enumerate(own) if _inside(p, rect)]
                assert inside, (difficulty, seed, k)
                # the arrow shows (3 pt or more) before the label and after it
                assert any(not _inside(p, rect, 3.0) for p in own[:inside[0]]), (difficulty, seed, k)
                assert any(not _inside(p, rect, 3.0) for p in own[inside[-1]:]), (difficulty, seed, k)
                for j, other in enumerate(fig.paths):
                    if j != k:
                        assert not any(_inside(p, rect, 2.0) for p in _dense(other["points"])), \
                            (difficulty, seed, fig.edges[k], fig.edges[j])
                for j, r in enumerate(rects):
                    if j != k:
                        assert r[2] + 2 <= rect[0] or rect[2] + 2 <= r[0] or r[3] + 2 <= rect[1] \
                            or rect[3] + 2 <= r[1], (difficulty, seed, k, j)
                for r in nodes:
                    assert r[2] <= rect[0] or rect[2] <= r[0] or r[3] <= rect[1] or rect[3] <= r[1], \
                        (difficulty, seed, k)
                checked += 1
    assert checked > 500
