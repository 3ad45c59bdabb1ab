"""Class-set rosters (CSV of names and ids) and spreadsheet-safe CSV output."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..errors import ProbgenError

NAME_COLUMNS = ("name", "student", "student_name", "student name", "full name", "full_name")
ID_COLUMNS = ("id", "student_id", "student id", "studentid", "sid", "student number", "matriculation")


class RosterError(ProbgenError):
    pass


def read_roster(path: str | os.PathLike) -> list[dict[str, str]]:
    """Students of a roster CSV as [{"name", "id"}]; a bad roster raises RosterError (one line)."""
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"roster file not found: {path}") from None
    except UnicodeDecodeError as exc:
        data = path.read_bytes()
        line = data[:exc.start].count(b"\n") + 1
        raise RosterError(f"{path}: line {line} is not UTF-8 text (save the roster as CSV UTF-8)") from None
    except OSError as exc:
        raise RosterError(f"{path}: cannot read the roster ({exc.strerror or exc.__class__.__name__})") from None
    return parse_roster(text, str(path))


def parse_roster(text: str, where: str = "roster") -> list[dict[str, str]]:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise RosterError(f"{where}: the roster is empty")
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:  # (line where the row starts, row), blank rows left out
        rows, start = [], 1
        for r in reader:
            if any(c.strip() for c in r):
                rows.append((start, r))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise RosterError(f"{where}: line {reader.line_num}: not valid CSV ({exc})") from None
    if not rows:
        raise RosterError(f"{where}: the roster is empty")
    header = [h.strip().lower() for h in rows[0][1]]
    name_col = next((header.index(c) for c in NAME_COLUMNS if c in header), None)
    id_col = next((header.index(c) for c in ID_COLUMNS if c in header), None)
    if name_col is None or id_col is None:
        missing = " and ".join(w for w, c in (("name", name_col), ("id", id_col)) if c is None)
        raise RosterError(f"{where}: line {rows[0][0]} has no {missing} column "
                          f"(found: {', '.join(h for h in header if h) or 'nothing'})")
    students, seen = [], {}
    for line, row in rows[1:]:
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            raise RosterError(f"{where}: line {line} has {len(row)} fields but the header has {len(header)} "
                              f"(put a name with a comma in quotes: \"Lovelace, Ada\")")
        name = row[name_col].strip() if name_col < len(row) else ""
        sid = row[id_col].strip() if id_col < len(row) else ""
        if not sid:
            raise RosterError(f"{where}: line {line}: missing student id")
        if not name:
            raise RosterError(f"{where}: line {line}: missing student name (id '{sid}')")
        if sid in seen:
            raise RosterError(f"{where}: line {line}: duplicate id '{sid}' (first on line {seen[sid]})")
        seen[sid] = line
        students.append({"name": name, "id": sid})
    if not students:
        raise RosterError(f"{where}: the roster has a header but no students")
    return students


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP: prefix = + - @ tab CR with ')."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(rows: list[dict], fieldnames: list[str]) -> str:
    """rows as CSV text, every cell escaped against formula injection."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fieldnames, lineterminator="\n")
    writer.writerow({f: cell(f) for f in fieldnames})
    for row in rows:
        writer.writerow({f: cell(row.get(f, "")) for f in fieldnames})
    return buf.getvalue()
