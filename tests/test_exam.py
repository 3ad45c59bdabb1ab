"""`probgen exam`: banks -> exam PDFs and key; part selection and points; class sets; rosters."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from probgen.sheets.answer_key import schema
from probgen.sheets.assemble import exam_sheet, scale_points
from probgen.sheets.banks import load_bank
from probgen.sheets.classset import make_class_set, parse_roster, RosterError
from probgen.cli import cli
from probgen.errors import BankError
from probgen.core.model import Part, Problem


def _run(args, cwd=None):
    return subprocess.run([sys.executable, "-c", "from probgen.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def _text(path) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def _problem(points):
    parts = [Part(key=chr(97 + i), kind="number", answer=1.0, points=p) for i, p in enumerate(points)]
    return Problem(family="dropout", version=1, seed=0, difficulty="medium", convention=None, title="t",
                   section="fundamentals", topic="regularization", params={}, statement="", parts=parts)


@pytest.mark.parametrize("weights, total, expected", [
    ([2, 3, 2], 10, [3, 4, 3]),        # 1 each + 7 shared 2:3:2 exactly
    ([1, 1, 1], 10, [4, 3, 3]),        # 1 each + 7/3 each: the spare point goes to the first part
    ([1, 3], 3, [1, 2]),               # the minimum of 1 point per part comes first
    ([2, 2, 2, 2], 4, [1, 1, 1, 1]),
    ([1, 2, 2, 3], 20, [3, 5, 5, 7]),  # 4 + 16 * (1,2,2,3)/8 = 4 + (2,4,4,6)
])
def test_points_are_scaled_by_largest_remainder(weights, total, expected):
    scaled = scale_points(_problem(weights), total)
    assert [p.points for p in scaled.parts] == expected
    assert scaled.points == total


def test_fewer_points_than_parts_is_a_bank_error():
    with pytest.raises(BankError, match="slot 2.*less than the 3 parts"):
        scale_points(_problem([1, 1, 1]), 2, "bank.toml: slot 2")


def _bank(tmp_path, body, name="b.toml"):
    path = tmp_path / name
    path.write_text('title = "Quiz"\ntime_minutes = 30\n' + body)
    return path


def test_exam_prints_paths_and_key_matches_what_is_printed(tmp_path):
    bank = _bank(tmp_path, '[[slot]]\nfamily = "dropout"\ndifficulty = "hard"\npoints = 20\nparts = ["a", "b", "e"]\n'
                           '[[slot]]\nfamily = "dropout"\ndifficulty = "easy"\n')
    out = tmp_path / "out"
    proc = _run(["exam", "--bank", str(bank), "--seed", "3", "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    paths = proc.stdout.split()
    assert paths == [str(out / f"b-3{s}") for s in (".pdf", "-key.pdf", "-key.json")]
    key = json.loads(Path(paths[2]).read_text())
    jsonschema.validate(key, schema())
    assert key["kind"] == "exam" and key["seed"] == 3
    first = key["problems"][0]
    assert [p["key"] for p in first["parts"]] == ["a", "b", "e"]
    assert sum(p["points"] for p in first["parts"]) == 20
    assert all(s["part"] in (None, "a", "b", "e") for s in first["steps"])
    student, answer_key = _text(paths[0]), _text(paths[1])
    for label in ("1a", "1b", "1e", "2a", "2b", "2c"):
        assert label in student and label in answer_key
    assert "1c" not in student and "1d" not in student  # dropped parts are not printed
    for part in first["parts"]:  # the printed points are the key's points
        unit = "pt" if part["points"] == 1 else "pts"
        assert f"1{part['key']}\n{part['points']} {unit}" in student
    total = sum(p["points"] for prob in key["problems"] for p in prob["parts"])
    assert f"{total} points" in student
    assert "Time allowed: 30 minutes" in student
    assert "Name:" in student and "Student ID:" in student


def test_default_exam_from_the_readme(tmp_path):
    proc = _run(["exam", "--seed", "1"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    written = proc.stdout.split()
    assert written == ["output/midterm-1.pdf", "output/midterm-1-key.pdf", "output/midterm-1-key.json"]
    assert all((tmp_path / p).stat().st_size > 1000 for p in written)
    cover = PdfReader(str(tmp_path / written[0])).pages[0].extract_text()
    assert "Midterm" in cover and "seed 1" in cover


@pytest.mark.parametrize("body, needles", [
    ('[[slot]]\nfamily = "no-such-family"\n', ["b.toml", "slot 1", "unknown family 'no-such-family'"]),
    ('[[slot]]\nfamily = "dropout"\npoints = 0\n', ["b.toml", "slot 1", "points"]),
    ('[[slot]]\nfamily = "dropout"\npoints = 2\n', ["b.toml", "slot 1", "points = 2"]),
    ('[[slot]]\nfamily = "dropout"\nparts = ["z"]\n', ["b.toml", "slot 1", "no part(s) z"]),
    ('[[slot]\nfamily = "dropout"\n', ["b.toml", "TOML syntax error", "line 3"]),
])
def test_bad_bank_is_one_line_naming_file_and_place(tmp_path, body, needles):
    proc = _run(["exam", "--bank", str(_bank(tmp_path, body)), "-o", str(tmp_path / "o")])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for needle in needles:
        assert needle in lines[0]
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_class_set_versions_are_distinct_with_manifest_and_merged_key(tmp_path):
    bank = load_bank("midterm")
    written = make_class_set(bank, 11, tmp_path, versions=4, jobs=2)
    names = {p.name for p in written}
    assert {"midterm-class-set.csv", "midterm-class-set.json", "midterm-class-set-keys.pdf"} <= names
    manifest = json.loads((tmp_path / "midterm-class-set.json").read_text())
    rows = manifest["versions"]
    assert [r["version"] for r in rows] == [1, 2, 3, 4]
    assert len({r["seed"] for r in rows}) == 4
    keys = []
    for r in rows:
        key = json.loads((tmp_path / r["key_json"]).read_text())
        jsonschema.validate(key, schema())
        assert key["kind"] == "exam-version" and key["seed"] == r["seed"]
        keys.append(json.dumps([p["params"] for p in key["problems"]], sort_keys=True))
        # a version is the exam of its seed: the cover's seed finds the key again
        again = exam_sheet(bank, r["seed"])
        assert [p.params for p in again.problems] == [p["params"] for p in key["problems"]]
        assert (tmp_path / r["exam_pdf"]).is_file() and (tmp_path / r["key_pdf"]).is_file()
    assert len(set(keys)) == 4
    with open(tmp_path / "midterm-class-set.csv", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    assert [int(r["seed"]) for r in csv_rows] == [r["seed"] for r in rows]
    merged = PdfReader(str(tmp_path / "midterm-class-set-keys.pdf"))
    text = "\n".join(p.extract_text() for p in merged.pages)
    for r in rows:
        assert f"version {r['version']} · midterm · seed {r['seed']}" in text
    single = sum(len(PdfReader(str(tmp_path / r["key_pdf"])).pages) for r in rows)
    assert len(merged.pages) == single + 1  # an index page, then every version's key


def test_roster_class_set_names_students(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,ID\nAda Lovelace,s001\nAlan Turing,s002\n")
    proc = _run(["exam", "--roster", str(roster), "--seed", "2", "-o", str(tmp_path / "cs")])
    assert proc.returncode == 0, proc.stderr
    assert "writing 2 versions" in proc.stderr  # the progress bar (its label, without a terminal) goes to stderr
    out = tmp_path / "cs"
    assert (out / "midterm-v01-s001.pdf").is_file() and (out / "midterm-v02-s002-key.json").is_file()
    assert "Ada Lovelace" in PdfReader(str(out / "midterm-v01-s001.pdf")).pages[0].extract_text()
    rows = list(csv.DictReader(io.StringIO((out / "midterm-class-set.csv").read_text())))
    assert [(r["name"], r["id"]) for r in rows] == [("Ada Lovelace", "s001"), ("Alan Turing", "s002")]
    assert proc.stdout.split()[-1].endswith("midterm-class-set.json")


@pytest.mark.parametrize("content, needle", [
    ("", "empty"),
    ("name,email\nAda,a@x\n", "has no id column"),
    ("id,email\ns1,a@x\n", "has no name column"),
    ("name,id\nAda,s1\nBob,s1\n", "duplicate id 's1'"),
    ("name,id\n", "no students"),
    ("name,id\nAda,\n", "line 2: missing student id"),
])
def test_bad_roster_is_one_line_exit_2(tmp_path, content, needle):
    roster = tmp_path / "r.csv"
    roster.write_text(content)
    proc = _run(["exam", "--roster", str(roster), "-o", str(tmp_path / "o")])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], proc.stderr


def test_roster_errors_name_the_real_line():
    # blank lines and a quoted line break still count: the message points at the file's line
    with pytest.raises(RosterError, match=r"line 6: duplicate id 's1' \(first on line 2\)"):
        parse_roster('name,id\nAda,s1\n\n"Bob\nJr",s2\nCy,s1\n')
    with pytest.raises(RosterError, match=r"line 3 has 3 fields but the header has 2 .*quotes"):
        parse_roster("name,id\nAda,s1\nLovelace, Ada,s2\n")
    with pytest.raises(RosterError, match="empty"):
        parse_roster(",,\n,\n")
    assert parse_roster('name,id\n"Lovelace, Ada",s2\nBo,s3,\n') == [
        {"name": "Lovelace, Ada", "id": "s2"}, {"name": "Bo", "id": "s3"}]  # a trailing comma is harmless


def test_roster_not_utf8_says_so_with_the_line(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_bytes("name,id\nAda,s1\nLéa,s2\n".encode("latin-1"))
    proc = _run(["exam", "--roster", str(roster), "-o", str(tmp_path / "o")])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    line, = proc.stderr.strip().splitlines()
    assert f"{roster}: line 3 is not UTF-8 text" in line
    assert not (tmp_path / "o").exists()


def test_parse_roster_accepts_semicolons_and_bom():
    assert parse_roster("\ufeffStudent ID;Name\n42;Grace Hopper\n") == [{"name": "Grace Hopper", "id": "42"}]
    with pytest.raises(RosterError):
        parse_roster("just one column\nx\n")


def test_exam_help_and_versions_with_roster_conflict(tmp_path):
    runner = CliRunner()
    assert "Examples:" in runner.invoke(cli, ["exam", "--help"]).output
    proc = _run(["exam", "--versions", "2", "--roster", "x.csv"])
    assert proc.returncode == 2 and "not both" in proc.stderr


def test_interrupted_write_leaves_no_partial_files(tmp_path, monkeypatch):
    from probgen.sheets import publish
    from probgen.render import pdf

    calls = []

    def failing(sheet, show_solution=False):
        calls.append(show_solution)
        if show_solution:
            raise KeyboardInterrupt
        return b"%PDF-1.4 fake"

    monkeypatch.setattr(pdf, "render_sheet", failing)
    sheet = exam_sheet(load_bank("midterm"), 1)
    with pytest.raises(KeyboardInterrupt):
        publish.write_sheet(sheet, tmp_path, "x")
    # all three files are rendered before any is written: an interrupt leaves nothing, not a lone PDF
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_repeated_version_is_redrawn(tmp_path, monkeypatch):
    from probgen.sheets import classset

    real = classset.version_seed
    # every version's first seed is the same: versions 2 and 3 repeat version 1 and must be re-drawn
    monkeypatch.setattr(classset, "version_seed",
                        lambda secret, seed, number, attempt=0: 777 if attempt == 0 else real(secret, seed, number,
                                                                                                attempt))
    make_class_set(load_bank("midterm"), 5, tmp_path, versions=3, jobs=1)
    rows = json.loads((tmp_path / "midterm-class-set.json").read_text())["versions"]
    assert rows[0]["seed"] == 777 and len({r["seed"] for r in rows}) == 3
    params = [json.dumps(json.loads((tmp_path / r["key_json"]).read_text())["problems"][0]["params"])
              for r in rows]
    assert len(set(params)) == 3
    text = "\n".join(p.extract_text() for p in PdfReader(str(tmp_path / "midterm-class-set-keys.pdf")).pages)
    for r in rows:  # the merged key holds the re-drawn versions, not the repeats
        assert f"seed {r['seed']}" in text


def test_roster_names_no_font_has_and_long_names(tmp_path):
    # a CJK name (no bundled font draws it) once crashed the class set with a FreeType traceback;
    # a very long name ran over the Student ID field and out of the merged key's table
    bank = tmp_path / "quiz.toml"
    bank.write_text('title = "Quiz"\n[[slot]]\nfamily = "dropout"\npoints = 5\n')
    long_name = "Aleksandra Konstantinopolska-Wiśniewska-Brzęczyszczykiewicz von Habsburg"
    roster = tmp_path / "r.csv"
    roster.write_text(f"name,id\n李小龍,s2\n{long_name},s3-very-long-student-identifier-0001\n", encoding="utf-8")
    proc = _run(["exam", "--bank", str(bank), "--roster", str(roster), "--jobs", "1", "-o", str(tmp_path / "o")])
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    warning, = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert f"{roster}: the name '李小龍' (id s2)" in warning and "'?'" in warning
    cover = PdfReader(tmp_path / "o" / "quiz-v01-s2.pdf").pages[0].extract_text()
    assert "???" in cover
    cover = PdfReader(tmp_path / "o" / "quiz-v02-s3-very-long-student-identifier-0001.pdf").pages[0].extract_text()
    name_field = cover.split("Name:", 1)[1].split("Student ID", 1)[0]  # (the footer may hold the whole name)
    assert "Aleksandra Konstantinopolska" in name_field and "…" in name_field and long_name not in name_field


def test_fit_text_shrinks_then_cuts():
    from probgen.render import mathtype as M
    from probgen.render.pdf_flowables import fit_text

    assert fit_text("Ada", "bf", 11, 100) == ("Ada", 11)
    text, size = fit_text("Aleksandra Konstantinopolska", "bf", 11, 160)
    assert text == "Aleksandra Konstantinopolska" and 7.5 <= size < 11
    assert M.text_width(text, M.FACES["bf"], size) <= 160
    text, size = fit_text("x" * 200, "rm", 9, 50, smallest=9)
    assert size == 9 and text.endswith("…") and M.text_width(text, M.FACES["rm"], 9) <= 50
