"""Class sets: one distinct exam version per student, each with its key, a manifest (CSV and JSON)
and one merged key PDF for the grader. Versions are rendered in parallel worker processes.

Version n's seed is derived from (class-set seed, n); `probgen exam --bank B --seed <that seed>`
prints the same version again, so the seed on a cover is all a TA needs to find its key."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


from .assemble import check_key_balance, exam_sheet, sub_seed
from .banks import Bank, load_bank
from ..errors import ProbgenError
from ..fileio import write_atomic
from .publish import safe_name, sheet_key, write_sheet

NAME_COLUMNS = ("name", "student", "student_name", "student name", "full name", "full_name")
ID_COLUMNS = ("id", "student_id", "student id", "studentid", "sid", "student number", "matriculation")
MAX_ATTEMPTS = 50  # re-derivations tried when a version repeats an earlier one


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
    except (IsADirectoryError, PermissionError) as exc:
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
        if sid in seen:
            raise RosterError(f"{where}: line {line}: duplicate id '{sid}' (first on line {seen[sid]})")
        seen[sid] = line
        students.append({"name": name, "id": sid})
    if not students:
        raise RosterError(f"{where}: the roster has a header but no students")
    return students


def version_seed(seed: int, number: int, attempt: int = 0) -> int:
    return sub_seed("class-set", seed, number, attempt) if attempt else sub_seed("class-set", seed, number)


def _render_version(job: tuple) -> tuple[int, str, list[str], dict]:
    """Worker: build and write one version; return (number, signature, paths, key)."""
    bank_path, number, seed, student, directory, stem = job
    bank = load_bank(bank_path)
    sheet = exam_sheet(bank, seed, version=number, student=student)
    paths = write_sheet(sheet, directory, stem, kind="exam-version")
    return number, sheet.signature(), [str(p) for p in paths], sheet_key(sheet, "exam-version")


def make_class_set(bank: Bank, seed: int, directory: str | os.PathLike, *, versions: int | None = None,
                   students: list[dict[str, str]] | None = None, jobs: int | None = None,
                   progress: bool = False) -> list[Path]:
    """Write every version's three files, the manifest (CSV + JSON) and the merged key PDF."""
    directory = Path(directory)
    count = len(students) if students is not None else versions
    if not count or count < 1:
        raise ProbgenError("a class set needs at least one version")
    width = max(2, len(str(count)))
    plan = []
    for n in range(1, count + 1):
        student = students[n - 1] if students is not None else None
        stem = safe_name(f"{bank.name}-v{n:0{width}d}" + (f"-{student['id']}" if student else ""))
        plan.append([str(bank.path), n, version_seed(seed, n), student, str(directory), stem])
    jobs = jobs or os.cpu_count() or 1
    directory.mkdir(parents=True, exist_ok=True)  # fail here, before any work, if it cannot be
    merged = directory / f"{safe_name(bank.name)}-class-set-keys.pdf"
    _warm_up(bank)
    results: dict[int, tuple] = {}
    attempts = {n: 0 for n in range(1, count + 1)}
    signatures: dict[str, int] = {}
    pending = list(plan)
    merged_job = (str(bank.path), bank.title, [(j[1], j[2], j[3]) for j in plan], str(merged))
    with _progress(progress, count) as bar, _Pool(jobs, count) as pool:
        # the merged key is one long task: start it first so it runs beside the versions
        merged_future = pool.submit(_render_merged, merged_job) if pool else None
        while pending:
            done = _run(pool, pending, bar)
            pending = []
            for number, signature, paths, key in sorted(done, key=lambda r: r[0]):
                owner = signatures.get(signature)
                if owner is not None and owner != number:
                    # identical to an earlier version: derive another seed for this one
                    attempts[number] += 1
                    if attempts[number] > MAX_ATTEMPTS:
                        raise ProbgenError(f"bank '{bank.name}' cannot make {count} distinct versions "
                                           f"(version {number} keeps repeating version {owner})")
                    job = list(plan[number - 1])
                    job[2] = version_seed(seed, number, attempts[number])
                    plan[number - 1] = job
                    pending.append(job)
                    continue
                signatures[signature] = number
                results[number] = (paths, key)
        if merged_future is not None:
            merged_future.result()
    final_job = (str(bank.path), bank.title, [(j[1], j[2], j[3]) for j in plan], str(merged))
    if pool_unused(jobs, count) or final_job != merged_job:  # serial run, or a version was re-drawn
        _render_merged(final_job)
    keys = [results[n][1] for n in range(1, count + 1)]
    check_key_balance(keys)  # every version within ±10% of the mean work (issue 10)
    written: list[Path] = []
    for n in range(1, count + 1):
        written += [Path(p) for p in results[n][0]]
    rows = []
    for n, (job, key) in enumerate(zip(plan, keys), start=1):
        student_pdf, key_pdf, key_json = results[n][0]
        rows.append({"version": n, "seed": job[2], "name": (job[3] or {}).get("name", ""),
                     "id": (job[3] or {}).get("id", ""), "exam_pdf": Path(student_pdf).name,
                     "key_pdf": Path(key_pdf).name, "key_json": Path(key_json).name,
                     "families": " ".join(p["family"] for p in key["problems"])})
    manifest_json = directory / f"{safe_name(bank.name)}-class-set.json"
    manifest_csv = directory / f"{safe_name(bank.name)}-class-set.csv"
    write_atomic(manifest_json, json.dumps({"bank": bank.name, "title": bank.title, "seed": seed,
                                            "merged_key": merged.name, "versions": rows},
                                           indent=2, ensure_ascii=False) + "\n")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(manifest_csv, buf.getvalue())
    return written + [merged, manifest_csv, manifest_json]


def _render_merged(job: tuple) -> str:
    """Worker: every version's key in one PDF, for the grader."""
    from ..render.pdf import render_merged_key

    bank_path, title, versions, path = job
    bank = load_bank(bank_path)
    sheets = [exam_sheet(bank, vseed, version=n, student=student) for n, vseed, student in versions]
    write_atomic(path, render_merged_key(sheets, title))
    return path


def _warm_up(bank: Bank) -> None:
    """Import and load everything once before the workers fork, so each starts warm."""
    from ..core.build import build_problem
    from ..render import mathtype, pdf  # noqa: F401

    for filename in mathtype.FACES.values():
        mathtype.face(filename)
    for slot in bank.slots:
        for fid in slot.families:
            build_problem(fid, 0, slot.difficulty, slot.convention)


def pool_unused(jobs: int, count: int) -> bool:
    return jobs <= 1 or count == 1


class _Pool:
    """A process pool, or None when one process is asked for (or one version)."""

    def __init__(self, jobs: int, count: int):
        self.jobs, self.count, self.pool = jobs, count, None

    def __enter__(self):
        if not pool_unused(self.jobs, self.count):
            import multiprocessing

            ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx)
        return self.pool

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        return False


def _run(pool, jobs_list: list, bar) -> list[tuple]:
    out = []
    if pool is None:
        for job in jobs_list:
            out.append(_render_version(tuple(job)))
            bar.update(1)
        return out
    for result in pool.map(_render_version, [tuple(j) for j in jobs_list], chunksize=1):
        out.append(result)
        bar.update(1)
    return out


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        pass


def _progress(show: bool, count: int):
    if not show:
        return _NoBar()
    import click

    # (without a terminal click prints the label once and no bar: let it say what is happening)
    return click.progressbar(length=count, label=f"writing {count} version{'s' * (count != 1)}",
                             file=sys.stderr)
