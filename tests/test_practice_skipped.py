"""A part skipped in `probgen practice` (an empty line) is recorded as skipped, shown as such and
never counted as a wrong attempt: not in the parts answered, recent accuracy, mastery, the
sitting's score or the next difficulty. History files from before (which stored a skip as
"missing") read the same way."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from probgen.core.build import build_problem
from probgen.core.registry import load_all, sort_families
from probgen.practice.progress import progress_data, progress_text
from probgen.practice.scheduler import again_queue, plan
from probgen.practice.store import read_attempts

from test_practice import fmt, practice_here, shown_problems
from test_scheduler import sitting_rows

NOW = datetime.now(timezone.utc)
FAMILIES = sort_families(load_all().values())


def skip(row, verdict="skipped"):
    return replace(row, answer=None, verdict=verdict, points=0.0, mistake=None)


def test_a_skipped_part_is_shown_and_recorded_as_skipped(tmp_path, capsys, monkeypatch):
    db = tmp_path / "h.sqlite3"
    args = ["--family", "dropout", "--seed", "12", "--difficulty", "easy", "--db", str(db), "--count", "2"]
    (family, seed, difficulty), *_ = shown_problems(practice_here(args, "q\n", capsys, monkeypatch).stdout)
    problem = build_problem(family, int(seed), difficulty)
    n = len(problem.parts)
    pa = problem.part("a").points
    # problem 1: part a right, the rest skipped; problem 2: every part skipped
    out = practice_here(args, fmt(problem.part("a").answer) + "\n" + "\n" * (n - 1) + "\n" * 30,
                        capsys, monkeypatch).stdout
    assert "missing" not in out
    assert out.count("skipped (not counted") == 2 * n - 1
    assert f"Problem 1: {pa} / {pa} points ({n - 1} parts skipped, not counted)" in out
    assert "Problem 2: skipped" in out
    assert (f"Summary: 2 problems, {pa} / {pa} points (100%) on the parts answered; "
            f"{2 * n - 1} parts skipped, not counted") in out
    assert "  2. Dropout scaling: skipped" in out
    rows = read_attempts(db)
    assert [r.verdict for r in rows] == ["correct"] + ["skipped"] * (2 * n - 1)
    assert all(r.answer is None and r.points == 0 for r in rows[1:])
    data = progress_data(rows)
    assert (data["attempts"], data["skipped"], data["problems"]) == (1, 2 * n - 1, 1)
    reg = {t["topic"]: t for t in data["topics"]}["regularization"]
    assert reg["attempts"] == 1 and reg["recent_accuracy"] == 1.0
    assert reg["mastery"] == 0.5  # one full-marks sitting (docs/history.md); the skipped one is no evidence
    text = progress_text(data, "here")
    assert f"Progress: 1 problem, 1 part answered, {2 * n - 1} skipped (not counted)" in text


def test_skips_old_and_new_do_not_count_as_wrong_attempts():
    answered = sitting_rows("dropout", [(2, 2), (3, 3)], when=NOW - timedelta(days=1), problem_no=1)
    for verdict in ("skipped", "missing"):  # "missing": what probgen stored for a skip before
        half = sitting_rows("dropout", [(2, 2), (3, 3)], when=NOW - timedelta(hours=3), problem_no=2)
        half[1] = skip(half[1], verdict)
        whole = [skip(r, verdict) for r in sitting_rows("dropout", [(0, 2), (0, 3)], when=NOW - timedelta(hours=2),
                                                        problem_no=3)]
        data = progress_data(answered + half + whole, NOW)
        reg = {t["topic"]: t for t in data["topics"]}["regularization"]
        assert (reg["attempts"], reg["problems"], reg["recent_accuracy"]) == (3, 2, 1.0)
        assert (data["points"], data["max_points"], data["skipped"]) == (7, 7, 3)
        w = [1, 0.85]  # two full-marks sittings; a skipped part lowers neither
        assert abs(reg["mastery"] - round(sum(w) / (sum(w) + 1), 4)) < 1e-4
        choice = {c.topic: c for c in plan(answered + half + whole, FAMILIES, NOW)}["regularization"]
        assert choice.difficulty == "medium"  # full marks at easy; the sitting skipped whole would step it back down
        queue = again_queue(answered + half + whole)
        assert [(s.problem_no, s.wrong_parts, s.skipped_parts) for s in queue] == [(3, [], ["a", "b"])]


def test_a_topic_only_skipped_is_offered_after_the_new_ones():
    rows = [skip(r) for r in sitting_rows("dropout", [(0, 2)], when=NOW - timedelta(minutes=5))]
    order = [(c.topic, c.reason) for c in plan(rows, FAMILIES, NOW)]
    assert order[-1] == ("regularization", "new") and all(reason == "new" for _, reason in order)


def test_a_history_file_from_before_reads_its_skips_as_skipped(tmp_path):
    """A file as the previous probgen wrote it: schema 1, a skip stored with verdict 'missing'."""
    db = tmp_path / "old.sqlite3"
    con = sqlite3.connect(db)
    con.execute("""CREATE TABLE attempts (id INTEGER PRIMARY KEY, at TEXT NOT NULL, source TEXT NOT NULL,
        session TEXT NOT NULL, problem_no INTEGER NOT NULL, family TEXT NOT NULL, version INTEGER NOT NULL,
        seed INTEGER NOT NULL, difficulty TEXT NOT NULL, convention TEXT, topic TEXT NOT NULL, part TEXT NOT NULL,
        answer TEXT, verdict TEXT NOT NULL, points REAL NOT NULL, max_points REAL NOT NULL, mistake TEXT,
        seconds REAL)""")
    at = (NOW - timedelta(hours=1)).isoformat(timespec="seconds")
    for part, answer, verdict, points in [("a", "[0, 1]", "correct", 1.0), ("b", None, "missing", 0.0)]:
        con.execute("INSERT INTO attempts (at, source, session, problem_no, family, version, seed, difficulty, "
                    "topic, part, answer, verdict, points, max_points, seconds) VALUES "
                    "(?, 'practice', 's1', 1, 'dropout', 1, 7, 'easy', 'regularization', ?, ?, ?, ?, 1.0, 4.2)",
                    (at, part, answer, verdict, points))
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    rows = read_attempts(db)
    assert [(r.part, r.skipped, r.full) for r in rows] == [("a", False, True), ("b", True, False)]
    data = progress_data(rows, NOW)
    assert (data["attempts"], data["skipped"], data["points"], data["max_points"]) == (1, 1, 1, 1)
