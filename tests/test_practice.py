"""`probgen practice` driven through piped stdin, as its tests and scripted users drive it."""

from __future__ import annotations

import io
import re
import subprocess
import sys

from probgen.core.build import build_problem
from probgen.cli import main


def practice(args, stdin: str):
    """A real process with a real pipe on stdin."""
    return subprocess.run([sys.executable, "-c", "from probgen.cli import main; main()", "practice", *args],
                          input=stdin, capture_output=True, text=True, timeout=120)


def practice_here(args, stdin: str, capsys, monkeypatch):
    """The same entry point in this process (faster), stdin replaced by a text stream."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8"))
    try:
        main(["practice", *args])
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out.out, out.err)


def shown_problems(stdout: str):
    """(family, seed, difficulty) of each problem the session showed."""
    return re.findall(r"^\((\S+), seed (\d+), (\w+)", stdout, re.M)


def fmt(values):
    return "[" + ", ".join(repr(v) for v in values) + "]"


def test_answers_are_graded_at_once_and_q_gives_a_summary(capsys, monkeypatch):
    args = ["--family", "dropout", "--seed", "12", "--difficulty", "easy"]
    first = practice_here(args, "q\n", capsys, monkeypatch)
    assert first.returncode == 0, first.stderr
    (family, seed, difficulty), = shown_problems(first.stdout)
    assert family == "dropout" and difficulty == "easy"
    assert "No problems answered" in first.stdout
    problem = build_problem(family, int(seed), difficulty)
    mask = problem.part("a").answer
    lines = [
        fmt(mask),                              # a: right
        fmt([v * 3 + 1 for v in problem.part("b").answer]),  # b: wrong
        "__import__('os').system('echo hacked')",  # c: hostile
        "q",
    ]
    proc = practice(args, "\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert proc.stderr == ""
    pa, pb = problem.part("a").points, problem.part("b").points  # the work model's points
    assert "1a> " in out and f"correct: {pa} / {pa}" in out
    assert f"wrong: 0 / {pb}" in out and "worked solution:" in out
    # an unreadable answer is asked again (issue 15), with the reference still hidden
    assert "could not read it: unexpected character" in out and "Try again" in out
    assert out.count("reference:") == 1  # b's only
    assert "hacked\n" not in out.replace("echo hacked", "")
    # quitting inside problem 1 still counts its parts answered (a part not reached, like a
    # skipped one, is not counted)
    total = pa + pb
    assert f"Summary: 1 problem, {pa} / {total} points ({round(100 * pa / total)}%)" in out


def test_end_of_input_ends_cleanly_with_a_summary():
    proc = practice(["--section", "regularization", "--seed", "5"], "0.5\n")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Summary: 1 problem" in proc.stdout


def test_several_problems_and_count(capsys, monkeypatch):
    answers = "\n" * 60  # skip every part
    proc = practice_here(["--section", "fundamentals", "--seed", "3", "--count", "2"], answers, capsys, monkeypatch)
    assert proc.returncode == 0, proc.stderr
    assert len(shown_problems(proc.stdout)) == 2
    assert "skipped (not counted" in proc.stdout and "missing" not in proc.stdout
    assert "Summary: 2 problems, every part skipped (nothing counted)" in proc.stdout


def test_bad_options_are_one_line_errors(capsys, monkeypatch):
    for args, needle in [(["--family", "no-such-family"], "unknown family"),
                         (["--section", "nowhere"], "unknown section or topic"),
                         (["--section", "cnn", "--family", "dropout"], "not both"),
                         (["--difficulty", "extreme"], "'easy', 'medium', 'hard'")]:
        proc = practice_here(args, "", capsys, monkeypatch)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and needle in proc.stderr



def _closed_stdin(args, cwd):
    """A real process whose file descriptor 0 is closed (`<&-`), so sys.stdin is None."""
    import os
    return subprocess.run([sys.executable, "-c", "from probgen.cli import main; main()", *args],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, cwd=cwd,
                          preexec_fn=lambda: os.close(0))


def test_closed_stdin_is_one_line_exit_2(tmp_path):
    assert _closed_stdin(["export", "dropout", "--seed", "1", "-o", "key.json"], tmp_path).returncode == 0
    for args in (["practice", "--family", "dropout"], ["check", "key.json", "-"]):
        proc = _closed_stdin(args, tmp_path)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        line, = proc.stderr.strip().splitlines()
        assert "standard input is closed" in line
