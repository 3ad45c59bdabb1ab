"""`probgen grade` on a class set whose bank has a conceptual family: select-all partial credit,
the T/F graded at once, written justifications and short answers kept out of the automatic
total, shown as pending in the gradebook and listed with model answer and rubric for the person
who grades them. Expected totals are recomputed from the keys with the rule docs/grading.md
states, sharing no code with the grader."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

QUIZ = ('title = "Ideas"\n[[slot]]\nfamily = "regularization-concepts"\ndifficulty = "hard"\n'
        '[[slot]]\nfamily = "mse-loss"\n')
ROSTER = "name,id\nAl All,s1\nBe Bare,s2\nCe Absent,s3\n"
S1_KINDS, S2_KINDS = {"truefalse", "short", "choice", "number"}, {"multi", "truefalse"}


def _secret(bank_file) -> str:
    """A class-set secret (it fixes the version seeds) whose version 1 (s1) has true/false, short,
    choice and number parts and whose version 2 (s2) has select-all and true/false parts. Searched
    over 00…01, 00…02, … rather than fixed, so the test keeps covering every kind when a pool
    changes; the test then checks the kinds in the keys the CLI wrote."""
    from probgen.sheets.assemble import exam_sheet
    from probgen.sheets.banks import load_bank
    from probgen.sheets.classset import version_seed

    bank = load_bank(str(bank_file))
    for n in range(1, 200):
        secret = f"{n:032d}"
        kinds = [{q.kind for p in exam_sheet(bank, version_seed(secret, 4, v)).problems for q in p.parts} for v in (1, 2)]
        if S1_KINDS <= kinds[0] and S2_KINDS <= kinds[1]:
            return secret
    raise AssertionError("no secret gives the versions this test needs")


def _run(*args):
    return subprocess.run([sys.executable, "-m", "probgen", *args], capture_output=True, text=True, timeout=600)


def _fill(blank: str, answers: dict[str, str]) -> str:
    out = []
    for line in blank.split("\n"):
        label = line.split(":", 1)[0].strip()
        if not line.startswith("#") and ":" in line and label in answers:
            line = f"{label}: {answers[label]}"
        out.append(line)
    return "\n".join(out)


def _number(value) -> str:
    return "[" + ", ".join(_number(v) for v in value) + "]" if isinstance(value, list) else repr(float(value))


def _hand(q) -> int:
    return sum(r["points"] for r in q.get("rubric") or [])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("ideas")
    (root / "quiz.toml").write_text(QUIZ)
    (root / "roster.csv").write_text(ROSTER)
    proc = _run("exam", "--bank", str(root / "quiz.toml"), "--roster", str(root / "roster.csv"), "--seed", "4",
                "--jobs", "1", "--secret", _secret(root / "quiz.toml"), "-o", str(root / "cs"))
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((root / "cs" / "quiz-class-set.json").read_text())
    keys = {r["id"]: (r, json.loads((root / "cs" / r["key_json"]).read_text())) for r in manifest["versions"]}
    sheets, expected = root / "in", {}
    sheets.mkdir()
    for sid in ("s1", "s2"):
        row, key = keys[sid]
        parts = {f"{p['number']}{q['key']}": q for p in key["problems"] for q in p["parts"]}
        answers, total, pending = {}, 0.0, 0
        for lab, q in parts.items():
            auto = q["points"] - _hand(q)
            if q["kind"] == "multi":
                right = q["answer"]
                marked = right if sid == "s1" else right[:1]  # s2 marks one right option of several
                answers[lab] = ", ".join(marked)
                total += auto * max(0, len(set(marked) & set(right)) - len(set(marked) - set(right))) / len(right)
            elif q["kind"] == "truefalse":
                answers[lab] = q["answer"]
                total += auto
                if sid == "s1":  # s2 writes no justification: 0 for it, nothing pending
                    answers[f"{lab} why"] = f"it follows from the idea behind {lab}"
                    pending += _hand(q)
            elif q["kind"] == "short":
                answers[lab] = f"my short answer to {lab}"
                pending += q["points"]
            elif q["kind"] == "choice":
                wrong = sorted(k for k in q["choices"] if k != q["answer"])[0]
                answers[lab] = q["answer"] if sid == "s1" else wrong
                total += auto if sid == "s1" else 0
            else:
                answers[lab] = _number(q["answer"])
                total += auto
        expected[sid] = (total, pending, parts)
        (sheets / f"{sid}.txt").write_text(_fill((root / "cs" / row["answer_sheet"]).read_text(), answers))
    out = root / "results"
    proc = _run("grade", str(root / "cs" / "quiz-class-set.json"), str(sheets), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out, keys, expected


def test_written_answers_are_pending_and_out_of_the_automatic_total(graded):
    out, keys, expected = graded
    rows = {r["Student ID"]: r for r in csv.DictReader(io.StringIO((out / "gradebook.csv").read_text()))}
    kinds = {sid: {q["kind"] for q in parts.values()} for sid, (_, _, parts) in expected.items()}
    assert S1_KINDS <= kinds["s1"] and S2_KINDS <= kinds["s2"]
    for sid, (total, pending, parts) in expected.items():
        hand = sum(_hand(q) if q["kind"] == "truefalse" else q["points"] if q["kind"] == "short" else 0
                   for q in parts.values())
        assert hand > 0
        row = rows[sid]
        assert float(row["Total"]) == pytest.approx(total), sid
        assert float(row["Max"]) == sum(q["points"] for q in parts.values()) - hand
        assert float(row["Hand max"]) == hand and float(row["Pending"]) == pending, sid
        assert float(row["P1"]) + float(row["P2"]) == pytest.approx(total)
        assert (f"{row['Pending']} pts of written answers pending hand grading" in row["Status"]) == (pending > 0)
    assert expected["s2"][0] < expected["s1"][0] and rows["s3"]["Status"] == "missing"


def test_hand_grading_lists_every_written_answer_with_model_answer_and_rubric(graded):
    out, keys, expected = graded
    listed = list(csv.DictReader(io.StringIO((out / "hand-grading.csv").read_text())))
    want = []
    for sid, (_, _, parts) in expected.items():
        for lab, q in parts.items():
            if q["kind"] == "short" or (q["kind"] == "truefalse" and sid == "s1"):
                want.append((sid, lab))
    assert [(r["Student ID"], r["Part"]) for r in listed] == want
    for r in listed:
        q = expected[r["Student ID"]][2][r["Part"]]
        assert r["Model answer"] == q["model_answer"] and r["Awarded"] == ""
        assert all(f"[{i['points']}] {i['idea']}" in r["Rubric"] for i in q["rubric"])
        assert r["Answer"].startswith("my short answer" if q["kind"] == "short" else "it follows from the idea")
    text = (out / "hand-grading.txt").read_text()
    assert "for hand grading" in text and "rubric:" in text
    feedback = (out / "feedback" / "s1-feedback.txt").read_text()
    assert "graded automatically" in feedback and "for hand grading" in feedback


def test_item_analysis_counts_only_automatic_points(graded):
    out, keys, expected = graded
    analysis = {r["item"]: r for r in csv.DictReader(io.StringIO((out / "item-analysis.csv").read_text()))}
    labels = set(expected["s1"][2]) | set(expected["s2"][2])
    for lab in labels:  # an item where some student's version has automatic points there (versions differ)
        kinds = [parts[lab]["kind"] for _, _, parts in expected.values() if lab in parts]
        assert (lab in analysis) == any(k != "short" for k in kinds), lab
        if lab in analysis:
            assert int(analysis[lab]["students"]) == sum(k != "short" for k in kinds), lab
        if kinds and all(k == "truefalse" for k in kinds):  # both wrote the right T/F
            assert float(analysis[lab]["fraction_correct"]) == 1.0


@pytest.mark.parametrize("total", [12, 20, 40])
def test_slot_points_keep_a_rubric_graded_part_whole(tmp_path, total):
    """A bank slot's `points = N` rescales the automatically graded parts only: a true/false or
    short part keeps the points its rubric (and T/F) fix, so no part's automatic points go below 0."""
    from probgen.core.build import build_problem
    from probgen.sheets.assemble import exam_sheet
    from probgen.sheets.banks import load_bank

    (tmp_path / "b.toml").write_text('title = "P"\n[[slot]]\nfamily = "regularization-concepts"\n'
                                     f'difficulty = "hard"\npoints = {total}\n')
    problem = exam_sheet(load_bank(str(tmp_path / "b.toml")), 1).problems[0]
    original = build_problem("regularization-concepts", problem.seed, "hard")
    assert problem.points == total
    for new, old in zip(problem.parts, original.parts):
        assert new.points >= 1 and new.points - new.hand_points >= 0
        if old.rubric:
            assert (new.points, new.rubric) == (old.points, old.rubric)


def test_slot_points_too_small_for_the_rubrics_is_one_line(tmp_path):
    (tmp_path / "b.toml").write_text('title = "P"\n[[slot]]\nfamily = "regularization-concepts"\n'
                                     'difficulty = "hard"\npoints = 3\n')
    proc = _run("exam", "--bank", str(tmp_path / "b.toml"), "--seed", "1", "-o", str(tmp_path / "out"))
    assert proc.returncode == 2 and "hand-graded parts keep their" in proc.stderr and "Traceback" not in proc.stderr
