"""Two class-set runs into the same folder: the second stops at once with one clear line instead
of deleting the first one's work under it; a lock left by a killed run is taken over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def probgen(*args, cwd, **kw):
    return subprocess.Popen([sys.executable, "-m", "probgen", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)}, **kw)


def test_a_second_run_into_the_same_folder_is_refused_and_the_first_finishes(tmp_path):
    args = ("exam", "--bank", "core", "--versions", "4", "--seed", "5", "--jobs", "1", "-o", "cs2")
    first = probgen(*args, cwd=tmp_path)
    lock = tmp_path / "cs2" / "core-class-set.incomplete" / ".probgen-writing.lock"
    deadline = time.time() + 240
    while not lock.exists() and first.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert lock.exists(), first.communicate()
    second = probgen(*args, cwd=tmp_path)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 2, err
    line, = err.strip().splitlines()
    assert "another probgen is writing this class set" in line and "No such file" not in line
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    manifest = json.loads((tmp_path / "cs2" / "core-class-set.json").read_text())
    assert len(manifest["versions"]) == 4
    assert all((tmp_path / "cs2" / v["exam_pdf"]).is_file() for v in manifest["versions"])
    assert not (tmp_path / "cs2" / "core-class-set.incomplete").exists()


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    work = tmp_path / "cs" / "core-class-set.incomplete"
    work.mkdir(parents=True)
    (work / ".probgen-writing.lock").write_text(f"{dead.pid}\n")
    proc = probgen("exam", "--bank", "core", "--versions", "2", "--seed", "5", "--jobs", "1", "-o", "cs", cwd=tmp_path)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert (tmp_path / "cs" / "core-class-set.json").is_file() and not work.exists()
