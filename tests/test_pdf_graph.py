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
