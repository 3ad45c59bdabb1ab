"""`probgen grade`: a whole class graded from a class set's manifest and a folder of sheets."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from probgen.gradebook.analysis import point_biserial

QUIZ = 'title = "Quiz"\n[[slot]]\nfamily = "mse-loss"\n[[slot]]\nfamily = "dropout"\n'
ROSTER = "name,id\nAda Right,s1\nBo Wrong,s2\nCy Partly,s3\nDi Missing,s4\nEd Otherset,s5\n=Fay Mistake,s6\n"


def _run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "probgen", *args], capture_output=True, text=True, timeout=600, **kw)


def _fmt(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return repr(float(value))


def _off(value):
    if isinstance(value, list):
        return [_off(v) for v in value]
    return float(value) * 3 + 1000


def _fill(blank: str, answers: dict[str, str]) -> str:
    out = []
    for line in blank.split("\n"):
        label = line.split(":", 1)[0].strip()
        if not line.startswith("#") and ":" in line and label in answers:
            line = f"{label}: {answers[label]}"
        out.append(line)
    return "\n".join(out)


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    (root / "quiz.toml").write_text(QUIZ)
    (root / "roster.csv").write_text(ROSTER)
    for folder in ("cs", "other"):
        proc = _run("exam", "--bank", str(root / "quiz.toml"), "--roster", str(root / "roster.csv"), "--seed", "9",
                    "--jobs", "2", "-o", str(root / folder))
        assert proc.returncode == 0, proc.stderr
    return root


def _keys(folder: Path) -> dict[str, dict]:
    manifest = json.loads((folder / "quiz-class-set.json").read_text())
    return {r["id"]: (r, json.loads((folder / r["key_json"]).read_text())) for r in manifest["versions"]}


def test_a_class_of_six_is_graded_and_totals_match_the_keys(klass, tmp_path):
    cs, sheets = klass / "cs", tmp_path / "in"
    sheets.mkdir()
    keys = _keys(cs)
    expected = {}
    for sid, (row, key) in keys.items():
        parts = {f"{p['number']}{q['key']}": q for p in key["problems"] for q in p["parts"]}
        if sid == "s1":
            answers = {lab: _fmt(q["answer"]) for lab, q in parts.items()}
        elif sid == "s2":
            answers = {lab: _fmt(_off(q["answer"])) for lab, q in parts.items()}
        elif sid == "s3":  # problem 1 right, problem 2 left blank
            answers = {lab: _fmt(q["answer"]) for lab, q in parts.items() if lab.startswith("1")}
        elif sid == "s6":  # a named mistake on 1a, the rest right
            answers = {lab: _fmt(q["answer"]) for lab, q in parts.items()}
            answers["1a"] = _fmt(parts["1a"]["misconceptions"][0]["value"])
        else:
            continue
        right = [lab for lab, text in answers.items() if text == _fmt(parts[lab]["answer"])]
        expected[sid] = sum(parts[lab]["points"] for lab in right)
        (sheets / f"{sid}.txt").write_text(_fill((cs / row["answer_sheet"]).read_text(), answers))
    # s4 hands in nothing; s5 hands in a (right) sheet of the other class set
    other_row, other_key = _keys(klass / "other")["s5"]
    parts = {f"{p['number']}{q['key']}": q for p in other_key["problems"] for q in p["parts"]}
    (sheets / "s5.txt").write_text(_fill((klass / "other" / other_row["answer_sheet"]).read_text(),
                                         {lab: _fmt(q["answer"]) for lab, q in parts.items()}))
    out = tmp_path / "results"
    proc = _run("grade", str(cs / "quiz-class-set.json"), str(sheets), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "graded 4 of 6 versions" in proc.stdout
    other_id = json.loads((klass / "other" / "quiz-class-set.json").read_text())["class_set"]
    assert f"s5.txt: belongs to class set {other_id}, not to this one" in proc.stdout
    assert "missing: version 4 (s4, Di Missing): no answer sheet" in proc.stdout
    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text())))
    by_id = {r["Student ID"]: r for r in rows}
    assert [r["Student ID"] for r in rows] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert by_id["s6"]["Name"] == "'=Fay Mistake"  # formula-escaped
    for sid, total in expected.items():
        assert float(by_id[sid]["Total"]) == pytest.approx(total), sid
        _, key = keys[sid]
        assert float(by_id[sid]["Max"]) == sum(q["points"] for p in key["problems"] for q in p["parts"])
        assert float(by_id[sid]["P1"]) + float(by_id[sid]["P2"]) == pytest.approx(total)
    assert expected["s2"] == 0 and expected["s1"] == float(by_id["s1"]["Max"]) > expected["s6"] > 0
    assert by_id["s4"]["Status"] == "missing" and by_id["s4"]["Total"] == ""
    assert by_id["s5"]["Total"] == ""
    # item analysis: 1a is right for s1 and s3 of the four graded; s6's mistake is named and counted
    analysis = list(csv.DictReader(io.StringIO((out / "item-analysis.csv").read_text())))
    first = next(r for r in analysis if r["item"] == "1a")
    assert first["students"] == "4" and float(first["fraction_correct"]) == 0.5
    mistake = keys["s6"][1]["problems"][0]["parts"][0]["misconceptions"][0]["name"]
    assert f"{mistake} ×1" in first["mistakes"]
    png = (out / "item-analysis.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in (out / "feedback").iterdir()) == [f"{s}-feedback.{x}" for s in ("s1", "s2", "s3", "s6")
                                                                    for x in ("pdf", "txt")]
    assert "Total: 0 /" in (out / "feedback" / "s2-feedback.txt").read_text()
    from pypdf import PdfReader

    pdf_text = "\n".join(p.extract_text() for p in PdfReader(str(out / "feedback" / "s6-feedback.pdf")).pages)
    assert "Total: " + by_id["s6"]["Total"] + " / " + by_id["s6"]["Max"] in pdf_text and mistake in pdf_text
    canvas = list(csv.DictReader(io.StringIO((out / "gradebook-canvas.csv").read_text())))
    assert [(r["SIS User ID"], r["Quiz (probgen)"]) for r in canvas][:2] == [("s1", by_id["s1"]["Total"]),
                                                                           ("s2", by_id["s2"]["Total"])]
    # a rerun replaces the results whole, and leaves nothing beside them
    (sheets / "s4.txt").write_text((cs / keys["s4"][0]["answer_sheet"]).read_text())
    assert _run("grade", str(cs / "quiz-class-set.json"), str(sheets), "-o", str(out)).returncode == 0
    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text())))
    assert rows[3]["Status"] == "graded (no answers found)" and rows[3]["Total"] == "0"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "results"]


def test_bad_sheets_are_listed_never_a_crash(klass, tmp_path):
    cs, sheets = klass / "cs", tmp_path / "in"
    sheets.mkdir()
    keys = _keys(cs)
    blank = {sid: (cs / row["answer_sheet"]).read_text() for sid, (row, _) in keys.items()}
    (sheets / "s1.txt").write_text(blank["s1"])
    (sheets / "s1-again.txt").write_text(blank["s1"])  # duplicate of version 1
    (sheets / "s2.txt").write_text(blank["s3"])  # named for s2, holds s3's sheet
    (sheets / "s4.txt").write_bytes(blank["s4"].encode() + b"1a: caf\xe9\n")  # not UTF-8
    (sheets / "s5.txt").write_text(blank["s5"].replace("1a:", "1a 0.5\n1a:", 1))  # malformed line
    (sheets / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (sheets / "sub").mkdir()
    shutil.copy(cs / keys["s6"][0]["answer_sheet"], sheets / "v06.txt")  # by version, header intact
    out = tmp_path / "res"
    proc = _run("grade", str(cs / "quiz-class-set.json"), str(sheets), "-o", str(out))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    text = (out / "not-graded.txt").read_text()
    assert "duplicate: s1-again.txt: version 1 has 2 sheets" in text
    assert "wrong-version: s2.txt: named for version 2 but holds the answer sheet of version 3" in text
    assert "unreadable: " in text and "s4.txt" in text and "s5.txt line" in text
    assert "extra: photo.jpg" in text and "extra: sub: a folder" in text
    assert "missing: version 2" in text
    rows = {r["Student ID"]: r for r in csv.DictReader(io.StringIO((out / "gradebook.csv").read_text()))}
    assert rows["s6"]["Status"].startswith("graded") and rows["s1"]["Status"] == "duplicate sheets"
    # a folder that is not grade results is not replaced
    junk = tmp_path / "mine"
    junk.mkdir()
    (junk / "thesis.tex").write_text("x")
    proc = _run("grade", str(cs / "quiz-class-set.json"), str(sheets), "-o", str(junk))
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1 and (junk / "thesis.tex").exists()
    for args in (["grade", str(sheets / "s1.txt"), str(sheets), "-o", str(out)],
                 ["grade", str(cs / "quiz-class-set.json"), str(tmp_path / "nope"), "-o", str(out)]):
        proc = _run(*args)
        assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr


def test_point_biserial_is_the_pearson_correlation():
    rng = np.random.default_rng(3)
    binary = [int(b) for b in rng.integers(0, 2, 40)]
    scores = [float(s) for s in rng.normal(50, 10, 40) + 8 * np.array(binary)]
    assert point_biserial(binary, scores) == pytest.approx(np.corrcoef(binary, scores)[0, 1])
    assert point_biserial([1, 1, 1], [1.0, 2.0, 3.0]) is None


def test_item_chart_keeps_a_page_width_for_a_whole_midterm():
    """One row per item, labelled with its family (a class-set slot holds several families):
    80 items as columns made a 3,845-pixel-wide strip of repeated "2a" labels."""
    from probgen.gradebook.analysis import Item, plot_png

    items = [Item(problem=p, family=f"family-{p}-{v}", part=part, max_points=1, correct=[1, 0], rest=[3, 1],
                  earned=[1, 0]) for p in range(1, 11) for v in range(2) for part in "abcd"]
    png = plot_png(items, "Midterm")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width <= 1000 and height >= 20 * len(items)
    assert items[0].label == "1a family-1-0"
