"""The practice history: schema and migrations, WAL, two writers, and what happens when the
database is damaged, locked or from a newer probgen (answers are never lost)."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from probgen.practice import store
from probgen.practice.store import Attempt, History, HistoryError, read_attempts


def attempt(part="a", points=1.0, max_points=1.0, *, session="s1", problem_no=1, topic="regularization",
            family="dropout", mistake=None, at="", answer="[1, 0]") -> Attempt:
    return Attempt(family=family, version=1, seed=12, difficulty="easy", convention=None, topic=topic, part=part,
                   answer=answer, verdict="correct" if points == max_points else "wrong", points=points,
                   max_points=max_points, mistake=mistake, seconds=4.5, source="practice", session=session,
                   problem_no=problem_no, at=at)


def test_the_default_place_and_its_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("PROBGEN_HOME", str(tmp_path / "home"))
    assert store.default_path() == tmp_path / "home" / "history.sqlite3"
    assert store.default_path(tmp_path / "x.db") == tmp_path / "x.db"
    monkeypatch.delenv("PROBGEN_HOME")
    from platformdirs import user_data_dir

    assert str(store.default_path()).startswith(user_data_dir("probgen", appauthor=False))


def test_a_new_database_has_the_documented_schema_in_wal_mode(tmp_path):
    path = tmp_path / "h.sqlite3"
    History(path).close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == 1
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = [row[1] for row in con.execute("PRAGMA table_info(attempts)")]
    documented = (Path(__file__).parents[1] / "docs" / "history.md").read_text(encoding="utf-8")
    for name in ("family", "version", "seed", "difficulty", "convention", "part", "answer", "verdict", "points",
                 "mistake", "seconds", "source"):
        assert name in columns and f"`{name}`" in documented


def test_every_field_round_trips(tmp_path):
    h = History(tmp_path / "h.sqlite3")
    a = attempt(points=0.5, max_points=2, mistake="forgot to scale by 1/(1-p)", answer="[2, 0, 2]")
    h.record(a)
    h.close()
    back, = read_attempts(tmp_path / "h.sqlite3")
    assert back == a and back.at  # `at` filled in when recorded
    assert back.seconds == 4.5 and back.mistake == "forgot to scale by 1/(1-p)" and back.points == 0.5


def test_a_huge_answer_is_cut_with_its_length(tmp_path):
    h = History(tmp_path / "h.sqlite3")
    h.record(attempt(answer="9" * 50_000))
    h.close()
    back, = read_attempts(tmp_path / "h.sqlite3")
    assert len(back.answer) < 2100 and back.answer.endswith("(50,000 characters)")


def test_a_version_0_file_is_migrated_and_a_newer_one_refused(tmp_path):
    old = tmp_path / "old.sqlite3"
    sqlite3.connect(old).close()  # an empty SQLite file: schema version 0
    assert read_attempts(old) == []
    assert sqlite3.connect(old).execute("PRAGMA user_version").fetchone()[0] == 1
    newer = tmp_path / "newer.sqlite3"
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version = 99")
    con.close()
    with pytest.raises(HistoryError, match="newer probgen"):
        read_attempts(newer)


def test_a_missing_database_is_an_empty_history_and_is_not_created_by_reading(tmp_path):
    assert read_attempts(tmp_path / "none.sqlite3") == []
    assert not (tmp_path / "none.sqlite3").exists()


def test_two_sessions_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "h.sqlite3"
    History(path).close()

    def session(name):
        h = History(path)
        for i in range(150):
            h.record(attempt(part=f"p{i}", session=name))
        h.close()

    threads = [threading.Thread(target=session, args=(f"s{k}",)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = read_attempts(path)
    assert len(rows) == 450 and {r.session for r in rows} == {"s0", "s1", "s2"}


def _fallback_rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_corrupt_database_keeps_the_answers_in_a_fallback_file(tmp_path):
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    said = []
    h = History(path, warn=said.append)
    h.record(attempt(part="a"))
    h.record(attempt(part="b", points=0))
    assert len(said) == 1 and "\n" not in said[0]
    assert "damaged or not a probgen history" in said[0] and str(h.fallback) in said[0]
    assert [r["part"] for r in _fallback_rows(h.fallback)] == ["a", "b"]
    assert path.read_bytes() == b"this is not a database at all" * 100  # the damaged file is left alone
    with pytest.raises(HistoryError, match="cannot read it"):
        read_attempts(path)
    # once the damaged file is moved aside, the next session adds the kept answers
    path.rename(tmp_path / "damaged.sqlite3")
    said.clear()
    History(path, warn=said.append).close()
    assert [r.part for r in read_attempts(path)] == ["a", "b"]
    assert "added 2 answers" in said[0]
    assert not list(tmp_path.glob("*.jsonl"))  # set aside, not imported twice
    History(path).close()
    assert len(read_attempts(path)) == 2


def test_a_locked_database_keeps_the_answers_in_a_fallback_file(tmp_path):
    path = tmp_path / "h.sqlite3"
    History(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    said = []
    h = History(path, warn=said.append, timeout=0.2)
    h.record(attempt(part="a"))
    assert len(said) == 1 and "locked" in said[0]
    h.record(attempt(part="b"))  # once fallen back, the session stays on the file
    assert [r["part"] for r in _fallback_rows(h.fallback)] == ["a", "b"]
    other.execute("ROLLBACK")
    other.close()


def test_a_folder_in_place_of_the_database(tmp_path):
    said = []
    h = History(tmp_path, warn=said.append)  # a folder, not a file
    h.record(attempt())
    assert "not a regular file" in said[0] and h.fallback.exists()
