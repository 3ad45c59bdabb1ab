"""An installed probgen works anywhere: build the wheel, install it into a fresh virtual
environment and run the main commands from an empty folder (issue 12, part 1).

The environment reuses the machine's installed dependencies (--system-site-packages) so nothing
is downloaded; the wheel is built from a copy of the checkout with the installed setuptools
(--no-build-isolation), so the build leaves nothing in the repository. Marked `install`, which
the default `pytest` run includes (about 40 s)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "probgen", "templates", "banks", "docs"]

pytestmark = pytest.mark.install


def _run(cmd, cwd, env, stdin=None, ok=True):
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, input=stdin, capture_output=True,
                          text=True, timeout=300)
    if ok:
        assert proc.returncode == 0, f"{cmd}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(bin folder, an empty working folder, environment) of a fresh venv holding the built wheel."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, src / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PROBGEN_DEBUG")}
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "-w", base / "dist", "./src"], base, env)
    wheels = list((base / "dist").glob("probgen-*.whl"))
    assert len(wheels) == 1
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], base, env)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
          "--ignore-installed", wheels[0]], base, env)
    work = base / "empty"
    work.mkdir()
    env["HOME"] = str(base)  # no user configuration from the machine
    return venv / "bin", work, env, wheels[0]


def test_the_wheel_carries_the_data_folders(installed):
    import zipfile

    names = set(zipfile.ZipFile(installed[3]).namelist())
    for folder, pattern in (("templates", "*.j2"), ("banks", "*.toml"), ("docs", "*.md")):
        for path in (ROOT / folder).glob(pattern):
            assert f"probgen/{folder}/{path.name}" in names, f"{folder}/{path.name} is not in the wheel"
    assert "probgen/schema/answer-key.schema.json" in names
    assert "probgen/kit/friendly_chains.json" in names  # the optimizer traces' chains, computed ahead


def test_installed_probgen_is_the_wheel_not_the_checkout(installed):
    bin_dir, work, env, _ = installed
    out = _run([bin_dir / "python", "-c", "import probgen.core.paths as p; print(p.__file__); print(p.TEMPLATES_DIR)"],
               work, env).stdout.split()
    venv = bin_dir.parent
    assert Path(out[0]).is_relative_to(venv) and Path(out[1]).is_relative_to(venv), out


def test_commands_run_from_an_empty_folder(installed):
    bin_dir, work, env, _ = installed
    probgen = bin_dir / "probgen"

    out = _run([probgen, "exam", "--seed", "1"], work, env).stdout
    assert "midterm-1-key.json" in out
    key = json.loads((work / "output" / "midterm-1-key.json").read_text())
    assert len(key["problems"]) >= 5
    assert (work / "output" / "midterm-1.pdf").read_bytes().startswith(b"%PDF")
    assert (work / "output" / "midterm-1-key.pdf").read_bytes().startswith(b"%PDF")

    _run([probgen, "worksheet", "--section", "optimization", "--count", "2", "-o", "ws"], work, env)
    assert len(list((work / "ws").glob("*.pdf"))) == 2

    _run([probgen, "export", "dropout", "--seed", "3", "-o", "dropout.json"], work, env)
    exported = json.loads((work / "dropout.json").read_text())
    parts = exported["problems"][0]["parts"]
    # a sheet holding the key's own answers, then one wrong answer
    right = "".join(f"1{p['key']}: {json.dumps(p['answer'])}\n" for p in parts)
    (work / "right.txt").write_text(right)
    report = json.loads(_run([probgen, "check", "dropout.json", "right.txt", "--json"], work, env).stdout)
    assert report["counts"]["correct"] == len(parts) and report["points"] == report["max_points"]
    wrong = right.replace(f"1{parts[0]['key']}: ", f"1{parts[0]['key']}: [9, 9, 9, 9, 9] # ", 1)
    (work / "wrong.txt").write_text(wrong)
    report = json.loads(_run([probgen, "check", "dropout.json", "wrong.txt", "--json"], work, env).stdout)
    assert report["problems"][0]["parts"][0]["verdict"] == "wrong"
    assert report["counts"]["correct"] == len(parts) - 1

    session = _run([probgen, "practice", "--family", "dropout", "--seed", "3", "--count", "1"], work, env,
                   stdin="[9, 9, 9, 9, 9]\nq\n").stdout
    # points follow the work model: read the wrong part's and the problem's points off the session
    assert re.search(r"wrong: 0 / \d+", session) and "reference:" in session
    assert re.search(r"Summary: 1 problem, 0 / \d+ points", session)

    _run([probgen, "lms", "moodle", "conv-params", "--variants", "2", "-o", "q.xml"], work, env)
    assert (work / "q.xml").read_bytes().count(b'<question type="cloze">') == 2
    assert "Moodle" in _run([probgen, "help-topic", "lms"], work, env).stdout

    assert "Checking hand-worked answers" in _run([probgen, "help-topic", "grading"], work, env).stdout
    assert "answer-key" in _run([probgen, "export", "--help"], work, env).stdout
    bad = _run([probgen, "exam", "--bank", "no-such-bank"], work, env, ok=False)
    assert bad.returncode == 2 and "midterm" in bad.stderr  # the shipped banks are listed
