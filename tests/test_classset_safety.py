"""Class sets for a real exam: no student copy regenerates its key; interrupts leave a clear state."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from probgen.sheets.assemble import exam_sheet
from probgen.sheets.banks import load_bank

QUIZ = 'title = "Quiz"\n[[slot]]\nfamily = "dropout"\npoints = 5\n[[slot]]\nfamily = "conv-output-size"\n'


def _cmd(*args):
    return [sys.executable, "-m", "probgen", *args]


def _run(args, **kw):
    return subprocess.run(_cmd(*args), capture_output=True, text=True, timeout=600, **kw)


def _text(path) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def _params(key_or_sheet) -> list:
    if isinstance(key_or_sheet, dict):
        return [p["params"] for p in key_or_sheet["problems"]]
    return [json.loads(json.dumps(p.params)) for p in key_or_sheet.problems]


def test_student_copies_hold_no_seed_that_regenerates_their_key(tmp_path):
    bank_file = tmp_path / "quiz.toml"
    bank_file.write_text(QUIZ)
    out = tmp_path / "cs"
    proc = _run(["exam", "--bank", str(bank_file), "--versions", "3", "--seed", "2026", "--jobs", "1", "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    bank = load_bank(str(bank_file))
    manifest = json.loads((out / "quiz-class-set.json").read_text())
    assert re.fullmatch(r"[0-9a-f]{32}", manifest["secret"])
    for row in manifest["versions"]:
        key = json.loads((out / row["key_json"]).read_text())
        handed_out = _text(out / row["exam_pdf"]) + "\n" + (out / row["answer_sheet"]).read_text()
        assert f"version {row['version']}" in handed_out and "seed" not in handed_out.lower()
        assert str(row["seed"]) not in handed_out
        assert not any(str(p["seed"]) in handed_out for p in key["problems"])
        numbers = {int(n) for n in re.findall(r"\d+", handed_out)}
        assert numbers  # (the point totals, the version number, the givens...)
        for n in numbers:  # none of them is a seed `probgen exam --seed` turns into this key
            assert _params(exam_sheet(bank, n)) != _params(key), n
        # staff, with the manifest, get the key back from the version's seed
        assert _params(exam_sheet(bank, row["seed"])) == _params(key)
    # the secret is in the staff files: the manifest and the merged key's index
    assert manifest["secret"] in _text(out / "quiz-class-set-keys.pdf")
    # the same --seed and --secret reprint the same set, byte for byte
    again = tmp_path / "again"
    proc = _run(["exam", "--bank", str(bank_file), "--versions", "3", "--seed", "2026", "--secret", manifest["secret"],
                 "--jobs", "2", "-o", str(again)])
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in out.iterdir())
    for f in out.iterdir():
        assert (again / f.name).read_bytes() == f.read_bytes(), f.name
    # without the secret the same seed makes another set
    other = tmp_path / "other"
    assert _run(["exam", "--bank", str(bank_file), "--versions", "3", "--seed", "2026", "--jobs", "1",
                 "-o", str(other)]).returncode == 0
    assert json.loads((other / "quiz-class-set.json").read_text())["versions"][0]["seed"] != manifest["versions"][0]["seed"]
    # a class set in place is not replaced by accident
    proc = _run(["exam", "--bank", str(bank_file), "--versions", "3", "--seed", "2026", "-o", str(out)])
    assert proc.returncode == 2 and "--force" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_a_practice_exam_still_shows_its_seed(tmp_path):
    bank_file = tmp_path / "quiz.toml"
    bank_file.write_text(QUIZ)
    proc = _run(["exam", "--bank", str(bank_file), "--seed", "41", "-o", str(tmp_path)])
    assert proc.returncode == 0, proc.stderr
    assert "seed 41" in _text(tmp_path / "quiz-41.pdf")


def test_bad_secret_is_one_line(tmp_path):
    proc = _run(["exam", "--versions", "2", "--secret", "not-hex", "-o", str(tmp_path)])
    assert proc.returncode == 2 and "hexadecimal" in proc.stderr and len(proc.stderr.splitlines()) == 1


# ----------------------------------------------------------------------------- interrupts

def _children(pid: int) -> set[int]:
    kids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.add(int(entry.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# Enough versions that two finished ones leave most of the set still to do when the signal comes.
INTERRUPTED_VERSIONS = 24


def _start(tmp_path, out):
    bank_file = tmp_path / "quiz.toml"
    bank_file.write_text(QUIZ)
    args = ["exam", "--bank", str(bank_file), "--versions", str(INTERRUPTED_VERSIONS), "--seed", "5", "--jobs", "2", "-o", str(out)]
    proc = subprocess.Popen(_cmd(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    work = out / "quiz-class-set.incomplete"
    deadline = time.time() + 240
    while time.time() < deadline and len(list(work.glob("*-answers.txt"))) < 2:
        time.sleep(0.05)
    assert proc.poll() is None, "the class set finished before it could be interrupted"
    workers = _children(proc.pid)
    assert len(workers) >= 2
    return proc, args, workers, work


def _assert_clear_incomplete_state(out, work, workers):
    deadline = time.time() + 20
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "orphaned worker processes"
    assert not list(out.rglob("*.tmp")), "temporary files left behind"
    assert not (out / "quiz-class-set.json").exists()  # no manifest: the set is not complete
    assert (work / "INCOMPLETE.txt").is_file()
    assert not [p for p in out.iterdir() if p != work]  # nothing outside the incomplete folder
    for answers in work.glob("*-answers.txt"):  # every version there is whole
        stem = answers.name[: -len("-answers.txt")]
        assert all((work / f"{stem}{s}").is_file() for s in (".pdf", "-key.pdf", "-key.json"))


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_sigint_and_sigterm_stop_the_set_cleanly(tmp_path, sig, code):
    out = tmp_path / "cs"
    proc, args, workers, work = _start(tmp_path, out)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("probgen:")]
    assert len(lines) == 1 and "run the same command again" in lines[0] and str(work) in lines[0], stderr
    assert "Traceback" not in stderr
    _assert_clear_incomplete_state(out, work, workers)
    if sig == signal.SIGINT:  # the same command finishes the set, keeping the finished versions
        kept = {p.name: p.read_bytes() for p in work.glob("*-key.json")}
        done = _run(args)
        assert done.returncode == 0, done.stderr
        assert "already done" in done.stderr
        assert not work.exists() and (out / "quiz-class-set.json").is_file()
        rows = json.loads((out / "quiz-class-set.json").read_text())["versions"]
        assert len(rows) == INTERRUPTED_VERSIONS and all((out / r["exam_pdf"]).is_file() for r in rows)
        assert all((out / name).read_bytes() == data for name, data in kept.items())
        merged = PdfReader(str(out / "quiz-class-set-keys.pdf")).pages
        keys = [PdfReader(str(out / r["key_pdf"])).pages for r in rows]
        at = len(merged) - sum(len(k) for k in keys)  # the index's pages come first
        assert 1 <= at <= 5
        for r, k in zip(rows, keys):  # then every version's key, as rendered, in order
            assert merged[at].extract_text() == k[0].extract_text() and f"version {r['version']}" in k[0].extract_text()
            at += len(k)


def test_sigkill_of_the_parent_leaves_no_orphan_and_no_temporary_file(tmp_path):
    out = tmp_path / "cs"
    proc, args, workers, work = _start(tmp_path, out)
    proc.kill()
    proc.communicate(timeout=60)
    _assert_clear_incomplete_state(out, work, workers)


def test_force_replaces_a_set_whole(tmp_path):
    bank_file = tmp_path / "quiz.toml"
    bank_file.write_text(QUIZ)
    out = tmp_path / "cs"
    assert _run(["exam", "--bank", str(bank_file), "--versions", "3", "--jobs", "1", "-o", str(out)]).returncode == 0
    first = json.loads((out / "quiz-class-set.json").read_text())
    proc = _run(["exam", "--bank", str(bank_file), "--versions", "2", "--jobs", "1", "--force", "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    second = json.loads((out / "quiz-class-set.json").read_text())
    assert second["secret"] != first["secret"] and len(second["versions"]) == 2
    names = {f for r in second["versions"] for f in (r["exam_pdf"], r["key_pdf"], r["key_json"], r["answer_sheet"])}
    assert {p.name for p in out.iterdir()} == names | {"quiz-class-set.json", "quiz-class-set.csv",
                                                        "quiz-class-set-keys.pdf"}  # version 3 is gone
