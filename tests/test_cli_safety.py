"""One line and exit 2 everywhere (issue 9, items 4-6): paths, encodings, closed pipes, CSV cells,
typos, empty sheets."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest


def _run(args, env=None, **kw):
    full = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "probgen", *args], capture_output=True, timeout=300, env=full, **kw)


def test_latin1_stdout_gets_transliterated_text_not_a_traceback():
    proc = _run(["generate", "adaptive-trace", "--seed", "1"], env={"PYTHONIOENCODING": "latin-1"})
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode("latin-1")
    assert "alpha = 0.2" in text and "beta" in text  # α, β transliterated
    assert "R²" in text  # latin-1 holds ², so it is kept


def test_ascii_stdout_check_report_is_ascii(tmp_path):
    key, sheet = tmp_path / "k.json", tmp_path / "a.txt"
    assert _run(["export", "adaptive-trace", "--seed", "1", "-o", str(key)]).returncode == 0
    assert _run(["answer-sheet", str(key), "-o", str(sheet)]).returncode == 0
    sheet.write_text(sheet.read_text().replace("1a:", "1a: [0.5, -0.5]", 1))
    proc = _run(["check", str(key), str(sheet)], env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 0, proc.stderr
    proc.stdout.decode("ascii")  # pure ASCII, no UnicodeEncodeError
    assert b"Total:" in proc.stdout


def test_a_closed_pipe_exits_0():
    for _ in range(5):
        proc = subprocess.run(f"{sys.executable} -m probgen list | head -1; exit ${{PIPESTATUS[0]}}", shell=True,
                              executable="/bin/bash", capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        assert proc.stdout.startswith("fundamentals")


@pytest.mark.parametrize("args, needle", [
    (["exam", "--bank", "/proc/self/mem"], "/proc/self/mem: cannot read the bank"),
    (["exam", "--roster", "/proc/self/mem"], "/proc/self/mem: cannot read the roster"),
    (["export", "dropout", "-o", "/dev/full"], "/dev/full: not a regular file"),  # refused, never written into
    (["answer-sheet", "{key}", "-o", "{file}/x.txt"], "Not a directory"),
    (["exam", "-o", "{file}/x"], "Not a directory"),
])
def test_user_named_paths_are_one_line_exit_2(tmp_path, args, needle):
    (tmp_path / "file").write_text("x")
    key = tmp_path / "k.json"
    assert _run(["export", "dropout", "-o", str(key)]).returncode == 0
    proc = _run([a.format(key=key, file=tmp_path / "file") for a in args])
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    line, = err.strip().splitlines()
    assert needle in line and "internal error" not in line


QUIZ = 'title = "Quiz"\n[[slot]]\nfamily = "dropout"\npoints = 5\n'


def test_roster_cells_are_escaped_and_markup_in_names_prints_literally(tmp_path):
    from pypdf import PdfReader

    bank, roster = tmp_path / "quiz.toml", tmp_path / "r.csv"
    bank.write_text(QUIZ)
    roster.write_text("name,id\n=cmd|calc,s1\n$x$ **Bo**,+s2\n@Al -1,s3\n", encoding="utf-8")
    out = tmp_path / "cs"
    proc = _run(["exam", "--bank", str(bank), "--roster", str(roster), "--jobs", "1", "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO((out / "quiz-class-set.csv").read_text("utf-8"))))
    # OWASP: a cell starting with = + - @ is prefixed with ' so a spreadsheet shows it as text
    assert [(r["name"], r["id"]) for r in rows] == [("'=cmd|calc", "s1"), ("$x$ **Bo**", "'+s2"), ("'@Al -1", "s3")]
    for r, name in zip(rows, ["=cmd|calc", "$x$ **Bo**", "@Al -1"]):
        for pdf in (r["exam_pdf"], r["key_pdf"]):
            first = PdfReader(str(out / pdf)).pages[0].extract_text()
            assert first.count(name) >= 2, (pdf, first)  # the footer and the name field / key cover


def test_a_blank_roster_name_is_refused_with_its_line(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("name,id\nAda,s1\n ,s2\n")
    proc = _run(["exam", "--roster", str(roster), "-o", str(tmp_path / "o")])
    assert proc.returncode == 2
    line, = proc.stderr.decode().strip().splitlines()
    assert "line 3: missing student name (id 's2')" in line


@pytest.mark.parametrize("args, meant", [
    (["generate", "adam"], "did you mean 'adam-trace'?"),
    (["practice", "--family", "sgd"], "did you mean 'sgd-trace'?"),
    (["worksheet", "--section", "NLP"], "did you mean 'nlp'?"),
    (["worksheet", "--section", "regularisation"], "did you mean 'regularization'?"),
    (["exam", "--bank", "midtrem"], "did you mean 'midterm'?"),
])
def test_typos_get_a_did_you_mean(args, meant):
    proc = _run(args, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    line, = proc.stderr.decode().strip().splitlines()
    assert meant in line


def test_an_empty_answer_sheet_warns(tmp_path):
    key, blank, empty = tmp_path / "k.json", tmp_path / "blank.txt", tmp_path / "empty.txt"
    assert _run(["export", "dropout", "-o", str(key)]).returncode == 0
    assert _run(["answer-sheet", str(key), "-o", str(blank)]).returncode == 0
    empty.write_text("")
    for sheet in (blank, empty):
        proc = _run(["check", str(key), str(sheet)])
        assert proc.returncode == 0
        assert proc.stderr.decode().strip() == f"probgen: warning: no answers found in {sheet} (every part is graded as missing)"
    blank.write_text(blank.read_text().replace("1a:", "1a: [1, 0, 1, 1, 0]", 1))
    assert b"no answers" not in _run(["check", str(key), str(blank)]).stderr


def test_a_convention_on_a_family_without_conventions_is_refused(tmp_path):
    bank = tmp_path / "b.toml"
    bank.write_text('title = "Q"\n[[slot]]\nfamily = "dropout"\nconvention = "pytorch"\n')
    proc = _run(["exam", "--bank", str(bank), "-o", str(tmp_path / "o")])
    assert proc.returncode == 2
    line, = proc.stderr.decode().strip().splitlines()
    assert "slot 1 (line 2)" in line and "dropout has no formula conventions" in line
    # a slot where one of its families has conventions keeps working
    bank.write_text('title = "Q"\n[[slot]]\nfamilies = ["dropout", "momentum-trace"]\nconvention = "pytorch"\n')
    assert _run(["exam", "--bank", str(bank), "-o", str(tmp_path / "o")]).returncode == 0


def test_every_command_prints_written_paths_on_stdout(tmp_path):
    key, sheet = tmp_path / "k.json", tmp_path / "a.txt"
    proc = _run(["export", "dropout", "-o", str(key)])
    assert proc.stdout.decode().strip() == str(key) and proc.stderr == b""
    proc = _run(["answer-sheet", str(key), "-o", str(sheet)])
    assert proc.stdout.decode().strip() == str(sheet) and proc.stderr == b""
    proc = _run(["worksheet", "--section", "regularization", "--count", "1", "-o", str(tmp_path / "w")])
    assert len(proc.stdout.decode().split()) == 3 and proc.stderr == b""


@pytest.mark.parametrize("seed", [str(10 ** 400), str(2 ** 63), "-1", "1.5", "1e9", "seven"])
def test_a_seed_out_of_range_is_one_short_line(seed):
    """A seed longer than a file name holds (10**400 and 10**400 + 1 shared a file name) is refused:
    0 <= seed < 2**63, said in one short line with exit status 2."""
    from click.testing import CliRunner

    from probgen.cli import cli

    for command in (["generate", "dropout"], ["exam"], ["export", "dropout"], ["lms", "moodle", "dropout"],
                    ["worksheet", "--section", "regularization"], ["practice"]):
        result = CliRunner().invoke(cli, [*command, "--seed", seed])
        assert result.exit_code == 2, (command, result.output)
        line, = [x for x in result.output.splitlines() if "--seed" in x]
        assert "2**63 - 1" in line and len(line) < 160, line


def test_the_largest_seed_works(tmp_path):
    from click.testing import CliRunner

    from probgen.cli import cli

    result = CliRunner().invoke(cli, ["generate", "dropout", "--seed", str(2 ** 63 - 1)])
    assert result.exit_code == 0 and str(2 ** 63 - 1) in result.output
