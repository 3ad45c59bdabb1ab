"""The practice history: one SQLite file of attempts, one row per graded part.

Where: `--db PATH`, else `$PROBGEN_HOME/history.sqlite3`, else the user data directory
(platformdirs: ~/.local/share/probgen on Linux). The schema is in docs/history.md; its version is
SQLite's `user_version`, and `MIGRATIONS` takes an older file forward step by step.

Durability: WAL mode (two sessions at once write without losing rows). A database that cannot be
opened or written (corrupt, locked past the busy timeout, read-only) never costs the running
session its answers: they go to a JSON-lines fallback file beside it (or in the temp folder),
the student is told where in one line, and the next session that opens a healthy database
adds them to it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..errors import ProbgenError

SCHEMA_VERSION = 1
BUSY_TIMEOUT = 3.0  # seconds a write waits for another session's transaction
SOURCES = ("practice", "check", "web")
SKIPPED = "skipped"  # the verdict stored for a part left empty in `probgen practice`
# Before "skipped" existed, practice stored such a part as "missing" (the judge's verdict for a
# blank part); only practice stored blank parts, so both mean a skip.
SKIP_VERDICTS = (SKIPPED, "missing")

MIGRATIONS: dict[int, list[str]] = {
    # version 0 (an empty file) -> 1
    1: [
        """CREATE TABLE attempts (
            id          INTEGER PRIMARY KEY,
            at          TEXT NOT NULL,
            source      TEXT NOT NULL CHECK (source IN ('practice', 'check', 'web')),
            session     TEXT NOT NULL,
            problem_no  INTEGER NOT NULL,
            family      TEXT NOT NULL,
            version     INTEGER NOT NULL,
            seed        INTEGER NOT NULL,
            difficulty  TEXT NOT NULL,
            convention  TEXT,
            topic       TEXT NOT NULL,
            part        TEXT NOT NULL,
            answer      TEXT,
            verdict     TEXT NOT NULL,
            points      REAL NOT NULL,
            max_points  REAL NOT NULL,
            mistake     TEXT,
            seconds     REAL
        )""",
        "CREATE INDEX attempts_topic_at ON attempts (topic, at)",
        "CREATE INDEX attempts_sitting ON attempts (session, problem_no)",
    ],
}


class HistoryError(ProbgenError):
    """The history database cannot be read (one line for the CLI)."""


@dataclass
class Attempt:
    family: str
    version: int
    seed: int
    difficulty: str
    convention: str | None
    topic: str
    part: str
    answer: str | None
    verdict: str
    points: float
    max_points: float
    mistake: str | None
    seconds: float | None
    source: str
    session: str
    problem_no: int
    at: str = ""  # ISO 8601 UTC; filled in by `record` when empty

    @property
    def full(self) -> bool:
        return self.max_points > 0 and self.points >= self.max_points - 1e-9

    @property
    def skipped(self) -> bool:
        """Left empty: no evidence of the skill, so not an attempt in any figure."""
        return self.verdict in SKIP_VERDICTS


COLUMNS = [f.name for f in fields(Attempt)]
MAX_ANSWER = 2000  # characters of an answer kept (a pasted novel is cut, with its length)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_session_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + os.urandom(3).hex()


def default_path(db: str | os.PathLike | None = None) -> Path:
    if db:
        return Path(db).expanduser()
    home = os.environ.get("PROBGEN_HOME")
    if home:
        return Path(home).expanduser() / "history.sqlite3"
    from platformdirs import user_data_dir

    return Path(user_data_dir("probgen", appauthor=False)) / "history.sqlite3"


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if "not a database" in text or "malformed" in text:
        return "the file is damaged or not a probgen history (" + text + ")"
    if "locked" in text or "busy" in text:
        return "another program holds it locked (" + text + ")"
    return text


def _connect(path: Path, timeout: float, threads: bool = False) -> sqlite3.Connection:
    if path.exists() and not path.is_file():
        raise HistoryError(f"{path}: is not a regular file")
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=not threads)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        _migrate(con, path)
    except BaseException:
        con.close()
        raise
    return con


def _migrate(con: sqlite3.Connection, path: Path) -> None:
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise HistoryError(f"{path}: written by a newer probgen (schema {version}, this one reads {SCHEMA_VERSION})")
    con.execute("BEGIN IMMEDIATE")
    try:
        version = con.execute("PRAGMA user_version").fetchone()[0]  # another session may have done it
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[target]:
                con.execute(statement)
            con.execute(f"PRAGMA user_version = {target}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _row(attempt: Attempt) -> tuple:
    values = asdict(attempt)
    answer = values["answer"]
    if answer is not None and len(answer) > MAX_ANSWER:
        values["answer"] = answer[:MAX_ANSWER] + f"… ({len(answer):,} characters)"
    return tuple(values[c] for c in COLUMNS)


_INSERT = f"INSERT INTO attempts ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


class History:
    """The history for writing: `record` never raises; a failure switches to the fallback file.
    `warn` receives the one line that says so (the CLI prints it on stderr). `threads`: the
    connection may be used from several threads (the web server serializes its calls)."""

    def __init__(self, db: str | os.PathLike | None = None, *, warn: Callable[[str], None] | None = None,
                 timeout: float | None = None, threads: bool = False):
        self.path = default_path(db)
        self.warn = warn or (lambda line: None)
        self.timeout = BUSY_TIMEOUT if timeout is None else timeout
        self.fallback: Path | None = None
        self.recorded = 0
        self.pending: list[Attempt] = []  # rows that went to the fallback file
        self.con: sqlite3.Connection | None = None
        try:
            self.con = _connect(self.path, self.timeout, threads)
            self._import_fallbacks()
        except (sqlite3.Error, OSError, HistoryError) as exc:
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        if self.con is not None:
            try:
                self.con.close()
            except sqlite3.Error:
                pass
            self.con = None
        self.fallback = _fallback_path(self.path)
        self.warn(f"history {self.path}: cannot use it: {_reason(exc)}; this session's answers are kept in "
                  f"{self.fallback} and added to the history by the next session that can open it")

    def record(self, attempt: Attempt) -> None:
        if not attempt.at:
            attempt.at = now_iso()
        if self.con is not None:
            try:
                self.con.execute(_INSERT, _row(attempt))
                self.recorded += 1
                return
            except (sqlite3.Error, OSError) as exc:
                self._fail(exc)
        self._append_fallback(attempt)

    def _append_fallback(self, attempt: Attempt) -> None:
        assert self.fallback is not None
        line = json.dumps(dict(zip(COLUMNS, _row(attempt))), ensure_ascii=False) + "\n"
        with open(self.fallback, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        self.pending.append(attempt)
        self.recorded += 1

    def _import_fallbacks(self) -> None:
        """Answers an earlier session could not store: add them, then set the file aside."""
        assert self.con is not None
        for pending in sorted(self.path.parent.glob(self.path.name + ".unsaved-*.jsonl")):
            rows = []
            for line in pending.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    data = json.loads(line)
                    rows.append(_row(Attempt(**{c: data.get(c) for c in COLUMNS})))
                except (ValueError, TypeError):
                    continue  # a line cut short by a crash
            self.con.execute("BEGIN IMMEDIATE")
            try:
                self.con.executemany(_INSERT, rows)
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            pending.rename(pending.with_suffix(".imported"))
            self.warn(f"history: added {len(rows)} answers kept in {pending} by an earlier session")

    def attempts(self) -> list[Attempt]:
        if self.con is None:
            return []
        return _read(self.con)

    def sitting(self, session: str, problem_no: int) -> list[Attempt]:
        """The rows of one sitting (stored or kept in the fallback file), oldest first."""
        rows = [] if self.con is None else _read(self.con, "WHERE session = ? AND problem_no = ?", (session, problem_no))
        return rows + [a for a in self.pending if a.session == session and a.problem_no == problem_no]

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None


def _fallback_path(path: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}"
    for folder in (path.parent, Path(tempfile.gettempdir())):
        candidate = folder / f"{path.name}.unsaved-{stamp}.jsonl"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with open(candidate, "a", encoding="utf-8"):
                pass
            return candidate
        except OSError:
            continue
    raise HistoryError("cannot write the fallback file for this session's answers anywhere")


def _read(con: sqlite3.Connection, where: str = "", args: tuple = ()) -> list[Attempt]:
    rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM attempts {where} ORDER BY at, id", args).fetchall()
    return [Attempt(*row) for row in rows]


def read_attempts(db: str | os.PathLike | None = None) -> list[Attempt]:
    """Every stored attempt, oldest first; a missing database is an empty history. Raises
    HistoryError with one line when the file cannot be read."""
    path = default_path(db)
    if not path.exists():
        return []
    try:
        con = _connect(path, BUSY_TIMEOUT)
        try:
            return _read(con)
        finally:
            con.close()
    except (sqlite3.Error, OSError) as exc:
        raise HistoryError(f"history {path}: cannot read it: {_reason(exc)}") from None
