"""`probgen practice` driven through piped stdin, as its tests and scripted users drive it."""

from __future__ import annotations

import re
import subprocess
import sys

from probgen.build import build_problem


def practice(args, stdin: str):
    return subprocess.run([sys.executable, "-c", "from probgen.cli import main; main()", "practice", *args],
                          input=stdin, capture_output=True, text=True, timeout=120)


def shown_problems(stdout: str):
    """(family, seed, difficulty) of each problem the session showed."""
    return re.findall(r"^\((\S+), seed (\d+), (\w+)", stdout, re.M)


def fmt(values):
    return "[" + ", ".join(repr(v) for v in values) + "]"


def test_answers_are_graded_at_once_and_q_gives_a_summary():
    args = ["--family", "dropout", "--seed", "12", "--difficulty", "easy"]
    first = practice(args, "q\n")
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
    assert "1a> " in out and "correct: 2 / 2" in out
    assert "wrong: 0 / 3" in out and "worked solution:" in out
    assert "could not read: unexpected character" in out
    assert "hacked\n" not in out.replace("echo hacked", "")
    # quitting after the last part of problem 1 still counts problem 1
    assert "Summary: 1 problem, 2 / 7 points (29%)" in out


def test_end_of_input_ends_cleanly_with_a_summary():
    proc = practice(["--section", "regularization", "--seed", "5"], "0.5\n")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Summary: 1 problem" in proc.stdout


def test_several_problems_and_count():
    answers = "\n" * 60  # skip every part
    proc = practice(["--section", "fundamentals", "--seed", "3", "--count", "2"], answers)
    assert proc.returncode == 0, proc.stderr
    assert len(shown_problems(proc.stdout)) == 2
    assert "missing" in proc.stdout
    assert re.search(r"Summary: 2 problems, 0 / \d+ points \(0%\)", proc.stdout)


def test_bad_options_are_one_line_errors():
    for args, needle in [(["--family", "no-such-family"], "unknown family"),
                         (["--section", "nowhere"], "unknown section or topic"),
                         (["--section", "cnn", "--family", "dropout"], "not both")]:
        proc = practice(args, "")
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and needle in proc.stderr
