"""`probgen lms` as staff run it: no export holds anything that regenerates its answers (seeds
come from a secret kept in a staff file beside the export), the same secret gives the same bytes,
and the export is written by the project's one writer (no silent overwrite, no write through a
link, no FIFO)."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd, timeout=600):
    return subprocess.run([sys.executable, "-m", "probgen", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def texts_of(path: Path) -> list[str]:
    """Everything an export holds: the XML, or every member's name and bytes of the zip."""
    if path.suffix != ".zip":
        return [path.read_text("utf-8")]
    z = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    return [name for name in z.namelist()] + [z.read(name).decode("latin-1") for name in z.namelist()]


def regenerating_numbers(staff: dict) -> set[int]:
    """Every number that `probgen generate`/`probgen exam` would turn into a variant's answers."""
    out = set()
    for cat in staff["categories"]:
        for v in cat["variants"]:
            out.add(v["seed"])
            if "exam_seed" in v:
                out.add(v["exam_seed"])
    return out


@pytest.mark.parametrize("fmt,source", [("moodle", "midterm"), ("canvas", "midterm"), ("canvas", "dropout")])
def test_no_export_holds_a_seed_that_regenerates_its_answers(tmp_path, fmt, source):
    out = tmp_path / f"q.{'xml' if fmt == 'moodle' else 'zip'}"
    proc = run("lms", fmt, source, "--variants", "2", "--seed", "1", "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    staff = json.loads((tmp_path / "q-staff.json").read_text())
    assert staff["secret"] and staff["seed"] == 1 and "q-staff.json" in proc.stderr
    numbers = regenerating_numbers(staff)
    assert len(numbers) >= 2 and not numbers & {1, 2, 3}  # not --seed, --seed+1, ...: derived from the secret
    for text in texts_of(out):
        found = {int(n) for n in re.findall(r"(?<![0-9])[0-9]{4,}(?![0-9])", text)}
        assert not found & numbers, sorted(found & numbers)
        assert "seed" not in text.lower()
        assert staff["secret"] not in text
    # the staff file's numbers do regenerate a variant: the tag the export shows names it
    variant = staff["categories"][0]["variants"][0]
    assert variant["tag"] in "".join(texts_of(out))
    gen = run("generate", variant["family"], "--seed", str(variant["seed"]), "--difficulty", variant["difficulty"],
              "--answers", cwd=tmp_path)
    assert gen.returncode == 0, gen.stderr


def test_lms_seed_1_is_not_exam_seed_1_and_the_secret_reproduces_the_bytes(tmp_path):
    from probgen.lms.source import resolve
    from probgen.sheets.assemble import exam_sheet
    from probgen.sheets.banks import load_bank

    secret = "00112233445566778899aabbccddeeff"
    export = resolve("midterm", 1, 1, None, None, secret)
    exam = exam_sheet(load_bank("midterm"), 1)
    assert [c.problems[0].seed for c in export.categories] != [p.seed for p in exam.problems]
    assert not {c.problems[0].seed for c in export.categories} & {p.seed for p in exam.problems}
    # the command, twice with the staff file's secret: the same bytes; without it: another export
    args = ("lms", "canvas", "dropout", "--variants", "2", "--seed", "7")
    assert run(*args, "-o", "a.zip", cwd=tmp_path).returncode == 0
    staff = json.loads((tmp_path / "a-staff.json").read_text())
    again = shlex.split(staff["command"])[1:-2] + ["-o", "b.zip"]  # the command it records, into b.zip
    assert run(*again, cwd=tmp_path).returncode == 0
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert json.loads((tmp_path / "b-staff.json").read_text())["categories"] == staff["categories"]
    assert run(*args, "-o", "c.zip", cwd=tmp_path).returncode == 0
    assert (tmp_path / "c.zip").read_bytes() != (tmp_path / "a.zip").read_bytes()
    bad = run(*args, "--secret", "not-hex", "-o", "d.zip", cwd=tmp_path)
    assert bad.returncode == 2 and "--secret" in bad.stderr and len(bad.stderr.splitlines()) == 1


def test_the_export_is_never_written_over_something_else(tmp_path):
    notes = tmp_path / "p2.txt"
    notes.write_text("my notes\n")
    proc = run("lms", "canvas", "dropout", "--variants", "2", "-o", "p2.txt", cwd=tmp_path)
    assert proc.returncode == 2 and "--force" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert notes.read_text() == "my notes\n" and not (tmp_path / "p2-staff.json").exists()
    target = tmp_path / "p4.txt"
    target.write_text("keep\n")
    (tmp_path / "l4.zip").symlink_to("p4.txt")
    proc = run("lms", "canvas", "dropout", "--variants", "2", "-o", "l4.zip", cwd=tmp_path)
    assert proc.returncode == 2 and "symbolic link" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert target.read_text() == "keep\n" and (tmp_path / "l4.zip").is_symlink()
    proc = run("lms", "canvas", "dropout", "--variants", "2", "-o", "l4.zip", "--force", cwd=tmp_path)
    assert proc.returncode == 0 and target.read_text() == "keep\n" and zipfile.is_zipfile(tmp_path / "l4.zip")
    assert not (tmp_path / "l4.zip").is_symlink()
    os.mkfifo(tmp_path / "f.xml")
    proc = run("lms", "moodle", "dropout", "--variants", "1", "-o", "f.xml", cwd=tmp_path, timeout=120)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr and len(proc.stderr.splitlines()) == 1
    staff = tmp_path / "s-staff.json"  # the staff file is guarded too: both are checked before either is written
    staff.write_text("{}\n")
    proc = run("lms", "moodle", "dropout", "--variants", "1", "-o", "s.xml", cwd=tmp_path)
    assert proc.returncode == 2 and "s-staff.json" in proc.stderr and not (tmp_path / "s.xml").exists()


def test_help_reads_cleanly_and_its_examples_run_in_order_without_replacing_anything(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from probgen.cli import cli

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    lines = []
    for sub in ([], ["moodle"], ["canvas"]):
        text = runner.invoke(cli, ["lms", *sub, "--help"], terminal_width=100).output
        assert "\n  Examples:\n" in text and not re.search(r"\S {2,}\S", text.split("Options:")[0]), text
        assert all(re.match(r"    probgen lms ", line) for line in text.splitlines() if "probgen lms " in line
                   and not line.startswith("Usage")), text
        lines += re.findall(r"^    probgen (lms .+)$", text, re.M)
    assert len(lines) >= 8
    for line in lines:  # in the order a reader would run them, one variant each to keep it quick
        args = shlex.split(re.sub(r"--variants \d+", "", line)) + ["--variants", "1"]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (line, result.output)
    assert len(list(tmp_path.glob("*-staff.json"))) == len(lines)  # each example its own file
