"""Issue 14: SymPy is imported only where a part needs symbolic work. A numeric exam is written,
and a numeric sheet (shapes included) checked, without importing it; shapes written in whole
numbers are judged the same with or without SymPy."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from probgen.core.build import build_problem
from probgen.grading.judge import ProblemGrader
from probgen.grading.parse import ReadError, parse_shape

ROOT = Path(__file__).resolve().parent.parent
NUMERIC = ("architecture-trace", "conv-output-size", "inception-concat", "multihead-shapes", "pooling", "sgd-trace")


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                          timeout=300).stdout


def test_a_numeric_exam_is_written_without_sympy(tmp_path):
    out = _run("import sys\nfrom probgen.cli import main\n"
               f"try:\n    main(['exam', '--bank', 'optimization', '--seed', '3', '-o', {str(tmp_path)!r}])\n"
               "except SystemExit:\n    pass\n"
               "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sympy', 'numpy', 'matplotlib')))")
    assert out.strip().splitlines()[-1] == "[]"
    assert len(list(tmp_path.glob("optimization-3*"))) == 3


def test_a_numeric_sheet_with_shapes_is_checked_without_sympy(tmp_path):
    from probgen.sheets.answer_key import dumps, make_key

    problems = [build_problem(fid, 5 + i, "medium") for i, fid in enumerate(NUMERIC)]
    assert any(p.kind == "shape" for pr in problems for p in pr.parts)
    key = tmp_path / "key.json"
    key.write_text(dumps(make_key(problems, kind="exam", title="t", seed=5)), encoding="utf-8")
    lines, expected = [], {}
    for n, problem in enumerate(problems, start=1):
        for part in problem.parts:
            if part.kind == "shape":  # the right shape, and one with its first two dimensions swapped
                dims = [int(d) for d in part.answer]
                wrong = dims[1::-1] + dims[2:] if dims[0] != dims[1] else [dims[0] + 1] + dims[1:]
                right = n % 2 == 1
                text = " x ".join(map(str, dims if right else wrong))
                expected[f"{n}{part.key}"] = right
            elif part.kind == "number":
                text = repr(part.answer)
            elif part.kind in ("vector", "matrix"):
                text = json.dumps(part.answer)
            else:
                text = str(part.answer)
            lines.append(f"{n}{part.key}: {text}")
    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = _run("import sys, json\nfrom probgen.cli import main\n"
               f"try:\n    main(['check', {str(key)!r}, {str(answers)!r}, '--json'])\n"
               "except SystemExit:\n    pass\n"
               "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sympy'))")
    assert out.strip().splitlines()[-1] == "[]"
    report = json.loads(out[:out.rstrip().rfind("\n")])
    verdicts = {r["label"]: r["points"] == r["max_points"]
                for p in report["problems"] for r in p["parts"]}
    assert {k: verdicts[k] for k in expected} == expected


def test_whole_number_shapes_are_ints_and_judged_as_before():
    assert parse_shape("64 x 16 x 16") == [64, 16, 16]
    assert all(type(d) is int for d in parse_shape("(1, 32, 7, 7)"))
    assert [str(d) for d in parse_shape("N x 1")] == ["N", "1"]  # a name still goes through SymPy
    for bad in ("-3 x 4", "3.5 x 4", "3 x", "x 3"):
        with pytest.raises(ReadError):
            parse_shape(bad)
    problem = build_problem("conv-output-size", 3, "medium")
    [part] = [p for p in problem.parts if p.kind == "shape"]
    dims = [int(d) for d in part.answer]
    grader = ProblemGrader(problem, 1)
    for text, right in ((" x ".join(map(str, dims)), True), (str(tuple(dims)), True), ("8×8×8" if dims != [8, 8, 8] else "8x8x9", False),
                        (" x ".join(map(str, dims + [1])), False)):
        assert (grader.grade(part, text).points == part.points) is right, text


def test_platypus_url_pattern_is_compiled_on_first_use_and_matches_as_reportlabs():
    import re

    import probgen.render.platypus  # noqa: F401  (imports reportlab.platypus, unless already imported)
    from reportlab.platypus import paragraph

    real = re.compile(paragraph.uri_pat.pattern, paragraph.uri_pat.flags)
    for text in ("https://example.com/a?b=1", "HTTP://EXAMPLE.COM", "ftp://10.0.0.1:21/x", "not a url", "mailto:x@y"):
        assert bool(paragraph.uri_pat.match(text)) == bool(real.match(text)), text


def test_a_numeric_exam_does_not_load_pil_and_pil_works_when_read(tmp_path):
    """reportlab imports PIL.Image for bitmaps; probgen defers it (core.lazy.defer_import): a
    numeric exam is written without loading it, and it is the real module once something reads it."""
    out = _run("import sys\nfrom probgen.cli import main\n"
               f"try:\n    main(['exam', '--bank', 'optimization', '--seed', '3', '-o', {str(tmp_path)!r}])\n"
               "except SystemExit:\n    pass\n"
               "print('PIL.ExifTags' in sys.modules, type(sys.modules['PIL.Image']).__name__)\n"
               "import io\nfrom reportlab.lib.utils import ImageReader, Image\nimport PIL.Image\n"
               "buf = io.BytesIO()\nPIL.Image.new('RGB', (3, 2)).save(buf, 'PNG')\n"
               "print(ImageReader(io.BytesIO(buf.getvalue())).getSize(), Image.Image is PIL.Image.Image,"
               " sys.modules['PIL.Image'] is PIL.Image, type(PIL.Image).__name__)")
    assert out.strip().splitlines()[-2:] == ["False _Deferred", "(3, 2) True True module"]
