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


# where the TA re-rating found a problem's last part alone on a student page
WIDOWED = [("worksheet", "vision", 6, 119, "medium"), ("worksheet", "generative", 6, 137, "medium"),
           ("worksheet", "generative", 6, 29, "hard"), ("exam", "midterm", 0, 11, "medium")]


def _sheet(kind, selector, count, seed, difficulty):
    if kind == "exam":
        from probgen.sheets.assemble import exam_sheet
        from probgen.sheets.banks import load_bank

        return exam_sheet(load_bank(selector), seed)
    return worksheet_sheet(selector, count, seed, difficulty=difficulty)


@pytest.mark.parametrize("kind,selector,count,seed,difficulty", WIDOWED + [("worksheet", *s, "medium") for s in SHEETS])
def test_no_page_holds_a_problems_last_part_alone(kind, selector, count, seed, difficulty):
    """A page whose only part label is a problem's last part, that problem having several parts,
    is a widow (vision seed 119 p.7 held 6c alone; exam seed 11 p.15 held 10f alone): the part
    before it goes over with it. The last page of a sheet counts too."""
    sheet = _sheet(kind, selector, count, seed, difficulty)
    last_key = {str(n): p.parts[-1].key for n, p in enumerate(sheet.problems, start=1)}
    sizes = {str(n): len(p.parts) for n, p in enumerate(sheet.problems, start=1)}
    for i, text in enumerate(pages(sheet), start=1):
        labels = sorted(set(LABEL.findall(text)))
        if len(labels) == 1:
            number, key = labels[0][:-1], labels[0][-1]
            assert not (sizes[number] > 1 and key == last_key[number]), \
                f"{kind} {selector} {seed}: page {i} holds only {labels[0]}, the last part of problem {number}"
