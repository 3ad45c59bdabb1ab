"""Pages a student gets (TA defects 3 and 14): the first page starts Problem 1 under the header,
no page but the last holds a single part, and a problem's statement (its matrices too) is on the
page of its first part. Read back with pypdf (no code shared with the renderer)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from probgen.render.pdf import render_sheet
from probgen.sheets.assemble import worksheet_sheet

# the sheets the TA rated, where page 1 held only the header or a page held one part
SHEETS = [("cnn", 8, 58), ("nlp", 9, 23), ("fundamentals", 22, 41), ("generative", 5, 91)]
LABEL = re.compile(r"^(\d+[a-z])\b", re.M)


def pages(sheet, key=False) -> list[str]:
    reader = PdfReader(io.BytesIO(render_sheet(sheet, show_solution=key)))
    return [p.extract_text() or "" for p in reader.pages]


@pytest.mark.parametrize("section,count,seed", SHEETS)
def test_worksheet_pages_are_filled(section, count, seed):
    sheet = worksheet_sheet(section, count, seed)
    texts = pages(sheet)
    assert "Problem 1" in texts[0] or "1a" in texts[0], f"{section} {seed}: page 1 holds only the header"
    for i, text in enumerate(texts[:-1], start=1):
        labels = set(LABEL.findall(text))
        assert len(labels) >= 2, f"{section} {seed}: page {i} holds only {sorted(labels)}"


def test_a_statement_stays_on_the_page_of_its_first_part():
    """conv2d-numeric hard: X and K were pushed to the next page, away from the text (CH key p.11)."""
    sheet = worksheet_sheet("cnn", 8, 5, difficulty="hard")
    for key in (False, True):
        texts = pages(sheet, key)
        for number in range(1, len(sheet.problems) + 1):
            first = next(i for i, t in enumerate(texts) if re.search(rf"Problem {number}\b(?! \(continued\))", t))
            assert re.search(rf"^{number}a\b", texts[first], re.M), (key, number, first + 1)
