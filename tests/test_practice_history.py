"""`probgen practice` with its history: what is recorded, the adaptive choice, --again, asking
again after an unreadable answer, Ctrl-C, the reference's digits, and `check --record`."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

from probgen.cli import main
from probgen.core.build import build_problem
from probgen.core.numfmt import num
from probgen.practice.store import read_attempts

from test_practice import fmt, practice, practice_here, shown_problems


def test_every_answered_part_is_recorded_with_its_fields(tmp_path, capsys, monkeypatch):
    db = tmp_path / "h.sqlite3"
    args = ["--family", "dropout", "--seed", "12", "--difficulty", "easy", "--db", str(db)]
    (family, seed, difficulty), = shown_problems(practice_here(args, "q\n", capsys, monkeypatch).stdout)
    problem = build_problem(family, int(seed), difficulty)
    wrong_b = fmt([v * 3 + 1 for v in problem.part("b").answer])
    proc = practice_here(args, f"{fmt(problem.part('a').answer)}\n{wrong_b}\n\nq\n", capsys, monkeypatch)
    assert proc.returncode == 0 and f"Recorded in {db}" in proc.stdout
    rows = read_attempts(db)
    assert [(r.part, r.verdict) for r in rows] == [("a", "correct"), ("b", "wrong"), ("c", "skipped")]
    a, b, c = rows
    assert (a.family, a.seed, a.difficulty, a.convention, a.topic, a.source) == \
           ("dropout", int(seed), "easy", None, "regularization", "practice")
    assert a.answer == fmt(problem.part("a").answer) and b.answer == wrong_b and c.answer is None
    assert a.points == problem.part("a").points and b.points == 0 and a.max_points == problem.part("a").points
    assert a.seconds is not None and a.seconds >= 0 and a.session == b.session and a.problem_no == 1
    assert a.version == problem.version


def test_an_unreadable_answer_is_asked_again_and_gives_nothing_away(capsys, monkeypatch, tmp_path):
    args = ["--family", "dropout", "--seed", "12", "--difficulty", "easy"]
    (family, seed, difficulty), = shown_problems(practice_here(args, "q\n", capsys, monkeypatch).stdout)
    problem = build_problem(family, int(seed), difficulty)
    right = fmt(problem.part("a").answer)
    proc = practice_here(args, f"[1, 0,, 1\n__import__('os')\n{right}\nq\n", capsys, monkeypatch)
    out = proc.stdout
    assert out.count("1a> ") == 3 and out.count("could not read it") == 2
    pa = problem.part("a").points  # the work model's points
    assert f"correct: {pa} / {pa}" in out and "reference:" not in out
    assert f"Summary: 1 problem, {pa} / " in out
    rows = read_attempts()
    assert [(r.part, r.verdict, r.answer) for r in rows] == [("a", "correct", right)]


class InterruptingStdin(io.StringIO):
    """Typed lines, then Ctrl-C at the next prompt."""

    def readline(self, *args):
        line = super().readline(*args)
        if not line:
            raise KeyboardInterrupt
        return line

    def isatty(self):
        return True


def test_ctrl_c_keeps_the_points_of_the_problem_in_progress(capsys, monkeypatch):
    args = ["--family", "dropout", "--seed", "12", "--difficulty", "easy"]
    (family, seed, difficulty), = shown_problems(practice_here(args, "q\n", capsys, monkeypatch).stdout)
    problem = build_problem(family, int(seed), difficulty)
    answers = fmt(problem.part("a").answer) + "\n"
    for ending in ("q\n", None):  # q, then Ctrl-C: the same summary
        stdin = io.StringIO(answers + ending) if ending else InterruptingStdin(answers)
        monkeypatch.setattr(sys, "stdin", stdin)
        try:
            main(["practice", *args])
        except SystemExit as exc:
            assert exc.code == 0
        out = capsys.readouterr().out
        assert f"Summary: 1 problem, {problem.part('a').points} / " in out, out


def test_the_reference_prints_the_digits_of_the_worked_solution(capsys, monkeypatch):
    args = ["--family", "adaptive-trace", "--difficulty", "medium", "--seed", "4", "--count", "1"]
    out = practice_here(args, "\n" * 20, capsys, monkeypatch).stdout
    (family, seed, difficulty), = shown_problems(out)
    problem = build_problem(family, int(seed), difficulty)
    long_ones = [v for p in problem.parts if p.kind == "vector" for v in p.answer if num(v, 10) != num(v, 6)]
    assert long_ones, "pick a seed whose references have more than 6 significant digits"
    for value in long_ones:
        assert num(value, 6) in out and num(value, 10) not in out
    for line in re.findall(r"reference: +(.*)", out):
        for number in re.findall(r"\d[\d.]*", line.split("[within")[0]):
            assert len(number.replace(".", "").lstrip("0")) <= 6, line


def test_without_a_section_practice_chooses_from_the_history(capsys, monkeypatch, tmp_path):
    db = tmp_path / "h.sqlite3"
    first = practice_here(["--db", str(db), "--seed", "3", "--count", "1"], "\n" * 20, capsys, monkeypatch).stdout
    assert "Practice: what you need" in first and "Topic losses: not practised yet; easy." in first
    (family, seed, difficulty), = shown_problems(first)
    from probgen.core.registry import get_family

    assert difficulty == "easy" and get_family(family).topic == "losses"
    assert len(read_attempts(db)) == len(build_problem(family, int(seed), difficulty).parts)  # skipped: recorded
    # losses was just failed: FSRS brings it back in minutes, so the next new topic comes first
    second = practice_here(["--db", str(db), "--seed", "4", "--count", "1"], "\n" * 20, capsys, monkeypatch).stdout
    assert re.findall(r"^Topic (\S+): (.*?);", second, re.M) == [("input-encoding", "not practised yet")]


def test_a_topic_done_well_weeks_ago_is_due_at_a_higher_difficulty(capsys, monkeypatch, tmp_path):
    from datetime import datetime, timedelta, timezone

    from probgen.practice.store import History
    from test_scheduler import sitting_rows

    db = tmp_path / "h.sqlite3"
    h = History(db)
    for row in sitting_rows("pooling", [(2, 2), (1, 1)], when=datetime.now(timezone.utc) - timedelta(days=40)):
        h.record(row)
    h.close()
    out = practice_here(["--db", str(db), "--count", "1"], "\n" * 20, capsys, monkeypatch).stdout
    assert "Topic pooling: due for review; medium." in out
    (family, _, difficulty), = shown_problems(out)
    # topic pooling has a computational and a conceptual family (practice mixes both styles)
    assert family in {"pooling", "pooling-concepts"} and difficulty == "medium", (family, difficulty)


def test_again_replays_wrong_problems_with_new_seeds(capsys, monkeypatch, tmp_path):
    db = tmp_path / "h.sqlite3"
    nothing = practice_here(["--again", "--db", str(db)], "", capsys, monkeypatch)
    assert nothing.returncode == 0 and "Nothing to practise again" in nothing.stdout
    args = ["--family", "dropout", "--seed", "12", "--difficulty", "hard", "--db", str(db)]
    (family, seed, difficulty), = shown_problems(practice_here(args, "[9]\nq\n", capsys, monkeypatch).stdout)
    again = practice_here(["--again", "--db", str(db)], "q\n", capsys, monkeypatch).stdout
    assert "again: 1 problem with wrong or skipped parts" in again and "last time part a went wrong" in again
    (family2, seed2, difficulty2), = shown_problems(again)
    assert (family2, difficulty2) == ("dropout", "hard") and seed2 != seed


def test_a_damaged_history_does_not_stop_practice_or_lose_answers(tmp_path):
    db = tmp_path / "h.sqlite3"
    db.write_bytes(b"not sqlite" * 500)
    proc = practice(["--family", "dropout", "--seed", "12", "--difficulty", "easy", "--db", str(db)], "[1]\n\nq\n")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    line, = proc.stderr.strip().splitlines()
    kept = re.search(r"kept in (\S+\.jsonl)", line).group(1)
    assert f"Your answers are kept in {kept}" in proc.stdout
    with open(kept, encoding="utf-8") as handle:
        assert [json.loads(x)["part"] for x in handle] == ["a", "b"]


def test_check_record_stores_the_sheet(tmp_path):
    run = [sys.executable, "-m", "probgen"]
    subprocess.run(run + ["export", "dropout", "--seed", "3", "--count", "2", "-o", str(tmp_path / "k.json")],
                   check=True, capture_output=True)
    sheet = tmp_path / "a.txt"
    sheet.write_text("1a: [1, 0]\n", encoding="utf-8")
    db = tmp_path / "h.sqlite3"
    proc = subprocess.run(run + ["check", str(tmp_path / "k.json"), str(sheet), "--record", "--db", str(db)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    rows = read_attempts(db)
    # only the judged part: the blank ones (all of problem 2) are no evidence of the skill
    assert [(r.source, r.problem_no, r.part, r.answer, r.verdict) for r in rows] == [("check", 1, "a", "[1, 0]", "wrong")]
    assert "recorded 1 part in " in proc.stderr and "not recorded" in proc.stderr
