"""Class sets: one distinct exam version per student, each with its key, its blank answer sheet,
a manifest (CSV and JSON) and one merged key PDF for the grader.

Version n's seed is derived from (class-set secret, class-set seed, n). The secret is random
(`secrets.token_hex`) unless staff give it, and lives only in staff files (the manifest, the
merged key); a student copy shows its version number, never a seed. `probgen exam --bank B
--seed <version seed>` reprints one version; `--seed S --secret X` with the same roster or count
reprints the whole set.

The set is built in DIR/<bank>-class-set.incomplete/ and moved into DIR when complete, manifest
last; an interrupted run leaves that folder (finished versions, no temporary file), and the same
command run again finishes it."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import secrets
import shutil
from pathlib import Path


from .assemble import check_key_balance, exam_sheet, sub_seed
from .banks import Bank, load_bank
from ..errors import Interrupted, ProbgenError
from ..fileio import write_atomic
from .publish import safe_name, sheet_key, write_sheet
from .roster import RosterError, csv_text, parse_roster, read_roster  # noqa: F401  (re-exported)
from . import setlock
from .workers import Pool, run_job

MAX_ATTEMPTS = 50  # re-derivations tried when a version repeats an earlier one
SECRET_RE = re.compile(r"[0-9a-f]{16,64}")
CSV_FIELDS = ["version", "seed", "name", "id", "exam_pdf", "key_pdf", "key_json", "answer_sheet", "families"]


def version_seed(secret: str, seed: int, number: int, attempt: int = 0) -> int:
    parts = ("class-set", secret, seed, number) + ((attempt,) if attempt else ())
    return sub_seed(*parts)


def class_set_id(secret: str) -> str:
    """A public name for the set (printed on answer sheets); it does not reveal the secret."""
    return hashlib.sha256(f"probgen-class-set-id:{secret}".encode()).hexdigest()[:10]


def check_secret(secret: str) -> str:
    secret = secret.strip().lower()
    if not SECRET_RE.fullmatch(secret):
        raise ProbgenError("--secret must be 16 to 64 hexadecimal digits (the 'secret' of a class set's "
                           "manifest JSON)")
    return secret


def signature_of(key: dict) -> str:
    """What makes two versions the same exam: the families and their givens."""
    return json.dumps([[p["family"], p["difficulty"], p["convention"], p["params"]] for p in key["problems"]],
                      sort_keys=True)


def _render_version(job: tuple) -> tuple[int, list[str], dict]:
    """Worker: build and write one version (PDF, key PDF, key JSON, blank answer sheet)."""
    from ..grading.sheet import write_sheet as answer_sheet

    bank_path, number, seed, student, directory, stem, set_id = job
    # the collector paused while the version is made, its cycles (reportlab's documents) collected
    # once after: it ran ~8 times a version, each time walking what the caches had just kept
    collecting = gc.isenabled()
    gc.disable()
    try:
        bank = _bank(bank_path)
        sheet = exam_sheet(bank, seed, version=number, student=student)
        sheet.seed_public = False
        sheet.meta["class_set"] = set_id
        key = sheet_key(sheet, "exam-version")
        paths = write_sheet(sheet, directory, stem, kind="exam-version", key=key)
        sheet_path = Path(directory) / f"{stem}-answers.txt"
        write_atomic(sheet_path, answer_sheet(key, paths[2].name))
        return number, [str(p) for p in paths] + [str(sheet_path)], summary(key)
    finally:
        if collecting:
            gc.enable()
            gc.collect(2 if number % 100 == 0 else 1)  # (and now and then what the caches let go)


_BANK: list = []  # [path, its bytes, the Bank]: a worker parsed the same TOML for every version


def _bank(path: str) -> Bank:
    try:
        data = Path(path).read_bytes()
    except OSError:
        return load_bank(path)  # (which says what is wrong in one line)
    if _BANK and _BANK[0] == path and _BANK[1] == data:
        return _BANK[2]
    bank = load_bank(path)
    _BANK[:] = [path, data, bank]
    return bank


def summary(key: dict) -> dict:
    """What the parent keeps of a version's key until the set is finished: what tells versions
    apart (`signature_of`), their work (the balance check), and what the merged key's index and
    the manifest print. A whole key held for each of 1,000 versions was tens of MB (issue 14)."""
    return {"seed": key["seed"], "meta": {k: key["meta"][k] for k in ("version", "student") if k in key["meta"]},
            "problems": [{"family": p["family"], "difficulty": p["difficulty"], "convention": p["convention"],
                          "params": p["params"], "parts": [{"minutes": q.get("minutes", 0)} for q in p["parts"]]}
                         for p in key["problems"]]}


def make_class_set(bank: Bank, seed: int, directory: str | os.PathLike, *, versions: int | None = None,
                   students: list[dict[str, str]] | None = None, jobs: int | None = None,
                   progress: bool = False, secret: str | None = None, force: bool = False) -> list[Path]:
    """Write every version's files, the merged key PDF and the manifest (CSV + JSON); return the paths."""
    directory = Path(directory)
    count = len(students) if students is not None else versions
    if not count or count < 1:
        raise ProbgenError("a class set needs at least one version")
    secret = check_secret(secret) if secret else None
    base = safe_name(bank.name)
    manifest_json = directory / f"{base}-class-set.json"
    old = _old_manifest(manifest_json)
    if old is not None and not force and (secret is None or old.get("secret") != secret):
        raise ProbgenError(f"{manifest_json} already holds a class set; to replace it (and its keys) add "
                           f"--force, or choose another folder")
    directory.mkdir(parents=True, exist_ok=True)  # fail here, before any work, if it cannot be
    work = directory / f"{base}-class-set.incomplete"
    plan_id = {"bank": bank.name, "bank_sha256": hashlib.sha256(Path(bank.path).read_bytes()).hexdigest(),
               "seed": seed, "count": count, "students": students}
    lock = setlock.take(work)  # one writer at a time: a second run stops here, in one line
    try:
        return _make(bank, seed, directory, work, plan_id, secret, count, students, jobs, progress, old)
    finally:
        setlock.release(lock)


def _make(bank, seed, directory, work, plan_id, secret, count, students, jobs, progress, old) -> list[Path]:
    secret = _start_or_resume(work, plan_id, secret)
    set_id = class_set_id(secret)
    width = max(2, len(str(count)))
    stems = [safe_name(f"{bank.name}-v{n:0{width}d}" + (f"-{students[n - 1]['id']}" if students else ""))
             for n in range(1, count + 1)]
    plan = {n: [str(bank.path), n, version_seed(secret, seed, n), students[n - 1] if students else None,
                str(work), stems[n - 1], set_id] for n in range(1, count + 1)}
    results = _resumed(work, plan)
    try:
        _render_all(bank, plan, results, jobs or os.cpu_count() or 1, progress, secret, seed)
        return _finish(bank, seed, secret, set_id, directory, work, plan, results, old)
    except (KeyboardInterrupt, Interrupted) as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else 2
        done = len(list(work.glob("*-answers.txt"))) if work.exists() else 0
        raise Interrupted(signum, f"{'interrupted' if signum == 2 else 'terminated'}: {done} of {count} "
                                  f"versions are kept in {work}/ (no manifest yet); run the same command "
                                  "again to finish the class set") from None


def _old_manifest(path: Path) -> dict | None:
    try:
        if not path.is_file():
            return None
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}  # there, but unreadable: still a class set not to overwrite by accident


def _start_or_resume(work: Path, plan_id: dict, secret: str | None) -> str:
    """The secret to use: the unfinished set's when this is the same command run again (resume),
    else a new folder with `secret` or a fresh random one."""
    state = work / "plan.json"
    try:
        saved = json.loads(state.read_text("utf-8"))
    except (OSError, ValueError):
        saved = None
    if saved and saved.get("plan") == plan_id and secret in (None, saved.get("secret")):
        for tmp in work.glob(".*.tmp"):  # left by a process killed with SIGKILL
            tmp.unlink()
        return saved["secret"]
    setlock.empty(work)  # (everything but the lock this run holds)
    secret = secret or secrets.token_hex(16)
    write_atomic(work / "INCOMPLETE.txt", "This class set is not finished: it was interrupted or is being "
                 "written.\nRun the same probgen command again to finish it; nothing here is ready to hand out.\n")
    write_atomic(state, json.dumps({"plan": plan_id, "secret": secret}, indent=2, ensure_ascii=False) + "\n")
    return secret


def _resumed(work: Path, plan: dict) -> dict[int, tuple]:
    """number -> (paths, key) of the versions an earlier, interrupted run finished."""
    done = {}
    for n, job in plan.items():
        stem = job[5]
        paths = [work / f"{stem}.pdf", work / f"{stem}-key.pdf", work / f"{stem}-key.json",
                 work / f"{stem}-answers.txt"]
        if all(p.is_file() for p in paths):
            try:
                key = json.loads(paths[2].read_text("utf-8"))
            except (OSError, ValueError):
                continue
            job[2] = key["seed"]
            done[n] = ([str(p) for p in paths], summary(key))
    return done


def _render_all(bank, plan, results, jobs, progress, secret, seed) -> None:
    signatures = {}
    for n in sorted(results):
        signatures.setdefault(signature_of(results[n][1]), n)
    attempts = {n: 0 for n in plan}
    pending = [plan[n] for n in plan if n not in results]
    if pending:
        _warm_up(bank)
    with _progress(progress, len(plan), len(results)) as bar, Pool(jobs, len(pending)) as pool:
        while pending:
            done = _run(pool, pending, bar)
            pending = []
            for number, paths, key in sorted(done, key=lambda r: r[0]):
                owner = signatures.get(signature_of(key))
                if owner is not None and owner != number:
                    # identical to an earlier version: derive another seed for this one
                    attempts[number] += 1
                    if attempts[number] > MAX_ATTEMPTS:
                        raise ProbgenError(f"bank '{bank.name}' cannot make {len(plan)} distinct versions "
                                           f"(version {number} keeps repeating version {owner})")
                    plan[number][2] = version_seed(secret, seed, number, attempts[number])
                    pending.append(plan[number])
                    continue
                signatures[signature_of(key)] = number
                results[number] = (paths, key)


def _finish(bank, seed, secret, set_id, directory, work, plan, results, old) -> list[Path]:
    """Merged key and manifest into the work folder, then everything into DIR, manifest last."""
    from .merged_key import merge_keys

    base = safe_name(bank.name)
    merged = work / f"{base}-class-set-keys.pdf"
    numbers = sorted(plan)
    check_key_balance([results[n][1] for n in numbers])  # every version within ±10% of the mean work (issue 10)
    merge_keys([results[n][1] for n in numbers], [Path(results[n][0][1]) for n in numbers], bank.title,
               secret, merged)
    rows = []
    for n in numbers:
        job, (paths, key) = plan[n], results[n]
        names = [Path(p).name for p in paths]
        rows.append({"version": n, "seed": job[2], "name": (job[3] or {}).get("name", ""),
                     "id": (job[3] or {}).get("id", ""), "exam_pdf": names[0], "key_pdf": names[1],
                     "key_json": names[2], "answer_sheet": names[3],
                     "families": " ".join(p["family"] for p in key["problems"])})
    manifest_csv = work / f"{base}-class-set.csv"
    write_atomic(manifest_csv, csv_text(rows, CSV_FIELDS))
    manifest = {"format": "probgen-class-set", "bank": bank.name, "title": bank.title, "seed": seed,
                "secret": secret, "class_set": set_id, "merged_key": merged.name, "versions": rows}
    write_atomic(work / f"{base}-class-set.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    written = [directory / name for r in rows for name in (r["exam_pdf"], r["key_pdf"], r["key_json"],
                                                            r["answer_sheet"])]
    written += [directory / merged.name, directory / manifest_csv.name]
    manifest_path = directory / f"{base}-class-set.json"
    if manifest_path.exists():  # replacing a set: a manifest in DIR must always mean "complete"
        manifest_path.unlink()
    for target in written:
        os.replace(work / target.name, target)
    keep = {p.name for p in written}
    for r in (old or {}).get("versions", []) if isinstance(old, dict) else []:
        for f in ("exam_pdf", "key_pdf", "key_json", "answer_sheet"):  # files of a replaced, larger set
            name = r.get(f) if isinstance(r, dict) else None
            if isinstance(name, str) and name not in keep and "/" not in name and (directory / name).is_file():
                (directory / name).unlink()
    os.replace(work / manifest_path.name, manifest_path)
    shutil.rmtree(work)
    return written + [manifest_path]


def _warm_up(bank: Bank) -> None:
    """Import and load everything once before the workers fork, so each starts warm."""
    from ..core.build import build_problem
    from ..grading import sheet  # noqa: F401
    from ..render import mathtype, pdf  # noqa: F401

    for filename in mathtype.FACES.values():
        mathtype.face(filename)
    for slot in bank.slots:
        for fid in slot.families:
            build_problem(fid, 0, slot.difficulty_for(fid), slot.convention)
    # what the workers inherit stays shared with the parent: a collection in a worker would
    # otherwise write to every inherited object's header and copy its page (the gc.freeze docs)
    gc.freeze()


def _run(pool, jobs_list: list, bar) -> list[tuple]:
    out = []
    if pool is None:
        for job in jobs_list:
            out.append(_render_version(tuple(job)))
            bar.update(1)
        return out
    futures = [pool.submit(run_job, _render_version, tuple(j)) for j in jobs_list]
    for f in futures:
        out.append(f.result())
        bar.update(1)
    return out


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        pass


def _progress(show: bool, count: int, done: int):
    if not show:
        return _NoBar()
    import sys

    import click

    # (without a terminal click prints the label once and no bar: let it say what is happening)
    label = f"writing {count - done} version{'s' * (count - done != 1)}" + (f" ({done} already done)" if done else "")
    return click.progressbar(length=count - done, label=label, file=sys.stderr)
