"""Tables in terminal text (`probgen generate`, `practice`) line their columns up: a column of
numbers is read down, as on the PDF (reviewer: the LSTM weight table and the traces' gradient
tables printed each row's cells wherever the previous one ended)."""

import unicodedata

import pytest

from probgen.core.build import build_problem
from probgen.render.text import render_problem


def _columns(line: str) -> list[int]:
    """Display columns of the line's cell separators (combining marks take no column)."""
    seen, col = [], 0
    for ch in line:
        if ch == "|":
            seen.append(col)
        col += not unicodedata.combining(ch)
    return seen


@pytest.mark.parametrize("family, seed", [("lstm-step", 5), ("adam-trace", 3), ("sgd-trace", 2),
                                          ("momentum-trace", 4)])
def test_table_columns_line_up(family, seed):
    text = render_problem(build_problem(family, seed, "medium"), show_solution=True)
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if " | " in line:
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    assert tables, f"{family} prints no table"
    for rows in tables:
        assert len({tuple(_columns(r)) for r in rows}) == 1, "\n".join(rows)


def test_numbers_flush_right_labels_flush_left():
    text = render_problem(build_problem("lstm-step", 5, "medium"))
    rows = [line for line in text.splitlines() if " | " in line]
    assert any(r.lstrip().startswith("input gate i  |") for r in rows)  # label padded on its right
    assert any(r.rstrip().endswith("|        1") for r in rows)  # a number padded on its left
