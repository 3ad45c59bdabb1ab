"""The conceptual answer kinds (multi, truefalse, short): the model and schema, rendering (text
and PDF), reading what students type, judging (the partial-credit rule), bad input, the answer
sheet's 'why' lines, `check`'s hand-grading list, practice's self-marking and `list --json`."""

from __future__ import annotations

import json
from collections import Counter

import jsonschema
import pytest

from probgen.core.build import build_problem
from probgen.core.model import Problem
from probgen.core.registry import load_all
from probgen.grading.choices import multi_fraction, parse_multi, parse_truefalse
from probgen.grading.judge import CORRECT, HAND, MISSING, PARTLY, UNREADABLE, WRONG, grade_problem
from probgen.grading.parse import ReadError
from probgen.grading.selfmark import read_points, self_mark
from probgen.kit.concepts import Choice, Multi, Opt, Pool, Short, TrueFalse
from probgen.render.text import render_problem
from probgen.sheets.answer_key import dumps, make_key, schema
from cli_run import run_main

POOL = Pool("normalization", [
    Choice("c", "Pick the right one.", right=[Opt("right", "because it is")],
           wrong=[Opt(f"wrong {i}", f"because wrong {i} is not") for i in range(4)], options=4),
    Multi("m", "Pick all right ones.", right=[Opt(f"right {i}", f"right {i} holds") for i in range(2)],
          wrong=[Opt("wrong 0", "does not hold"), Opt("wrong 1", mistake="bn-test-batch-stats")],
          options=4, n_right=(2, 2)),
    TrueFalse("t", "Layer norm ignores the batch.", True, "statistics per example",
              [(1, "per example"), (1, "no batch")], mistake="ln-over-batch"),
    Short("s", "Why running averages?", "no batch at test time", [(2, "no batch"), (1, "running averages")]),
])


class Draws:
    """A stand-in Draw with fixed choices: shuffle reverses, sample takes the first k."""

    def integer(self, lo, hi):
        return hi

    def sample(self, options, k):
        return list(options)[:k]

    def shuffle(self, items):
        items.reverse()


@pytest.fixture
def problem():
    params = POOL.generate(Draws(), "medium", 4)
    params["items"].sort(key=lambda inst: "cmts".index(inst["id"]))
    parts, work, figure = POOL.solve(params)
    for p in parts:
        p.prompt = work["prompts"][p.key]
    return Problem(family="normalization-concepts", version=1, seed=0, difficulty="medium", convention=None,
                   title="t", section="fundamentals", topic="normalization", params=params,
                   statement="Questions.", parts=parts)


def test_parts_have_the_new_kinds_and_validate(problem):
    kinds = [p.kind for p in problem.parts]
    assert kinds == ["choice", "multi", "truefalse", "short"]
    c, m, t, s = problem.parts
    assert c.choices[c.answer] == "right" and len(c.choices) == 4
    assert sorted(m.choices[k] for k in m.answer) == ["right 0", "right 1"] and m.answer == sorted(m.answer)
    assert (t.answer, t.points, t.hand_points) == ("T", 3, 2)
    assert (s.points, s.hand_points) == (3, 3)
    validator = jsonschema.Draft202012Validator({"$defs": schema()["$defs"], "$ref": "#/$defs/problem"})
    data = {"number": 1, **problem.to_dict()}
    assert not list(validator.iter_errors(data))
    assert Problem.from_dict(json.loads(json.dumps(problem.to_dict()))).to_dict() == problem.to_dict()


def test_computational_parts_keep_their_json_fields():
    data = build_problem("dropout", 3, "medium").to_dict()
    assert all("rubric" not in p and "explanations" not in p for p in data["parts"])


@pytest.mark.parametrize("text, want", [
    ("b, d", ["b", "d"]), ("d,b", ["b", "d"]), ("b d", ["b", "d"]), ("(b) (d)", ["b", "d"]),
    ("B,D", ["b", "d"]), ("[b, d]", ["b", "d"]), ("a", ["a"]), ("none", []), ("bd", ["b", "d"]),
    ("(b)(d)", ["b", "d"]), ("DB", ["b", "d"]),
])
def test_multi_spellings(text, want):
    assert parse_multi(text, {"a": "", "b": "", "c": "", "d": ""}) == want


@pytest.mark.parametrize("text, needle", [
    ("e", "'e' is not one of the choices a, b, c, d"), ("b, b", "'b' is listed twice"),
    ("b, 2", "'2' is not an option letter"), (",", "no option letter"), ("bf", "'bf' is not an option letter"),
    ("bdb", "'b' is listed twice"), ("all", "'all' is not an option letter"),
])
def test_multi_bad_input(text, needle):
    with pytest.raises(ReadError, match=needle):
        parse_multi(text, {"a": "", "b": "", "c": "", "d": ""})


@pytest.mark.parametrize("text, want", [
    ("T", ("T", "")), ("t because per example", ("T", "per example")), ("F: no", ("F", "no")),
    ("true, per example", ("T", "per example")), ("False - batch", ("F", "batch")), ("F. Because x", ("F", "x")),
    ("T — stats per example", ("T", "stats per example")), ("T\n  two\nlines", ("T", "two lines")),
])
def test_truefalse_spellings(text, want):
    assert parse_truefalse(text) == want


@pytest.mark.parametrize("text", ["maybe", "Tr", "yes", "1", "TT"])
def test_truefalse_bad_input(text):
    with pytest.raises(ReadError, match="is not T, F, True or False"):
        parse_truefalse(text)


@pytest.mark.parametrize("marked, right, want", [
    (["b", "d"], ["b", "d"], 1.0), (["b"], ["b", "d"], 0.5), (["b", "c"], ["b", "d"], 0.0),
    (["a", "b", "c", "d"], ["b", "d"], 0.0), (["a", "b", "d"], ["b", "d"], 0.5), ([], ["b", "d"], 0.0),
    (["b", "c", "d"], ["b", "c", "d"], 1.0), (["b", "c"], ["b", "c", "d"], 2 / 3), (["a"], ["a"], 1.0),
])
def test_partial_credit_rule(marked, right, want):
    """The rule of docs/grading.md, by hand: (right marked − wrong marked) / #right, at least 0."""
    assert multi_fraction(marked, right) == pytest.approx(want)


def _grade(problem, answers):
    return {r.key: r for r in grade_problem(problem, 1, answers).parts}


def test_grading_each_kind(problem):
    c, m, t, s = problem.parts
    wrong_multi = next(k for k in m.choices if k not in m.answer)
    r = _grade(problem, {"a": c.answer, "b": f"{m.answer[0]}, {wrong_multi}", "c": "T per example, no batch",
                         "d": "no batch at test"})
    assert (r["a"].verdict, r["a"].points) == (CORRECT, 2)
    assert (r["b"].verdict, r["b"].points) == (WRONG, 0)  # one right, one wrong: 0 shares
    assert f"missed ({m.answer[1]})" in r["b"].message and f"wrongly marked ({wrong_multi})" in r["b"].message
    assert (r["c"].verdict, r["c"].points, r["c"].hand_points) == (CORRECT, 1, 2)
    assert r["c"].justification == "per example, no batch"
    assert (r["d"].verdict, r["d"].points, r["d"].hand_points) == (HAND, 0, 3)
    r = _grade(problem, {"b": m.answer[0], "c": "F because batch"})
    assert (r["b"].verdict, r["b"].points) == (PARTLY, 1.5)
    assert (r["c"].verdict, r["c"].points) == (WRONG, 0)
    assert r["c"].mistake == "thinks layer norm averages over the examples of the batch"


def test_bad_input_is_unreadable_not_a_crash(problem):
    r = _grade(problem, {"a": "e", "b": "b, b", "c": "T", "d": "   "})
    assert r["a"].verdict == UNREADABLE and "not one of the choices a, b, c, d" in r["a"].message
    assert r["b"].verdict == UNREADABLE and "listed twice" in r["b"].message
    assert (r["c"].verdict, r["c"].points, r["c"].hand_points) == (CORRECT, 1, 0)  # empty justification
    assert "no justification written" in r["c"].message
    assert r["d"].verdict == MISSING


def test_a_named_belief_on_a_select_all_part(problem):
    m = problem.parts[1]
    believer = next(k for k in m.choices if m.choices[k] == "wrong 1")
    r = _grade(problem, {"b": ", ".join(m.answer + [believer])})
    assert r["b"].verdict == PARTLY and r["b"].points == 1.5
    assert r["b"].mistake == "thinks batch norm normalizes with the test batch's own mean and variance at test time"


def test_text_rendering_states_the_rule_and_the_key(problem):
    sheet = render_problem(problem, 1)
    assert "Select all that apply. Each right option you mark earns an equal share of the 3 pts" in sheet
    assert "Write T or F (1 pt) and justify it in one or two sentences (2 pts)." in sheet
    assert "Write one or two sentences (3 pts)." in sheet
    assert "statistics per example" not in sheet and "no batch at test time" not in sheet
    key = render_problem(problem, 1, show_solution=True)
    assert "Answer: True (1 pt). Model justification: statistics per example" in key
    assert "- 1 pt: per example" in key and "- 2 pts: no batch" in key
    assert "Model answer: no batch at test time" in key


def test_pdf_rendering(problem):
    from probgen.render.pdf import render_sheet
    from probgen.sheets.assemble import Sheet

    sheet = Sheet(kind="worksheet", title="concepts", seed=0, problems=[problem], source="t")
    student, key = render_sheet(sheet, show_solution=False), render_sheet(sheet, show_solution=True)
    assert student.startswith(b"%PDF") and key.startswith(b"%PDF") and len(key) > len(student)


# ------------------------------------------------------------------------------ sheet and check

@pytest.fixture
def run(capsys):
    return lambda *args, stdin=None: run_main(capsys, args, stdin)


@pytest.fixture
def concept_key(tmp_path):
    problem = build_problem("normalization-concepts", 5, "hard")
    path = tmp_path / "key.json"
    path.write_text(dumps(make_key([problem], kind="export", title="k", seed=5)), encoding="utf-8")
    return path, problem


def test_answer_sheet_has_why_lines_and_check_lists_hand_grading(concept_key, tmp_path, run):
    path, problem = concept_key
    code, out, err = run("answer-sheet", str(path), "-o", str(tmp_path / "blank.txt"))
    blank = (tmp_path / "blank.txt").read_text()
    tf = [p for p in problem.parts if p.kind == "truefalse"]
    multi = [p for p in problem.parts if p.kind == "multi"]
    assert tf and multi
    for p in tf:
        assert f"\n1{p.key}:" in blank and f"\n1{p.key} why:" in blank
    for p in multi:
        assert f"1{p.key}:" in blank and "select all that apply" in blank and "never below 0" in blank
    lines = []
    for p in problem.parts:
        if p.kind == "truefalse":
            lines += [f"1{p.key}: {p.answer}", f"1{p.key} why: my reason for {p.key}"]
        elif p.kind == "multi":
            lines.append(f"1{p.key}: {', '.join(p.answer)}")
        elif p.kind == "choice":
            lines.append(f"1{p.key}: {p.answer}")
    (tmp_path / "a.txt").write_text("\n".join(lines) + "\n")
    code, out, err = run("check", str(path), str(tmp_path / "a.txt"))
    assert code == 0, err
    for p in tf:
        assert f"for hand grading (2 pts): my reason for {p.key}" in out
        assert p.rubric[0]["idea"] in out
    auto = sum(p.points - p.hand_points for p in problem.parts)
    # the written answers are out of the automatic total (its maximum too) and listed as pending
    assert f"Total: {auto} / {auto} points (100%) graded automatically" in out
    hand = sum(p.hand_points for p in problem.parts)
    assert f"{hand} points of the sheet's {problem.points} are graded by hand" in out
    assert f"plus up to {2 * len(tf)} points for hand grading" in out
    code, out, err = run("check", str(path), str(tmp_path / "a.txt"), "--json")
    report = json.loads(out)
    first = next(r for r in report["problems"][0]["parts"] if r["kind"] == "truefalse")
    assert first["hand_points"] == 2 and first["rubric"] and first["model_answer"]
    assert (report["auto_max_points"], report["hand_max_points"]) == (auto, hand)
    assert report["hand_points_pending"] == 2 * len(tf)


def test_a_why_line_for_another_kind_is_refused(concept_key, tmp_path, run):
    path, problem = concept_key
    other = next(p for p in problem.parts if p.kind == "choice")
    (tmp_path / "a.txt").write_text(f"1{other.key}: a\n1{other.key} why: because\n")
    code, out, err = run("check", str(path), str(tmp_path / "a.txt"))
    assert code == 2 and "is not true/false and takes no 'why' line" in err and "Traceback" not in err


@pytest.mark.parametrize("text, most, want", [("2", 2, 2.0), ("1.5", 2, 1.5), ("0", 3, 0.0), ("1,5", 2, 1.5),
                                              ("3", 2, None), ("-1", 2, None), ("0.3", 2, None), ("x", 2, None)])
def test_self_mark_points(text, most, want):
    assert read_points(text, most) == want


def test_self_mark_adds_points_and_asks_again(problem):
    r = _grade(problem, {"c": "T per example"})["c"]
    answers = iter(["9", "1.5"])
    said = []
    self_mark(r, lambda: next(answers), said.append)
    assert r.points == 2.5 and r.hand_points == 0 and "self-marked 1.5 of 2" in r.message
    assert any("is not a whole or half number from 0 to 2" in s for s in said)


def test_practice_marks_a_justification(run):
    problem = None
    code, out, err = run("practice", "--family", "normalization-concepts", "--seed", "4", "--count", "1",
                         stdin="T it uses the example's own features\n2\nq\n")
    assert code == 0, err
    assert "model answer:" in out and "Mark yourself against the rubric above" in out
    assert "with your marking: 3 / 3" in out


def test_list_json_has_a_style_for_every_family(run):
    code, out, err = run("list", "--json")
    rows = json.loads(out)
    assert {r["style"] for r in rows} == {"computation", "concept"}
    concept = next(r for r in rows if r["id"] == "normalization-concepts")
    assert concept["style"] == "concept" and concept["topic"] == "normalization"
    assert next(r for r in rows if r["id"] == "normalization")["style"] == "computation"


def test_hand_graded_parts_are_worth_their_rubric():
    """The work model's points never fall below a part's rubric (plus the automatic T/F point): a
    sheet must not say 'Write T or F (-1 pts)' or promise more rubric points than the part has."""
    from probgen.core.registry import load_all

    concept = [fid for fid, fam in load_all().items() if fam.style == "concept"]
    assert len(concept) >= 5
    seen = Counter()
    for fid in concept:
        for difficulty in ("easy", "medium", "hard"):
            for seed in range(15):
                for part in build_problem(fid, seed, difficulty).parts:
                    if part.rubric:
                        auto = part.points - part.hand_points
                        assert auto >= (1 if part.kind == "truefalse" else 0), (fid, seed, part.key, part.points)
                        seen[part.kind] += 1
    assert seen["truefalse"] and seen["short"]
CONCEPT_FAMILIES = sorted(fid for fid, fam in load_all().items() if getattr(fam, "style", "") == "concept")


@pytest.mark.parametrize("fid", CONCEPT_FAMILIES)
def test_built_written_parts_keep_their_rubric_points(fid):
    """Through build_problem, where the work model sets the points: a true/false verdict is worth
    at least 1 point and a right verdict earns it (never a negative score); a short answer is worth
    exactly its rubric."""
    seen = 0
    for seed in range(10):
        problem = build_problem(fid, seed, "hard")
        for p in problem.parts:
            rubric = sum(int(r["points"]) for r in p.rubric or ())
            if p.kind == "truefalse":
                seen += 1
                assert p.points - rubric >= 1, (fid, seed, p.key, p.points, rubric)
                r = _grade(problem, {p.key: f"{p.answer} because of the rule"})[p.key]
                assert (r.verdict, r.hand_points) == (CORRECT, rubric) and r.points >= 1, (fid, seed, p.key, r.points)
            elif p.kind == "short":
                assert p.points == rubric, (fid, seed, p.key, p.points, rubric)
    assert seen
