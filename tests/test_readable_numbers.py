"""Numbers a person can read (issue 10, §3): exact forms only when short, no huge integers, digit
groups with a thin space (never a comma), and a true minus sign outside math too."""

import re

import pytest

from probgen.core.build import build_problem
from probgen.core.numfmt import group, is_short_exact
from probgen.core.registry import load_all, sort_families
from probgen.render.text import format_answer

SEEDS = range(12)
CASES = [(f.id, d) for f in sort_families(load_all().values()) for d in f.difficulties]
MATH = re.compile(r"\$\$.+?\$\$|\$.+?\$", re.S)
INTEGER = re.compile(r"(?<![\d.])\d+(?![\d]|\.\d)")


def printed(problem):
    """Every piece of markup a sheet or key prints for the problem."""
    yield problem.statement
    for part in problem.parts:
        yield part.prompt
        yield f"${part.latex}$" if part.latex else ""
        yield from (part.choices or {}).values()
    for step in problem.steps:
        yield step.text


def test_group_uses_thin_spaces_from_five_digits():
    assert group(3072) == "3072"
    assert group(393344) == r"393\,344"
    assert group(-1234567) == r"-1\,234\,567"


def test_short_exact_forms():
    assert is_short_exact(r"\frac{3}{4}") and is_short_exact(r"\ln{\left(3 \right)}")
    assert is_short_exact(r"\frac{\sqrt{2}}{2}")
    assert not is_short_exact(r"\frac{280000002}{1400000005}")
    assert not is_short_exact(r"- \frac{4055397}{5000000}")
    assert not is_short_exact(r"\tanh{\left(\frac{6663}{12500} \right)}")


@pytest.mark.parametrize("family_id,difficulty", CASES)
def test_numbers_are_readable(family_id, difficulty):
    for seed in SEEDS:
        p = build_problem(family_id, seed, difficulty)
        for text in printed(p):
            flat = text.replace(r"\,", "")
            long = [n for n in INTEGER.findall(flat) if len(n) > 8]
            assert not long, f"{family_id} {difficulty} seed {seed}: integer over 8 digits {long} in {text[:80]!r}"
            # "{:,}" grouping (3,072) reads as a decimal in many locales and math spaces it to "3, 072"
            assert not re.search(r"\d,\d{3}(?!\d)", flat), \
                f"{family_id} {difficulty} seed {seed}: comma digit grouping in {text[:80]!r}"
            outside = MATH.sub("", text)
            assert not re.search(r"(?<![\w\-])-\d|[\d)] - \(?\d", outside), \
                f"{family_id} {difficulty} seed {seed}: a hyphen as minus sign outside math in {outside[:80]!r}"
        for part in p.parts:
            if part.kind == "number" and part.latex:
                assert is_short_exact(part.latex), (family_id, seed, part.key, part.latex)
                assert not re.search(r"\d{5}", part.latex), (family_id, seed, part.key, part.latex)
            if part.kind == "number" and float(part.answer).is_integer():
                assert abs(part.answer) < 1e8, (family_id, seed, part.key, part.answer)
            answer = format_answer(part)
            assert not [n for n in INTEGER.findall(answer) if len(n) > 8], (family_id, seed, part.key, answer)


# ---- One digit-grouping convention everywhere (TA defect 9): a narrow space that never breaks a
# line in prose, a thin space in math, never a comma.

def test_prose_groups_digits_with_a_narrow_no_break_space_and_math_with_a_thin_space():
    from probgen.kit.concepts import prose
    from probgen.render.pdf_paragraphs import math_groups

    assert prose("16,384 + 36,864 weights") == "16\u202f384 + 36\u202f864 weights"
    assert prose("(a) 50,000") == "(a) 50\u202f000"
    # math's {,} is typeset as a thin space, like numfmt.group's "1\,000\,000"
    assert math_groups("V = 10{,}000") == r"V = 10\,000"
    assert math_groups("1{,}000{,}000") == r"1\,000\,000"


def test_a_grouped_number_is_one_word_for_line_breaking():
    from probgen.render.pdf_paragraphs import words

    assert len(words("16\u202f384 + 36\u202f864", 10.0)) == 3  # "36 ⏎ 864" split one number
    assert len(words("16 384", 10.0)) == 2  # an ordinary space still breaks


def test_whole_number_answers_of_five_or_more_digits_are_grouped():
    from probgen.core.model import Part
    from probgen.render.answer_markup import answer_markup

    assert answer_markup(Part("a", "number", 2655744.0, exact="2655744")) == r"$2\,655\,744$"
    assert answer_markup(Part("a", "number", 1184.0, exact="1184")) == "$1184$"


@pytest.mark.parametrize("section,count,seed", [("vision", 6, 77), ("nlp", 9, 23), ("fundamentals", 22, 41)])
def test_rendered_keys_have_no_comma_groups(section, count, seed):
    import io

    from pypdf import PdfReader

    from probgen.render.pdf import render_sheet
    from probgen.sheets.assemble import worksheet_sheet

    data = render_sheet(worksheet_sheet(section, count, seed), show_solution=True)
    for i, page in enumerate(PdfReader(io.BytesIO(data)).pages, start=1):
        text = page.extract_text() or ""
        assert not re.search(r"\d,\d{3}(?!\d)", text), f"{section} {seed} key p.{i}: comma digit group"


CODE = re.compile(r"`[^`]*`")


@pytest.mark.parametrize("family_id,difficulty", CASES)
def test_worked_solutions_group_long_whole_numbers(family_id, difficulty):
    """TA re-rating: worked lines printed 40140800, 14751744, 15501312 beside answers grouped as
    40 140 800. Every whole number of five or more digits in a worked solution has its digit
    groups (a thin space in math, U+202F in prose); digits after a decimal point do not count."""
    for seed in SEEDS:
        p = build_problem(family_id, seed, difficulty)
        for step in p.steps:
            bare = [n for n in INTEGER.findall(CODE.sub("", step.text)) if len(n) >= 5]
            assert not bare, f"{family_id} {difficulty} seed {seed}: {bare} in {step.text[:100]!r}"


def test_group_digits_in_math_and_prose():
    from probgen.core.numfmt import group_digits

    assert group_digits("$25088 \\cdot 1600 = 40140800$.") == "$25\\,088 \\cdot 1600 = 40\\,140\\,800$."
    assert group_digits("Total: 348160.") == "Total: 348\u202f160."
    assert group_digits("0.141120 and 12345.5 and `12345` and 1234") == "0.141120 and 12345.5 and `12345` and 1234"
