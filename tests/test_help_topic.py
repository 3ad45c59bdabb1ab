"""`probgen help-topic`: the docs an installed user has, by name."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return subprocess.run([sys.executable, "-m", "probgen", "help-topic", *args], capture_output=True, text=True,
                          cwd=ROOT)


def test_lists_every_guide_and_family_page():
    out = run().stdout
    names = [line.split()[0] for line in out.splitlines()]
    expected = {p.stem for p in (ROOT / "docs").glob("*.md")} | {p.stem for p in (ROOT / "docs" / "families").glob("*.md")}
    assert set(names) == expected
    assert names[:2] == ["grading", "answer-key"]


def test_prints_the_page_whole():
    proc = run("answer-key")
    assert proc.returncode == 0
    assert proc.stdout.rstrip("\n") == (ROOT / "docs" / "answer-key.md").read_text("utf-8").rstrip("\n")
    assert run("dropout").stdout.startswith("# dropout")


def test_unknown_topic_is_one_line_with_a_suggestion():
    proc = run("gradng")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "did you mean 'grading'?" in proc.stderr
