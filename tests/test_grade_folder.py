"""`probgen grade -o RESULTS_DIR`: never the sheets folder (or inside it, or holding it), --force
or not; no file grade did not write is ever deleted."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "probgen", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


@pytest.fixture(scope="module")
def class_set(tmp_path_factory):
    base = tmp_path_factory.mktemp("cs")
    proc = run("exam", "--bank", "core", "--versions", "2", "--seed", "3", "--jobs", "1", "-o", "cs", cwd=base)
    assert proc.returncode == 0, proc.stderr
    return base


def sheets(base: Path, where: Path) -> dict[str, str]:
    where.mkdir(parents=True, exist_ok=True)
    for p in (base / "cs").glob("*-answers.txt"):
        shutil.copy(p, where / p.name)
    return {p.name: p.read_text() for p in where.glob("*-answers.txt")}


@pytest.mark.parametrize("output", ["handed", "handed/", "./handed", "handed/results", "handed/a/b", ".", "work"])
def test_the_sheets_folder_is_never_the_results_folder(class_set, tmp_path, output):
    (tmp_path / "cs").symlink_to(class_set / "cs")
    work = tmp_path / "work"
    handed = work / "handed" if output == "work" else tmp_path / "handed"
    before = sheets(class_set, handed)
    for force in ([], ["--force"]):
        proc = run("grade", "cs/core-class-set.json", str(handed.relative_to(tmp_path)), "-o", output, *force,
                   cwd=tmp_path)
        assert proc.returncode == 2, proc.stdout
        line, = proc.stderr.strip().splitlines()
        assert "answer sheets" in line and "--force" not in line, line
        assert {p.name: p.read_text() for p in handed.glob("*-answers.txt")} == before
        assert sorted(p.name for p in handed.iterdir()) == sorted(before)


def test_force_writes_into_a_folder_and_deletes_nothing_else(class_set, tmp_path):
    (tmp_path / "cs").symlink_to(class_set / "cs")
    sheets(class_set, tmp_path / "handed")
    results = tmp_path / "results"
    results.mkdir()
    (results / "notes.txt").write_text("mine\n")
    (results / "feedback").mkdir()
    (results / "feedback" / "mine.txt").write_text("mine too\n")
    proc = run("grade", "cs/core-class-set.json", "handed", "-o", "results", cwd=tmp_path)
    assert proc.returncode == 2 and "notes.txt" in proc.stderr and "kept" in proc.stderr
    assert sorted(p.name for p in results.rglob("*")) == ["feedback", "mine.txt", "notes.txt"]
    proc = run("grade", "cs/core-class-set.json", "handed", "-o", "results", "--force", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (results / "notes.txt").read_text() == "mine\n"
    assert (results / "feedback" / "mine.txt").read_text() == "mine too\n"
    assert (results / "gradebook.csv").is_file() and list((results / "feedback").glob("v01-feedback.*"))
    # a folder only grade wrote is replaced whole on a rerun, without --force
    fresh = tmp_path / "fresh"
    assert run("grade", "cs/core-class-set.json", "handed", "-o", "fresh", cwd=tmp_path).returncode == 0
    assert run("grade", "cs/core-class-set.json", "handed", "-o", "fresh", cwd=tmp_path).returncode == 0
    (fresh / "added-later.txt").write_text("a TA's note\n")
    proc = run("grade", "cs/core-class-set.json", "handed", "-o", "fresh", cwd=tmp_path)
    assert proc.returncode == 2 and "added-later.txt" in proc.stderr
    assert run("grade", "cs/core-class-set.json", "handed", "-o", "fresh", "--force", cwd=tmp_path).returncode == 0
    assert (fresh / "added-later.txt").read_text() == "a TA's note\n"


def test_a_file_named_like_a_result_is_not_taken_for_one(class_set, tmp_path):
    """The marker lists what grade wrote: a TA's feedback/extra-feedback.txt is someone else's file."""
    (tmp_path / "cs").symlink_to(class_set / "cs")
    sheets(class_set, tmp_path / "handed")
    assert run("grade", "cs/core-class-set.json", "handed", "-o", "res", cwd=tmp_path).returncode == 0
    (tmp_path / "res" / "feedback" / "extra-feedback.txt").write_text("by hand\n")
    proc = run("grade", "cs/core-class-set.json", "handed", "-o", "res", cwd=tmp_path)
    assert proc.returncode == 2 and "extra-feedback.txt" in proc.stderr
    assert run("grade", "cs/core-class-set.json", "handed", "-o", "res", "--force", cwd=tmp_path).returncode == 0
    assert (tmp_path / "res" / "feedback" / "extra-feedback.txt").read_text() == "by hand\n"
