"""Wording a TA re-rating flagged in keys and sheets: a select-all with one right option scored
"/ 1 of the points", the exam title repeating the course name."""

from __future__ import annotations

from probgen.core.model import Part
from probgen.grading.choices import multi_fraction
from probgen.render.concepts import key_markup


def _multi(answer):
    return Part("e", "multi", answer, choices={k: f"option {k}" for k in "abcd"}, points=2)


def test_select_all_with_one_right_option_says_how_it_scores():
    text = key_markup(_multi(["b"]))
    assert "/ 1" not in text and "of the points" not in text, text
    assert "**(b)** only" in text and "at least 0" in text
    # what it says is the grader's rule: the right one alone is full marks, one wrong mark cancels it
    assert multi_fraction(["b"], ["b"]) == 1.0 and multi_fraction(["b", "c"], ["b"]) == 0.0


def test_select_all_with_several_right_options_keeps_the_partial_credit_rule():
    text = key_markup(_multi(["a", "c"]))
    assert "/ 2 of the points" in text
    assert multi_fraction(["a"], ["a", "c"]) == 0.5


def test_no_bank_title_repeats_the_course_printed_under_it():
    """The exam cover printed "Deep Learning — Midterm practice exam" over "Deep Learning"."""
    from probgen.sheets.banks import bank_names, load_bank

    for name in bank_names():
        bank = load_bank(name)
        assert bank.course.lower() not in bank.title.lower(), (name, bank.title, bank.course)


def test_exam_cover_names_the_course_once():
    import io

    from pypdf import PdfReader

    from probgen.render.pdf import render_sheet
    from probgen.sheets.assemble import exam_sheet
    from probgen.sheets.banks import load_bank

    sheet = exam_sheet(load_bank("midterm"), 11)
    cover = PdfReader(io.BytesIO(render_sheet(sheet))).pages[0].extract_text()
    assert cover.count("Deep Learning") == 1 and "Midterm practice exam" in cover, cover[:200]
