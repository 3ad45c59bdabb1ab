"""One value typed in several forms, and matrices typed as rows, checked against the key of
`probgen exam --seed 7` (the TA's review of 2026-12-02: `3e: 2.197 (ln 9)` was read as the
product 2.197·ln 9 and marked wrong; a 4×2 matrix typed as one flat list was marked wrong).
Every answer goes through `probgen check`, which shares its judge with grade, practice and serve.
The references are computed here with `math`, independently of the families."""

from __future__ import annotations

import math

import pytest

from cli_run import check_on_stdin, verdict
from probgen.core.build import build_problem
from probgen.core.model import Part, Problem
from probgen.grading.judge import grade_problem
from probgen.sheets.answer_key import dumps, make_key

EXAM_7 = [("backprop-chain", 304984438, "medium"), ("adaptive-trace", 186648670, "medium"),
          ("cross-entropy", 825380692, "medium"), ("normalization", 473421747, "medium"),
          ("dropout", 798847439, "medium"), ("multihead-shapes", 57813916, "medium"),
          ("receptive-field", 192927597, "medium"), ("vit-patches", 168877253, "medium"),
          ("gan-losses", 3020902, "medium"), ("regularization-concepts", 532209657, "medium"),
          ("backprop-concepts", 298791198, "medium"), ("diffusion-concepts", 545923639, "easy")]

LN9 = math.log(9)
SOFTMAX = [math.exp(v) / (math.exp(2) + math.exp(1) + 1) for v in (2, 1, 0)]  # logits [2, 1, 0]
Y_4F = [[-1.5, 4.5], [-4.7, -3.5], [0.1, 0.5], [0.1, 0.5]]


@pytest.fixture(scope="module")
def key7(tmp_path_factory):
    problems = [build_problem(f, s, d) for f, s, d in EXAM_7]
    path = tmp_path_factory.mktemp("key7") / "key.json"
    path.write_text(dumps(make_key(problems, kind="exam", title="exam 7", seed=7)), encoding="utf-8")
    return path, problems


@pytest.fixture
def check(capsys, key7):
    return check_on_stdin(capsys, key7[0])


def test_the_references_the_cases_assume(key7):
    """3d is ln 10 (the mean of two −ln 0.1), 3e is ln 9 (K = 9 equal logits), 3a the softmax of
    logits [2, 1, 0], 4f the 4×2 output Y, 8c the patch embedding's 768·192 + 192 parameters."""
    p = key7[1]
    assert p[2].parts[3].answer == pytest.approx(math.log(10), rel=1e-12)
    assert p[2].parts[4].answer == pytest.approx(LN9, rel=1e-12)
    assert p[2].parts[0].answer == pytest.approx(SOFTMAX, rel=1e-12)
    assert [pytest.approx(r, rel=1e-12) for r in Y_4F] == p[3].parts[5].answer
    assert p[7].parts[2].answer == 768 * 192 + 192 and p[7].parts[2].tolerance == 0


# ------------------------------------------------------------------ 1. a number in several forms

@pytest.mark.parametrize("typed", [
    "2.197 (ln 9)", "ln(9) ≈ 2.197", "ln(9), 2.197", "ln 9 = 2.197", "2.197 = ln(9)", "≈ 2.197",
    "~2.197", "ln(9) = 2.197", "2.197(ln 9)", "ln 9 (2.197)", "ln(9) (2.197)", "ln(9)(2.197)",
    "2.197 (≈ ln 9)", "2.197 (= ln(9))", "ℓ = ln 9 ≈ 2.197", "ℓ ≈ 2.197", "−ln(1/9) = ln 9 ≈ 2.197",
    "ln(9) ≈ 2.197...", "2.197, ln 9", "ln(9),2.197", "ln(9) ≃ 2.20", "ln(9) ~ 2.2",
])
def test_the_exact_value_and_a_decimal_is_the_value(check, typed):
    assert verdict(check(f"3e: {typed}\n"), "3e").startswith("correct"), typed


@pytest.mark.parametrize("typed", ["2.3026 (ln 10)", "ln(10) ≈ 2.3026", "2.303 = ln 10"])
def test_3d_as_the_key_prints_it(check, typed):
    assert verdict(check(f"3d: {typed}\n"), "3d").startswith("correct"), typed


@pytest.mark.parametrize("typed, first, second", [
    ("2.197 (ln 10)", "'2.197'", "'ln 10' (2.303)"),
    ("ln(10) = 2.197", "'ln(10)' (2.303)", "'2.197'"),
    ("ln(9), 2.303", "'ln(9)' (2.197)", "'2.303'"),
    ("ln(9) ≈ 2.4", "'ln(9)' (2.197)", "'2.4'"),
    ("2.197 (ln 9) (2.3)", None, None),
])
def test_forms_that_disagree_are_not_read(check, typed, first, second):
    """Never a silent 'wrong' and never a guess: the report names both values."""
    out = check(f"3e: {typed}\n")
    line = verdict(out, "3e")
    assert line.startswith("could not read: "), line
    if first:
        assert f"{first} and {second} are different values" in line, line
    assert "Parts: 1 could not read" in out


def test_both_forms_wrong_and_agreeing_is_wrong(check):
    assert verdict(check("3e: 2.303 (ln 10)\n"), "3e") == "wrong"


@pytest.mark.parametrize("label, typed, hint", [
    ("8c", "192 (768 + 1)", "for a product write 192*(768 + 1)"),  # 147 648 as a product: not guessed
    ("3e", "2.197 (ln 9) + 1", "write 2.197*(ln 9) for a product"),
    ("3e", "1 + 2 (0.5985)", "for a product write 1 + 2*(0.5985)"),
])
def test_a_number_then_a_space_and_a_bracket_is_never_a_product(check, label, typed, hint):
    line = verdict(check(f"{label}: {typed}\n"), label)
    assert line.startswith("could not read: ") and hint in line, line


def test_a_number_right_before_a_bracket_is_a_product_as_the_solutions_print_it(check):
    # multihead-shapes' worked solution prints 4(768² + 768); with no space a bracket after a
    # number is the textbook product, with a space a second form of the value (2.197 (ln 9))
    out = check("8c: 192(768 + 1)\n3e: 2(1.0986)\n")
    assert verdict(out, "8c") == "correct"
    assert verdict(out, "3e").startswith("correct"), out
    assert 192 * (768 + 1) == 768 * 192 + 192 and abs(2 * 1.0986 - math.log(9)) < 1e-3


@pytest.mark.parametrize("typed, ok", [
    ("147648 = 768*192 + 192", True), ("147 648 (768*192 + 192)", True), ("768 × 192 + 192 = 147 648", True),
    ("147648 (768*192 + 191)", False), ("147649 ≈ 147648", False),
])
def test_an_exact_count_in_two_forms_must_agree_exactly(check, typed, ok):
    line = verdict(check(f"8c: {typed}\n"), "8c")
    assert line == "correct" if ok else line.startswith("could not read: "), line


def test_an_expression_part_is_read_as_before(check):
    """In an expression `x (y)` is a product (1d is cos(u) + sin(u)); `= ...` is its value."""
    out = check("1d: 2 (cos(u) + sin(u))/2\n")
    assert verdict(out, "1d") == "correct"
    assert verdict(check("1d: (cos(u) + sin(u)) (1)\n"), "1d") == "correct"
    assert verdict(check("1d: = cos(u) + sin(u)\n"), "1d") == "correct"
    assert verdict(check("1d: 2 (cos(u) + sin(u))\n"), "1d") == "wrong"


# ------------------------------------------------------------------ vectors

def _rounded(values, figures=3):
    return ", ".join(f"{v:.{figures}g}" for v in values)


@pytest.mark.parametrize("typed", [
    f"≈ [{_rounded(SOFTMAX)}]", f"p ≈ [{_rounded(SOFTMAX)}]", f"~[{_rounded(SOFTMAX)}]",
    f"[{SOFTMAX[0]:.3f} (e^2/(1 + e + e^2)), {_rounded(SOFTMAX[1:])}]",
    f"[{_rounded(SOFTMAX)}] ≈ [{_rounded(SOFTMAX, 5)}]",
    f"[{SOFTMAX[0]:.3f}; {SOFTMAX[1]:.3f}; {SOFTMAX[2]:.3f}]",  # a column, MATLAB style
    f"[e^2/(1 + e + e^2) ≈ {SOFTMAX[0]:.3f}, {_rounded(SOFTMAX[1:])}]",
    f"[p1 = {SOFTMAX[0]:.3f}, p2 = {SOFTMAX[1]:.3f}, p3 ≈ {SOFTMAX[2]:.3f}]",
])
def test_a_vector_in_several_forms(check, typed):
    assert verdict(check(f"3a: {typed}\n"), "3a").startswith("correct"), typed


@pytest.mark.parametrize("typed, reason", [
    ("[2 (0.3325), 0.245, 0.0900]", "for a product write 2*(0.3325)"),  # 0.665 would be right
    ("[0.665 (e^2/11), 0.245, 0.0900]", "'0.665' and 'e^2/11' (0.6717) are different values"),
    ("[0.665, 0.245, 0.09] ≈ [0.665, 0.245, 0.9]", "entry 3: '0.09' and '0.9' are different values"),
    ("[0.665, 0.245, 0.09] ≈ [0.665, 0.245]", "have different sizes"),
    ("[e^2/11 ≈ 0.665, 0.245, 0.0900]", "'e^2/11' (0.6717) and '0.665' are different values"),
])
def test_vector_forms_that_disagree_are_not_read(check, typed, reason):
    line = verdict(check(f"3a: {typed}\n"), "3a")
    assert line.startswith("could not read: ") and reason in line, line


# ------------------------------------------------------------------ 2. matrices as rows

def _row(values, sep=", "):
    return sep.join(f"{v:g}" for v in values)


@pytest.mark.parametrize("typed", [
    "[" + "; ".join(_row(r) for r in Y_4F) + "]",         # [-1.5, 4.5; -4.7, -3.5; ...]
    "; ".join(_row(r, " ") for r in Y_4F),                 # -1.5 4.5; -4.7 -3.5; ...
    "[" + "; ".join(_row(r, " ") for r in Y_4F) + ";]",   # MATLAB, a trailing ;
    "Y = [" + "; ".join(_row(r) for r in Y_4F) + "]",
    "[" + ", ".join(f"[{_row(r)}]" for r in Y_4F) + "]",  # as before
])
def test_rows_separated_by_semicolons(check, typed):
    assert verdict(check(f"4f: {typed}\n"), "4f") == "correct", typed


@pytest.mark.parametrize("typed", [
    "[" + _row(v for r in Y_4F for v in r) + "]",   # the right 8 values, row by row
    "[" + _row(v for c in zip(*Y_4F) for v in c) + "]",  # column by column
    "[1, 2, 3, 4, 5, 6, 7, 8]", "[1, 2, 3]",
])
def test_a_flat_list_for_a_matrix_asks_for_rows(check, typed):
    out = check(f"4f: {typed}\n")
    line = verdict(out, "4f")
    assert line.startswith("could not read: ") and "type it row by row" in line, line
    assert "Parts: 1 could not read" in out


def test_a_flat_list_for_a_one_row_or_one_column_matrix_is_that_matrix():
    for answer, typed in (([[1.5, -2.0, 0.25]], "[1.5, -2, 0.25]"), ([[1.5], [-2.0]], "[1.5, -2]")):
        part = Part(key="a", kind="matrix", answer=answer, points=1)
        problem = Problem(family="hand-made", version=1, seed=0, difficulty="medium", convention=None, title="T",
                          section="fundamentals", topic="losses", params={}, statement="s", parts=[part])
        assert grade_problem(problem, 1, {"a": typed}).parts[0].verdict == "correct"


def test_a_matrix_of_the_wrong_shape_is_still_wrong(check):
    rows = "; ".join(_row(r) for r in Y_4F[:3])
    out = check(f"4f: [{rows}]\n")
    assert verdict(out, "4f") == "wrong" and "expected a 4×2 matrix, got 3×2" in out


# ------------------------------------------------------------------ the reader itself

@pytest.mark.parametrize("typed, value", [
    ("e^(2) (7.389)", math.exp(2)), ("e^2 (7.389)", math.exp(2)), ("ln(9) (2.197)", LN9),
    ("2.2 (2.197)", 2.197), ("ln(9) ≈ 2.2", LN9), ("2.20 = 2.197 = ln(9)", LN9),  # the most precise form
    ("(1+2)(3)", 9.0), ("(0.5) (0.5)", 0.25), ("2*(1+e)", 2 * (1 + math.e)),  # products as before
    ("2(1+e)", 2 * (1 + math.e)), ("1 + 2(0.5)", 2.0), ("-2(0.5)", -1.0),  # unspaced: a product unless it agrees
    ("0.665(2/3)", 2 / 3), ("2.197(ln 9)", LN9),
])
def test_what_a_bracket_after_a_value_is(typed, value):
    from probgen.grading.parse import parse_number
    assert parse_number(typed) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("typed, message", [
    ("sqrt(2)(3)", "for a product write sqrt(2)*(3)"), ("2 (1+e)", "for a product write 2*(1+e)"),
    ("ln(2 (3))", "write 2*(3)"), ("2.197 (nats)", "'(nats)' after the value is read as another form of it"),
])
def test_what_a_bracket_after_a_value_is_not(typed, message):
    from probgen.grading.parse import ReadError, parse_number
    with pytest.raises(ReadError) as exc:
        parse_number(typed)
    assert message in str(exc.value)


# ------------------------------------------------------------------ the key's own style

def test_a_power_of_a_function_as_the_key_prints_it():
    """backprop-chain seed 7 hard, part c: the key prints '2 − 4 tanh²(1) ≈ −0.3201026335'."""
    from probgen.render.text import format_answer
    part = build_problem("backprop-chain", 7, "hard").part("c")
    assert part.answer == pytest.approx(2 - 4 * math.tanh(1) ** 2, rel=1e-12)
    assert format_answer(part).startswith("2 − 4 tanh²(1) ≈ ")
    problem = build_problem("backprop-chain", 7, "hard")
    for typed in (format_answer(part), "2 − 4 tanh²(1)", "2 - 4tanh^2(1)", "2 - 4 tanh(1)^2 ≈ -0.320"):
        assert grade_problem(problem, 1, {"c": typed}).parts[2].verdict == "correct", typed
    r = grade_problem(problem, 1, {"c": "2 - 4 tanh⁻¹(1)"}).parts[2]  # tanh⁻¹ is artanh: not read
    assert r.verdict == "could not read" and "write tanh(...)^n for a power of tanh" in r.message


def test_every_reference_typed_as_the_key_prints_it_earns_full_marks():
    """Each number, vector and matrix part of every family (seeds 0-2, each difficulty), typed as
    the key prints it ('exact ≈ decimal') and as its exact form alone."""
    from probgen.core.registry import load_all
    from probgen.render.text import format_answer
    failures, typed_count = [], 0
    for family in load_all():
        for seed in range(3):
            for difficulty in ("easy", "medium", "hard"):
                problem = build_problem(family, seed, difficulty)
                for i, part in enumerate(problem.parts):
                    if part.kind not in ("number", "vector", "matrix"):
                        continue
                    shown = format_answer(part)
                    for typed in {shown, shown.split("≈")[0].strip()}:
                        typed_count += 1
                        r = grade_problem(problem, 1, {part.key: typed}).parts[i]
                        if r.verdict not in ("correct", "correct within rounding"):
                            failures.append((family, seed, difficulty, part.key, typed, r.verdict, r.message))
    assert typed_count > 500 and not failures, failures[:5]
