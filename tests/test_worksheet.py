"""`probgen worksheet`: a section's or topic's problems -> student PDF, key PDF and JSON key."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
from pypdf import PdfReader

from probgen.sheets.answer_key import schema
from probgen.sheets.assemble import worksheet_sheet
from probgen.core.registry import families_in


def _run(args):
    return subprocess.run([sys.executable, "-c", "from probgen.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=300)


def test_worksheet_writes_three_files_and_prints_them(tmp_path):
    proc = _run(["worksheet", "--section", "regularization", "--count", "3", "--seed", "4", "-o", str(tmp_path)])
    assert proc.returncode == 0, proc.stderr
    paths = proc.stdout.split()
    stem = tmp_path / "worksheet-regularization-4"
    assert paths == [f"{stem}.pdf", f"{stem}-key.pdf", f"{stem}-key.json"]
    key = json.loads(open(paths[2]).read())
    jsonschema.validate(key, schema())
    assert key["kind"] == "worksheet" and len(key["problems"]) == 3
    ids = {f.id for f in families_in("regularization")}
    assert {p["family"] for p in key["problems"]} <= ids
    text = "\n".join(p.extract_text() for p in PdfReader(paths[0]).pages)
    assert "Problem 3" in text and "Answer" not in text


def test_easy_and_hard_worksheets_do_not_overwrite_each_other(tmp_path):
    written = []
    for knobs in ([], ["--difficulty", "easy"], ["--difficulty", "hard", "--convention", "pytorch"]):
        proc = _run(["worksheet", "--section", "optimization", "--count", "1", "--seed", "2", *knobs,
                     "-o", str(tmp_path)])
        assert proc.returncode == 0, proc.stderr
        written.append(proc.stdout.split()[0])
    assert [p.rsplit("/", 1)[1] for p in written] == [
        "worksheet-optimization-2.pdf", "worksheet-optimization-2-easy.pdf",
        "worksheet-optimization-2-hard-pytorch.pdf"]
    assert len(list(tmp_path.iterdir())) == 9


def test_worksheet_cycles_through_the_section_families():
    fams = families_in("fundamentals")
    sheet = worksheet_sheet("fundamentals", len(fams), 9)
    assert sorted(p.family for p in sheet.problems) == sorted(f.id for f in fams)
    again = worksheet_sheet("fundamentals", len(fams), 9)
    assert [p.params for p in again.problems] == [p.params for p in sheet.problems]
    other = worksheet_sheet("fundamentals", len(fams), 10)
    assert [p.params for p in other.problems] != [p.params for p in sheet.problems]


def test_bad_section_is_one_line_exit_2(tmp_path):
    proc = _run(["worksheet", "--section", "fundamentalz", "-o", str(tmp_path)])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    line, = proc.stderr.strip().splitlines()
    assert "unknown section or topic 'fundamentalz'" in line and "did you mean 'fundamentals'" in line
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_is_one_line_exit_2(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    for args in (["worksheet", "--section", "cnn"], ["exam", "--versions", "2"]):
        proc = _run([*args, "-o", str(blocker / "sub")])
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        line, = proc.stderr.strip().splitlines()
        assert "cannot write into" in line and "Not a directory" in line


def test_convention_applies_where_a_family_offers_it():
    sheet = worksheet_sheet("optimization", 8, 2, convention="pytorch")
    for p in sheet.problems:
        from probgen.core.registry import get_family

        fam = get_family(p.family)
        assert p.convention == ("pytorch" if "pytorch" in fam.conventions else None)
    assert any(p.convention == "pytorch" for p in sheet.problems)


def test_convention_no_family_offers_is_one_line_exit_2(tmp_path):
    proc = _run(["worksheet", "--section", "cnn", "--convention", "pytorch", "-o", str(tmp_path)])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    line, = proc.stderr.strip().splitlines()
    assert "no family in 'cnn' has the convention 'pytorch'" in line
