"""PDF sheets and keys: every family renders at every difficulty, the student sheet holds no
answers, the key holds them, typesetting leaves no LaTeX source or missing glyphs, same bytes
for the same seed. Text is read back with pypdf, an extractor that shares no code with ours."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from probgen.sheets.assemble import Sheet
from probgen.core.numfmt import num
from probgen.core.registry import load_all
from probgen.render import mathtype
from probgen.render.answer_markup import answer_markup
from probgen.render.pdf import render_sheet
from probgen.render.plain_math import markup_to_text
from sweep import built

FAMILIES = sorted(load_all())


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    """Extracted text without spacing, minus signs as '-', for substring checks."""
    return re.sub(r"\s+", "", text.replace("\u2212", "-"))


def one_problem_sheet(problem, kind="worksheet") -> Sheet:
    return Sheet(kind=kind, title="Test sheet", seed=problem.seed, problems=[problem], source="test")


def serious_issues():
    return [i for i in mathtype.ISSUES if not i.startswith("handed to mathtext")]


@pytest.mark.parametrize("fid", FAMILIES)
def test_every_family_renders_at_every_difficulty(fid):
    fam = load_all()[fid]
    before = len(mathtype.ISSUES)
    for difficulty in fam.difficulties:
        for convention in fam.conventions or (None,):
            problem = built(fid, difficulty, 0, convention)
            sheet = one_problem_sheet(problem)
            student, key = render_sheet(sheet), render_sheet(sheet, show_solution=True)
            assert student.startswith(b"%PDF") and key.startswith(b"%PDF")
            text = pdf_text(key)
            # no LaTeX source reached the page: no \commands, no $, no ^{ or _{
            leftovers = re.findall(r"\\[A-Za-z]{2,}|\$|\^\{|_\{", text)
            assert not leftovers, f"{fid} {difficulty}: LaTeX source on the page: {leftovers[:5]}"
    new = [i for i in mathtype.ISSUES[before:] if not i.startswith("handed to mathtext")]
    assert not new, f"{fid}: {new[:3]}"


def _visible_numbers(problem) -> str:
    """The givens a student reads (statement and prompts), squashed, to tell answers apart."""
    text = markup_to_text(problem.statement + "\n" + "\n".join(p.prompt for p in problem.parts))
    return squash(text)


def _answer_strings(part) -> list[str]:
    if part.kind == "number":
        return [num(part.answer, 6)]
    if part.kind == "vector":
        return [",".join(num(v, 6) for v in part.answer)]
    if part.kind == "matrix":
        return [num(v, 6) for row in part.answer for v in row]
    return []


@pytest.mark.parametrize("fid", FAMILIES)
def test_student_sheet_has_no_answers_and_key_has_them(fid):
    difficulties = load_all()[fid].difficulties
    for seed in (1,):
        problem = built(fid, "hard" if "hard" in difficulties else difficulties[-1], seed, None)
        sheet = one_problem_sheet(problem)
        student = squash(pdf_text(render_sheet(sheet)))
        key = squash(pdf_text(render_sheet(sheet, show_solution=True)))
        givens = _visible_numbers(problem)
        for part in problem.parts:
            assert f"1{part.key}" in student and f"1{part.key}" in key
        assert "Answer" not in student and "Workedsolution" not in student
        assert key.count("Answer") >= len(problem.parts)
        if problem.steps:
            assert "Workedsolution" in key
        for part in problem.parts:
            for ans in _answer_strings(part):
                if part.kind == "matrix" and len(ans) < 4:
                    continue  # a short matrix entry (0, 1) can legitimately sit among the givens
                assert ans in key, f"{fid} seed {seed} part {part.key}: {ans} missing from the key"
                if ans not in givens and len(ans) >= 3 and not re.fullmatch(r"-?\d", ans):
                    # the answer as a number, not digits of two neighbours run together by the
                    # squashing ("−1 2" in a matrix of givens is not the answer −12)
                    leaked = re.search(rf"(?<![\d.]){re.escape(ans)}(?!\d)", student)
                    assert not leaked, f"{fid} seed {seed} part {part.key}: answer {ans} on the student sheet"


def test_answer_shows_exact_and_decimal():
    from probgen.core.model import Part

    frac = Part(key="a", kind="number", answer=0.75, exact="3/4", latex=r"\frac{3}{4}")
    assert answer_markup(frac) == r"$\frac{3}{4} = 0.75$"
    third = Part(key="a", kind="number", answer=1 / 3, exact="1/3", latex=r"\frac{1}{3}")
    assert answer_markup(third) == r"$\frac{1}{3} \approx 0.333333$"
    # a vector's exact display is the one the build's policy gave it (Part.latex): fractions that
    # do not end are shown, terminating ones are their decimals (core.numfmt.exact_array_latex)
    from probgen.core.numfmt import exact_array_latex

    assert exact_array_latex(["5/4", "-1/2"], False) is None
    tex = exact_array_latex(["2/3", "-1/6"], False)
    assert tex == r"\left[\frac{2}{3},\ -\frac{1}{6}\right]"
    assert exact_array_latex(["2/3", "-1/6"], True) is None  # a problem given in decimals
    vec = Part(key="a", kind="vector", answer=[2 / 3, -1 / 6], exact=["2/3", "-1/6"], latex=tex)
    assert answer_markup(vec) == r"$\left[\frac{2}{3},\ -\frac{1}{6}\right] \approx \left[0.666667,\ -0.166667\right]$"
    vec = Part(key="a", kind="vector", answer=[1.25, -0.5], exact=["5/4", "-1/2"])
    assert answer_markup(vec) == r"$\left[1.25,\ -0.5\right]$"
    plain = Part(key="a", kind="vector", answer=[1.0, 2.0], exact=["1", "2"])
    assert answer_markup(plain) == r"$\left[1,\ 2\right]$"


def test_same_sheet_same_bytes_across_processes(tmp_path):
    script = ("import sys; from probgen.sheets.banks import load_bank; from probgen.sheets.assemble import exam_sheet;"
              "from probgen.render.pdf import render_sheet; s = exam_sheet(load_bank('midterm'), 5);"
              "sys.stdout.buffer.write(render_sheet(s) + b'=====' + render_sheet(s, True))")
    outs = [subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, timeout=120,
                           env={**os.environ, "PYTHONHASHSEED": h}).stdout for h in ("1", "99")]
    assert outs[0] == outs[1]
    assert len(outs[0]) > 10_000


def test_typesetter_draws_core_constructs_without_fallback():
    before = len(mathtype.ISSUES)
    formulas = [r"\frac{\partial L}{\partial w} = \hat{y} - y", r"\sqrt{\hat{v}_t} + \epsilon",
                r"\begin{bmatrix} 1 & -2 \\ 0.5 & 3 \end{bmatrix}", r"\mathbf{m} \odot \mathbf{x}",
                r"\sum_{i=1}^{n} x_i^2", r"\left(\frac{a}{b}\right)^{2}", r"\mathbb{E}[y]",
                r"\operatorname{softmax}(z)_i", r"\theta \leftarrow \theta - \alpha \nabla_\theta \mathcal{L}",
                r"D_{\mathrm{KL}}(q_\phi(z \mid x) \parallel p(z))"]
    for f in formulas:
        box = mathtype.typeset(f, 11.0, True)
        assert box.w > 5 and box.h > 3
        assert not any(it[0] == "g" and "\\" in it[5] for it in box.items), f
    assert mathtype.ISSUES[before:] == []
    # a matrix is laid out as a grid: two rows of two cells, the rows at different heights
    grid = mathtype.typeset(r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", 10.0)
    cells = {it[5]: (it[1], it[2]) for it in grid.items if it[0] == "g"}
    assert cells["1"][1] == cells["2"][1] > cells["3"][1] == cells["4"][1]
    assert cells["1"][0] == pytest.approx(cells["3"][0], abs=0.5) and cells["2"][0] > cells["1"][0] + 5
    assert sum(1 for it in grid.items if it[0] == "p") == 2  # the two brackets


def test_mathtext_fallback_sits_on_the_baseline():
    # a formula handed to mathtext is drawn on the line's baseline like the text around it
    # (its glyphs were once shifted down by the formula's depth: "p(z)." hung below the line)
    box = mathtype._mathtext_box("p(z)", 10.0)
    ys = [it[2] for it in box.items if it[0] == "g"]
    assert len(ys) == 4 and all(abs(y) < 0.6 for y in ys)  # mathtext snaps to whole points
    assert box.d > 1.5  # the descender of p and the parentheses do go below the baseline


def test_unknown_command_never_prints_latex_source():
    box = mathtype.typeset(r"x \notacommand y", 10.0)
    drawn = "".join(it[5] for it in box.items if it[0] == "g")
    assert "\\" not in drawn
    assert mathtype.ISSUES[-1].startswith("printed as plain text") and "notacommand" in mathtype.ISSUES[-1]


def test_no_page_holds_only_the_footer():
    # two long normalization problems fill the last page to its foot; the gap that followed the
    # last problem once spilled onto a fourth page with nothing but the footer on it
    problem = built("normalization", "medium", 0)
    for kind in ("worksheet", "exam"):
        sheet = Sheet(kind=kind, title="T", seed=0, problems=[problem, problem], source="test")
        for show in (False, True):
            pages = PdfReader(io.BytesIO(render_sheet(sheet, show_solution=show))).pages
            for n, page in enumerate(pages, start=1):
                body = [line for line in page.extract_text().splitlines()
                        if line.strip() and "probgen" not in line and not re.fullmatch(r"\s*page \d+\s*", line)]
                assert body, f"{kind} {'key' if show else 'student'}: page {n} of {len(pages)} is empty"


def test_matrix_answers_get_more_room_to_work():
    from probgen.core.model import Part, Problem
    from probgen.render.pdf import problem_flowables
    from probgen.render.pdf_flowables import WorkSpace

    def room(answer, kind):
        part = Part(key="a", kind=kind, answer=answer, points=2)
        problem = Problem(family="hand-made", version=1, seed=0, difficulty="medium", convention=None,
                          title="T", section="cnn", topic="pooling", params={}, statement="s", parts=[part])
        flows = problem_flowables(problem, 1, show_solution=False, kind="worksheet")
        spaces = [f for b in flows for f in getattr(b, "content", [b]) if isinstance(f, WorkSpace)]
        return spaces[0].height

    number, five_by_five = room(1.5, "number"), room([[1.0] * 5] * 5, "matrix")
    assert five_by_five >= number + 5 * 8  # a line per row of the answer


def test_astral_math_letters_survive_text_extraction():
    # 𝒩 (\mathcal{N}) and 𝔼 (\mathbb{E}) lie above U+FFFF; their ToUnicode entries must be
    # surrogate pairs, or copy-paste, search and screen readers lose them
    sheet = one_problem_sheet(built("vae-elbo", "medium", 0))
    text = pdf_text(render_sheet(sheet))
    assert "\U0001d4a9" in text and "\U0001d53c" in text


def test_shipped_font_metrics_are_freetypes():
    """The metric tables shipped beside the fonts hold what FreeType reads from those files
    (the check reads every glyph of every face with matplotlib's FreeType, sharing no code with
    the typesetter's reader), and the reportlab snapshots what reportlab's parser extracts."""
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, str(root / "tools" / "font_metrics.py"), "--check"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_shipped_fonts_are_matplotlibs_files():
    import matplotlib

    from probgen.render.mathtype.fonts import FACES, FONT_DIR

    mpl = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in list(FACES.values()) + ["LICENSE_DEJAVU", "LICENSE_STIX"]:
        assert (FONT_DIR / name).read_bytes() == (mpl / name).read_bytes(), name


def test_rendering_a_sheet_never_imports_matplotlib():
    script = ("import sys; from probgen.sheets.banks import load_bank; from probgen.sheets.assemble import exam_sheet;"
              "from probgen.render.pdf import render_sheet; s = exam_sheet(load_bank('midterm'), 5);"
              "render_sheet(s); render_sheet(s, True);"
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_a_worked_step_that_opens_with_a_display_keeps_its_part_label():
    # the label (1a) sat on the step's first line of text; a step opening with $$...$$ had none
    from dataclasses import replace

    from probgen.core.model import Step

    problem = built("dropout", "medium", 3)
    steps = [Step(part="b", text="$$y = \\frac{m \\odot x}{1 - p}$$ so every kept unit is scaled up."),
             Step(part="c", text="Plain text for part c.")]
    text = pdf_text(render_sheet(one_problem_sheet(replace(problem, steps=steps)), show_solution=True))
    solution = text[text.index("Worked solution"):]
    assert re.search(r"\b1b\b", solution) and re.search(r"\b1c\b", solution), solution[:400]
