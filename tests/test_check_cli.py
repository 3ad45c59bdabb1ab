"""`probgen answer-sheet` and `probgen check` as a student meets them: the sheet, the report,
--json, hostile answers, and one-line errors (file and line, exit status 2, no traceback)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import pytest

from probgen.sheets.answer_key import dumps, make_key
from probgen.core.build import build_problem
from cli_run import run_main


def run_process(args, stdin: str | None = None, timeout=60):
    """The real entry point in a fresh process, as a user's shell runs it."""
    return subprocess.run([sys.executable, "-c", "from probgen.cli import main; main()", *args],
                          input=stdin, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def run(capsys):
    """The same entry point (`main`, which turns errors into one line and exit status 2), in
    this process: much faster than a process per case."""
    return lambda args, stdin=None, timeout=None: run_main(capsys, args, stdin)


def write_key(path, problems, kind="export"):
    path.write_text(dumps(make_key(problems, kind=kind, title="test key", seed=3)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dropout_key(tmp_path_factory):
    problems = [build_problem("dropout", seed, "medium") for seed in (3, 4)]
    return write_key(tmp_path_factory.mktemp("keys") / "key.json", problems), problems


def fmt(values):
    return "[" + ", ".join(repr(v) for v in values) + "]"


def test_answer_sheet_lists_every_part_with_its_kind(dropout_key, tmp_path, run):
    key, problems = dropout_key
    out = tmp_path / "sheet.txt"
    proc = run(["answer-sheet", str(key), "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in out.read_text().splitlines() if line and not line.startswith("#")]
    labels = [line.split(":")[0] for line in lines]
    assert labels == [f"{n}{p.key}" for n, prob in enumerate(problems, 1) for p in prob.parts]
    assert all("# vector of 5 numbers" in line for line in lines)
    assert "(exact)" in lines[0]  # the mask
    # no answer leaks onto the sheet
    assert fmt(problems[0].part("b").answer) not in out.read_text()


def test_answer_sheet_never_overwrites_filled_in_answers(dropout_key, tmp_path, run):
    key, _ = dropout_key
    out = tmp_path / "answers.txt"
    assert run(["answer-sheet", str(key), "-o", str(out)]).returncode == 0
    assert run(["answer-sheet", str(key), "-o", str(out)]).returncode == 0  # the same blank sheet again
    filled = out.read_text().replace("1a:", "1a: [1, 0, 1, 1, 0]", 1)
    out.write_text(filled)
    proc = run(["answer-sheet", str(key), "-o", str(out)])
    assert proc.returncode == 2 and "already exists" in proc.stderr and "--force" in proc.stderr
    assert out.read_text() == filled  # the student's answers are still there
    assert run(["answer-sheet", str(key), "-o", str(out), "--force"]).returncode == 0
    assert out.read_text() != filled


def test_blank_sheet_grades_as_all_missing(dropout_key, tmp_path, run):
    key, problems = dropout_key
    sheet = tmp_path / "blank.txt"
    sheet.write_text(run(["answer-sheet", str(key)]).stdout)
    proc = run(["check", str(key), str(sheet), "--json"])
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["points"] == 0
    assert report["counts"]["missing"] == sum(len(p.parts) for p in problems)


def test_check_report_text_and_json(dropout_key, tmp_path, run):
    key, (p1, p2) = dropout_key
    mask = p2.part("a").answer
    flipped = [1 - m for m in mask]
    keep = 1 - p2.params["p"]
    b_from_flipped = [x * m / keep for x, m in zip(p2.params["x"], flipped)]
    test_time_wrong = [x * keep for x in p2.params["x"]]  # "scaled by 1 − p at test time as well"
    sheet = tmp_path / "answers.txt"
    sheet.write_text("\n".join([
        "# my answers",
        f"1a: {fmt(p1.part('a').answer)}   # copied from my notes",
        f"1b: {fmt(p1.part('b').answer)}",
        "1c: " + fmt([v * 1.004 for v in p1.part("c").answer]),  # 0.4% off: within 1%
        "1d: __import__('os').system('echo hacked')",
        f"2a: {fmt(flipped)}",
        f"2b: {fmt(b_from_flipped)}",
        f"2c: {fmt(test_time_wrong)}",
        "2d:",
    ]) + "\n", encoding="utf-8")
    proc = run(["check", str(key), str(sheet)])
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    pa, pc, pd = (p1.part(k).points for k in "acd")  # the work model's points (core/work.py)
    assert re.search(rf"^  1a +{pa} / {pa} +correct$", text, re.M)
    assert re.search(rf"^  1c +{pc} / {pc} +correct within rounding$", text, re.M)
    assert re.search(rf"^  1d +0 / {pd} +could not read: unexpected character", text, re.M)
    assert "could not read" in text and "hacked" not in proc.stderr
    assert "this is the mistake: kept the units with rand < p" in text
    assert "follows from your 2a" in text
    assert "this is the mistake: scaled by 1 − p at test time as well" in text
    assert "1% " in text and "3 significant figures" in text  # the rule is stated
    assert "worked solution:" in text

    report = json.loads(run(["check", str(key), str(sheet), "--json"]).stdout)
    parts = {p["label"]: p for prob in report["problems"] for p in prob["parts"]}
    assert parts["1a"]["verdict"] == "correct"
    assert parts["1d"]["verdict"] == "could not read" and parts["1d"]["message"]
    assert parts["2a"]["verdict"] == "wrong" and parts["2a"]["mistake"].startswith("kept the units")
    assert parts["2b"]["verdict"] == "correct" and parts["2b"]["follows_from"] == ["2a"]
    assert parts["2b"]["points"] == p2.part("b").points
    assert parts["2c"]["mistake"] == "scaled by 1 − p at test time as well"
    assert parts["2c"]["solution"]
    assert parts["2d"]["verdict"] == "missing"
    expected_total = p1.part("a").points + p1.part("b").points + p1.part("c").points + p2.part("b").points
    assert report["points"] == expected_total
    assert report["max_points"] == p1.points + p2.points


def test_hostile_answers_are_unreadable_and_the_rest_is_graded(tmp_path):
    run = run_process
    problems = [build_problem("dropout", 3, "hard")]
    key = write_key(tmp_path / "key.json", problems)
    p = problems[0]
    hostile = [
        "__import__('os').system('touch HACKED')", "().__class__.__bases__[0]", "lambda: 1",
        "9**9**9**9", "(" * 1000 + "1" + ")" * 1000, "1\x07\x1b[2J", "1" * (1 << 20),
    ]
    lines = [f"1a: {fmt(p.part('a').answer)}"]
    labels = [part.key for part in p.parts[1:]]
    for key_letter, text in zip(labels, hostile):
        lines.append(f"1{key_letter}: {text}")
    sheet = tmp_path / "hostile.txt"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    proc = run(["check", str(key), str(sheet), "--json"], timeout=30)
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr
    assert elapsed < 10  # a fresh process, imports included; each answer is refused in microseconds
    report = json.loads(proc.stdout)
    verdicts = {part["label"]: part for part in report["problems"][0]["parts"]}
    assert verdicts["1a"]["verdict"] == "correct"
    for letter in labels:
        assert verdicts[f"1{letter}"]["verdict"] == "could not read", verdicts[f"1{letter}"]
        assert verdicts[f"1{letter}"]["message"]
    assert not (tmp_path / "HACKED").exists()


def test_a_worksheet_key_with_some_parts_and_its_own_points(tmp_path, run):
    p = build_problem("dropout", 8, "medium")
    key = json.loads(dumps(make_key([p], kind="worksheet", title="ws", seed=8)))
    kept = [part for part in key["problems"][0]["parts"] if part["key"] in ("a", "c")]
    for part in kept:
        part["points"] = 5
    key["problems"][0]["parts"] = kept
    path = tmp_path / "ws.json"
    path.write_text(json.dumps(key), encoding="utf-8")
    sheet = tmp_path / "s.txt"
    sheet.write_text(f"1a: {fmt(p.part('a').answer)}\n1c: {fmt(p.part('c').answer)}\n")
    report = json.loads(run(["check", str(path), str(sheet), "--json"]).stdout)
    assert [x["label"] for x in report["problems"][0]["parts"]] == ["1a", "1c"]
    assert report["points"] == report["max_points"] == 10
    proc = run(["check", str(path), str(tmp_path / "s.txt")])
    assert proc.returncode == 0
    sheet.write_text("1b: [1, 2]\n")
    proc = run(["check", str(path), str(sheet)])
    assert proc.returncode == 2 and "unknown part '1b'" in proc.stderr


def _edited(key_path, tmp_path, name, change):
    key = json.loads(key_path.read_text())
    change(key)
    out = tmp_path / name
    out.write_text(json.dumps(key), encoding="utf-8")
    return out


def _set(path, value):
    def change(key):
        target = key
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


BAD_KEYS = [
    ("edited-param.json", _set(["problems", 1, "params", "p"], 0.55), "problem 2: its params differ"),
    ("edited-answer.json", _set(["problems", 0, "parts", 1, "answer", 0], 99.0),
     "problem 1 part b: the stored answer differs"),
    ("edited-tolerance.json", _set(["problems", 0, "parts", 2, "tolerance"], 0.5), "tolerance was changed"),
    ("new-schema.json", _set(["schema_version"], 2), "schema version 2"),
    ("old-family.json", _set(["problems", 0, "version"], 99), "version 99 of family 'dropout'"),
    ("no-family.json", _set(["problems", 0, "family"], "no-such-family"), "unknown family 'no-such-family'"),
    ("not-key.json", _set(["format"], "something-else"), "not a probgen answer key"),
    ("bad-seed.json", _set(["problems", 0, "seed"], "three"), "bad seed"),
    ("bad-diff.json", _set(["problems", 0, "difficulty"], "extreme"), "no difficulty 'extreme'"),
    ("no-parts.json", _set(["problems", 0, "parts"], []), "no parts"),
]


@pytest.mark.parametrize("name, change, needle", BAD_KEYS, ids=[b[0] for b in BAD_KEYS])
def test_bad_keys_are_refused_in_one_line(dropout_key, tmp_path, run, name, change, needle):
    key, problems = dropout_key
    path = _edited(key, tmp_path, name, change)
    sheet = tmp_path / "s.txt"
    sheet.write_text("1a: [1, 0, 1, 0, 1]\n")
    proc = run(["check", str(path), str(sheet)])
    assert proc.returncode == 2, proc.stdout
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and needle in lines[0], proc.stderr
    assert proc.stdout == ""


def test_unreadable_key_files(tmp_path, run):
    sheet = tmp_path / "s.txt"
    sheet.write_text("1a: 1\n")
    (tmp_path / "broken.json").write_text('{"format": "probgen-answer-key",\n  "problems": [\n')
    (tmp_path / "binary.json").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    cases = [
        (tmp_path / "missing.json", "no such file"),
        (tmp_path / "broken.json", "line 3: not valid JSON"),
        (tmp_path / "binary.json", "not UTF-8"),
        (tmp_path, "is a folder"),
    ]
    for path, needle in cases:
        for command in (["check", str(path), str(sheet)], ["answer-sheet", str(path)]):
            proc = run(command)
            assert proc.returncode == 2 and "Traceback" not in proc.stderr
            lines = proc.stderr.strip().splitlines()
            assert len(lines) == 1 and str(path) in lines[0] and needle in lines[0], proc.stderr


BAD_SHEETS = [
    (b"1a: [1, 0, 1, 0, 1]\n9z: 1\n", "line 2: unknown part '9z'"),
    (b"1a: 1\n\n# note\n1A: 2\n", "line 4: part '1a' is answered twice (first on line 1)"),
    (b"1a [1, 0]\n", "line 1: missing ':'"),
    (b"the answer is 42\n", "line 1: expected '<part>: <answer>'"),
    (b"1a: 1\n1b: caf\xe9\n", "line 2: not UTF-8"),
]


@pytest.mark.parametrize("content, needle", BAD_SHEETS)
def test_malformed_sheets_name_file_and_line(dropout_key, tmp_path, run, content, needle):
    key, _ = dropout_key
    sheet = tmp_path / "answers.txt"
    sheet.write_bytes(content)
    proc = run(["check", str(key), str(sheet)])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(sheet) in lines[0] and needle in lines[0], proc.stderr
    assert proc.stdout == ""


def test_sheet_from_stdin_and_crlf(dropout_key):
    key, (p1, _) = dropout_key
    text = f"1a: {fmt(p1.part('a').answer)}\r\n1b: {fmt(p1.part('b').answer)}\r\n"
    proc = run_process(["check", str(key), "-", "--json"], stdin=text)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["answers"] == "<stdin>"
    assert report["problems"][0]["points"] == p1.part("a").points + p1.part("b").points


def test_missing_sheet_file(dropout_key, tmp_path, run):
    key, _ = dropout_key
    proc = run(["check", str(key), str(tmp_path / "nope.txt")])
    assert proc.returncode == 2 and "nope.txt: no such file" in proc.stderr


def test_a_key_from_another_probgen_version_is_noted_and_still_graded(dropout_key, tmp_path, run):
    key, problems = dropout_key
    data = json.loads(key.read_text(encoding="utf-8"))
    data["probgen_version"] = "0.0.1"
    old = tmp_path / "old-key.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    sheet = tmp_path / "blank.txt"
    sheet.write_text(run(["answer-sheet", str(old)]).stdout)
    proc = run(["check", str(old), str(sheet)])
    assert proc.returncode == 0
    assert proc.stderr.strip().splitlines() == [
        f"probgen: note: {old} was written by probgen 0.0.1 (this is 0.1.0); "
        "its problems regenerate identically, so grading goes on",
        f"probgen: warning: no answers found in {sheet} (every part is graded as missing)"]  # (a blank sheet)
    assert "Total: 0 /" in proc.stdout
    same = run(["check", str(key), str(sheet)])
    assert "note:" not in same.stderr
