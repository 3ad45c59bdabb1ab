"""Answers as students really type them, checked against the key of `probgen exam --seed 11`
(the review of 2026-12-02): hedged true/false answers, digit groups, other spellings of a power
of ten, select-all letters run together, shape messages. Each case goes through `probgen check`,
which shares its judge (`ProblemGrader`) with grade, practice and serve."""

from __future__ import annotations

import re

import pytest

from cli_run import check_on_stdin, run_main, verdict
from probgen.core.build import build_problem
from probgen.sheets.answer_key import dumps, make_key

EXAM_11 = [("tiny-network", 6675417, "medium"), ("momentum-trace", 938007089, "medium"),
           ("cross-entropy", 847549452, "medium"), ("normalization", 122204464, "medium"),
           ("dropout", 869698662, "medium"), ("rnn-forward", 321932401, "medium"),
           ("pooling", 622969623, "medium"), ("depthwise-separable", 46175039, "medium"),
           ("diffusion-forward", 19153824, "medium"), ("regularization-concepts", 39724560, "medium"),
           ("backprop-concepts", 637586642, "medium"), ("diffusion-concepts", 527988001, "easy")]


@pytest.fixture(scope="module")
def key11(tmp_path_factory):
    """The problems of `probgen exam --seed 11`, numbered as there (6e is the RNN's parameter
    count 19 200, 8a the convolution's 22 579 200 multiplies, 10d/10e true/false...)."""
    problems = [build_problem(f, s, d) for f, s, d in EXAM_11]
    path = tmp_path_factory.mktemp("key11") / "key.json"
    path.write_text(dumps(make_key(problems, kind="export", title="exam 11", seed=11)), encoding="utf-8")
    return path, problems


@pytest.fixture
def check(capsys, key11):
    """`probgen check` of a sheet typed on standard input: what it printed."""
    return check_on_stdin(capsys, key11[0])


def block(out: str, label: str) -> str:
    """A part's verdict line and the lines under it (up to the next part or problem)."""
    m = re.search(rf"^  {label}\s.*?(?=^  \d+[a-z]\s|^\S|\Z)", out, re.M | re.S)
    assert m, out
    return m.group(0)


# ------------------------------------------------------------------------------ 1. true/false

def test_the_key_answers_of_the_true_false_parts_are_true(key11):
    """The cases below assume these references (10d, 10e, 11d are True, 11c and 12a False)."""
    problems = key11[1]
    assert [problems[n - 1].parts[ord(k) - 97].answer for n, k in
            ((10, "d"), (10, "e"), (11, "c"), (11, "d"), (12, "a"))] == ["T", "T", "F", "T", "F"]


@pytest.mark.parametrize("typed, reason", [
    ("T/F", "names both T and F"), ("T or F", "names both T and F"), ("t/f", "names both T and F"),
    ("T? F?", "the '?' leaves it open"), ("TF", "names both T and F"), ("T?", "the '?' leaves it open"),
    ("T, F", "names both T and F"), ("T F", "names both T and F"), ("True/False", "names both T and F"),
    ("T (or F)", "names both T and F"), ("T / F because", "names both T and F"),
    ("yes", "is not T, F, True or False"), ("Tr", "is not T, F, True or False"),
])
def test_a_hedged_true_false_answer_earns_nothing(check, typed, reason):
    out = check(f"10d: {typed}\n")
    line = verdict(out, "10d")
    assert line.startswith("could not read: ") and reason in line, line
    assert "Total: 0 / " in out


@pytest.mark.parametrize("typed, why", [
    ("T", None), ("t", None), ("true", None), ("True.", None), ("(T)", None), ("( T ).", None),
    ("T because the test set then picks the epoch", "the test set then picks the epoch"),
    ("True, the test set is used once", "the test set is used once"),
    ("T: f is no longer an estimate", "f is no longer an estimate"),
    ("T. True: it picks the epoch", "True: it picks the epoch"),
])
def test_one_plain_true_earns_the_point(check, typed, why):
    out = check(f"10d: {typed}\n")
    assert verdict(out, "10d").startswith("correct"), out
    if why:
        assert f"for hand grading (2 pts): {why}" in out


def test_one_plain_false_is_wrong_not_unreadable(check):
    assert verdict(check("10d: F because it is fine\n"), "10d").startswith("wrong")
    assert verdict(check("10d: (f)\n"), "10d").startswith("wrong")


# ------------------------------------------------------------------------------ 2. digit groups

def test_the_counts_the_cases_use(key11):
    """6e and 8a are exact counts; 8c is their ratio 73/1200 (computed here from the problem's
    own numbers: 25·24·784 + 24·48·784 over 25·24·48·784)."""
    problems = key11[1]
    assert problems[5].parts[4].answer == 128 * (20 + 128) + 2 * 128 == 19200
    assert problems[7].parts[0].answer == 25 * 24 * 48 * 784 == 22579200
    assert problems[7].parts[2].answer == pytest.approx((25 * 24 * 784 + 24 * 48 * 784) / 22579200)


@pytest.mark.parametrize("label, typed", [
    ("6e", "19 200"), ("6e", "19\u2009200"), ("6e", "19\u202f200"), ("6e", "19\u00a0200"),
    ("6e", "19200"), ("8a", "22 579 200"), ("8a", "22,579,200"), ("8a", "22\u202f579\u202f200"),
    ("8b", "1 373 568"), ("8b", "1,373,568"), ("8b", "+1,373,568"), ("8c", "1 373 568 / 22 579 200"),
])
def test_digit_groups_as_the_key_prints_them(check, label, typed):
    assert verdict(check(f"{label}: {typed}\n"), label) == "correct"


@pytest.mark.parametrize("label, typed, reason", [
    ("6e", "19,200", "could be 19200 or the decimal 19.200"),  # a decimal comma in much of Europe
    ("8c", "0,06083", "looks like a decimal comma: write 0.06083"),
    ("6e", "19 2000", "a ',' or an operator is missing"),  # groups are exactly 3 digits
    ("6e", "192 00", "a ',' or an operator is missing"),
    ("8a", "2,25,79,200", "unexpected ','"),  # not groups of 3
    ("8c", "0.060 833", "a ',' or an operator is missing"),  # no groups after the point
])
def test_what_is_not_a_digit_group_is_refused_not_guessed(check, label, typed, reason):
    line = verdict(check(f"{label}: {typed}\n"), label)
    assert line.startswith("could not read: ") and reason in line, line


def test_grouping_a_wrong_number_is_still_wrong(check):
    assert verdict(check("6e: 19 201\n"), "6e") == "wrong"
    assert verdict(check("8a: 22,579,201\n"), "8a") == "wrong"


def test_vectors_are_read_as_before(capsys, tmp_path):
    """In a vector, commas and spaces separate entries: nothing is joined as a digit group."""
    from probgen.grading.judge import read_answer
    from probgen.grading.parse import ReadError

    part = next(p for p in build_problem("dropout", 869698662, "medium").parts if p.kind == "vector")
    assert read_answer(part, "[1 234 5]") == [1.0, 234.0, 5.0]
    assert read_answer(part, "19 200") == [19.0, 200.0]
    assert read_answer(part, "[1, 234, 5]") == [1.0, 234.0, 5.0]
    with pytest.raises(ReadError, match="decimal comma"):
        read_answer(part, "[1,234, 5]")


# ------------------------------------------------------------------ 3. other spellings

@pytest.mark.parametrize("typed", ["6.083 x 10^-2", "6.083X10^-2", "6.083x10^-2", "6.083 *10^-2", "6.083*10**-2",
                                   "6.083e-2", "6.083E-2", "6.083 × 10⁻²", "6.083·10⁻²", "6.083 x 10⁻²"])
def test_a_power_of_ten_however_it_is_written(check, typed):
    assert verdict(check(f"8c: {typed}\n"), "8c").startswith("correct"), typed


@pytest.mark.parametrize("typed", ["6.083 e-2", "6.083e -2", "6.083 E - 2"])
def test_a_spaced_e_is_refused_not_read_as_the_constant(check, typed):
    """6.083 e-2 was read as 6.083·e − 2 = 14.5: now it could not be read, with both spellings."""
    line = verdict(check(f"8c: {typed}\n"), "8c")
    assert line.startswith("could not read: ") and "6.083e-2" in line and "6.083*e - 2" in line, line


@pytest.mark.parametrize("typed, want", [("6.08%", "correct"), ("6.08 %", "correct"), ("6.083%", "correct"),
                                         ("6.08", "wrong"), ("60.8%", "wrong")])
def test_a_percent_is_hundredths_where_the_part_asks_for_a_fraction(check, key11, typed, want):
    assert "fraction" in key11[1][7].parts[2].prompt  # 8c: "... as a fraction of the standard one?"
    assert verdict(check(f"8c: {typed}\n"), "8c").startswith(want), typed


def test_a_percent_where_the_part_asks_for_a_percentage_is_its_unit():
    """No family asks for a percentage yet; a part that does holds the value in percent (6.08),
    and 6.08% there means 6.08, not 0.0608."""
    from dataclasses import replace

    from probgen.grading.judge import WRONG, ProblemGrader

    problem = build_problem("depthwise-separable", 46175039, "medium")
    fraction = problem.parts[2]
    percent = replace(fraction, answer=round(fraction.answer * 100, 10), accepted=None, depends_on=[],
                      misconceptions=[], prompt="What is the cost of the depthwise-separable version, in percent of the standard one?")
    grader = ProblemGrader(problem, 8)
    assert grader.grade(percent, "6.083%").full and grader.grade(percent, "6.08 %").full
    assert grader.grade(percent, "6.083").full
    assert grader.grade(percent, "0.06083").verdict == WRONG
    assert grader.grade(fraction, "6.083%").full
    assert grader.grade(fraction, "6.083").verdict == WRONG


@pytest.mark.parametrize("typed", ["bcd", "b, c, d", "b c d", "(b)(c)(d)", "(b) (c) (d)", "BCD", "d, b, c", "b,cd"])
def test_select_all_letters_however_they_are_run_together(check, key11, typed):
    assert key11[1][10].parts[1].answer == ["b", "c", "d"]
    assert verdict(check(f"11b: {typed}\n"), "11b") == "correct"


@pytest.mark.parametrize("typed, want", [("bc", "partly correct"), ("abcd", "partly correct"), ("bcb", "could not read: 'b' is listed twice"),
                                         ("all", "could not read: 'all' is not an option letter")])
def test_select_all_runs_earn_what_their_letters_earn(check, typed, want):
    assert verdict(check(f"11b: {typed}\n"), "11b").startswith(want)


def test_a_bracketed_true_is_read(check):
    assert verdict(check("10e: (T)\n"), "10e") == "correct"


# ------------------------------------------------------------------ 4. shapes

def test_the_shapes_the_cases_use(key11):
    problems = key11[1]
    assert [str(d) for d in problems[6].parts[0].answer] == ["2", "2"]  # 7a: (4 − 2)/2 + 1 = 2 per side
    assert [str(d) for d in problems[3].parts[1].answer] == ["1", "C", "1", "1"]  # 4b: γ, β per channel


@pytest.mark.parametrize("typed", ["2*2", "2 * 2", "2 x 2", "2x2", "(2, 2)", "2×2"])
def test_a_two_by_two_output(check, typed):
    assert verdict(check(f"7a: {typed}\n"), "7a") == "correct"


def test_one_number_for_a_two_dimensional_shape_says_how_many_without_the_answer(check):
    out = check("7a: 4\n")
    assert verdict(out, "7a") == "wrong"
    assert ("\n      expected 2 dimensions, got 1 (separate the 2 dimensions with x or commas, as in a x b)\n"
            in block(out, "7a"))


@pytest.mark.parametrize("typed", ["1 x C x 1 x 1 (per channel)", "(1, C, 1, 1) (one per channel)", "1*C*1*1"])
def test_a_shape_with_a_remark_in_brackets(check, typed):
    assert verdict(check(f"4b: {typed}\n"), "4b") == "correct"


@pytest.mark.parametrize("typed, piece", [("1 x C x 1 x 1 per channel", "1 per channel"), ("1 x channels x 1 x 1", "channels")])
def test_words_in_a_shape_are_refused_with_a_reason(check, typed, piece):
    line = verdict(check(f"4b: {typed}\n"), "4b")
    assert line == f"could not read: '{piece}' is not a dimension: write only the shape, without words (e.g. N x 1 or (N, 1))"


# ------------------------------------------------------------------ 5. the summary

def test_no_written_justification_says_so_instead_of_up_to_0_points(check, key11):
    problems = key11[1]
    total = sum(p.points for pr in problems for p in pr.parts)
    hand = sum(p.hand_points for pr in problems for p in pr.parts)
    assert hand == 10
    out = check("6e: 19200\n10d: T\n")
    assert "plus up to 0 points" not in out
    assert f"\n  (10 points of the sheet's {total:g} are graded by hand; no justification or short answer was written)\n" in out
    out = check("6e: 19200\n10d: T because the test set then picks the epoch\n")
    assert ("\n  plus up to 2 points for hand grading (the written justifications and short answers listed "
            f"above; 10 points of the sheet's {total:g} are graded by hand)\n") in out


# ------------------------------------------------------------------ 6. prose subscripts

def test_reference_and_mistake_lines_print_subscripts_as_the_worked_solution_does(check, key11):
    """12a's model answer and 12c's mistake say β_t in their markup; the worked solution prints
    βₜ, and so do the reference and 'this is the mistake' lines now."""
    problem = key11[1][11]
    assert "β_t" in problem.parts[0].model_answer
    out = check("12a: T\n12c: a\n")
    assert "so ᾱₜ/(1 − ᾱₜ) falls" in block(out, "12a")
    assert "this is the mistake: confuses the noise schedule βₜ with a learning-rate schedule" in block(out, "12c")
    assert "reference:   (b) How much noise each forward step adds" in block(out, "12c")
    assert "β_t" not in out and "α_t" not in out


# ------------------------------------------------------------------ 7. check --record

def test_check_record_stores_only_judged_parts(capsys, key11, tmp_path):
    """A sheet with one right part, one wrong, one unreadable and 53 blank: two rows, so a topic
    never practised is not dragged down by blanks (it was: 56 rows, mastery 17%)."""
    from probgen.practice.store import read_attempts

    db = tmp_path / "h.sqlite3"
    code, out, err = run_main(capsys, ["check", str(key11[0]), "-", "--record", "--db", str(db)],
                              "6e: 19 200\n8a: 22579201\n10d: T/F\n")
    assert code == 0, err
    rows = read_attempts(db)
    assert sorted((r.problem_no, r.part, r.verdict) for r in rows) == [(6, "e", "correct"), (8, "a", "wrong")]
    assert "probgen: recorded 2 parts in " in err
    assert "(54 blank, unreadable or hand-graded parts not recorded)" in err


# ------------------------------------------------------------------ 8. the help examples run

def _examples(capsys, command: str) -> list[str]:
    code, out, err = run_main(capsys, [command, "--help"])
    assert code == 0, err
    lines = out.split("Examples:", 1)[1].splitlines()
    return [line.strip() for line in lines if line.strip().startswith(("probgen ", "printf "))]


def _printf(fmt: str) -> str:
    """What `printf FMT` prints, for the escapes the examples use (\\n)."""
    return fmt.replace("\\n", "\n")


def test_every_practice_example_runs_and_the_piped_answer_is_right(capsys, tmp_path, monkeypatch):
    import shlex

    monkeypatch.chdir(tmp_path)
    examples = _examples(capsys, "practice")
    assert len(examples) >= 5
    piped = 0
    for example in examples:
        stdin = ""  # an interactive example ends at the end of its (empty) input
        if example.startswith("printf "):
            head, _, example = example.partition("|")
            stdin = _printf(shlex.split(head)[1])
        args = shlex.split(example)
        assert args[0] == "probgen", example
        code, out, err = run_main(capsys, args[1:], stdin)
        assert code == 0 and "Traceback" not in err, (example, err)
        if stdin:
            piped += 1
            # the answer it types is the first part's mask, from the problem as printed: a unit
            # is kept where its uniform draw r is above the drop probability p
            p = float(re.search(r"drop probability p = ([\d.]+)", out).group(1))
            r = [float(x) for x in re.search(r"^\s+r = \[([^\]]*)\]", out, re.M).group(1).split(",")]
            assert stdin.splitlines()[0] == str([int(x > p) for x in r])
            assert re.search(r"^1a> .*\n    correct: 1 / 1$", out, re.M), out
    assert piped == 1


def test_every_check_example_runs(capsys, tmp_path, monkeypatch):
    import shlex

    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(capsys, ["export", "dropout", "--seed", "3", "-o", "key.json"])
    assert code == 0, err
    examples = _examples(capsys, "check")
    assert any(" --record" in e for e in examples) and any(" --json" in e for e in examples)
    for example in examples:
        code, out, err = run_main(capsys, shlex.split(example)[1:], "")
        assert code == 0 and "Traceback" not in err, (example, err)
